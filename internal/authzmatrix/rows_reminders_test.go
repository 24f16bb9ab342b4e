package authzmatrix

import (
	"net/http"

	"github.com/duban/duban/internal/reminders"
)

// Reminder rules (issue 12): per supervision scope, the caller's; the relation
// does not apply. The office, admins and auditors read them; the office and
// admins change them. PUT writes the defaults with the version just read (the
// body's version stands for If-Match, which is required).
func init() {
	read := all(http.StatusForbidden)
	for _, r := range []role{admin, supervisor, auditor} {
		read[r] = [3]int{200, 200, 200}
	}
	change := all(http.StatusForbidden)
	change[admin], change[supervisor] = [3]int{200, 200, 200}, [3]int{200, 200, 200}
	register(
		row{method: "GET", route: "/api/v1/settings/reminders", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/settings/reminders", nil
		}, want: read},
		row{method: "PUT", route: "/api/v1/settings/reminders", setup: func(f *fixture, c *cell) (string, any) {
			cur, _, err := f.env.App.Reminders.Get(f.ctx, c.user.scope)
			if err != nil {
				f.t.Fatal(err)
			}
			d := reminders.Defaults(c.user.scope)
			return "/api/v1/settings/reminders", map[string]any{
				"deadline_approaching": d.DeadlineApproaching, "overdue": d.Overdue, "feedback_due": d.FeedbackDue,
				"feedback_overdue": d.FeedbackOverdue, "assignment_not_accepted": d.AssignmentNotAccepted,
				"extension_waiting": d.ExtensionWaiting, "completion_waiting": d.CompletionWaiting, "escalation": d.Escalation,
				"version": cur.Version,
			}
		}, want: change},
	)
}
