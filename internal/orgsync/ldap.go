package orgsync

import (
	"fmt"
	"strings"

	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/directory"
	"github.com/duban/duban/internal/org"
)

// fromDirectory turns what the directory holds into the desired state: units by
// DN (their parent is the nearest unit above), people in the unit that holds their
// entry, roles from the mapped groups (only the mapped roles; the others stay as
// Duban's admins set them). People are matched by the entry's id, and the first
// time by the configured field. Whom the directory no longer lists, among those it
// keeps, is deactivated.
func fromDirectory(snap *directory.Snapshot, dir *directory.Client, cfg config.LDAP) (*Desired, []string) {
	d := &Desired{Source: SourceLDAP, DeactivateMissing: true, MatchField: cfg.MatchField}
	var warnings []string
	for i, u := range snap.Units {
		id := u.ID
		if id == "" {
			id = u.DN
		}
		d.Units = append(d.Units, UnitSpec{Key: u.DN, ParentKey: u.ParentDN, Name: u.Name, Kind: org.Kind(u.Kind),
			ExternalID: id, Row: i + 1})
	}
	managed := dir.ManagedRoles()
	opt := func(field, v string) *string {
		if cfg.UserAttrs[field] == "" {
			return nil
		}
		return &v
	}
	for i, m := range snap.People {
		id := m.ID
		if id == "" {
			id = m.DN
		}
		if m.UnitDN == "" {
			warnings = append(warnings, fmt.Sprintf("%s is under no unit of DUBAN_LDAP_UNIT_BASE_DN; skipped", m.DN))
			continue
		}
		name := m.DisplayName
		if name == "" {
			name = m.Username
		}
		s := UserSpec{Key: id, EmployeeNo: m.EmployeeNo, Username: strings.ToLower(m.Username), DisplayName: name,
			UnitKey: m.UnitDN, Email: opt("email", m.Email), Phone: opt("phone", m.Phone), Title: opt("title", m.Title),
			Active: true, ExternalID: id, Row: i + 1}
		if len(managed) > 0 {
			s.Roles, s.Managed = m.Roles, managed
		}
		d.Users = append(d.Users, s)
	}
	return d, warnings
}
