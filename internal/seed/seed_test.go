package seed_test

import (
	"context"
	"errors"
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/seed"
	"github.com/duban/duban/internal/users"
)

func count(t *testing.T, env *apitest.Env, table string) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDemoTwice(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		log := audit.New(env.DB)
		// Start like a first run: the bootstrap root and admin exist.
		if err := users.Bootstrap(ctx, env.DB, log, "Bootstrap-2026"); err != nil {
			t.Fatal(err)
		}
		first, err := seed.Demo(ctx, env.DB, log)
		if err != nil {
			t.Fatal(err)
		}
		if first.AlreadySeeded || len(first.Units) != 14 || len(first.Users) != 18 || len(first.Accounts) != 18 {
			t.Fatalf("first run: seeded %v, %d units, %d users, %d accounts", first.AlreadySeeded, len(first.Units), len(first.Users), len(first.Accounts))
		}
		if first.Accounts[0].Password == seed.DemoPassword {
			t.Fatal("the bootstrap admin's password was reported as the demo password")
		}
		units, people := count(t, env, "org_units"), count(t, env, "users")

		// Every role has a user who can sign in with the demo password and need not change it.
		roles := map[access.Role]bool{}
		for _, a := range first.Accounts[1:] {
			p := env.Principal(first.Users[a.Username])
			for _, r := range p.Roles {
				roles[r] = true
			}
			if p.MustChangePassword {
				t.Fatalf("%s must change the demo password", a.Username)
			}
		}
		for _, r := range access.Roles {
			if r != access.RoleAdmin && !roles[r] {
				t.Fatalf("no demo user with role %s", r)
			}
		}
		duban := env.Principal(first.Users["duban"])
		if !duban.InSupervisionOffice || duban.ScopeID != first.Units["group"] || !duban.IsHeadOrLiaison(first.Units["hq.supervision"]) {
			t.Fatalf("duban: %+v", duban)
		}
		hd := env.Principal(first.Users["huadong.duban"])
		if !hd.InSupervisionOffice || hd.ScopeID != first.Units["east"] || !hd.IsHeadOrLiaison(first.Units["east"]) {
			t.Fatalf("huadong.duban: %+v", hd)
		}
		liaison := env.Principal(first.Users["guihua.liaison"])
		if !liaison.IsHeadOrLiaison(first.Units["hq.planning"]) {
			t.Fatal("the planning liaison is not a liaison")
		}

		second, err := seed.Demo(ctx, env.DB, log)
		if err != nil {
			t.Fatal(err)
		}
		if !second.AlreadySeeded || count(t, env, "org_units") != units || count(t, env, "users") != people {
			t.Fatal("the second run wrote rows")
		}
		for k, id := range first.Units {
			if second.Units[k] != id {
				t.Fatalf("unit %s: %s then %s", k, id, second.Units[k])
			}
		}
		for k, id := range first.Users {
			if second.Users[k] != id {
				t.Fatalf("user %s: %s then %s", k, id, second.Users[k])
			}
		}
	})
}

func TestDemoRefusesOtherOrganisation(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		g := env.Unit("某集团", "group", nil, false)
		env.Unit("某部门", "department", &g, false)
		_, err := seed.Demo(context.Background(), env.DB, audit.New(env.DB))
		if !errors.Is(err, seed.ErrNotEmpty) {
			t.Fatalf("err %v, want ErrNotEmpty", err)
		}
		if count(t, env, "org_units") != 2 || count(t, env, "users") != 0 {
			t.Fatal("the refused seed wrote rows")
		}
	})
}

func TestDemoOnEmptyDatabase(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		res, err := seed.Demo(context.Background(), env.DB, audit.New(env.DB))
		if err != nil {
			t.Fatal(err)
		}
		admin := res.Accounts[0]
		if admin.Username != "admin" || admin.Password != seed.DemoPassword {
			t.Fatalf("admin account: %+v", admin)
		}
		p := env.Principal(res.Users["admin"])
		if !p.Has(access.RoleAdmin) || p.MustChangePassword {
			t.Fatalf("admin principal: %+v", p)
		}
	})
}
