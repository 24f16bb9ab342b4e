package extensions

import (
	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who may do what (§14 rules c and d; DESIGN.md "Extension"):
//   - request: the head or a liaison of the lead unit (a cooperating unit may not),
//     while the item runs (issued, in_progress, suspended) and only until its
//     deadline (the deadline day included): after it, 409 deadline_passed — only
//     the supervision office can then have a leader set a new deadline. One open
//     request per item.
//   - review (forward or reject): the supervision office of the item's scope, while
//     the request is requested.
//   - approve / reject: the item's supervising leader (主管领导), once the office
//     forwarded the request; approve also needs the item still open.
//   - nobody reviews or decides a request they made themselves (403), whatever their
//     roles.
//   - set_deadline: the supervision office, on an issued item that is overdue, with
//     no extension request open.
//
// Answers follow items.Decide: 404 when the item is not visible, 403 for read-only
// credentials, 409 when the state does not allow the action at all, 403 when the
// caller may not take it.

// overdue is the items' derived rule: open and today after the (current) deadline.
func overdue(it *items.Item, today civil.Date) bool {
	return it.State.Open() && !it.Deadline.IsZero() && today.After(it.Deadline)
}

// checkRequest answers whether p may request an extension of the visible item now.
func checkRequest(p *access.Principal, it *items.Item, asgs []items.Assignment, today civil.Date) error {
	if !p.CanWrite() {
		return problem.Forbidden("these credentials may only read")
	}
	if !it.State.Running() {
		return problem.InvalidTransition("request_extension", string(it.State), items.AllowedActions(p, it, asgs))
	}
	if !items.IsLeadUnit(p, it) {
		return problem.Forbidden("only the head or a liaison of the lead unit may request an extension")
	}
	if today.After(it.Deadline) {
		return problem.Conflict(CodeDeadlinePassed, "the deadline ("+it.Deadline.String()+") has passed: an extension "+
			"can only be requested before it. Ask the supervision office (督办处) to have a leader set a new deadline.").
			With("deadline", it.Deadline.String())
	}
	return nil
}

// checkSetDeadline answers whether p may set a new deadline on the visible item.
func checkSetDeadline(p *access.Principal, it *items.Item, asgs []items.Assignment, today civil.Date) error {
	if !p.CanWrite() {
		return problem.Forbidden("these credentials may only read")
	}
	if !it.State.Issued() || !it.State.Open() {
		return problem.InvalidTransition(ActSetDeadline, string(it.State), items.AllowedActions(p, it, asgs))
	}
	if !items.IsSupervisor(p, it) {
		return problem.Forbidden("only the supervision office sets a new deadline on an overdue item")
	}
	if !overdue(it, today) {
		return problem.Conflict(CodeNotOverdue, "the item is not overdue (its deadline is "+it.Deadline.String()+
			"): before the deadline the lead unit requests an extension instead").With("deadline", it.Deadline.String())
	}
	return nil
}

// checkStep is the extension's own rule for a step: approval moves the deadline,
// so the item must still be issued and open.
func checkStep(p *access.Principal, it *items.Item, asgs []items.Assignment, _ *Request, action string) error {
	if action == ActApprove && (!it.State.Issued() || !it.State.Open()) {
		return problem.InvalidTransition("approve_extension", string(it.State), items.AllowedActions(p, it, asgs))
	}
	return nil
}

// itemActions lists what p may do on the item through this package (the lists'
// `allowed_actions`): request an extension (when none is open), set a deadline.
func itemActions(p *access.Principal, it *items.Item, asgs []items.Assignment, today civil.Date, open bool) []string {
	if p == nil || !items.CanSee(p, it, asgs) {
		return []string{}
	}
	return access.Actions(map[string]bool{
		ActRequest:     !open && checkRequest(p, it, asgs, today) == nil,
		ActSetDeadline: !open && checkSetDeadline(p, it, asgs, today) == nil,
	})
}
