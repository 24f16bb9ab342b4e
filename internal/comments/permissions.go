package comments

import (
	"slices"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who writes what (a caller who cannot see the item gets 404 for everything; every
// one who sees it reads all its comments):
//   - instruction (批示): a company leader (role leader) of the item's scope — any
//     of them, not only the supervising leader: in practice the principal leader
//     often instructs on matters another leader supervises — or a leader named on
//     the item (supervising or assisting) from another scope, or of the scope that
//     handed a sub-item down (parent_scope_id);
//   - coordination (协调意见, 协调会记录): the supervision office of the item's scope;
//   - comment: anyone who sees the item and may write (members, supervisors,
//     leaders). Admins and auditors only read items, and read-only credentials
//     write nothing: 403.
//
// Comments are written once the item has left the draft (a draft is its
// initiator's alone) and until it is archived or cancelled (409 then).

// closedTo are the item states that take no comments.
var closedTo = []items.State{items.StateDraft, items.StateArchived, items.StateCancelled}

// leaderOf reports whether p may write instructions on the item.
func leaderOf(p *access.Principal, it *items.Item) bool {
	if !p.Has(access.RoleLeader) {
		return false
	}
	if p.ScopeID == it.ScopeID || (it.ParentScopeID != nil && *it.ParentScopeID == p.ScopeID) {
		return true
	}
	return items.IsSupervisingLeader(p, it) || slices.Contains(it.AssistingLeaderIDs, p.UserID)
}

// mayWrite reports whether p's relation to the item allows the kind, regardless
// of the item's state.
func mayWrite(p *access.Principal, it *items.Item, k Kind) bool {
	if !items.Writes(p) {
		return false
	}
	switch k {
	case KindInstruction:
		return leaderOf(p, it)
	case KindCoordination:
		return items.IsSupervisor(p, it)
	case KindComment:
		return true
	}
	return false
}

// decide answers whether p may write a comment of kind k on the item p sees.
func decide(p *access.Principal, it *items.Item, k Kind) error {
	if !items.Writes(p) {
		return problem.Forbidden("you may only read comments")
	}
	if slices.Contains(closedTo, it.State) {
		return problem.InvalidTransition(string(k), string(it.State), []string{}).With("item_state", string(it.State))
	}
	if !mayWrite(p, it, k) {
		switch k {
		case KindInstruction:
			return problem.Forbidden("only company leaders of the item's scope write instructions (批示)")
		case KindCoordination:
			return problem.Forbidden("only the supervision office of the item's scope records coordination")
		}
		return problem.Forbidden("you may not comment on this item")
	}
	return nil
}

// AllowedKinds lists the kinds p may write on the item now.
func AllowedKinds(p *access.Principal, it *items.Item) []string {
	checks := map[string]bool{}
	for _, k := range Kinds {
		checks[string(k)] = !slices.Contains(closedTo, it.State) && mayWrite(p, it, k)
	}
	return access.Actions(checks)
}
