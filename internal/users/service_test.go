package users_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// world: the group with HQ department, two enterprises with an office each, an
// admin and a few members.
type world struct {
	env                         *apitest.Env
	svc                         *users.Service
	group, hq, entA, offA, entB uuid.UUID
	offB                        uuid.UUID
	adminID, hqMember           uuid.UUID
	aMember, bMember            uuid.UUID
	admin                       *access.Principal
}

func newWorld(t *testing.T, env *apitest.Env) *world {
	t.Helper()
	w := &world{env: env, svc: users.NewService(env.DB, audit.New(env.DB))}
	w.group = env.Unit("集团公司", "group", nil, false)
	w.hq = env.Unit("办公厅督办处", "department", &w.group, true)
	w.entA = env.Unit("华东电力", "enterprise", &w.group, false)
	w.offA = env.Unit("办公室", "department", &w.entA, true)
	w.entB = env.Unit("西南能源", "enterprise", &w.group, false)
	w.offB = env.Unit("办公室", "department", &w.entB, true)
	w.adminID = env.User("sys.admin", w.group, access.RoleAdmin)
	w.hqMember = env.User("hq.member", w.hq, access.RoleSupervisor)
	w.aMember = env.User("a.member", w.offA, access.RoleMember)
	w.bMember = env.User("b.member", w.offB, access.RoleMember)
	w.admin = env.Principal(w.adminID)
	return w
}

func wantProblem(t *testing.T, err error, status int, codeOrField string) *problem.Problem {
	t.Helper()
	var p *problem.Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v, want a %d problem", err, status)
	}
	if got := httpserver.StatusOf(err); got != status {
		t.Fatalf("status %d (%s), want %d", got, p.Detail, status)
	}
	if codeOrField != "" && p.Code != codeOrField && (len(p.Errors) == 0 || p.Errors[0].Field != codeOrField) {
		t.Fatalf("problem %s %+v, want code or field %s", p.Code, p.Errors, codeOrField)
	}
	return p
}

