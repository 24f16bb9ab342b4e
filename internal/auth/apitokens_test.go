package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
)

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		me := env.As(env.Login("zhangwei"))

		r := me.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "OA integration", "scopes": []string{"read"}}).Expect(201)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Error("the created token's answer may be cached")
		}
		created := r.Map()
		secret, _ := created["token"].(string)
		if !strings.HasPrefix(secret, "dbn_") || len(secret) != 47 || created["prefix"] != secret[:8] {
			t.Fatalf("created token %v", created)
		}
		if created["name"] != "OA integration" || !equalJSON(created["scopes"], []string{"items:read", "todo:read"}) || created["expires_at"] != nil {
			t.Errorf("created token %v", created)
		}

		// Listed, without the secret.
		r = me.Do("GET", "/api/v1/me/tokens", nil).Expect(200)
		if strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), `"token"`) {
			t.Errorf("the list shows the secret: %s", r.Body)
		}
		list := r.Map()
		if list["total"] != float64(1) || list["page"] != float64(1) || list["page_size"] != float64(20) {
			t.Errorf("list %s", r.Body)
		}
		if data := list["data"].([]any); len(data) != 1 || data[0].(map[string]any)["id"] != created["id"] {
			t.Errorf("list data %v", data)
		}

		// The token reads.
		ro := env.As(secret)
		got := ro.Do("GET", "/api/v1/me", nil).Expect(200).Map()
		if got["username"] != "zhangwei" || !equalJSON(got["token_scopes"], []string{"items:read", "todo:read"}) {
			t.Errorf("GET /me with the token: %v", got)
		}
		var lastUsed any
		for _, tk := range me.Do("GET", "/api/v1/me/tokens", nil).Expect(200).Map()["data"].([]any) {
			lastUsed = tk.(map[string]any)["last_used_at"]
		}
		if lastUsed == nil {
			t.Error("last_used_at not set after use")
		}
		// ... and may not write: the route's scope is named.
		r = ro.Do("POST", "/api/v1/items", map[string]any{"title": "x"})
		if pr := r.Problem(403, "insufficient_scope"); pr["missing_scope"] != "items:write" {
			t.Errorf("problem %v", pr)
		}
		if !strings.Contains(r.Header.Get("WWW-Authenticate"), `scope="items:write"`) {
			t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
		}
		ro.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"}}).Problem(403, "session_required")
		ro.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": apitest.TestPassword, "new_password": "Another-pass-99"}).
			Problem(403, "session_required")
		ro.Do("DELETE", "/api/v1/me/tokens/"+created["id"].(string), nil).Problem(403, "session_required")

		// A write token writes, but never manages credentials.
		rw := env.As(createToken(me, "read", "write"))
		rw.Do("GET", "/api/v1/me", nil).Expect(200)
		rw.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"}}).Problem(403, "session_required")
		rw.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": apitest.TestPassword, "new_password": "Another-pass-99"}).
			Problem(403, "session_required")

		// Revoked: gone from the list and dead.
		me.Do("DELETE", "/api/v1/me/tokens/"+created["id"].(string), nil).Expect(204)
		ro.Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		me.Do("DELETE", "/api/v1/me/tokens/"+created["id"].(string), nil).Problem(404, "not_found")
		if n := me.Do("GET", "/api/v1/me/tokens", nil).Expect(200).Map()["total"]; n != float64(1) {
			t.Errorf("total after revoking %v, want 1", n)
		}
		if env.AuditCount(audit.TokenCreated) != 2 || env.AuditCount(audit.TokenRevoked) != 1 {
			t.Errorf("audit: %d created, %d revoked", env.AuditCount(audit.TokenCreated), env.AuditCount(audit.TokenRevoked))
		}
		me.Do("DELETE", "/api/v1/me/tokens/not-a-uuid", nil).Problem(404, "not_found")
	})
}

// Tokens are private to their owner.
func TestAPITokenOwnership(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		env.User("lisi", f.office, access.RoleMember)
		zhang, li := env.As(env.Login("zhangwei")), env.As(env.Login("lisi"))
		var tok struct{ ID string }
		zhang.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "mine", "scopes": []string{"read"}}).Expect(201).JSON(&tok)
		li.Do("DELETE", "/api/v1/me/tokens/"+tok.ID, nil).Problem(404, "not_found")
		if n := li.Do("GET", "/api/v1/me/tokens", nil).Expect(200).Map()["total"]; n != float64(0) {
			t.Errorf("lisi sees %v tokens", n)
		}
		zhang.Do("DELETE", "/api/v1/me/tokens/"+tok.ID, nil).Expect(204)
	})
}

func TestAPITokenExpiry(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		me := env.As(env.Login("zhangwei"))
		past := time.Now().Add(-time.Hour).Format(time.RFC3339)
		assertField(t, me.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"}, "expires_at": past}), "expires_at")

		soon := time.Now().Add(time.Hour).Truncate(time.Second)
		var tok struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		me.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"write"}, "expires_at": soon.Format(time.RFC3339)}).
			Expect(201).JSON(&tok)
		if !tok.ExpiresAt.Equal(soon) {
			t.Errorf("expires_at %v, want %v", tok.ExpiresAt, soon)
		}
		env.As(tok.Token).Do("GET", "/api/v1/me", nil).Expect(200)
		if err := env.DB.Gorm().Table("api_tokens").Where("1 = 1").Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		env.As(tok.Token).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
	})
}

func TestAPITokenValidation(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		me := env.As(env.Login("zhangwei"))
		cases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"scopes": []string{"read"}}, "name"},
			{map[string]any{"name": "  ", "scopes": []string{"read"}}, "name"},
			{map[string]any{"name": strings.Repeat("n", 101), "scopes": []string{"read"}}, "name"},
			{map[string]any{"name": "x"}, "scopes"},
			{map[string]any{"name": "x", "scopes": []string{}}, "scopes"},
			{map[string]any{"name": "x", "scopes": []string{"admin"}}, "scopes[0]"},
			{map[string]any{"name": "x", "scopes": []string{"read", "read"}}, "scopes"},
		}
		for _, c := range cases {
			assertField(t, me.Do("POST", "/api/v1/me/tokens", c.body), c.field)
		}
		assertField(t, me.Do("GET", "/api/v1/me/tokens?page_size=101", nil), "page_size")
		assertField(t, me.Do("GET", "/api/v1/me/tokens?page=zero", nil), "page")
	})
}
