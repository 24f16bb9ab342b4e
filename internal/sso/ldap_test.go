package sso_test

import (
	"net"
	"slices"
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/directory/slapdtest"
)

// ldapWorld is a directory with two people and role groups.
type ldapWorld struct {
	srv                  *slapdtest.Server
	people, groups       string
	zhang, li            string
	supervisors, leaders string
}

func newLDAPWorld(t *testing.T) *ldapWorld {
	t.Helper()
	s := slapdtest.Start(t)
	w := &ldapWorld{srv: s}
	w.people = s.OU(t, slapdtest.BaseDN, "people", "")
	w.groups = s.OU(t, slapdtest.BaseDN, "groups", "")
	w.zhang = s.AddPerson(t, w.people, slapdtest.Person{UID: "zhang.wei", Name: "张伟", Password: "Zhang-pass-1",
		Mail: "zhang.wei@example.org", EmployeeNo: "E1001", Title: "处长"})
	w.li = s.AddPerson(t, w.people, slapdtest.Person{UID: "li.na", Name: "李娜", Password: "Li-pass-2", EmployeeNo: "E2001"})
	w.supervisors = s.Group(t, w.groups, "duban-supervisors", w.zhang)
	w.leaders = s.Group(t, w.groups, "duban-leaders", w.li)
	return w
}

func (w *ldapWorld) config(startTLS bool) config.LDAP {
	return config.LDAP{
		URL: w.srv.URL, StartTLS: startTLS, CAFile: w.srv.CAFile, BindDN: w.srv.ServiceDN, BindPassword: w.srv.ServicePassword,
		UserBaseDN: w.people, UserFilter: "(&(objectClass=inetOrgPerson)(uid={username}))",
		UserAttrs: map[string]string{"username": "uid", "display_name": "cn", "email": "mail",
			"employee_no": "employeeNumber", "title": "title"},
		MatchField: "username", IDAttr: "entryUUID",
		GroupBaseDN: w.groups, GroupFilter: "(member={dn})",
		GroupRoles: "supervisor:" + w.supervisors + ";leader:" + w.leaders,
	}
}

// eachLDAP runs fn on both engines, each with its own directory, with Duban
// configured for it.
func eachLDAP(t *testing.T, edit func(*config.Config, *ldapWorld), fn func(t *testing.T, e *apitest.Env, w *ldapWorld)) {
	t.Helper()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			w := newLDAPWorld(t)
			cfg := apitest.Config(t)
			cfg.SSO.LDAP = w.config(true)
			if edit != nil {
				edit(&cfg, w)
			}
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			fn(t, startOn(t, dbtest.New(t, d), cfg, l), w)
		})
	}
}

func TestLDAPLogin(t *testing.T) {
	t.Parallel()
	eachLDAP(t, nil, func(t *testing.T, e *apitest.Env, w *ldapWorld) {
		unit := e.Unit("集团公司", "group", nil, false)
		zhang := e.User("zhang.wei", unit, access.RoleMember, access.RoleAuditor)
		e.User("li.na", unit, access.RoleMember)

		var m map[string]map[string]any
		e.Do("GET", "/api/v1/auth/methods", nil).Expect(200).JSON(&m)
		if m["ldap"]["enabled"] != true || m["oidc"]["enabled"] != false {
			t.Fatalf("methods %v", m)
		}
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "zhang.wei", "password": "Zhang-pass-1"}).
			Expect(200).JSON(&s)
		if s.User["id"] != zhang.String() {
			t.Fatalf("session of %v", s.User["id"])
		}
		// The group grants supervisor; member (the mapping does not decide it) and
		// auditor stay.
		if r := fmtRoles(s.User); r != "[auditor member supervisor]" {
			t.Fatalf("roles %s", r)
		}
		if d := auditDetails(t, e, audit.LoginSucceeded); d["method"] != "ldap" {
			t.Fatalf("audit %v", d)
		}
		if d := auditDetails(t, e, audit.UserRolesChanged); d["source"] != "ldap" {
			t.Fatalf("audit %v", d)
		}
		// Refresh works as for a password session.
		e.Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}).Expect(200)

		// The directory's password, not Duban's; the Duban password does not work here.
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "zhang.wei", "password": apitest.TestPassword}).
			Problem(401, "invalid_credentials")
		if d := auditDetails(t, e, audit.LoginFailed); d["method"] != "ldap" || d["reason"] != "wrong_password" {
			t.Fatalf("audit %v", d)
		}
		// Leaving the supervisors' group takes the role away at the next login.
		w.srv.Replace(t, w.supervisors, "member", w.li)
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "zhang.wei", "password": "Zhang-pass-1"}).
			Expect(200).JSON(&s)
		if r := fmtRoles(s.User); r != "[auditor member]" {
			t.Fatalf("roles after leaving the group %s", r)
		}
		w.srv.Replace(t, w.supervisors, "member", w.zhang)

		// Known to the directory but not to Duban: refused (creation is off).
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "nobody", "password": "whatever-1"}).
			Problem(401, "invalid_credentials")
		// Deactivated in Duban: refused.
		e.SetActive(zhang, false)
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "zhang.wei", "password": "Zhang-pass-1"}).
			Problem(401, "invalid_credentials")
		if d := auditDetails(t, e, audit.LoginFailed); d["reason"] != "inactive" {
			t.Fatalf("audit %v", d)
		}
	})
}

