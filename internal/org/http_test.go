package org_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
)

// firstField is the field of the first error of a 422 problem.
func firstField(m map[string]any) string {
	errs, _ := m["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	f, _ := errs[0].(map[string]any)["field"].(string)
	return f
}

func actions(m map[string]any) []string {
	var out []string
	for _, a := range m["allowed_actions"].([]any) {
		out = append(out, a.(string))
	}
	return out
}

func TestHTTPTree(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		group := env.Unit("集团公司", "group", nil, false)
		env.User("http.admin", group, access.RoleAdmin)
		env.User("http.member", group, access.RoleMember)
		admin, member := env.As(env.Login("http.admin")), env.As(env.Login("http.member"))

		r := admin.Do("POST", "/api/v1/org-units", map[string]any{"name": "华东电力有限公司", "short_name": "华东电力", "kind": "enterprise", "parent_id": group.String(), "sort_order": 100}).Expect(201)
		ent := r.Map()
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/org-units/"+ent["id"].(string) {
			t.Fatalf("headers: %v", r.Header)
		}
		if ent["scope_id"] != ent["id"] || ent["parent_id"] != group.String() || !slices.Equal(actions(ent), []string{"delete", "update"}) {
			t.Fatalf("enterprise: %v", ent)
		}
		for i, name := range []string{"办公室", "生产技术部", "财务部"} {
			admin.Do("POST", "/api/v1/org-units", map[string]any{"name": name, "kind": "department", "parent_id": ent["id"],
				"is_supervision_office": i == 0, "sort_order": i}).Expect(201)
		}
		admin.Do("POST", "/api/v1/org-units", map[string]any{"name": "规划发展部", "kind": "department", "parent_id": group.String()}).Expect(201)

		var tree struct {
			Data  []map[string]any `json:"data"`
			Total int              `json:"total"`
		}
		member.Do("GET", "/api/v1/org-units?tree=true", nil).Expect(200).JSON(&tree)
		if tree.Total != 6 || len(tree.Data) != 1 || tree.Data[0]["id"] != group.String() {
			t.Fatalf("tree: %+v", tree)
		}
		kids := tree.Data[0]["children"].([]any)
		if len(kids) != 2 || kids[0].(map[string]any)["name"] != "规划发展部" {
			t.Fatalf("root children: %v", kids)
		}
		entNode := kids[1].(map[string]any)
		deps := entNode["children"].([]any)
		if len(deps) != 3 || deps[0].(map[string]any)["name"] != "办公室" || deps[0].(map[string]any)["is_supervision_office"] != true {
			t.Fatalf("enterprise children: %v", deps)
		}
		if leaf := deps[2].(map[string]any); leaf["children"] == nil || len(leaf["children"].([]any)) != 0 || leaf["scope_id"] != ent["id"] {
			t.Fatalf("leaf: %v", leaf)
		}
		if len(actions(entNode)) != 0 {
			t.Fatalf("member may %v", actions(entNode))
		}

		var page struct {
			Data     []map[string]any `json:"data"`
			Total    int              `json:"total"`
			Page     int              `json:"page"`
			PageSize int              `json:"page_size"`
		}
		member.Do("GET", "/api/v1/org-units?kind=department&page=2&page_size=2&sort=name", nil).Expect(200).JSON(&page)
		if page.Total != 4 || len(page.Data) != 2 || page.Page != 2 || page.PageSize != 2 {
			t.Fatalf("page: %+v", page)
		}
		if _, ok := page.Data[0]["children"]; ok {
			t.Fatal("a flat list carries children")
		}
		member.Do("GET", "/api/v1/org-units?parent_id="+ent["id"].(string)+"&q=财务", nil).Expect(200).JSON(&page)
		if page.Total != 1 || page.Data[0]["name"] != "财务部" {
			t.Fatalf("filtered: %+v", page)
		}
		member.Do("GET", "/api/v1/org-units?scope_id="+ent["id"].(string), nil).Expect(200).JSON(&page)
		if page.Total != 4 {
			t.Fatalf("scope filter: %d", page.Total)
		}
		for _, q := range []string{"page_size=500", "page=0", "kind=team", "parent_id=xyz", "tree=maybe", "sort=password"} {
			member.Do("GET", "/api/v1/org-units?"+q, nil).Problem(422, "validation_failed")
		}
		env.As("").Do("GET", "/api/v1/org-units", nil).Problem(401, "unauthorized")
	})
}

