package verification

import (
	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
)

// Who may verify: the items state machine's verify rows — the supervision office of
// the item's scope, on a closed or archived item (else 409 invalid_transition); a
// failed result (反弹) leads back to in_progress. Answers are items.Decide's: 404
// invisible, 403 read-only credentials or not the supervision office, 409 state.

func decide(p *access.Principal, it *items.Item, asgs []items.Assignment, failed bool) (items.Transition, error) {
	f := items.FactsOf(it)
	f.VerifyFailed = failed
	return items.Decide(p, it, asgs, items.ActVerify, f)
}

// itemActions lists what p may do on the item through this package: create (a
// verification, now).
func itemActions(p *access.Principal, it *items.Item, asgs []items.Assignment) []string {
	if p == nil || !items.CanSee(p, it, asgs) {
		return []string{}
	}
	_, err := decide(p, it, asgs, false)
	return access.Actions(map[string]bool{ActCreate: err == nil})
}
