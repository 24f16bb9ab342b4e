package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/httpserver"
)

type probeBody struct {
	Title    string `json:"title" validate:"required,max=10"`
	Progress int    `json:"progress" validate:"gte=0,lte=100"`
	Kind     string `json:"kind" validate:"omitempty,oneof=a b"`
}

// testRoutes adds routes that exist only in this test: one that binds and validates a
// body, one that panics, one that leaks an internal error.
func testRoutes(a *app.App) {
	g := a.Server.API.Group("/_test")
	g.POST("/bind", func(c echo.Context) error {
		b, err := httpserver.Bind[probeBody](c)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, b)
	})
	g.GET("/panic", func(echo.Context) error { panic("SELECT secret FROM users -- boom") })
	g.GET("/fail", func(echo.Context) error { return errInternal })
}

type internalErr struct{}

func (internalErr) Error() string { return "pq: relation \"users\" does not exist" }

var errInternal = internalErr{}

func TestProblemResponses(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := apitest.Config(t)
			cfg.BodyLimit = "1K"
			env := apitest.Start(t, dbtest.New(t, d), cfg, testRoutes)
			cases := []struct {
				name         string
				method, path string
				body         any
				headers      []string
				status       int
				code         string
				field        string
			}{
				{"unknown route", "GET", "/api/v1/nothing-here", nil, nil, 404, "not_found", ""},
				{"wrong method", "DELETE", "/healthz", nil, nil, 405, "method_not_allowed", ""},
				{"malformed json", "POST", "/api/v1/_test/bind", `{"title": "x",`, nil, 400, "malformed_json", ""},
				{"syntax error", "POST", "/api/v1/_test/bind", `{"title" "x"}`, nil, 400, "malformed_json", ""},
				{"empty body", "POST", "/api/v1/_test/bind", "", nil, 400, "malformed_json", ""},
				{"not an object", "POST", "/api/v1/_test/bind", `[1,2]`, nil, 400, "malformed_json", ""},
				{"wrong type", "POST", "/api/v1/_test/bind", `{"title":"x","progress":"half"}`, nil, 422, "validation_failed", "progress"},
				{"unknown field", "POST", "/api/v1/_test/bind", `{"title":"x","colour":"red"}`, nil, 422, "validation_failed", "colour"},
				{"missing field", "POST", "/api/v1/_test/bind", `{"progress":5}`, nil, 422, "validation_failed", "title"},
				{"out of range", "POST", "/api/v1/_test/bind", `{"title":"x","progress":101}`, nil, 422, "validation_failed", "progress"},
				{"bad enum", "POST", "/api/v1/_test/bind", `{"title":"x","kind":"z"}`, nil, 422, "validation_failed", "kind"},
				{"too large", "POST", "/api/v1/_test/bind", `{"title":"` + strings.Repeat("x", 4096) + `"}`, nil, 413, "payload_too_large", ""},
				{"wrong content type", "POST", "/api/v1/_test/bind", `{"title":"x"}`, []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type", ""},
				{"panic", "GET", "/api/v1/_test/panic", nil, nil, 500, "internal_error", ""},
				{"internal error", "GET", "/api/v1/_test/fail", nil, nil, 500, "internal_error", ""},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					r := env.Do(tc.method, tc.path, tc.body, tc.headers...)
					p := r.Problem(tc.status, tc.code)
					if p["request_id"] == nil || p["request_id"] != r.Header.Get("X-Request-Id") {
						t.Errorf("problem request_id %v does not match header %q", p["request_id"], r.Header.Get("X-Request-Id"))
					}
					if strings.Contains(string(r.Body), "SELECT") || strings.Contains(string(r.Body), "pq:") || strings.Contains(string(r.Body), "goroutine") {
						t.Errorf("internal detail leaked: %s", r.Body)
					}
					if tc.field != "" {
						errs, _ := p["errors"].([]any)
						if len(errs) == 0 || errs[0].(map[string]any)["field"] != tc.field {
							t.Errorf("errors %v, want field %q first", p["errors"], tc.field)
						}
					}
				})
			}
			// A valid body passes through.
			env.Do("POST", "/api/v1/_test/bind", `{"title":"督办","progress":50}`).Expect(200)
		})
	}
}

func TestServiceEndpoints(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		env.Do("GET", "/healthz", nil).Expect(200)
		if got := env.Do("GET", "/readyz", nil).Expect(200).Map()["status"]; got != "ready" {
			t.Fatalf("readyz status %v", got)
		}
		m := string(env.Do("GET", "/metrics", nil).Expect(200).Body)
		for _, want := range []string{`duban_http_requests_total{method="GET",route="/readyz",status="200"} 1`, `go_sql_max_open_connections{db_name="duban"}`, "go_goroutines"} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		r := env.Do("GET", "/api/docs", nil).Expect(200)
		if !strings.Contains(string(r.Body), "/api/docs/swagger-ui-bundle.js") {
			t.Errorf("docs page does not load local assets: %s", r.Body)
		}
		if strings.Contains(string(r.Body), "cdn") || strings.Contains(string(r.Body), "https://") {
			t.Errorf("docs page loads from elsewhere: %s", r.Body)
		}
		env.Do("GET", "/api/docs/swagger-ui-bundle.js", nil).Expect(200)
		// HEAD works where GET does, for probes and for the app's pages.
		env.Do("HEAD", "/healthz", nil).Expect(200)
		env.Do("HEAD", "/", nil).Expect(200)
		env.Do("HEAD", "/items/123", nil).Expect(200)
		// Security headers on every answer.
		h := env.Do("GET", "/healthz", nil).Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Content-Security-Policy") == "" {
			t.Errorf("security headers missing: %v", h)
		}
	})
}

func TestReadyzFailsWithoutMigrations(t *testing.T) {
	t.Parallel()
	db := dbtest.OpenEmptySQLite(t)
	env := apitest.Start(t, db, apitest.Config(t))
	env.Do("GET", "/readyz", nil).Problem(503, "service_unavailable")
}

func TestCORS(t *testing.T) {
	t.Parallel()
	cfg := apitest.Config(t)
	cfg.CORSOrigins = []string{"https://spa.example.com"}
	env := apitest.Start(t, dbtest.NewSQLite(t), cfg)
	r := env.Do("OPTIONS", "/api/v1/openapi.json", nil, "Origin", "https://spa.example.com", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization,if-match")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://spa.example.com" {
		t.Fatalf("preflight from an allowed origin not allowed: %d %v", r.Status, r.Header)
	}
	r = env.Do("GET", "/healthz", nil, "Origin", "https://evil.example.com")
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("other origin allowed: %v", r.Header)
	}
}

func TestGzip(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t, dbtest.NewSQLite(t), apitest.Config(t))
	req, _ := http.NewRequest("GET", env.URL+"/api/docs/swagger-ui.css", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", resp.Header)
	}
}

// The API serves its own documents, anonymously: what integrators generate their
// clients from (and the last two operations the OpenAPI coverage check wants).
func TestServesItsOpenAPIDocuments(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t, dbtest.NewSQLite(t), apitest.Config(t))
	if r := env.Do("GET", "/api/v1/openapi.json", nil).Expect(200); !strings.Contains(string(r.Body), `"openapi": "3.`) {
		t.Fatalf("openapi.json: %.200s", r.Body)
	}
	if r := env.Do("GET", "/api/v1/openapi.yaml", nil).Expect(200); !strings.Contains(string(r.Body), "openapi: 3.") {
		t.Fatalf("openapi.yaml: %.200s", r.Body)
	}
}
