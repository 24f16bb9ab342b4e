package orgsync

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/users"
)

// engine compares a desired state with the database and plans the differences.
// It works on the whole organisation in memory: thousands of people are a few
// megabytes, and every rule (tree shape, heads within their unit, the last admin)
// is checked on the state as it will be after the change.
type engine struct {
	d     *Desired
	actor *access.Principal

	// before and after, by id
	unitsBefore map[uuid.UUID]org.Unit
	units       map[uuid.UUID]*org.Unit
	newUnits    []uuid.UUID // in insertion order (parents first)
	usersBefore map[uuid.UUID]users.User
	users       map[uuid.UUID]*users.User
	newUsers    []uuid.UUID
	rolesBefore map[uuid.UUID][]string
	roles       map[uuid.UUID][]string
	// liaisons by unit
	liaisonsBefore map[uuid.UUID][]uuid.UUID
	liaisons       map[uuid.UUID][]uuid.UUID

	// what the source names
	unitOf    map[string]uuid.UUID // spec key → unit
	unitSpec  map[uuid.UUID]*UnitSpec
	userOf    map[string]uuid.UUID // spec key → user
	userSpec  map[uuid.UUID]*UserSpec
	badUnits  map[string]bool // keys of units with errors
	skipUsers map[int]bool    // indexes of users dropped (directory)

	errs     []RowError
	warnings []string
}

// load reads the whole organisation.
func load(ctx context.Context, db *database.DB, d *Desired, actor *access.Principal) (*engine, error) {
	e := &engine{d: d, actor: actor,
		unitsBefore: map[uuid.UUID]org.Unit{}, units: map[uuid.UUID]*org.Unit{},
		usersBefore: map[uuid.UUID]users.User{}, users: map[uuid.UUID]*users.User{},
		rolesBefore: map[uuid.UUID][]string{}, roles: map[uuid.UUID][]string{},
		liaisonsBefore: map[uuid.UUID][]uuid.UUID{}, liaisons: map[uuid.UUID][]uuid.UUID{},
		unitOf: map[string]uuid.UUID{}, unitSpec: map[uuid.UUID]*UnitSpec{},
		userOf: map[string]uuid.UUID{}, userSpec: map[uuid.UUID]*UserSpec{},
		badUnits: map[string]bool{}, skipUsers: map[int]bool{},
	}
	conn := db.Conn(ctx)
	var us []org.Unit
	if err := conn.Order("created_at, id").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for _, u := range us {
		e.unitsBefore[u.ID] = u
		c := u
		e.units[u.ID] = &c
	}
	var ls []org.Liaison
	if err := conn.Find(&ls).Error; err != nil {
		return nil, fmt.Errorf("load liaisons: %w", err)
	}
	for _, l := range ls {
		e.liaisonsBefore[l.OrgUnitID] = append(e.liaisonsBefore[l.OrgUnitID], l.UserID)
		e.liaisons[l.OrgUnitID] = append(e.liaisons[l.OrgUnitID], l.UserID)
	}
	var ps []users.User
	if err := conn.Order("created_at, id").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	for _, p := range ps {
		e.usersBefore[p.ID] = p
		c := p
		e.users[p.ID] = &c
	}
	var rs []users.UserRole
	if err := conn.Order("user_id, role").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	for _, r := range rs {
		e.rolesBefore[r.UserID] = append(e.rolesBefore[r.UserID], r.Role)
		e.roles[r.UserID] = append(e.roles[r.UserID], r.Role)
	}
	return e, nil
}

func (e *engine) fail(sheet string, row int, field, value, rule, msg string) {
	e.errs = append(e.errs, RowError{Sheet: sheet, Row: row, Column: e.columnOf(sheet, field), Field: field,
		Value: value, Rule: rule, Message: msg})
}

// plan runs every step; the errors and the final state are in e.
func (e *engine) plan() {
	e.planUnits()
	e.planUsers()
	e.planPosts()
	e.checkAdmins()
}

// ---- units ----------------------------------------------------------------

