package orgsync

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/users"
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,64}$`)

// planUsers matches the source's people with the accounts, checks them and puts
// them in the final state.
func (e *engine) planUsers() {
	byEmp, byExt, byName, byMail := map[string]uuid.UUID{}, map[string]uuid.UUID{}, map[string]uuid.UUID{}, map[string][]uuid.UUID{}
	for _, u := range e.usersBefore {
		if u.EmployeeNo != nil {
			byEmp[*u.EmployeeNo] = u.ID
		}
		if u.ExternalID != nil && u.Source == e.d.Source {
			byExt[*u.ExternalID] = u.ID
		}
		byName[strings.ToLower(u.Username)] = u.ID
		if u.Email != "" {
			m := strings.ToLower(u.Email)
			byMail[m] = append(byMail[m], u.ID)
		}
	}
	protected := func(id uuid.UUID) bool {
		u, ok := e.usersBefore[id]
		return ok && slices.Contains(e.d.Protected, strings.ToLower(u.Username))
	}
	claimed := map[uuid.UUID]int{} // user → row that claims them
	seenKey, seenName := map[string]int{}, map[string]int{}
	for i := range e.d.Users {
		s := &e.d.Users[i]
		if s.Key == "" {
			e.checkUser(s) // the missing key is reported by the reader
			continue
		}
		if r, dup := seenKey[s.Key]; dup {
			e.fail(SheetUsers, s.Row, "employee_no", s.Key, "unique", fmt.Sprintf("the employee number is already used in row %d", r))
			continue
		}
		seenKey[s.Key] = s.Row
		name := strings.ToLower(strings.TrimSpace(s.Username))
		if r, dup := seenName[name]; dup && name != "" {
			e.fail(SheetUsers, s.Row, "username", s.Username, "unique", fmt.Sprintf("the username is already used in row %d", r))
			continue
		}
		seenName[name] = s.Row
		// Who is it?
		var id uuid.UUID
		switch e.d.Source {
		case SourceLDAP:
			id = byExt[s.ExternalID]
			if id == uuid.Nil {
				id = e.matchByField(s, byEmp, byName, byMail)
			}
		default:
			id = byEmp[s.EmployeeNo]
			if id == uuid.Nil {
				// An account made by hand before the import: adopt it by username.
				if cand := byName[name]; cand != uuid.Nil && e.usersBefore[cand].EmployeeNo == nil {
					id = cand
				}
			}
		}
		if id != uuid.Nil && protected(id) {
			e.fail(SheetUsers, s.Row, "username", s.Username, "protected",
				"this is the break-glass account; the source may not manage it")
			continue
		}
		if r, dup := claimed[id]; dup && id != uuid.Nil {
			e.fail(SheetUsers, s.Row, "employee_no", s.Key, "unique", fmt.Sprintf("row %d names the same person", r))
			continue
		}
		if !e.checkUser(s) {
			continue
		}
		// The username must stay unique: taken by someone else?
		if other := byName[name]; other != uuid.Nil && other != id {
			if r, ok := claimed[other]; ok {
				e.fail(SheetUsers, s.Row, "username", s.Username, "unique", fmt.Sprintf("row %d's person has this username", r))
			} else {
				e.fail(SheetUsers, s.Row, "username", s.Username, "unique", "another account has this username")
			}
			continue
		}
		if other := byEmp[s.EmployeeNo]; s.EmployeeNo != "" && other != uuid.Nil && other != id {
			e.fail(SheetUsers, s.Row, "employee_no", s.EmployeeNo, "unique", "another account has this employee number")
			continue
		}
		unit, ok := e.unitOf[s.UnitKey]
		if !ok || e.badUnits[s.UnitKey] {
			if e.badUnits[s.UnitKey] {
				e.fail(SheetUsers, s.Row, "unit_code", s.UnitKey, "exists", "the unit has errors in the units sheet")
			} else if u := e.unitByCode(s.UnitKey); u != uuid.Nil {
				unit, ok = u, true
			} else {
				e.fail(SheetUsers, s.Row, "unit_code", s.UnitKey, "exists", "no unit has this code (in the file or in Duban)")
			}
			if !ok {
				continue
			}
		}
		if id == uuid.Nil {
			id = uuid.Must(uuid.NewV7())
			e.users[id] = &users.User{ID: id, Active: true}
			e.newUsers = append(e.newUsers, id)
		}
		claimed[id] = s.Row
		e.userOf[s.Key] = id
		e.userSpec[id] = s
		e.applyUser(e.users[id], s, unit)
	}
	if !e.d.DeactivateMissing {
		return
	}
	for id, u := range e.users {
		before, existed := e.usersBefore[id]
		if !existed || claimed[id] != 0 || before.Source != e.d.Source || !u.Active || protected(id) {
			continue
		}
		u.Active = false
	}
}

// matchByField finds a directory person's existing account by the configured
// field; only accounts no directory entry claims yet qualify.
func (e *engine) matchByField(s *UserSpec, byEmp, byName map[string]uuid.UUID, byMail map[string][]uuid.UUID) uuid.UUID {
	var id uuid.UUID
	switch e.d.MatchField {
	case "employee_no":
		if s.EmployeeNo != "" {
			id = byEmp[s.EmployeeNo]
		}
	case "email":
		if s.Email != nil {
			if ids := byMail[strings.ToLower(*s.Email)]; len(ids) == 1 {
				id = ids[0]
			}
		}
	default:
		id = byName[strings.ToLower(s.Username)]
	}
	if id == uuid.Nil {
		return id
	}
	if u := e.usersBefore[id]; u.ExternalID != nil && u.Source == SourceLDAP {
		return uuid.Nil // another entry's account
	}
	return id
}

func (e *engine) unitByCode(code string) uuid.UUID {
	if e.d.Source != SourceImport || code == "" {
		return uuid.Nil
	}
	for id, u := range e.units {
		if u.Code != nil && *u.Code == code {
			return id
		}
	}
	return uuid.Nil
}

// checkUser validates a person's fields.
func (e *engine) checkUser(s *UserSpec) bool {
	n := len(e.errs)
	s.Username = strings.TrimSpace(s.Username)
	s.DisplayName = strings.TrimSpace(s.DisplayName)
	if !usernamePattern.MatchString(s.Username) {
		e.fail(SheetUsers, s.Row, "username", s.Username, "pattern", "must be 3 to 64 characters of a-z, 0-9, dot, underscore and hyphen")
	}
	switch l := utf8.RuneCountInString(s.DisplayName); {
	case l == 0:
		e.fail(SheetUsers, s.Row, "display_name", "", "required", "is required")
	case l > 100:
		e.fail(SheetUsers, s.Row, "display_name", s.DisplayName, "max", "must be at most 100 characters")
	}
	if utf8.RuneCountInString(s.EmployeeNo) > 64 {
		e.fail(SheetUsers, s.Row, "employee_no", s.EmployeeNo, "max", "must be at most 64 characters")
	}
	if s.Email != nil && *s.Email != "" {
		a, err := mail.ParseAddress(*s.Email)
		if err != nil || a.Address != *s.Email || len(*s.Email) > 200 {
			e.fail(SheetUsers, s.Row, "email", *s.Email, "email", "must be an email address")
		}
	}
	if s.Phone != nil && utf8.RuneCountInString(*s.Phone) > 50 {
		e.fail(SheetUsers, s.Row, "phone", *s.Phone, "max", "must be at most 50 characters")
	}
	if s.Title != nil && utf8.RuneCountInString(*s.Title) > 100 {
		e.fail(SheetUsers, s.Row, "title", *s.Title, "max", "must be at most 100 characters")
	}
	for _, r := range s.Roles {
		if !access.ValidRole(r) {
			e.fail(SheetUsers, s.Row, "roles", r, "oneof", "unknown role; use admin, supervisor, leader, member, auditor (管理员, 督办员, 领导, 成员, 审计)")
			break
		}
	}
	return len(e.errs) == n
}

// applyUser puts a person's wanted fields into the final state.
func (e *engine) applyUser(u *users.User, s *UserSpec, unit uuid.UUID) {
	u.Username, u.DisplayName, u.OrgUnitID = s.Username, s.DisplayName, unit
	if s.EmployeeNo != "" {
		no := s.EmployeeNo
		u.EmployeeNo = &no
	}
	if s.Email != nil {
		u.Email = *s.Email
	}
	if s.Phone != nil {
		u.Phone = *s.Phone
	}
	if s.Title != nil {
		u.Title = *s.Title
	}
	u.Active = s.Active
	u.Source = e.d.Source
	if s.ExternalID != "" {
		ext := s.ExternalID
		u.ExternalID = &ext
	}
	if s.Roles == nil {
		return
	}
	next := []string{}
	for _, r := range e.roles[u.ID] {
		if s.Managed != nil && !slices.Contains(s.Managed, r) {
			next = append(next, r)
		}
	}
	for _, r := range s.Roles {
		if !slices.Contains(next, r) {
			next = append(next, r)
		}
	}
	if len(next) == 0 {
		next = []string{string(access.RoleMember)}
	}
	slices.Sort(next)
	e.roles[u.ID] = next
}

// checkAdmins keeps at least one active admin (where there was one), and keeps
// the acting admin one.
func (e *engine) checkAdmins() {
	admin := string(access.RoleAdmin)
	before, after := 0, 0
	for id, u := range e.users {
		if u.Active && slices.Contains(e.roles[id], admin) {
			after++
		}
		if b, ok := e.usersBefore[id]; ok && b.Active && slices.Contains(e.rolesBefore[id], admin) {
			before++
		}
	}
	if before > 0 && after == 0 {
		e.fail(SheetUsers, 0, "roles", "", "last_admin", "after this change no active admin would be left")
	}
	if e.actor == nil || e.actor.UserID == uuid.Nil {
		return
	}
	me := e.users[e.actor.UserID]
	if me == nil || !slices.Contains(e.rolesBefore[me.ID], admin) {
		return
	}
	if s := e.userSpec[me.ID]; s != nil && (!me.Active || !slices.Contains(e.roles[me.ID], admin)) {
		e.fail(SheetUsers, s.Row, "roles", strings.Join(s.Roles, ","), "self_lockout",
			"this row is you: you cannot deactivate yourself or remove your own admin role")
	} else if !me.Active {
		e.fail(SheetUsers, 0, "employee_no", "", "self_lockout", "you are not in the file and would be deactivated")
	}
}