func count(t *testing.T, env *apitest.Env, table string) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func TestCreate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		good := users.NewUser{Username: "zhang.wei", DisplayName: " 张伟 ", Password: "Planning-2026",
			OrgUnitID: w.offA, Roles: []string{"member", "leader", "member"}, Email: "zw@example.com", Title: "主任"}
		nUsers, nRoles := count(t, env, "users"), count(t, env, "user_roles")

		bad := []struct {
			name  string
			edit  func(*users.NewUser)
			field string
		}{
			{"unknown role", func(u *users.NewUser) { u.Roles = []string{"member", "boss"} }, "roles"},
			{"no role", func(u *users.NewUser) { u.Roles = nil }, "roles"},
			{"weak password", func(u *users.NewUser) { u.Password = "short1" }, "password"},
			{"password without digits", func(u *users.NewUser) { u.Password = "onlyletters" }, "password"},
			{"password with username", func(u *users.NewUser) { u.Password = "zhang.wei-2026" }, "password"},
			{"bad username", func(u *users.NewUser) { u.Username = "Zhang Wei" }, "username"},
			{"short username", func(u *users.NewUser) { u.Username = "zw" }, "username"},
			{"no display name", func(u *users.NewUser) { u.DisplayName = "  " }, "display_name"},
			{"bad email", func(u *users.NewUser) { u.Email = "not-an-address" }, "email"},
			{"unknown unit", func(u *users.NewUser) { u.OrgUnitID = uuid.New() }, "org_unit_id"},
		}
		for _, b := range bad {
			in := good
			b.edit(&in)
			_, err := w.svc.Create(ctx, w.admin, in)
			wantProblem(t, err, 422, b.field)
		}
		_, err := w.svc.Create(ctx, env.Principal(w.hqMember), good)
		wantProblem(t, err, 403, "")
		if a, b := count(t, env, "users"), count(t, env, "user_roles"); a != nUsers || b != nRoles {
			t.Fatalf("refused creations wrote rows: users %d→%d roles %d→%d", nUsers, a, nRoles, b)
		}

		a, err := w.svc.Create(ctx, w.admin, good)
		if err != nil {
			t.Fatal(err)
		}
		if !a.MustChangePassword || !a.Active || a.DisplayName != "张伟" || !slices.Equal(a.Roles, []string{"leader", "member"}) ||
			a.UnitName != "办公室" || a.ScopeID != w.entA || a.Version != 1 {
			t.Fatalf("created: %+v", a)
		}
		if ok, _ := users.VerifyPassword(a.PasswordHash, "Planning-2026"); !ok {
			t.Fatal("password not stored")
		}
		_, err = w.svc.Create(ctx, w.admin, good)
		wantProblem(t, err, 409, users.CodeUsernameTaken)
		if n := env.AuditCount(audit.UserCreated); n != 1 {
			t.Fatalf("%d user.created events", n)
		}
	})
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		env.SetHead(w.offA, w.aMember)
		env.AddLiaison(w.entA, w.aMember)
		if err := env.DB.Gorm().Table("refresh_tokens").Create(map[string]any{
			"id": uuid.New(), "family_id": uuid.New(), "user_id": w.aMember, "token_hash": "h-" + uuid.NewString()[:20],
			"expires_at": time.Now().Add(time.Hour).UTC(), "user_agent": "", "ip": "", "created_at": time.Now().UTC(),
		}).Error; err != nil {
			t.Fatal(err)
		}

		// Bad input changes nothing, not even part of it.
		_, err := w.svc.Update(ctx, w.admin, w.aMember, users.Changes{DisplayName: ptr("新名字"), Roles: []string{"king"}})
		wantProblem(t, err, 422, "roles")
		_, err = w.svc.Update(ctx, w.admin, w.aMember, users.Changes{Title: ptr("处长"), Password: ptr("weak")})
		wantProblem(t, err, 422, "password")
		a, _, err := w.svc.Get(ctx, w.admin, w.aMember)
		if err != nil {
			t.Fatal(err)
		}
		if a.DisplayName != "a.member" || a.Title != "" || a.Version != 1 {
			t.Fatalf("half-written: %+v", a.User)
		}

		a, err = w.svc.Update(ctx, w.admin, w.aMember, users.Changes{Roles: []string{"supervisor", "member"}, Title: ptr("主任"), IfMatch: []int{1}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Roles, []string{"supervisor", "member"}) || a.Title != "主任" || a.Version != 2 {
			t.Fatalf("updated: %+v %v", a.User, a.Roles)
		}
		if env.AuditCount(audit.UserRolesChanged) != 1 || env.AuditCount(audit.UserUpdated) != 1 {
			t.Fatal("role change or update not audited")
		}
		_, err = w.svc.Update(ctx, w.admin, w.aMember, users.Changes{Title: ptr("x"), IfMatch: []int{1}})
		wantProblem(t, err, 412, "")

		// Reset: must change, sessions end, audited, and the hash never in the log.
		a, err = w.svc.Update(ctx, w.admin, w.aMember, users.Changes{Password: ptr("Reset-pass-99")})
		if err != nil {
			t.Fatal(err)
		}
		if !a.MustChangePassword || a.PasswordChangedAt == nil {
			t.Fatalf("reset: %+v", a.User)
		}
		var live int64
		env.DB.Gorm().Table("refresh_tokens").Where("user_id = ? AND revoked_at IS NULL", w.aMember).Count(&live)
		if live != 0 || env.AuditCount(audit.UserPasswordReset) != 1 {
			t.Fatalf("sessions live %d after reset", live)
		}

		// Moving to the other enterprise ends the head and liaison posts.
		a, err = w.svc.Update(ctx, w.admin, w.aMember, users.Changes{OrgUnitID: &w.offB})
		if err != nil {
			t.Fatal(err)
		}
		p := env.Principal(w.aMember)
		if len(p.HeadOf) != 0 || len(p.LiaisonOf) != 0 || p.ScopeID != w.entB {
			t.Fatalf("after move: head of %v liaison of %v scope %s", p.HeadOf, p.LiaisonOf, p.ScopeID)
		}

		// Only admins change accounts.
		_, err = w.svc.Update(ctx, env.Principal(w.hqMember), w.aMember, users.Changes{Title: ptr("x")})
		wantProblem(t, err, 403, "")
		_, err = w.svc.Update(ctx, w.admin, uuid.New(), users.Changes{Title: ptr("x")})
		wantProblem(t, err, 404, "")
	})
}

func TestAdminGuards(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		_, err := w.svc.Update(ctx, w.admin, w.adminID, users.Changes{Roles: []string{"member"}})
		wantProblem(t, err, 409, users.CodeSelfLockout)
		_, err = w.svc.Update(ctx, w.admin, w.adminID, users.Changes{Active: ptr(false)})
		wantProblem(t, err, 409, users.CodeSelfLockout)
		// Adding roles to oneself is fine.
		if _, err := w.svc.Update(ctx, w.admin, w.adminID, users.Changes{Roles: []string{"admin", "auditor"}}); err != nil {
			t.Fatal(err)
		}
		// The command line acts without a user: it may not remove the last admin.
		system := &access.Principal{Roles: []access.Role{access.RoleAdmin}}
		_, err = w.svc.Update(ctx, system, w.adminID, users.Changes{Active: ptr(false)})
		wantProblem(t, err, 409, users.CodeLastAdmin)
		// With a second admin, one admin may deactivate the other.
		other := env.User("other.admin", w.group, access.RoleAdmin)
		a, err := w.svc.Update(ctx, w.admin, other, users.Changes{Active: ptr(false)})
		if err != nil || a.Active {
			t.Fatalf("deactivate other admin: %v %+v", err, a)
		}
	})
}

