package org

import "github.com/duban/duban/internal/access"

// Who may do what with org units.
//
// Everyone signed in reads the whole tree: pickers (lead unit, cooperating units,
// responsible people) need it and the tree holds nothing confidential. Only an
// admin changes it, and only with credentials that allow writing (a read-only API
// token does not).

// CanRead answers whether p may read units (list, tree, one unit).
func CanRead(p *access.Principal) access.Decision { return access.See(p != nil) }

// CanCreate answers whether p may create units.
func CanCreate(p *access.Principal) access.Decision {
	if d := CanRead(p); d != access.Allowed {
		return d
	}
	return access.Only(isAdminWriter(p))
}

// CanUpdate answers whether p may change u (fields, parent, head, liaisons).
func CanUpdate(p *access.Principal, u *Unit) access.Decision {
	if d := CanRead(p); d != access.Allowed || u == nil {
		return access.Invisible
	}
	return access.Only(isAdminWriter(p))
}

// CanDelete answers whether p may delete u. Whether u is still in use is a matter of
// state (409), not of permission.
func CanDelete(p *access.Principal, u *Unit) access.Decision {
	if d := CanRead(p); d != access.Allowed || u == nil {
		return access.Invisible
	}
	return access.Only(isAdminWriter(p))
}

// Actions lists what p may do with u, for `allowed_actions`.
func Actions(p *access.Principal, u *Unit) []string {
	return access.Actions(map[string]bool{
		"update": CanUpdate(p, u) == access.Allowed,
		"delete": CanDelete(p, u) == access.Allowed,
	})
}

func isAdminWriter(p *access.Principal) bool { return p.Has(access.RoleAdmin) && p.CanWrite() }
