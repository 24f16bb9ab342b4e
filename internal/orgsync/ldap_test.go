package orgsync_test

import (
	"context"
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/directory/slapdtest"
	"github.com/duban/duban/internal/orgsync"
)

// directoryOrg is a directory holding a group with HQ departments, an enterprise
// and its department, people in them and role groups.
type directoryOrg struct {
	srv                          *slapdtest.Server
	root, plan, ent, prod, group string
	zhang, wang, li              string
	supervisors                  string
}

func newDirectoryOrg(t *testing.T) *directoryOrg {
	t.Helper()
	s := slapdtest.Start(t)
	o := &directoryOrg{srv: s}
	o.root = s.OU(t, slapdtest.BaseDN, "集团公司", "")
	o.plan = s.OU(t, o.root, "规划发展部", "")
	o.ent = s.OU(t, o.root, "华东公司", "enterprise")
	o.prod = s.OU(t, o.ent, "生产部", "")
	o.zhang = s.AddPerson(t, o.plan, slapdtest.Person{UID: "zhang.wei", Name: "张伟", Password: "p-1", EmployeeNo: "E1001", Mail: "zhang@example.org", Title: "部长"})
	o.wang = s.AddPerson(t, o.plan, slapdtest.Person{UID: "wang.fang", Name: "王芳", Password: "p-2", EmployeeNo: "E1002"})
	o.li = s.AddPerson(t, o.prod, slapdtest.Person{UID: "li.na", Name: "李娜", Password: "p-3", EmployeeNo: "E2001"})
	o.group = s.OU(t, slapdtest.BaseDN, "groups", "")
	o.supervisors = s.Group(t, o.group, "duban-supervisors", o.zhang)
	return o
}

func (o *directoryOrg) config() config.SSO {
	return config.SSO{PasswordLogin: true, BreakGlassUsername: "admin", LDAP: config.LDAP{
		URL: o.srv.TLSURL, CAFile: o.srv.CAFile, BindDN: o.srv.ServiceDN, BindPassword: o.srv.ServicePassword,
		UserBaseDN: o.root, UserFilter: "(&(objectClass=inetOrgPerson)(uid={username}))",
		UserAttrs:  map[string]string{"username": "uid", "display_name": "cn", "email": "mail", "employee_no": "employeeNumber", "title": "title"},
		MatchField: "username", IDAttr: "entryUUID",
		GroupBaseDN: o.group, GroupFilter: "(member={dn})", GroupRoles: "supervisor:" + o.supervisors,
		UnitBaseDN: o.root, UnitFilter: "(objectClass=organizationalUnit)", UnitNameAttr: "ou", UnitKindAttr: "businessCategory",
	}}
}

