package hardening_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/config"
)

// Issue 14 §9: NUL bytes gave 500 on PostgreSQL (in q, tag, titles, token names
// and the unauthenticated login username). They are refused on both engines.
func TestNULBytesAreRefused(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		sup.Do("GET", "/api/v1/items?q=a%00b", nil).Problem(400, "bad_request")
		sup.Do("GET", "/api/v1/items?tag=%00", nil).Problem(400, "bad_request")
		sup.Do("GET", "/api/v1/items?q=%ff%fe", nil).Problem(400, "bad_request") // not UTF-8
		sup.Do("GET", "/api/v1/users?q=x%00", nil).Problem(400, "bad_request")
		body := itemBody(w, env, "")
		body["title"] = "标题\x00注入"
		assertField(t, sup.Do("POST", "/api/v1/items", body), "title")
		body = itemBody(w, env, "")
		body["tags"] = []string{"ok", "a\x00"}
		assertField(t, sup.Do("POST", "/api/v1/items", body), "tags[1]")
		assertField(t, sup.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x\x00y", "scopes": []string{"read"}}), "name")
		assertField(t, env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "sup\x00", "password": "x"}), "username")
		// Clean input still works.
		sup.Do("GET", "/api/v1/items?q=%E9%9A%90%E6%82%A3", nil).Expect(200)
	})
}

func assertField(t *testing.T, r *apitest.Response, field string) {
	t.Helper()
	p := r.Problem(422, "validation_failed")
	for _, e := range p["errors"].([]any) {
		if e.(map[string]any)["field"] == field {
			return
		}
	}
	t.Errorf("422 does not name %s: %s", field, r.Body)
}

// Issue 14 §11: X-Request-ID was accepted unvalidated (60 KB reflected and stored).
func TestRequestIDIsValidated(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		apitest.NewWorld(env)
		long := strings.Repeat("A", 60<<10)
		r := env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "sup", "password": "wrong-pass-1"},
			"X-Request-ID", long)
		got := r.Header.Get("X-Request-ID")
		if got == long || len(got) > 64 || strings.Contains(string(r.Body), long[:100]) {
			t.Fatalf("a 60 KB request id was reflected (%d bytes)", len(got))
		}
		var stored []string
		env.DB.Gorm().Table("audit_events").Pluck("request_id", &stored)
		for _, s := range stored {
			if len(s) > 64 {
				t.Fatalf("a %d-byte request id was stored", len(s))
			}
		}
		for _, id := range []string{"trace-01J9Z3S6Q8", "0190f0d4-2c1e-7c3b-9a61-1b2c3d4e5f60"} {
			if got := env.Do("GET", "/healthz", nil, "X-Request-ID", id).Header.Get("X-Request-ID"); got != id {
				t.Errorf("well-formed id %q answered as %q", id, got)
			}
		}
		for _, bad := range []string{"<script>", "a b", "x\ty"} {
			if got := env.Do("GET", "/healthz", nil, "X-Request-ID", bad).Header.Get("X-Request-ID"); got == bad {
				t.Errorf("id %q reflected", bad)
			}
		}
	})
}

// Issue 14 §11: no HSTS behind TLS. A request that came over TLS (here: through
// a trusted proxy that says so) gets Strict-Transport-Security.
func TestHSTSBehindTLS(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, func(c *config.Config) { c.TrustedProxies = []string{"127.0.0.1/32", "::1/128"} },
		func(t *testing.T, env *apitest.Env) {
			r := env.Do("GET", "/healthz", nil, "X-Forwarded-Proto", "https")
			if h := r.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=31536000") {
				t.Errorf("HSTS behind TLS: %q", h)
			}
			if h := env.Do("GET", "/healthz", nil).Header.Get("Strict-Transport-Security"); h != "" {
				t.Errorf("HSTS over plain HTTP: %q", h)
			}
		})
}

// Issue 14 §11: /metrics was open to all when the binary is reached directly. A
// token closes it; an address of its own moves it off the API's listener.
func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-0123456789"
	apitest.EachConfig(t, func(c *config.Config) { c.MetricsToken = token }, func(t *testing.T, env *apitest.Env) {
		env.As("").Do("GET", "/metrics", nil).Problem(401, "unauthorized")
		env.As("wrong-token-000000000").Do("GET", "/metrics", nil).Problem(401, "unauthorized")
		if r := env.As(token).Do("GET", "/metrics", nil).Expect(200); !strings.Contains(string(r.Body), "duban_http_requests_total") {
			t.Error("no metrics with the token")
		}
	})
	apitest.EachConfig(t, func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" }, func(t *testing.T, env *apitest.Env) {
		if r := env.Do("GET", "/metrics", nil); strings.Contains(string(r.Body), "go_goroutines") {
			t.Error("the API's listener still serves /metrics")
		}
		h := env.App.Server.MetricsHandler()
		if h == nil {
			t.Fatal("no metrics handler for the separate address")
		}
		rec := newRecorder()
		h.ServeHTTP(rec, mustRequest("GET", "/metrics"))
		if rec.code != http.StatusOK || !strings.Contains(rec.body.String(), "go_goroutines") {
			t.Errorf("separate metrics: %d", rec.code)
		}
	})
}

// Issue 14 §10: a deadline of 9999-12-31 was accepted, and every read of the item
// then took up to 1.9 s. Dates are bounded; an item that holds one already (written
// before the bound) reads normally.
func TestFarDatesAreRefused(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		r := sup.Do("POST", "/api/v1/items", itemBody(w, env, "9999-12-31"))
		assertField(t, r, "deadline")
		sup.Do("GET", "/api/v1/items?deadline_to=9999-12-31", nil).Problem(422, "validation_failed")
		id := w.ItemInProgress("远期事项", 30)
		if err := env.DB.Gorm().Table("items").Where("id = ?", id).Update("deadline", "9999-12-31").Error; err != nil {
			t.Fatal(err)
		}
		it := sup.Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).Map()
		if it["deadline"] != "9999-12-31" {
			t.Errorf("deadline %v", it["deadline"])
		}
		sup.Do("GET", "/api/v1/items", nil).Expect(200)
		env.As(env.Login("headb")).Do("GET", "/api/v1/me/todo", nil).Expect(200)
	})
}
