package completion

import (
	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
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
// The shared part of these rules is internal/review's engine; checkStep adds what
// the item's state machine says. Answers follow items.Decide: 404 invisible, 403
// read-only credentials, 409 when the request's (or the item's) state does not
// allow the action, 403 when the caller may not take it.

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

// checkStep is the completion's own rule for a step: the item's row allows it.
func checkStep(p *access.Principal, it *items.Item, asgs []items.Assignment, _ *Request, action string) error {
	_, err := items.Decide(p, it, asgs, itemAction(action), items.FactsOf(it))
	return err
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
