package items_test

import (
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
)

// TestCanAddSubItem: the add_sub_item action follows who may create items at all
// and whether the parent is still open, the same test Create applies to parent_id.
func TestCanAddSubItem(t *testing.T) {
	t.Parallel()
	member := &access.Principal{Roles: []access.Role{access.RoleMember}}
	readOnly := &access.Principal{Roles: []access.Role{access.RoleSupervisor}, TokenScopes: []string{access.ScopeRead}}
	for _, c := range []struct {
		name  string
		p     *access.Principal
		state items.State
		want  bool
	}{
		{"member, in progress", member, items.StateInProgress, true},
		{"member, draft", member, items.StateDraft, true},
		{"supervisor, suspended", &access.Principal{Roles: []access.Role{access.RoleSupervisor}}, items.StateSuspended, true},
		{"leader, approved", &access.Principal{Roles: []access.Role{access.RoleLeader}}, items.StateApproved, true},
		{"member, closed", member, items.StateClosed, false},
		{"member, archived", member, items.StateArchived, false},
		{"member, cancelled", member, items.StateCancelled, false},
		{"auditor", &access.Principal{Roles: []access.Role{access.RoleAuditor}}, items.StateInProgress, false},
		{"admin", &access.Principal{Roles: []access.Role{access.RoleAdmin}}, items.StateInProgress, false},
		{"read-only token", readOnly, items.StateInProgress, false},
	} {
		if got := items.CanAddSubItem(c.p, &items.Item{State: c.state}); got != c.want {
			t.Errorf("%s: CanAddSubItem = %v, want %v", c.name, got, c.want)
		}
	}
}