func TestDirectoryVisibility(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		gone := env.User("a.gone", w.offA, access.RoleMember)
		env.SetActive(gone, false)
		page := users.Page{Page: 1, Size: 100}
		names := func(p *access.Principal, f users.ListFilter) []string {
			t.Helper()
			accts, total, _, err := w.svc.List(ctx, p, f, "username", page)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range accts {
				out = append(out, a.Username)
			}
			if int(total) != len(out) {
				t.Fatalf("total %d for %d rows", total, len(out))
			}
			return out
		}
		all := names(w.admin, users.ListFilter{})
		if len(all) != 5 {
			t.Fatalf("admin sees %v", all)
		}
		if got := names(w.admin, users.ListFilter{Active: ptr(false)}); !slices.Equal(got, []string{"a.gone"}) {
			t.Fatalf("inactive filter: %v", got)
		}
		hq := names(env.Principal(w.hqMember), users.ListFilter{})
		if !slices.Equal(hq, []string{"a.member", "b.member", "hq.member", "sys.admin"}) {
			t.Fatalf("HQ sees %v", hq)
		}
		a := names(env.Principal(w.aMember), users.ListFilter{})
		if !slices.Equal(a, []string{"a.member", "hq.member", "sys.admin"}) {
			t.Fatalf("enterprise A sees %v", a)
		}
		if got := names(env.Principal(w.aMember), users.ListFilter{Role: "supervisor", Q: "HQ"}); !slices.Equal(got, []string{"hq.member"}) {
			t.Fatalf("role+q filter: %v", got)
		}
		if got := names(w.admin, users.ListFilter{OrgUnitID: &w.offB}); !slices.Equal(got, []string{"b.member"}) {
			t.Fatalf("unit filter: %v", got)
		}
		_, _, _, err := w.svc.List(ctx, w.admin, users.ListFilter{Role: "boss"}, "", page)
		wantProblem(t, err, 422, "role")
		_, _, _, err = w.svc.List(ctx, w.admin, users.ListFilter{}, "password_hash", page)
		wantProblem(t, err, 422, "sort")

		// By id, any active user of the group shows its directory fields.
		pa := env.Principal(w.aMember)
		other, v, err := w.svc.Get(ctx, pa, w.bMember)
		if err != nil || users.FullView(pa, other) {
			t.Fatalf("other enterprise's user by id: %v", err)
		}
		if r := users.ToUserResponse(other, pa, v); r.Email != nil || r.DisplayName != "b.member" {
			t.Fatalf("directory view: %+v", r)
		}
		_, _, err = w.svc.Get(ctx, pa, gone)
		wantProblem(t, err, 404, "")
		self, v, err := w.svc.Get(ctx, pa, w.aMember)
		if err != nil || !users.FullView(pa, self) {
			t.Fatalf("self: %v", err)
		}
		hqUser, _, err := w.svc.Get(ctx, pa, w.hqMember)
		if err != nil {
			t.Fatal(err)
		}
		r := users.ToUserResponse(hqUser, pa, v)
		if r.Email != nil || r.Phone != nil || r.MustChangePassword != nil || len(r.AllowedActions) != 0 {
			t.Fatalf("directory view leaks: %+v", r)
		}
	})
}

func TestBootstrap(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		log := audit.New(env.DB)
		err := users.Bootstrap(ctx, env.DB, log, "short")
		if err == nil || !strings.Contains(err.Error(), "DUBAN_BOOTSTRAP_ADMIN_PASSWORD") {
			t.Fatalf("weak password: %v", err)
		}
		if count(t, env, "org_units") != 0 || count(t, env, "users") != 0 {
			t.Fatal("a refused bootstrap wrote rows")
		}
		if err := users.Bootstrap(ctx, env.DB, log, "First-start-2026"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := users.Bootstrap(ctx, env.DB, log, "Other-pass-2026"); err != nil {
			t.Fatal(err)
		}
		if time.Since(start) > 20*time.Millisecond {
			t.Log("second bootstrap hashed a password it did not need")
		}
		if count(t, env, "org_units") != 1 || count(t, env, "users") != 1 {
			t.Fatal("bootstrap is not idempotent")
		}
		var u users.User
		if err := env.DB.Gorm().Where("username = ?", "admin").Take(&u).Error; err != nil {
			t.Fatal(err)
		}
		if ok, _ := users.VerifyPassword(u.PasswordHash, "First-start-2026"); !ok || !u.MustChangePassword {
			t.Fatalf("admin: must change %v, password kept %v", u.MustChangePassword, ok)
		}
		p := env.Principal(u.ID)
		if !p.Has(access.RoleAdmin) || p.ScopeID != p.UnitID {
			t.Fatalf("admin principal: %+v", p)
		}
	})
}
