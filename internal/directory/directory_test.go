package directory_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/directory"
	"github.com/duban/duban/internal/directory/slapdtest"
)

// world is a small directory: a group with an enterprise and departments, people in
// them, and role groups.
type world struct {
	srv                     *slapdtest.Server
	root, ent, dept, groups string
	zhang, li               string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	s := slapdtest.Start(t)
	w := &world{srv: s}
	w.root = s.OU(t, slapdtest.BaseDN, "集团公司", "")
	w.dept = s.OU(t, w.root, "规划发展部", "")
	w.ent = s.OU(t, w.root, "华东公司", "enterprise")
	entDept := s.OU(t, w.ent, "生产部", "department")
	w.zhang = s.AddPerson(t, w.dept, slapdtest.Person{UID: "zhang.wei", Name: "张伟", Password: "Zhang-pass-1",
		Mail: "zhang.wei@example.org", Phone: "13800000001", EmployeeNo: "E1001", Title: "处长"})
	w.li = s.AddPerson(t, entDept, slapdtest.Person{UID: "li.na", Name: "李娜", Password: "Li-pass-2", EmployeeNo: "E2001"})
	w.groups = s.OU(t, slapdtest.BaseDN, "groups", "")
	s.Group(t, w.groups, "duban-supervisors", w.zhang)
	s.Group(t, w.groups, "duban-leaders", w.zhang, w.li)
	return w
}

func (w *world) config(url string) config.LDAP {
	return config.LDAP{
		URL: url, CAFile: w.srv.CAFile, BindDN: w.srv.ServiceDN, BindPassword: w.srv.ServicePassword,
		UserBaseDN: w.root, UserFilter: "(&(objectClass=inetOrgPerson)(uid={username}))",
		UserAttrs: map[string]string{"username": "uid", "display_name": "cn", "email": "mail",
			"phone": "telephoneNumber", "employee_no": "employeeNumber", "title": "title"},
		MatchField: "username", IDAttr: "entryUUID",
		GroupBaseDN: w.groups, GroupFilter: "(member={dn})",
		GroupRoles: "supervisor:cn=duban-supervisors," + w.groups + ";leader:cn=duban-leaders," + w.groups,
		UnitBaseDN: w.root, UnitFilter: "(objectClass=organizationalUnit)", UnitNameAttr: "ou", UnitKindAttr: "businessCategory",
	}
}

func TestAuthenticateOverEveryTransport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		url      string
		startTLS bool
	}{
		{"ldaps", w.srv.TLSURL, false},
		{"starttls", w.srv.URL, true},
		{"plain", w.srv.URL, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := w.config(tc.url)
			cfg.StartTLS = tc.startTLS
			c, err := directory.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.Authenticate(ctx, "zhang.wei", "Zhang-pass-1")
			if err != nil {
				t.Fatalf("authenticate: %v", err)
			}
			if p.DisplayName != "张伟" || p.EmployeeNo != "E1001" || p.Email != "zhang.wei@example.org" || p.Title != "处长" || p.ID == "" {
				t.Fatalf("person %+v", p)
			}
			if !slices.Equal(p.Roles, []string{"supervisor", "leader"}) {
				t.Fatalf("roles %v", p.Roles)
			}
			for _, bad := range [][2]string{{"zhang.wei", "wrong"}, {"zhang.wei", ""}, {"nobody", "Zhang-pass-1"}, {"*", "Zhang-pass-1"}, {"", ""}} {
				if _, err := c.Authenticate(ctx, bad[0], bad[1]); !errors.Is(err, directory.ErrInvalidCredentials) {
					t.Errorf("authenticate %q/%q: %v, want invalid credentials", bad[0], bad[1], err)
				}
			}
		})
	}
}

func TestTLSChecksTheCertificate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := w.config(w.srv.TLSURL)
	cfg.CAFile = "" // the system roots do not know the test CA
	c, err := directory.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(context.Background()); err == nil {
		t.Fatal("ldaps with an unknown CA connected")
	}
	cfg.URL, cfg.StartTLS = w.srv.URL, true
	c, _ = directory.New(cfg)
	if err := c.Ping(context.Background()); err == nil {
		t.Fatal("StartTLS with an unknown CA connected")
	}
}

func TestReadOrg(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, err := directory.New(w.config(w.srv.TLSURL))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.ReadOrg(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	parents := map[string]string{}
	byDN := map[string]string{}
	for _, u := range snap.Units {
		kinds[u.Name], byDN[u.DN] = u.Kind, u.Name
		if u.ID == "" {
			t.Errorf("unit %s has no id", u.Name)
		}
	}
	for _, u := range snap.Units {
		parents[u.Name] = byDN[u.ParentDN]
	}
	want := map[string][2]string{"集团公司": {"group", ""}, "规划发展部": {"department", "集团公司"},
		"华东公司": {"enterprise", "集团公司"}, "生产部": {"department", "华东公司"}}
	if len(snap.Units) != len(want) {
		t.Fatalf("units %+v", snap.Units)
	}
	for name, kp := range want {
		if kinds[name] != kp[0] || parents[name] != kp[1] {
			t.Errorf("%s: kind %s parent %s, want %v", name, kinds[name], parents[name], kp)
		}
	}
	people := map[string]directory.Member{}
	for _, m := range snap.People {
		people[m.Username] = m
	}
	if len(people) != 2 || byDN[people["zhang.wei"].UnitDN] != "规划发展部" || byDN[people["li.na"].UnitDN] != "生产部" {
		t.Fatalf("people %+v", snap.People)
	}
	if !slices.Equal(people["li.na"].Roles, []string{"leader"}) || len(people["zhang.wei"].Roles) != 2 {
		t.Fatalf("roles %v %v", people["li.na"].Roles, people["zhang.wei"].Roles)
	}
}
