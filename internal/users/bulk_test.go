package users_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
)

func TestBulkActions(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		admin := env.As(env.Login("sys.admin"))
		a1 := env.User("a.one", w.offA, access.RoleMember)
		a2 := env.User("a.two", w.offA, access.RoleMember, access.RoleLeader)
		ids := []string{a1.String(), a2.String()}
		// a.one is the liaison of A's office: a move out of it releases the post.
		admin.Do("PATCH", "/api/v1/org-units/"+w.offA.String(), map[string]any{"liaison_user_ids": []string{a1.String()}}).Expect(200)
		sess := env.OpenSession(a2)

		// Non-admins are refused before the body is read; read-only tokens too.
		env.As(env.Login("hq.member")).Do("POST", "/api/v1/users/bulk", map[string]any{}).Problem(403, "forbidden")

		var res struct{ Changed, Unchanged []string }
		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "move", "org_unit_id": w.offB.String()}).
			Expect(200).JSON(&res)
		if len(res.Changed) != 2 || len(res.Unchanged) != 0 {
			t.Fatalf("move %+v", res)
		}
		var unitOf []string
		env.DB.Gorm().Table("users").Where("id IN ?", []uuid.UUID{a1, a2}).Pluck("org_unit_id", &unitOf)
		if len(unitOf) != 2 || unitOf[0] != w.offB.String() || unitOf[1] != w.offB.String() {
			t.Fatalf("units after the move %v", unitOf)
		}
		var liaisons int64
		env.DB.Gorm().Table("org_unit_liaisons").Where("org_unit_id = ?", w.offA).Count(&liaisons)
		if liaisons != 0 {
			t.Fatal("the liaison post was not released")
		}
		// Again: nothing to change.
		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "move", "org_unit_id": w.offB.String()}).
			Expect(200).JSON(&res)
		if len(res.Unchanged) != 2 {
			t.Fatalf("second move %+v", res)
		}

		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "set_roles", "roles": []string{"supervisor"}, "roles_mode": "add"}).Expect(200)
		roles := func(id uuid.UUID) []string {
			var rs []string
			env.DB.Gorm().Table("user_roles").Where("user_id = ?", id).Order("role").Pluck("role", &rs)
			return rs
		}
		if !slices.Equal(roles(a1), []string{"member", "supervisor"}) || !slices.Equal(roles(a2), []string{"leader", "member", "supervisor"}) {
			t.Fatalf("roles after add: %v %v", roles(a1), roles(a2))
		}
		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "set_roles", "roles": []string{"member"}, "roles_mode": "remove"}).Expect(200)
		if !slices.Equal(roles(a1), []string{"supervisor"}) {
			t.Fatalf("roles after remove: %v", roles(a1))
		}
		// Removing every role of someone: 422 naming them; nothing changed for anyone.
		m := admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "set_roles", "roles": []string{"supervisor"}, "roles_mode": "remove"}).
			Problem(422, "validation_failed")
		if f := firstField(m); f != "user_ids[0].roles" {
			t.Fatalf("field %q", f)
		}
		if !slices.Equal(roles(a2), []string{"leader", "supervisor"}) {
			t.Fatalf("a failed batch changed a.two: %v", roles(a2))
		}

		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "deactivate"}).Expect(200)
		env.As(sess).Do("GET", "/api/v1/me", nil).Expect(401)
		admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": ids, "action": "activate"}).Expect(200).JSON(&res)
		if len(res.Changed) != 2 {
			t.Fatalf("activate %+v", res)
		}

		// The acting admin in the batch: 409 naming them, nothing done.
		m = admin.Do("POST", "/api/v1/users/bulk", map[string]any{"user_ids": []string{a1.String(), w.adminID.String()}, "action": "deactivate"}).
			Problem(409, "self_lockout")
		if m["user_id"] != w.adminID.String() || m["index"] != float64(1) {
			t.Fatalf("problem %v", m)
		}
		var active bool
		env.DB.Gorm().Table("users").Where("id = ?", a1).Pluck("active", &active)
		if !active {
			t.Fatal("a failed batch deactivated a.one")
		}
		for _, body := range []map[string]any{
			{"user_ids": []string{uuid.NewString()}, "action": "deactivate"},
			{"user_ids": ids, "action": "move"},
			{"user_ids": ids, "action": "move", "org_unit_id": uuid.NewString()},
			{"user_ids": ids, "action": "set_roles"},
			{"user_ids": ids, "action": "fly"},
			{"user_ids": []string{}, "action": "deactivate"},
			{"user_ids": []string{"x"}, "action": "deactivate"},
			{"user_ids": []string{a1.String(), a1.String()}, "action": "deactivate"},
		} {
			admin.Do("POST", "/api/v1/users/bulk", body).Problem(422, "validation_failed")
		}
	})
}

func TestListSearchAndSubtree(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		admin := env.As(env.Login("sys.admin"))
		env.DB.Gorm().Table("users").Where("username = ?", "a.member").Update("employee_no", "HD-0042")
		var list struct {
			Data []struct {
				Username   string  `json:"username"`
				EmployeeNo *string `json:"employee_no"`
			} `json:"data"`
			Total int `json:"total"`
		}
		admin.Do("GET", "/api/v1/users?q=hd-004", nil).Expect(200).JSON(&list)
		if list.Total != 1 || list.Data[0].Username != "a.member" || list.Data[0].EmployeeNo == nil {
			t.Fatalf("search by employee number %+v", list)
		}
		admin.Do("GET", "/api/v1/users?org_unit_id="+w.entA.String(), nil).Expect(200).JSON(&list)
		if list.Total != 0 {
			t.Fatalf("direct members of the enterprise %+v", list)
		}
		admin.Do("GET", "/api/v1/users?subtree=true&org_unit_id="+w.entA.String(), nil).Expect(200).JSON(&list)
		if list.Total != 1 || list.Data[0].Username != "a.member" {
			t.Fatalf("subtree %+v", list)
		}
		admin.Do("GET", "/api/v1/users?subtree=perhaps", nil).Problem(422, "validation_failed")
	})
}
