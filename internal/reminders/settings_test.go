package reminders_test

import (
	"context"
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/reminders"
)

type ruleJSON struct {
	Enabled       bool  `json:"enabled"`
	DaysBefore    []int `json:"days_before,omitempty"`
	AfterWorkdays int   `json:"after_workdays,omitempty"`
}

type settingsJSON struct {
	ScopeID               string   `json:"scope_id"`
	DeadlineApproaching   ruleJSON `json:"deadline_approaching"`
	Overdue               ruleJSON `json:"overdue"`
	FeedbackDue           ruleJSON `json:"feedback_due"`
	FeedbackOverdue       ruleJSON `json:"feedback_overdue"`
	AssignmentNotAccepted ruleJSON `json:"assignment_not_accepted"`
	ExtensionWaiting      ruleJSON `json:"extension_waiting"`
	CompletionWaiting     ruleJSON `json:"completion_waiting"`
	Escalation            ruleJSON `json:"escalation"`
	Version               int      `json:"version"`
	UpdatedBy             *string  `json:"updated_by"`
}

func body(s settingsJSON) map[string]any {
	return map[string]any{"deadline_approaching": s.DeadlineApproaching, "overdue": s.Overdue, "feedback_due": s.FeedbackDue,
		"feedback_overdue": s.FeedbackOverdue, "assignment_not_accepted": s.AssignmentNotAccepted,
		"extension_waiting": s.ExtensionWaiting, "completion_waiting": s.CompletionWaiting, "escalation": s.Escalation}
}

// TestSettingsAPI: the defaults until set; only the office and admins change the
// rules of their scope, with If-Match (428 without, 412 stale); each kind takes
// only its own parameter, in range (422); the change is audited and read back.
func TestSettingsAPI(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		path := "/api/v1/settings/reminders"
		var s settingsJSON
		r := sup.Do("GET", path, nil).Expect(200)
		r.JSON(&s)
		if s.Version != 0 || r.Header.Get("ETag") != `"0"` || s.ScopeID != w.Group.String() ||
			!slices.Equal(s.DeadlineApproaching.DaysBefore, []int{3, 1}) || !s.Overdue.Enabled ||
			s.Escalation.AfterWorkdays != 5 || s.AssignmentNotAccepted.AfterWorkdays != 2 || s.FeedbackDue.DaysBefore[0] != 0 {
			t.Fatalf("defaults: %+v", s)
		}
		env.As(env.Login("auditor")).Do("GET", path, nil).Expect(200)
		env.As(env.Login("admin1")).Do("GET", path, nil).Expect(200)
		for _, u := range []string{"headb", "memberb", "leader"} {
			c := env.As(env.Login(u))
			c.Do("GET", path, nil).Problem(403, "forbidden")
			c.Do("PUT", path, body(s), "If-Match", `"0"`).Problem(403, "forbidden")
		}
		env.As(env.Login("auditor")).Do("PUT", path, body(s), "If-Match", `"0"`).Problem(403, "forbidden")
		env.Do("GET", path, nil).Problem(401, "unauthorized")

		// If-Match is required, and must be current.
		sup.Do("PUT", path, body(s)).Problem(428, "precondition_required")
		sup.Do("PUT", path, body(s), "If-Match", `"4"`).Problem(412, "precondition_failed")

		// Validation: every field named.
		bad := s
		bad.DeadlineApproaching = ruleJSON{Enabled: true, DaysBefore: []int{0, 3}}
		bad.FeedbackDue = ruleJSON{Enabled: true, DaysBefore: []int{1, 1}}
		bad.Overdue = ruleJSON{Enabled: true, AfterWorkdays: 3}
		bad.Escalation = ruleJSON{Enabled: true, AfterWorkdays: 0}
		bad.AssignmentNotAccepted = ruleJSON{Enabled: true, AfterWorkdays: 61}
		bad.ExtensionWaiting = ruleJSON{Enabled: true, AfterWorkdays: 2, DaysBefore: []int{1}}
		bad.FeedbackOverdue = ruleJSON{Enabled: true, DaysBefore: []int{1}}
		p := sup.Do("PUT", path, body(bad), "If-Match", `"0"`).Problem(422, "validation_failed")
		var fields []string
		for _, e := range p["errors"].([]any) {
			fields = append(fields, e.(map[string]any)["field"].(string))
		}
		slices.Sort(fields)
		want := []string{"assignment_not_accepted.after_workdays", "deadline_approaching.days_before", "escalation.after_workdays",
			"extension_waiting.days_before", "feedback_due.days_before", "feedback_overdue.days_before", "overdue.after_workdays"}
		if !slices.Equal(fields, want) {
			t.Fatalf("invalid fields %v, want %v", fields, want)
		}
		tooMany := s
		tooMany.DeadlineApproaching = ruleJSON{Enabled: true, DaysBefore: []int{1, 2, 3, 4, 5, 6}}
		sup.Do("PUT", path, body(tooMany), "If-Match", `"0"`).Problem(422, "validation_failed")
		none := s
		none.DeadlineApproaching = ruleJSON{Enabled: true}
		sup.Do("PUT", path, body(none), "If-Match", `"0"`).Problem(422, "validation_failed")

		// A good change: days sorted, a rule switched off, the version moves.
		good := s
		good.DeadlineApproaching.DaysBefore = []int{1, 5}
		good.Overdue = ruleJSON{Enabled: false}
		good.Escalation.AfterWorkdays = 10
		r = sup.Do("PUT", path, body(good), "If-Match", `"0"`).Expect(200)
		r.JSON(&s)
		if s.Version != 1 || r.Header.Get("ETag") != `"1"` || !slices.Equal(s.DeadlineApproaching.DaysBefore, []int{5, 1}) ||
			s.Overdue.Enabled || s.Escalation.AfterWorkdays != 10 || s.UpdatedBy == nil || *s.UpdatedBy != w.Sup.String() {
			t.Fatalf("after the change: %+v", s)
		}
		if n := env.AuditCount(reminders.AuditUpdated); n != 1 {
			t.Fatalf("audit events: %d", n)
		}
		// The body's version stands for If-Match; a stale one is 412.
		b := body(s)
		b["version"] = 0
		sup.Do("PUT", path, b).Problem(412, "precondition_failed")
		b["version"] = 1
		env.As(env.Login("admin1")).Do("PUT", path, b).Expect(200)
		// If-Match: * stands for whatever version is current.
		sup.Do("PUT", path, body(s), "If-Match", "*").Expect(200)
		st, _, err := env.App.Reminders.Get(context.Background(), w.Group)
		if err != nil || st.Version != 3 || st.Overdue.Enabled {
			t.Fatalf("stored: %+v %v", st, err)
		}
	})
}
