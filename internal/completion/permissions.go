package completion

import (
	"errors"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who may do what (§14 rule f; DESIGN.md "Closing"):
//   - request: the items state machine's request_completion — the head or a liaison
//     of the lead unit, on an in_progress item (a cooperating unit gets 403).
//   - review (forward, or reject = 退办): the supervision office of the item's
//     scope, while the request is requested. Rejecting is the state machine's
//     reject_completion (item back to in_progress).
//   - approve / reject: the item's supervising leader, once the office forwarded
//     the request (409 before); approve is approve_completion (item closed),
//     reject is reject_completion (back to in_progress).
//   - nobody reviews or decides a completion request they made themselves (403).
//
// Answers follow items.Decide: 404 invisible, 403 read-only credentials, 409 when
// the request's (or the item's) state does not allow the action, 403 when the
// caller may not take it.

// itemAction is the state machine's action behind a step on a request: approve is
// approve_completion; review and reject are reject_completion — forwarding changes
// nothing on the item, but needs it still waiting on the request, which is what
// that row checks.
func itemAction(action string) items.Action {
	if action == ActApprove {
		return items.ActApproveCompletion
	}
	return items.ActRejectCompletion
}

// errWrongState marks a request whose state does not allow the step.
var errWrongState = errors.New("wrong state")

// decide answers a step on a completion request of a visible item and returns the
// state machine's row for the item.
func decide(p *access.Principal, it *items.Item, asgs []items.Assignment, r *Request, action string) (items.Transition, error) {
	t, err := check(p, it, asgs, r, action)
	if errors.Is(err, errWrongState) {
		return t, problem.InvalidTransition(action, string(r.State), Actions(p, it, asgs, r))
	}
	return t, err
}

func check(p *access.Principal, it *items.Item, asgs []items.Assignment, r *Request, action string) (items.Transition, error) {
	if !p.CanWrite() {
		return items.Transition{}, problem.Forbidden("these credentials may only read")
	}
	want := StateForwarded
	if action == ActReview {
		want = StateRequested
	}
	if r.State != want {
		return items.Transition{}, errWrongState
	}
	if r.RequestedBy == p.UserID {
		return items.Transition{}, problem.Forbidden("you may not " + action + " a completion request you made yourself")
	}
	switch {
	case action == ActReview && !items.IsSupervisor(p, it):
		return items.Transition{}, problem.Forbidden("only the supervision office reviews completion requests")
	case action != ActReview && !items.IsSupervisingLeader(p, it):
		return items.Transition{}, problem.Forbidden("only the item's supervising leader decides a completion request")
	}
	return items.Decide(p, it, asgs, itemAction(action), items.FactsOf(it))
}

// Actions lists what p may do to the request now (`allowed_actions`).
func Actions(p *access.Principal, it *items.Item, asgs []items.Assignment, r *Request) []string {
	checks := map[string]bool{}
	if p == nil || !items.CanSee(p, it, asgs) {
		return []string{}
	}
	for _, a := range []string{ActReview, ActApprove, ActReject} {
		_, err := check(p, it, asgs, r, a)
		checks[a] = err == nil
	}
	return access.Actions(checks)
}

// itemActions lists what p may do on the item through this package: request
// completion now.
func itemActions(p *access.Principal, it *items.Item, asgs []items.Assignment) []string {
	if p == nil || !items.CanSee(p, it, asgs) {
		return []string{}
	}
	_, err := items.Decide(p, it, asgs, items.ActRequestCompletion, items.FactsOf(it))
	return access.Actions(map[string]bool{ActRequest: err == nil})
}