func (e *engine) planUnits() {
	byCode, byExt := map[string]uuid.UUID{}, map[string]uuid.UUID{}
	var root *org.Unit
	for _, u := range e.unitsBefore {
		if u.Code != nil {
			byCode[*u.Code] = u.ID
		}
		if u.ExternalID != nil && u.Source == e.d.Source {
			byExt[*u.ExternalID] = u.ID
		}
		if u.ParentID == nil && u.Kind == org.KindGroup {
			r := u
			root = &r
		}
	}
	specs := map[string]*UnitSpec{}
	for i := range e.d.Units {
		s := &e.d.Units[i]
		if s.Key == "" {
			continue // reported by the reader
		}
		if prev, dup := specs[s.Key]; dup {
			e.fail(SheetUnits, s.Row, "code", s.Key, "unique", fmt.Sprintf("the code is already used in row %d", prev.Row))
			e.badUnits[s.Key] = true
			continue
		}
		specs[s.Key] = s
		// Known already by its key?
		var id uuid.UUID
		if e.d.Source == SourceLDAP {
			id = byExt[s.ExternalID]
		} else {
			id = byCode[s.Key]
		}
		if id != uuid.Nil {
			e.unitOf[s.Key] = id
		}
	}
	// Resolve parents top-down, adopting existing units by name where the key is new.
	var resolve func(s *UnitSpec, depth int) uuid.UUID
	resolve = func(s *UnitSpec, depth int) uuid.UUID {
		if id, ok := e.unitOf[s.Key]; ok {
			return id
		}
		if depth > len(specs)+1 {
			return uuid.Nil // a cycle; reported below
		}
		var parent *uuid.UUID
		switch {
		case s.ParentKey == "":
		case specs[s.ParentKey] != nil:
			p := resolve(specs[s.ParentKey], depth+1)
			if p == uuid.Nil {
				return uuid.Nil
			}
			parent = &p
		case e.d.Source == SourceImport && byCode[s.ParentKey] != uuid.Nil:
			p := byCode[s.ParentKey]
			parent = &p
		default:
			return uuid.Nil
		}
		id := e.adopt(s, parent, root)
		if id == uuid.Nil {
			id = uuid.Must(uuid.NewV7())
			e.units[id] = &org.Unit{ID: id, Version: 0}
			e.newUnits = append(e.newUnits, id)
		}
		e.unitOf[s.Key] = id
		return id
	}
	for i := range e.d.Units {
		s := &e.d.Units[i]
		if s.Key == "" || specs[s.Key] != s {
			continue
		}
		if resolve(s, 0) == uuid.Nil {
			e.badUnits[s.Key] = true
			rule, msg := chainProblem(s, specs, byCode, e.d.Source)
			e.fail(SheetUnits, s.Row, "parent_code", s.ParentKey, rule, msg)
		}
	}
	// Apply the specs to the final state.
	for i := range e.d.Units {
		s := &e.d.Units[i]
		id, ok := e.unitOf[s.Key]
		if !ok || specs[s.Key] != s || e.badUnits[s.Key] {
			continue
		}
		u := e.units[id]
		e.unitSpec[id] = s
		u.Name, u.ShortName, u.Kind = s.Name, s.ShortName, s.Kind
		u.ParentID = nil
		if s.ParentKey != "" {
			var p uuid.UUID
			if pid, ok := e.unitOf[s.ParentKey]; ok {
				p = pid
			} else {
				p = byCode[s.ParentKey]
			}
			u.ParentID = &p
		}
		if s.IsSupervisionOffice != nil {
			u.IsSupervisionOffice = *s.IsSupervisionOffice
		}
		if s.SortOrder != nil {
			u.SortOrder = *s.SortOrder
		}
		u.Source = e.d.Source
		if e.d.Source == SourceImport {
			code := s.Key
			u.Code = &code
		}
		if s.ExternalID != "" {
			ext := s.ExternalID
			u.ExternalID = &ext
		}
	}
	e.checkTree()
}

// chainProblem says why a unit's parent chain does not reach a known unit: a
// parent that exists nowhere, or a loop.
func chainProblem(s *UnitSpec, specs map[string]*UnitSpec, byCode map[string]uuid.UUID, source string) (rule, msg string) {
	seen := map[string]bool{s.Key: true}
	for cur := s; ; {
		p := cur.ParentKey
		switch {
		case specs[p] == nil && (source != SourceImport || byCode[p] == uuid.Nil):
			if cur == s {
				return "exists", "no unit has this code (in the file or in Duban)"
			}
			return "exists", fmt.Sprintf("the parent chain reaches %s, which no unit has as its code", p)
		case seen[p]:
			return "cycle", "the parent chain loops back to this unit"
		case specs[p] == nil:
			return "exists", "the parent unit cannot be placed"
		}
		seen[p] = true
		cur = specs[p]
	}
}

