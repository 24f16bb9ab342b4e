package users_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/dbtest"
)

func firstField(m map[string]any) string {
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	f, _ := errs[0].(map[string]any)["field"].(string)
	return f
}

func TestHTTPCreate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		admin := env.As(env.Login("sys.admin"))
		nUsers, nRoles := count(t, env, "users"), count(t, env, "user_roles")
		body := func(edit func(map[string]any)) map[string]any {
			b := map[string]any{"username": "li.na", "display_name": "李娜", "password": "Welcome-2026",
				"org_unit_id": w.offA.String(), "roles": []string{"member"}, "email": "li.na@example.com", "title": "干事"}
			if edit != nil {
				edit(b)
			}
			return b
		}

		// A non-admin is refused before the body is even read.
		env.As(env.Login("hq.member")).Do("POST", "/api/v1/users", body(nil)).Problem(403, "forbidden")
		bad := []struct {
			body  any
			field string
		}{
			{body(func(b map[string]any) { b["roles"] = []string{"member", "boss"} }), "roles"},
			{body(func(b map[string]any) { b["roles"] = "member" }), "roles"},
			{body(func(b map[string]any) { b["roles"] = []string{} }), "roles"},
			{body(func(b map[string]any) { b["password"] = "abc" }), "password"},
			{body(func(b map[string]any) { b["password"] = 12345678 }), "password"},
			{body(func(b map[string]any) { b["username"] = "LiNa!" }), "username"},
			{body(func(b map[string]any) { delete(b, "display_name") }), "display_name"},
			{body(func(b map[string]any) { b["org_unit_id"] = uuid.NewString() }), "org_unit_id"},
			{body(func(b map[string]any) { b["org_unit_id"] = "office" }), "org_unit_id"},
			{body(func(b map[string]any) { b["email"] = "nobody" }), "email"},
			{body(func(b map[string]any) { b["is_admin"] = true }), "is_admin"},
		}
		for _, b := range bad {
			m := admin.Do("POST", "/api/v1/users", b.body).Problem(422, "validation_failed")
			if firstField(m) != b.field {
				t.Errorf("body %v: field %q, want %q (%v)", b.body, firstField(m), b.field, m["errors"])
			}
		}
		admin.Do("POST", "/api/v1/users", `{"username": "li.na",`).Problem(400, "malformed_json")
		if a, b := count(t, env, "users"), count(t, env, "user_roles"); a != nUsers || b != nRoles {
			t.Fatalf("refused creations wrote rows: users %d→%d roles %d→%d", nUsers, a, nRoles, b)
		}

		r := admin.Do("POST", "/api/v1/users", body(nil)).Expect(201)
		u := r.Map()
		if u["must_change_password"] != true || u["org_unit_name"] != "办公室" || u["email"] != "li.na@example.com" ||
			r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/users/"+u["id"].(string) {
			t.Fatalf("created: %v %v", u, r.Header)
		}
		if _, ok := u["password_hash"]; ok {
			t.Fatal("the hash is in the response")
		}
		m := admin.Do("POST", "/api/v1/users", body(nil)).Problem(409, "username_taken")
		if m["detail"] == "" {
			t.Fatal("no detail")
		}
		// The new user can sign in and is told to change the password.
		var login struct {
			User map[string]any `json:"user"`
		}
		env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "li.na", "password": "Welcome-2026"}).Expect(200).JSON(&login)
		if login.User["must_change_password"] != true {
			t.Fatalf("login user: %v", login.User)
		}
	})
}