func TestDirectorySync(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		o := newDirectoryOrg(t)
		ctx := context.Background()
		// Duban already has its root (made at installation) and an admin there, and
		// wang.fang made by hand.
		root := env.Unit("集团公司", "group", nil, false)
		env.User("admin", root, "admin")
		wang := env.User("wang.fang", root, "leader")
		svc, err := orgsync.NewService(env.DB, audit.New(env.DB), nil, o.config())
		if err != nil {
			t.Fatal(err)
		}

		rep, err := svc.SyncLDAP(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applied || rep.Units.Created != 3 || rep.Users.Created != 2 || rep.Users.Updated != 1 || len(rep.Errors) != 0 {
			t.Fatalf("dry run %+v", rep)
		}
		if n := len(people(t, env)); n != 2 {
			t.Fatalf("the dry run wrote: %d people", n)
		}
		if rep, err = svc.SyncLDAP(ctx, false); err != nil || !rep.Applied {
			t.Fatalf("sync %+v %v", rep, err)
		}
		us, ps := units(t, env), people(t, env)
		if us["集团公司"].ID != root.String() || us["华东公司"].Kind != "enterprise" || us["生产部"].ScopeID != us["华东公司"].ID ||
			us["规划发展部"].Source != "ldap" {
			t.Fatalf("units %+v", us)
		}
		// wang.fang was adopted by username: moved into the directory's unit, keeps
		// the leader role (the mapping only decides supervisor).
		if w := ps["wang.fang"]; w.ID != wang.String() || w.OrgUnitID != us["规划发展部"].ID || w.Source != "ldap" {
			t.Fatalf("wang.fang %+v", w)
		}
		if r := rolesOf(t, env, wang.String()); !slices.Equal(r, []string{"leader"}) {
			t.Fatalf("wang.fang roles %v", r)
		}
		if r := rolesOf(t, env, ps["zhang.wei"].ID); !slices.Equal(r, []string{"supervisor"}) {
			t.Fatalf("zhang.wei roles %v", r)
		}
		if z := ps["zhang.wei"]; z.Title != "部长" || z.EmployeeNo == nil || *z.EmployeeNo != "E1001" || z.PasswordHash != "" {
			t.Fatalf("zhang.wei %+v", z)
		}

		// Again: nothing changes.
		rep, err = svc.SyncLDAP(ctx, false)
		if err != nil || rep.Applied || len(rep.Changes) != 0 {
			t.Fatalf("second sync %+v %v", rep, err)
		}

		// li.na leaves, zhang.wei is renamed and leaves the supervisors, a
		// department appears under a department (not allowed: skipped, the rest
		// applied), the admin is untouched.
		o.srv.Delete(t, o.li)
		o.srv.Replace(t, o.zhang, "cn", "张伟伟")
		o.srv.Replace(t, o.supervisors, "member", o.wang)
		nested := o.srv.OU(t, o.plan, "规划一处", "")
		o.srv.AddPerson(t, nested, slapdtest.Person{UID: "nested.one", Name: "处员", Password: "p-4"})
		rep, err = svc.SyncLDAP(ctx, false)
		if err != nil || !rep.Applied {
			t.Fatalf("third sync %+v %v", rep, err)
		}
		changes := map[string]string{}
		for _, c := range rep.Changes {
			changes[c.Name] = c.Action
		}
		if changes["李娜"] != "deactivate" || changes["张伟伟"] != "update" || changes["王芳"] != "update" || len(changes) != 3 {
			t.Fatalf("changes %+v", rep.Changes)
		}
		if len(rep.Errors) != 2 { // the nested department and its person
			t.Fatalf("errors %+v", rep.Errors)
		}
		ps = people(t, env)
		if ps["li.na"].Active || !ps["admin"].Active || ps["zhang.wei"].DisplayName != "张伟伟" {
			t.Fatalf("people %+v", ps)
		}
		if r := rolesOf(t, env, ps["zhang.wei"].ID); !slices.Equal(r, []string{"member"}) {
			t.Fatalf("zhang.wei roles %v", r)
		}
		if r := rolesOf(t, env, wang.String()); !slices.Equal(r, []string{"leader", "supervisor"}) {
			t.Fatalf("wang.fang roles %v", r)
		}
	})
}

func TestDirectorySyncNotConfigured(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		svc, err := orgsync.NewService(env.DB, audit.New(env.DB), nil, config.SSO{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SyncLDAP(context.Background(), true); err == nil {
			t.Fatal("a sync without a directory did not fail")
		}
	})
}

// An entry whose employee number another account already has is skipped, not a
// failed sync.
func TestDirectorySyncSkipsConflicts(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		o := newDirectoryOrg(t)
		root := env.Unit("集团公司", "group", nil, false)
		other := env.User("someone.else", root, "member")
		if err := env.DB.Gorm().Table("users").Where("id = ?", other).Update("employee_no", "E1002").Error; err != nil {
			t.Fatal(err)
		}
		svc, err := orgsync.NewService(env.DB, audit.New(env.DB), nil, o.config())
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.SyncLDAP(context.Background(), false)
		if err != nil || !rep.Applied {
			t.Fatalf("sync %+v %v", rep, err)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Field != "employee_no" || rep.Errors[0].Value != "E1002" || rep.Users.Created != 2 {
			t.Fatalf("report %+v", rep)
		}
	})
}