// adopt finds an existing unit the source does not know yet by its key: the root
// for the group, else one of the same name under the same parent that no source
// claims yet.
func (e *engine) adopt(s *UnitSpec, parent *uuid.UUID, root *org.Unit) uuid.UUID {
	claimed := func(id uuid.UUID) bool {
		for _, v := range e.unitOf {
			if v == id {
				return true
			}
		}
		return false
	}
	if parent == nil && s.Kind == org.KindGroup && root != nil && !claimed(root.ID) {
		return root.ID
	}
	for _, u := range e.unitsBefore {
		if u.Name != s.Name || !sameParent(u.ParentID, parent) || claimed(u.ID) {
			continue
		}
		if (e.d.Source == SourceImport && u.Code == nil) || (e.d.Source == SourceLDAP && u.ExternalID == nil) {
			return u.ID
		}
	}
	return uuid.Nil
}

func sameParent(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// checkTree validates the final tree: one group at the root, kinds under the
// right parents, no cycles, sibling names unique. A unit the source names gets the
// error on its row; a unit it does not name, on the row of the unit that changed
// under or above it.
func (e *engine) checkTree() {
	groups := 0
	for _, u := range e.units {
		if u.Kind == org.KindGroup {
			groups++
		}
	}
	siblings := map[string]uuid.UUID{}
	ids := make([]uuid.UUID, 0, len(e.units))
	for id := range e.units {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	for _, id := range ids {
		u := e.units[id]
		s := e.unitSpec[id]
		if u.Kind == "" {
			continue // a new unit whose spec had errors
		}
		report := func(field, rule, msg string) {
			if s != nil {
				e.fail(SheetUnits, s.Row, field, fieldValue(s, field), rule, msg)
				e.badUnits[s.Key] = true
				return
			}
			if u.ParentID != nil {
				if ps := e.unitSpec[*u.ParentID]; ps != nil {
					e.fail(SheetUnits, ps.Row, "kind", string(ps.Kind), "children",
						fmt.Sprintf("the unit %s under it would no longer fit: %s", u.Name, msg))
					e.badUnits[ps.Key] = true
					return
				}
			}
			e.warnings = append(e.warnings, fmt.Sprintf("unit %s: %s", u.Name, msg))
		}
		var parent *org.Unit
		if u.ParentID != nil {
			parent = e.units[*u.ParentID]
		}
		switch u.Kind {
		case org.KindGroup:
			if parent != nil {
				report("parent_code", "root", "the group is the root and has no parent")
			} else if groups > 1 {
				report("kind", "root", "there is already a group (the root unit); there can be only one")
			}
		case org.KindEnterprise:
			if parent == nil {
				report("parent_code", "required", "is required: an enterprise belongs to the group")
			} else if parent.Kind != org.KindGroup {
				report("parent_code", "parent_kind", "an enterprise's parent must be the group")
			}
		case org.KindDepartment:
			if parent == nil {
				report("parent_code", "required", "is required: a department belongs to the group or an enterprise")
			} else if parent.Kind == org.KindDepartment {
				report("parent_code", "parent_kind", "a department's parent must be the group or an enterprise (departments do not nest)")
			}
		}
		k := ""
		if u.ParentID != nil {
			k = u.ParentID.String()
		}
		k += "/" + u.Name
		if other, taken := siblings[k]; taken && s != nil {
			if os := e.unitSpec[other]; os != nil {
				report("name", "unique", fmt.Sprintf("row %d has a unit of the same name under the same parent", os.Row))
			} else {
				report("name", "unique", "another unit under the same parent has this name")
			}
		} else if !taken {
			siblings[k] = id
		}
	}
}

// subtrees maps every unit of the final tree to the set of units under it
// (itself included).
func (e *engine) subtrees() map[uuid.UUID]map[uuid.UUID]bool {
	out := map[uuid.UUID]map[uuid.UUID]bool{}
	for id := range e.units {
		seen := map[uuid.UUID]bool{}
		for cur := &id; cur != nil && !seen[*cur]; {
			seen[*cur] = true
			if out[*cur] == nil {
				out[*cur] = map[uuid.UUID]bool{}
			}
			out[*cur][id] = true
			u := e.units[*cur]
			if u == nil {
				break
			}
			cur = u.ParentID
		}
	}
	return out
}

// scopes computes every unit's supervision scope in the final tree.
func (e *engine) scopes() {
	var scope func(id uuid.UUID, depth int) uuid.UUID
	scope = func(id uuid.UUID, depth int) uuid.UUID {
		u := e.units[id]
		if u == nil || depth > len(e.units) {
			return uuid.Nil
		}
		if u.Kind.IsScope() || u.ParentID == nil {
			return id
		}
		return scope(*u.ParentID, depth+1)
	}
	for id, u := range e.units {
		u.ScopeID = scope(id, 0)
	}
}

func fieldValue(s *UnitSpec, field string) string {
	switch field {
	case "parent_code":
		return s.ParentKey
	case "kind":
		return string(s.Kind)
	case "name":
		return s.Name
	}
	return ""
}
