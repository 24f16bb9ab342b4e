package orgsync

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/users"
)

// planPosts sets the heads and liaisons the source names, then ends every post
// whose holder no longer fits (deactivated, or moved out of the unit's subtree),
// as a hand-made change of the person would.
func (e *engine) planPosts() {
	sub := e.subtrees()
	byEmp := map[string]uuid.UUID{}
	for id, u := range e.users {
		if u.EmployeeNo != nil {
			byEmp[*u.EmployeeNo] = id
		}
	}
	fits := func(user, unit uuid.UUID) bool {
		u := e.users[user]
		return u != nil && u.Active && sub[unit][u.OrgUnitID]
	}
	const who = "must be an active person of this unit or of a unit under it"
	for id, s := range e.unitSpec {
		if s.HeadKey != nil {
			switch key := *s.HeadKey; {
			case key == "":
				e.units[id].HeadUserID = nil
			case byEmp[key] == uuid.Nil:
				e.fail(SheetUnits, s.Row, "head", key, "exists", "no person has this employee number (in the file or in Duban)")
			case !fits(byEmp[key], id):
				e.fail(SheetUnits, s.Row, "head", key, "member", who)
			default:
				h := byEmp[key]
				e.units[id].HeadUserID = &h
			}
		}
		if s.LiaisonKeys != nil {
			var ls []uuid.UUID
			for _, key := range s.LiaisonKeys {
				switch {
				case byEmp[key] == uuid.Nil:
					e.fail(SheetUnits, s.Row, "liaisons", key, "exists", "no person has this employee number (in the file or in Duban)")
				case !fits(byEmp[key], id):
					e.fail(SheetUnits, s.Row, "liaisons", key, "member", key+" "+who)
				case !slices.Contains(ls, byEmp[key]):
					ls = append(ls, byEmp[key])
				}
			}
			if len(ls) > 20 {
				e.fail(SheetUnits, s.Row, "liaisons", strings.Join(s.LiaisonKeys, ","), "max", "at most 20 liaisons")
			}
			e.liaisons[id] = ls
		}
	}
	// Posts the source does not name: release holders who no longer fit.
	for id, u := range e.units {
		if u.HeadUserID != nil && !fits(*u.HeadUserID, id) {
			if s := e.unitSpec[id]; s != nil && s.HeadKey != nil {
				continue // reported above
			}
			u.HeadUserID = nil
		}
		if ls := e.liaisons[id]; len(ls) > 0 {
			keep := ls[:0:0]
			for _, l := range ls {
				if fits(l, id) {
					keep = append(keep, l)
				}
			}
			e.liaisons[id] = keep
		}
	}
}

// diff lists the differences between before and after, and counts them.
func (e *engine) diff(r *Report) {
	isNewUnit := map[uuid.UUID]bool{}
	for _, id := range e.newUnits {
		isNewUnit[id] = true
	}
	for _, id := range e.orderedUnits() {
		u := e.units[id]
		s := e.unitSpec[id]
		key, row := unitKey(u), 0
		if s != nil {
			key, row = s.Key, s.Row
		}
		if isNewUnit[id] {
			r.Units.Created++
			r.Changes = append(r.Changes, Change{Entity: "unit", Action: "create", Key: key, Name: u.Name, Row: row})
			continue
		}
		fields := e.unitFields(id)
		if len(fields) == 0 {
			if s != nil {
				r.Units.Unchanged++
			}
			continue
		}
		r.Units.Updated++
		r.Changes = append(r.Changes, Change{Entity: "unit", Action: "update", Key: key, Name: u.Name, Fields: fields, Row: row})
	}
	isNewUser := map[uuid.UUID]bool{}
	for _, id := range e.newUsers {
		isNewUser[id] = true
	}
	for _, id := range e.orderedUsers() {
		u := e.users[id]
		s := e.userSpec[id]
		key, row := userKey(u), 0
		if s != nil {
			key, row = s.Key, s.Row
		}
		if isNewUser[id] {
			r.Users.Created++
			r.Changes = append(r.Changes, Change{Entity: "user", Action: "create", Key: key, Name: u.DisplayName, Row: row})
			continue
		}
		before := e.usersBefore[id]
		fields := e.userFields(id)
		action := "update"
		switch {
		case len(fields) == 0:
			if s != nil {
				r.Users.Unchanged++
			}
			continue
		case before.Active && !u.Active:
			action = "deactivate"
			r.Users.Deactivated++
		case !before.Active && u.Active:
			action = "reactivate"
			r.Users.Reactivated++
		default:
			r.Users.Updated++
		}
		r.Changes = append(r.Changes, Change{Entity: "user", Action: action, Key: key, Name: u.DisplayName, Fields: fields, Row: row})
	}
}