func TestHTTPWrites(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		group := env.Unit("集团公司", "group", nil, false)
		ent := env.Unit("西南能源有限公司", "enterprise", &group, false)
		office := env.Unit("办公室", "department", &ent, true)
		env.User("w.admin", group, access.RoleAdmin)
		staff := env.User("w.staff", office, access.RoleSupervisor)
		admin, staffC := env.As(env.Login("w.admin")), env.As(env.Login("w.staff"))
		units := func() int64 { return countUnits(t, env) }
		n := units()

		// Non-admins may not write, whatever the body.
		staffC.Do("POST", "/api/v1/org-units", map[string]any{"name": "x", "kind": "department", "parent_id": group.String()}).Problem(403, "forbidden")
		staffC.Do("POST", "/api/v1/org-units", `{"name": 5}`).Problem(403, "forbidden")
		staffC.Do("PATCH", "/api/v1/org-units/"+office.String(), map[string]any{"name": "y"}).Problem(403, "forbidden")
		staffC.Do("DELETE", "/api/v1/org-units/"+office.String(), nil).Problem(403, "forbidden")

		// Bad bodies: problems, nothing written.
		bad := []struct {
			body   any
			status int
			code   string
			field  string
		}{
			{`{"name": 5, "kind": "department"}`, 422, "validation_failed", "name"},
			{`{"name": "x", "kind": "department", "parent_id": 7}`, 422, "validation_failed", "parent_id"},
			{`{"name": "x", "kind": "department", "parent_id": "not-a-uuid"}`, 422, "validation_failed", "parent_id"},
			{`{"name": "x", "kind": "team", "parent_id": "` + group.String() + `"}`, 422, "validation_failed", "kind"},
			{`{"name": "x", "kind": "department", "parent_id": "` + group.String() + `", "colour": "red"}`, 422, "validation_failed", "colour"},
			{`{"name": "x", "kind": "group"}`, 422, "validation_failed", "kind"},
			{`{"name": "x", "kind": "department"}`, 422, "validation_failed", "parent_id"},
			{`{"name": "x", "kind": "department", "parent_id": "` + uuid.NewString() + `"}`, 422, "validation_failed", "parent_id"},
			{`{"name": "x"`, 400, "malformed_json", ""},
			{`[1, 2]`, 400, "malformed_json", ""},
		}
		for _, b := range bad {
			m := admin.Do("POST", "/api/v1/org-units", b.body).Problem(b.status, b.code)
			if b.field != "" && firstField(m) != b.field {
				t.Errorf("body %v: field %q, want %q", b.body, firstField(m), b.field)
			}
		}
		admin.Do("POST", "/api/v1/org-units", "name=x", "Content-Type", "text/plain").Problem(415, "unsupported_media_type")
		if units() != n {
			t.Fatal("refused writes created units")
		}

		// Cycle: the enterprise under its own office.
		m := admin.Do("PATCH", "/api/v1/org-units/"+ent.String(), map[string]any{"parent_id": office.String()}).Problem(422, "validation_failed")
		if firstField(m) != "parent_id" {
			t.Fatalf("cycle field: %v", m)
		}
		// If-Match: stale → 412, current → 200 with the next ETag.
		r := admin.Do("GET", "/api/v1/org-units/"+office.String(), nil).Expect(200)
		etag := r.Header.Get("ETag")
		admin.Do("PATCH", "/api/v1/org-units/"+office.String(), map[string]any{"name": "综合办公室"}, "If-Match", `"41"`).Problem(412, "precondition_failed")
		admin.Do("PATCH", "/api/v1/org-units/"+office.String(), map[string]any{"name": "综合办公室", "version": 41}).Problem(412, "precondition_failed")
		r = admin.Do("PATCH", "/api/v1/org-units/"+office.String(), map[string]any{
			"name": "综合办公室", "head_user_id": staff.String(), "liaison_user_ids": []string{staff.String()},
		}, "If-Match", etag).Expect(200)
		u := r.Map()
		if r.Header.Get("ETag") != `"2"` || u["name"] != "综合办公室" || u["head_user_id"] != staff.String() ||
			u["head"].(map[string]any)["username"] != "w.staff" || len(u["liaisons"].([]any)) != 1 {
			t.Fatalf("patched: %v %v", r.Header.Get("ETag"), u)
		}
		admin.Do("PATCH", "/api/v1/org-units/"+office.String(), map[string]any{"name": "x"}, "If-Match", etag).Problem(412, "precondition_failed")
		// A head from outside the subtree is refused; null clears it.
		m = admin.Do("PATCH", "/api/v1/org-units/"+ent.String(), map[string]any{"head_user_id": uuid.NewString()}).Problem(422, "validation_failed")
		if firstField(m) != "head_user_id" {
			t.Fatalf("head field: %v", m)
		}
		u = admin.Do("PATCH", "/api/v1/org-units/"+office.String(), `{"head_user_id": null, "liaison_user_ids": []}`).Expect(200).Map()
		if u["head_user_id"] != nil || u["head"] != nil || len(u["liaisons"].([]any)) != 0 {
			t.Fatalf("cleared: %v", u)
		}

		// Delete: in use → 409 with reasons; empty → 204; then 404.
		m = admin.Do("DELETE", "/api/v1/org-units/"+office.String(), nil).Problem(409, "unit_in_use")
		if reasons, _ := m["reasons"].([]any); len(reasons) != 1 {
			t.Fatalf("reasons: %v", m)
		}
		admin.Do("DELETE", "/api/v1/org-units/"+ent.String(), nil).Problem(409, "unit_in_use")
		tmp := admin.Do("POST", "/api/v1/org-units", map[string]any{"name": "临时组", "kind": "department", "parent_id": ent.String()}).Expect(201).Map()
		admin.Do("DELETE", "/api/v1/org-units/"+tmp["id"].(string), nil, "If-Match", `"1"`).Expect(204)
		admin.Do("GET", "/api/v1/org-units/"+tmp["id"].(string), nil).Problem(404, "not_found")
		admin.Do("GET", "/api/v1/org-units/not-a-uuid", nil).Problem(404, "not_found")
		admin.Do("PATCH", fmt.Sprintf("/api/v1/org-units/%s", uuid.New()), map[string]any{"name": "x"}).Problem(404, "not_found")
	})
}
