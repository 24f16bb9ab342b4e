package urges

import (
	"slices"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who does what (a caller who cannot see the item gets 404 for everything):
//   - read: everyone who sees the item sees its urges and the counts;
//   - urge: the supervision office of the item's scope, or the people of a
//     department of the item's joint supervision team (联合督办), while the item is issued or
//     in progress (409 otherwise: a suspended item's work is paused, and from the
//     completion request on the office decides rather than urges), addressed to a
//     unit with a live assignment (422 otherwise); the system (a nil actor) under
//     the same state and unit rules;
//   - acknowledge: the head or a liaison of the urged unit, once (409 the second
//     time), in any state of the item.
//
// Read-only credentials, admins and auditors change nothing (403).

// urgeable are the item states in which units are urged.
var urgeable = []items.State{items.StateIssued, items.StateInProgress}

// decideUrge answers whether p may urge on the item; p nil is the system.
func decideUrge(p *access.Principal, it *items.Item) error {
	if p != nil && !items.Writes(p) {
		return problem.Forbidden("you may only read urges")
	}
	if !slices.Contains(urgeable, it.State) {
		return problem.InvalidTransition("urge", string(it.State), []string{}).With("item_state", string(it.State))
	}
	if p != nil && !items.IsSupervisor(p, it) && !items.InJointTeam(p, it) {
		return problem.Forbidden("only the supervision office of the item's scope or its joint supervision team urges")
	}
	return nil
}

// canAcknowledge reports whether p may acknowledge the urge now.
func canAcknowledge(p *access.Principal, u *Urge) bool {
	return items.Writes(p) && !u.Acknowledged() && p.IsHeadOrLiaison(u.UnitID)
}

// decideAcknowledge answers acknowledge.
func decideAcknowledge(p *access.Principal, u *Urge) error {
	switch {
	case !items.Writes(p):
		return problem.Forbidden("you may only read urges")
	case u.Acknowledged():
		return problem.InvalidTransition(ActAcknowledge, "acknowledged", []string{})
	case !p.IsHeadOrLiaison(u.UnitID):
		return problem.Forbidden("only the head or a liaison of the urged unit acknowledges")
	}
	return nil
}

// AllowedActions lists what p may do to the urge now.
func AllowedActions(p *access.Principal, u *Urge) []string {
	return access.Actions(map[string]bool{ActAcknowledge: canAcknowledge(p, u)})
}