// unitFields names what changed of an existing unit.
func (e *engine) unitFields(id uuid.UUID) []string {
	b, a := e.unitsBefore[id], e.units[id]
	var f []string
	add := func(name string, differs bool) {
		if differs {
			f = append(f, name)
		}
	}
	add("name", a.Name != b.Name)
	add("short_name", a.ShortName != b.ShortName)
	add("kind", a.Kind != b.Kind)
	add("parent_id", !sameParent(a.ParentID, b.ParentID))
	add("is_supervision_office", a.IsSupervisionOffice != b.IsSupervisionOffice)
	add("sort_order", a.SortOrder != b.SortOrder)
	add("code", !sameStr(a.Code, b.Code))
	add("external_id", !sameStr(a.ExternalID, b.ExternalID))
	add("source", a.Source != b.Source)
	add("head_user_id", !sameParent(a.HeadUserID, b.HeadUserID))
	add("liaison_user_ids", !sameSet(e.liaisons[id], e.liaisonsBefore[id]))
	return f
}

// userFields names what changed of an existing person.
func (e *engine) userFields(id uuid.UUID) []string {
	b, a := e.usersBefore[id], e.users[id]
	var f []string
	add := func(name string, differs bool) {
		if differs {
			f = append(f, name)
		}
	}
	add("username", a.Username != b.Username)
	add("display_name", a.DisplayName != b.DisplayName)
	add("employee_no", !sameStr(a.EmployeeNo, b.EmployeeNo))
	add("org_unit_id", a.OrgUnitID != b.OrgUnitID)
	add("email", a.Email != b.Email)
	add("phone", a.Phone != b.Phone)
	add("title", a.Title != b.Title)
	add("active", a.Active != b.Active)
	add("external_id", !sameStr(a.ExternalID, b.ExternalID))
	add("source", a.Source != b.Source)
	add("roles", !slices.Equal(e.roles[id], e.rolesBefore[id]))
	return f
}

func (e *engine) orderedUnits() []uuid.UUID {
	ids := make([]uuid.UUID, 0, len(e.units))
	for id := range e.units {
		ids = append(ids, id)
	}
	row := func(id uuid.UUID) int {
		if s := e.unitSpec[id]; s != nil {
			return s.Row
		}
		return 1 << 30
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int {
		if d := row(a) - row(b); d != 0 {
			return d
		}
		return strings.Compare(a.String(), b.String())
	})
	return ids
}

func (e *engine) orderedUsers() []uuid.UUID {
	ids := make([]uuid.UUID, 0, len(e.users))
	for id := range e.users {
		ids = append(ids, id)
	}
	row := func(id uuid.UUID) int {
		if s := e.userSpec[id]; s != nil {
			return s.Row
		}
		return 1 << 30
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int {
		if d := row(a) - row(b); d != 0 {
			return d
		}
		return strings.Compare(e.users[a].Username, e.users[b].Username)
	})
	return ids
}

func unitKey(u *org.Unit) string {
	if u.Code != nil {
		return *u.Code
	}
	return u.Name
}

func userKey(u *users.User) string {
	if u.EmployeeNo != nil {
		return *u.EmployeeNo
	}
	return u.Username
}

func sameStr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameSet(a, b []uuid.UUID) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
