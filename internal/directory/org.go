package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// UnitEntry is a unit as the directory holds it.
type UnitEntry struct {
	DN string
	// DN and ParentDN (the unit above; empty for the base entry, the group) are
	// normalised (lower case) so they compare as strings, like Member.UnitDN.
	ParentDN string
	ID       string
	Name     string
	// Kind is group, enterprise or department; the base entry is the group, and
	// without DUBAN_LDAP_UNIT_KIND_ATTR the others are departments.
	Kind string
}

// Member is a person with the unit their entry sits in.
type Member struct {
	Person
	// UnitDN is the DN of the nearest unit above the person's entry; empty when
	// the entry is under no unit.
	UnitDN string
}

// Snapshot is the organisation as the directory holds it at one moment.
type Snapshot struct {
	Units  []UnitEntry
	People []Member
}

// kindWords maps the kind attribute's values to kinds.
var kindWords = map[string]string{
	"group": "group", "集团": "group", "集团公司": "group",
	"enterprise": "enterprise", "企业": "enterprise", "公司": "enterprise",
	"department": "department", "部门": "department",
}

// ReadOrg reads every unit under the unit base DN and every person under the user
// base DN (the user filter with {username} as *), with the roles their groups
// grant.
func (c *Client) ReadOrg(ctx context.Context) (*Snapshot, error) {
	if c.cfg.UnitBaseDN == "" {
		return nil, errors.New("the directory sync needs DUBAN_LDAP_UNIT_BASE_DN")
	}
	conn, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	snap := &Snapshot{}
	base, err := ldap.ParseDN(c.cfg.UnitBaseDN)
	if err != nil {
		return nil, fmt.Errorf("DUBAN_LDAP_UNIT_BASE_DN: %w", err)
	}
	unitAttrs := []string{c.cfg.IDAttr, c.cfg.UnitNameAttr}
	if c.cfg.UnitKindAttr != "" {
		unitAttrs = append(unitAttrs, c.cfg.UnitKindAttr)
	}
	// The base entry is the group whatever its object class.
	res, err := conn.Search(ldap.NewSearchRequest(c.cfg.UnitBaseDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
		1, int(Timeout/time.Second), false, "(objectClass=*)", unitAttrs, nil))
	if err != nil {
		return nil, fmt.Errorf("read the unit base %s: %w", c.cfg.UnitBaseDN, err)
	}
	if len(res.Entries) == 1 {
		u := c.unit(res.Entries[0], base)
		u.Kind, u.ParentDN = "group", ""
		snap.Units = append(snap.Units, u)
	}
	res, err = conn.SearchWithPaging(ldap.NewSearchRequest(c.cfg.UnitBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, c.cfg.UnitFilter, unitAttrs, nil), pageSize)
	if err != nil {
		return nil, fmt.Errorf("search the units: %w", err)
	}
	units := map[string]bool{norm(base): true}
	for _, e := range res.Entries {
		dn, err := ldap.ParseDN(e.DN)
		if err != nil || dn.Equal(base) {
			continue
		}
		u := c.unit(e, dn)
		if u.Kind == "" || u.Kind == "group" {
			u.Kind = "department"
		}
		snap.Units = append(snap.Units, u)
		units[norm(dn)] = true
	}
	// A unit's parent is the nearest unit above it (the base has none).
	for i := range snap.Units {
		if snap.Units[i].Kind == "group" {
			continue
		}
		dn, _ := ldap.ParseDN(snap.Units[i].DN)
		snap.Units[i].ParentDN = nearest(dn, units)
	}
	members, err := c.groupMembers(conn)
	if err != nil {
		return nil, err
	}
	filter := strings.ReplaceAll(c.cfg.UserFilter, "{username}", "*")
	res, err = conn.SearchWithPaging(ldap.NewSearchRequest(c.cfg.UserBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, filter, c.personAttrs(), nil), pageSize)
	if err != nil {
		return nil, fmt.Errorf("search the people: %w", err)
	}
	for _, e := range res.Entries {
		dn, err := ldap.ParseDN(e.DN)
		if err != nil {
			continue
		}
		m := Member{Person: c.person(e), UnitDN: nearest(dn, units)}
		if members != nil {
			m.Roles = members[norm(dn)]
			if m.Roles == nil {
				m.Roles = []string{}
			}
		}
		snap.People = append(snap.People, m)
	}
	return snap, nil
}

func (c *Client) unit(e *ldap.Entry, dn *ldap.DN) UnitEntry {
	u := UnitEntry{DN: norm(dn), ID: c.entryID(e), Name: strings.TrimSpace(e.GetAttributeValue(c.cfg.UnitNameAttr))}
	if u.Name == "" && len(dn.RDNs) > 0 && len(dn.RDNs[0].Attributes) > 0 {
		u.Name = dn.RDNs[0].Attributes[0].Value
	}
	if c.cfg.UnitKindAttr != "" {
		u.Kind = kindWords[strings.ToLower(strings.TrimSpace(e.GetAttributeValue(c.cfg.UnitKindAttr)))]
	}
	return u
}

// groupMembers reads the mapped groups: member DN (normalised) → roles. Nil
// without a mapping.
func (c *Client) groupMembers(conn *ldap.Conn) (map[string][]string, error) {
	if len(c.groupRoles) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for _, g := range c.groupRoles {
		res, err := conn.Search(ldap.NewSearchRequest(g.GroupDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
			1, int(Timeout/time.Second), false, "(objectClass=*)", []string{"member", "uniqueMember"}, nil))
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			continue // a mapped group that does not exist grants nothing
		}
		if err != nil {
			return nil, fmt.Errorf("read group %s: %w", g.GroupDN, err)
		}
		for _, e := range res.Entries {
			for _, m := range append(e.GetAttributeValues("member"), e.GetAttributeValues("uniqueMember")...) {
				dn, err := ldap.ParseDN(m)
				if err != nil {
					continue
				}
				k := norm(dn)
				if !slices.Contains(out[k], g.Role) {
					out[k] = append(out[k], g.Role)
				}
			}
		}
	}
	return out, nil
}

// nearest returns the DN of the closest ancestor of dn that is in units, or "".
func nearest(dn *ldap.DN, units map[string]bool) string {
	for i := 1; i < len(dn.RDNs); i++ {
		parent := &ldap.DN{RDNs: dn.RDNs[i:]}
		if k := norm(parent); units[k] {
			return k
		}
	}
	return ""
}

// norm is a DN's comparable form.
func norm(dn *ldap.DN) string { return strings.ToLower(dn.String()) }
