package querycost_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestCost measures a few requests in statements and checks issue 10's targets.
func TestCost(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		headb := env.As(env.Login("headb"))
		id := w.ItemInProgress("查询成本", 30)
		item := "/api/v1/items/" + id.String()

		// Warm the caches (principal, calendar, settings) once.
		sup.Do("GET", "/api/v1/me", nil).Expect(200)
		sup.Do("GET", item, nil).Expect(200)

		measure := func(name string, max int64, fn func()) {
			t.Helper()
			c := env.QueryLog(fn)
			t.Logf("%-40s %3d statements (target ≤ %d)", name, c.N(), max)
			if c.N() > max {
				t.Errorf("%s: %d statements, want at most %d:\n  %s", name, c.N(), max, strings.Join(c.SQL(), "\n  "))
			}
		}
		// GET /attachments/policy reads no table: what it costs is authentication.
		measure("authentication (warm cache)", 1, func() { sup.Do("GET", "/api/v1/attachments/policy", nil).Expect(200) })
		measure("GET /me", 3, func() { sup.Do("GET", "/api/v1/me", nil).Expect(200) })
		measure("GET /items/{id}", 8, func() { sup.Do("GET", item, nil).Expect(200) })
		measure("POST /items/{id}/suspend", 12, func() {
			sup.Do("POST", item+"/suspend", map[string]string{"comment": "等待批复"}).Expect(200)
		})
		measure("POST /items/{id}/resume", 12, func() { sup.Do("POST", item+"/resume", nil).Expect(200) })

		// A comment costs the same on an item with many reports as on a fresh one.
		comment := func() int64 {
			return env.Queries(func() {
				sup.Do("POST", item+"/comments", map[string]string{"kind": "comment", "body": "请按期推进"}).Expect(201)
			})
		}
		before := comment()
		for i := range 30 {
			headb.Do("POST", item+"/feedback", map[string]any{"progress": i, "content": fmt.Sprintf("第%d次进展", i+1),
				"unit_id": w.DeptB, "submit": true}).Expect(201)
		}
		after := comment()
		t.Logf("%-40s %3d statements fresh, %d after 30 reports", "POST /items/{id}/comments", before, after)
		if after != before {
			t.Errorf("a comment costs %d statements after 30 reports, %d before", after, before)
		}
	})
}

// TestCachedPrincipalFollowsChanges: the cached principal is dropped when people
// or the organisation change through the API — a role given, a head named, a user
// deactivated — so the next request sees the change.
func TestCachedPrincipalFollowsChanges(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		admin := env.As(env.Login("admin1"))
		memberc := env.As(env.Login("memberc"))
		type me struct {
			Roles  []string `json:"roles"`
			HeadOf []string `json:"head_of"`
		}
		read := func() me {
			var m me
			memberc.Do("GET", "/api/v1/me", nil).Expect(200).JSON(&m)
			return m
		}
		if m := read(); len(m.Roles) != 1 || len(m.HeadOf) != 0 { // cached now
			t.Fatalf("before: %+v", m)
		}
		admin.Do("PATCH", "/api/v1/users/"+w.MemberC.String(), map[string]any{"roles": []string{"member", "leader"}}).Expect(200)
		if m := read(); len(m.Roles) != 2 {
			t.Errorf("after a role was given: %+v", m)
		}
		var unit struct {
			Version int `json:"version"`
		}
		admin.Do("GET", "/api/v1/org-units/"+w.DeptC.String(), nil).Expect(200).JSON(&unit)
		admin.Do("PATCH", "/api/v1/org-units/"+w.DeptC.String(), map[string]any{"head_user_id": w.MemberC}).Expect(200)
		if m := read(); len(m.HeadOf) != 1 {
			t.Errorf("after being named head: %+v", m)
		}
		admin.Do("PATCH", "/api/v1/users/"+w.MemberC.String(), map[string]any{"active": false}).Expect(200)
		memberc.Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
	})
}
