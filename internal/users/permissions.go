package users

import (
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
)

// Who sees and changes user accounts.
//
//   - An admin sees every account, active or not, with every field, and is the only
//     one who creates or changes accounts (with credentials that allow writing).
//   - Everyone else sees the directory that pickers need (lead unit's responsible
//     person, supervising leader, ...): active users only, and only the public
//     fields id, username, display_name, org_unit_id, org_unit_name, roles, title
//     and active. Email, phone, account state and timestamps stay hidden.
//   - The list (GET /users, for pickers) is cut by supervision scope: a user of the
//     group's scope (HQ) lists every active user, since HQ assigns items to
//     enterprises and names their people; a user of an enterprise lists their own
//     enterprise and HQ (leaders, the group's supervision office), never another
//     enterprise's staff.
//   - One account by id (GET /users/{id}, to put a name to an id the caller already
//     holds, e.g. the responsible person of another enterprise cooperating on an
//     item) shows the same directory fields of any active user of the group.
//   - Everyone sees their own account in full (GET /users/{id} with their own id);
//     they change their password through /me/password, not here.

// Visibility is the part of the directory a caller may see, as a SQL condition.
type Visibility struct {
	// Everything: every account, inactive ones too (admins).
	Everything bool
	// Scopes limits a non-admin to active users of these scopes; nil means every
	// scope.
	Scopes []uuid.UUID
}

// VisibilityOf computes the visibility of p given the root group's scope.
func VisibilityOf(p *access.Principal, root uuid.UUID) Visibility {
	if p.Has(access.RoleAdmin) {
		return Visibility{Everything: true}
	}
	if p == nil || p.ScopeID == root || root == uuid.Nil {
		return Visibility{}
	}
	return Visibility{Scopes: []uuid.UUID{p.ScopeID, root}}
}

// apply adds the visibility to a query over users.
func (v Visibility) apply(q *gorm.DB) *gorm.DB {
	if v.Everything {
		return q
	}
	q = q.Where("users.active = ?", true)
	if v.Scopes != nil {
		q = q.Where("users.org_unit_id IN (SELECT id FROM org_units WHERE scope_id IN ?)", v.Scopes)
	}
	return q
}

// CanSee answers whether p may read the account a by its id: admins every
// account, everyone their own and any active one (directory fields only, see
// FullView). The list is narrower: see Visibility.
func CanSee(p *access.Principal, a *Account, v Visibility) access.Decision {
	switch {
	case p == nil || a == nil:
		return access.Invisible
	case v.Everything || p.UserID == a.ID:
		return access.Allowed
	}
	return access.See(a.Active)
}

// FullView reports whether p sees every field of a (admin, or a is p).
func FullView(p *access.Principal, a *Account) bool {
	return p != nil && a != nil && (p.Has(access.RoleAdmin) || p.UserID == a.ID)
}

// CanCreate answers whether p may create accounts.
func CanCreate(p *access.Principal) access.Decision {
	if p == nil {
		return access.Invisible
	}
	return access.Only(isAdminWriter(p))
}

// CanUpdate answers whether p may change a.
func CanUpdate(p *access.Principal, a *Account, v Visibility) access.Decision {
	if d := CanSee(p, a, v); d != access.Allowed {
		return d
	}
	return access.Only(isAdminWriter(p))
}

// Actions lists what p may do with a, for `allowed_actions`.
func Actions(p *access.Principal, a *Account, v Visibility) []string {
	return access.Actions(map[string]bool{"update": CanUpdate(p, a, v) == access.Allowed})
}

func isAdminWriter(p *access.Principal) bool { return p.Has(access.RoleAdmin) && p.CanWrite() }