func TestHTTPReadAndUpdate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		admin := env.As(env.Login("sys.admin"))
		memberA := env.As(env.Login("a.member"))

		// Directory view for a member: limited fields, no ETag, no actions.
		var list struct {
			Data  []map[string]any `json:"data"`
			Total int              `json:"total"`
		}
		memberA.Do("GET", "/api/v1/users?sort=username", nil).Expect(200).JSON(&list)
		var names []string
		for _, u := range list.Data {
			names = append(names, u["username"].(string))
			if _, ok := u["email"]; ok && u["username"] != "a.member" {
				t.Fatalf("directory leaks email: %v", u)
			}
		}
		if !slices.Equal(names, []string{"a.member", "hq.member", "sys.admin"}) || list.Total != 3 {
			t.Fatalf("member A sees %v (%d)", names, list.Total)
		}
		r := memberA.Do("GET", "/api/v1/users/"+w.hqMember.String(), nil).Expect(200)
		if r.Header.Get("ETag") != "" || r.Map()["version"] != nil {
			t.Fatal("the directory view shows the version")
		}
		if other := memberA.Do("GET", "/api/v1/users/"+w.bMember.String(), nil).Expect(200).Map(); other["email"] != nil {
			t.Fatalf("another enterprise's user by id: %v", other)
		}
		memberA.Do("GET", "/api/v1/users/"+uuid.NewString(), nil).Problem(404, "not_found")
		self := memberA.Do("GET", "/api/v1/users/"+w.aMember.String(), nil).Expect(200).Map()
		if self["must_change_password"] != false || len(self["allowed_actions"].([]any)) != 0 {
			t.Fatalf("self: %v", self)
		}
		memberA.Do("PATCH", "/api/v1/users/"+w.aMember.String(), map[string]any{"title": "x"}).Problem(403, "forbidden")
		memberA.Do("PATCH", "/api/v1/users/"+w.bMember.String(), map[string]any{"title": "x"}).Problem(403, "forbidden")

		admin.Do("GET", "/api/v1/users?role=supervisor", nil).Expect(200).JSON(&list)
		if list.Total != 1 || list.Data[0]["username"] != "hq.member" || list.Data[0]["email"] == nil {
			t.Fatalf("admin role filter: %v", list.Data)
		}
		for _, q := range []string{"role=boss", "active=sometimes", "org_unit_id=x", "page_size=0"} {
			admin.Do("GET", "/api/v1/users?"+q, nil).Problem(422, "validation_failed")
		}

		// PATCH with If-Match; bad input leaves everything as it was.
		path := "/api/v1/users/" + w.aMember.String()
		etag := admin.Do("GET", path, nil).Expect(200).Header.Get("ETag")
		m := admin.Do("PATCH", path, map[string]any{"title": "主任", "roles": []string{"emperor"}}, "If-Match", etag).Problem(422, "validation_failed")
		if firstField(m) != "roles" {
			t.Fatalf("field %v", m)
		}
		admin.Do("PATCH", path, map[string]any{"active": "no"}).Problem(422, "validation_failed")
		admin.Do("PATCH", path, map[string]any{"title": "主任"}, "If-Match", `"9"`).Problem(412, "precondition_failed")
		r = admin.Do("PATCH", path, map[string]any{"title": "主任", "roles": []string{"member", "supervisor"}}, "If-Match", etag).Expect(200)
		u := r.Map()
		if r.Header.Get("ETag") != `"2"` || u["title"] != "主任" || len(u["roles"].([]any)) != 2 {
			t.Fatalf("patched: %v", u)
		}
		admin.Do("PATCH", path, map[string]any{"title": "x"}, "If-Match", etag).Problem(412, "precondition_failed")

		// Reset: the old session ends; the new password works and must be changed.
		admin.Do("PATCH", path, map[string]any{"password": "Reset-2026-x"}).Expect(200)
		memberA.Do("GET", "/api/v1/users/"+w.aMember.String(), nil).Problem(401, "unauthorized")
		env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "a.member", "password": "Reset-2026-x"}).Expect(200)

		// Admin guards.
		me := "/api/v1/users/" + w.adminID.String()
		admin.Do("PATCH", me, map[string]any{"roles": []string{"member"}}).Problem(409, "self_lockout")
		admin.Do("PATCH", me, map[string]any{"active": false}).Problem(409, "self_lockout")

		// Deactivation: the user's token stops working and members no longer see them.
		hq := env.As(env.Login("hq.member"))
		admin.Do("PATCH", "/api/v1/users/"+w.hqMember.String(), map[string]any{"active": false}).Expect(200)
		hq.Do("GET", "/api/v1/org-units", nil).Problem(401, "unauthorized")
		env.As(env.Login("b.member")).Do("GET", "/api/v1/users/"+w.hqMember.String(), nil).Problem(404, "not_found")
		admin.Do("GET", "/api/v1/users?active=false", nil).Expect(200).JSON(&list)
		if list.Total != 1 || list.Data[0]["username"] != "hq.member" {
			t.Fatalf("inactive list: %v", list.Data)
		}
	})
}

// TestHTTPBootstrapAdmin starts the application with DUBAN_BOOTSTRAP_ADMIN_PASSWORD on
// an empty database, twice: the admin exists once and must change the password.
func TestHTTPBootstrapAdmin(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := dbtest.New(t, d)
			cfg := apitest.Config(t)
			cfg.BootstrapAdminPassword = "Bootstrap-2026"
			env := apitest.Start(t, db, cfg)
			apitest.Start(t, db, cfg) // a second start changes nothing
			var login struct {
				AccessToken string         `json:"access_token"`
				User        map[string]any `json:"user"`
			}
			env.Do("POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "Bootstrap-2026"}).Expect(200).JSON(&login)
			if login.User["must_change_password"] != true || count(t, env, "users") != 1 || count(t, env, "org_units") != 1 {
				t.Fatalf("bootstrap: %v", login.User)
			}
			cfg.BootstrapAdminPassword = "weak"
			if _, err := app.Build(context.Background(), cfg, dbtest.New(t, d), nil); err == nil ||
				!strings.Contains(err.Error(), "DUBAN_BOOTSTRAP_ADMIN_PASSWORD") {
				t.Fatalf("weak bootstrap password: %v", err)
			}
		})
	}
}
