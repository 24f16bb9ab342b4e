package items

import (
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// A deputy (代理) acting under a running delegation is recorded with both names:
// the timeline entry's actor is the deputy, and its changes carry on_behalf_of
// (the principal's id and name) for the decisions that were the principal's.

// leaderDecisions are the timeline actions that are the supervising leader's to take.
var leaderDecisions = []string{string(ActApprove), string(ActReject), string(ActApproveCompletion),
	string(ActRejectCompletion), "extension_approve", "extension_reject"}

// Behalf is the person a deputy acts for, as the timeline records it.
type Behalf struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// onBehalfOf returns whom p acts for when recording action on it, or nil when p
// acts in their own right.
func onBehalfOf(p *access.Principal, it *Item, action string, changes map[string]any) *Behalf {
	if p == nil || len(p.Deputizing) == 0 {
		return nil
	}
	if it.SupervisingLeaderID != nil && *it.SupervisingLeaderID != p.UserID && slices.Contains(leaderDecisions, action) {
		if d := p.DeputyFor(*it.SupervisingLeaderID); d != nil && d.Leader {
			return &Behalf{ID: d.PrincipalID, Name: d.PrincipalName}
		}
	}
	if action == string(ActAccept) || action == string(ActReturn) {
		if c, ok := changes["assignment"].(change); ok {
			if m, ok := c.To.(map[string]any); ok {
				if u, ok := m["unit_id"].(uuid.UUID); ok {
					if d := p.HeadDeputyFor(u); d != nil {
						return &Behalf{ID: d.PrincipalID, Name: d.PrincipalName}
					}
				}
			}
		}
	}
	return nil
}