// The brute-force guard of password logins counts directory logins too.
func TestLDAPLoginIsThrottled(t *testing.T) {
	t.Parallel()
	eachLDAP(t, nil, func(t *testing.T, e *apitest.Env, w *ldapWorld) {
		unit := e.Unit("集团公司", "group", nil, false)
		e.User("li.na", unit, access.RoleMember)
		for range 5 {
			e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "li.na", "password": "wrong-1"}).Expect(401)
		}
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "li.na", "password": "Li-pass-2"}).
			Problem(429, "rate_limited")
	})
}

// Created at the first login, with the roles the groups grant.
func TestLDAPCreatesPeople(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config, w *ldapWorld) {
		c.SSO.CreateUsers, c.SSO.DefaultUnit = true, "集团公司"
		c.SSO.LDAP = w.config(false)
		c.SSO.LDAP.URL, c.SSO.LDAP.StartTLS = w.srv.TLSURL, false
		c.SSO.LDAP.MatchField = "employee_no"
	}
	eachLDAP(t, edit, func(t *testing.T, e *apitest.Env, w *ldapWorld) {
		unit := e.Unit("集团公司", "group", nil, false)
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "li.na", "password": "Li-pass-2"}).
			Expect(200).JSON(&s)
		if s.User["username"] != "li.na" || s.User["display_name"] != "李娜" || s.User["org_unit_id"] != unit.String() {
			t.Fatalf("created %v", s.User)
		}
		if r := fmtRoles(s.User); r != "[leader]" {
			t.Fatalf("roles %s", r)
		}
		var ext []string
		e.DB.Gorm().Table("users").Where("username = ?", "li.na").Pluck("external_id", &ext)
		if len(ext) != 1 || ext[0] == "" {
			t.Fatalf("external id %v", ext)
		}
		// The second login finds the same account by employee number.
		var again apitest.Session
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "li.na", "password": "Li-pass-2"}).
			Expect(200).JSON(&again)
		if again.User["id"] != s.User["id"] {
			t.Fatal("a second account was created")
		}
		var n int64
		e.DB.Gorm().Table("users").Count(&n)
		if n != 1 {
			t.Fatalf("%d users", n)
		}
	})
}

// The last active admin keeps the role even when the directory takes it away.
func TestLDAPKeepsTheLastAdmin(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config, w *ldapWorld) {
		c.SSO.LDAP.GroupRoles = "admin:" + w.srv.Group(t, w.groups, "duban-admins", w.li)
	}
	eachLDAP(t, edit, func(t *testing.T, e *apitest.Env, w *ldapWorld) {
		unit := e.Unit("集团公司", "group", nil, false)
		e.User("zhang.wei", unit, access.RoleAdmin)
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "zhang.wei", "password": "Zhang-pass-1"}).
			Expect(200).JSON(&s)
		roles, _ := s.User["roles"].([]any)
		if !slices.Contains(roles, any("admin")) {
			t.Fatalf("the last admin lost the role: %v", roles)
		}
	})
}
