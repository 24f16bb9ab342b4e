package authzmatrix

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/auth"
)

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// TestTokenScopes walks every protected route of the API with the admin's API
// tokens: one lacking exactly the route's scope (auth.RequiredScope, the one
// table) is refused 403 insufficient_scope naming it (session_required for the
// routes no token may use); one holding only that scope gets past the gate (any
// answer but those two). The gate runs before the handler, so the paths carry
// made-up ids.
func TestTokenScopes(t *testing.T) {
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(t, env)
		admin := f.actors[admin].id
		without := map[string]string{}
		only := map[string]string{}
		for _, s := range access.FineScopes {
			var rest []string
			for _, o := range access.FineScopes {
				if o != s {
					rest = append(rest, o)
				}
			}
			without[s] = f.apiToken(admin, strings.Join(rest, ","))
			only[s] = f.apiToken(admin, s)
		}
		every := f.apiToken(admin, strings.Join(access.FineScopes, ","))
		public := map[string]bool{}
		for _, r := range rows {
			if r.public {
				public[r.method+" "+r.route] = true
			}
		}
		seen := map[string]bool{}
		n := 0
		for _, rt := range env.App.Server.Echo.Routes() {
			key := rt.Method + " " + rt.Path
			if !apiRoute(rt.Method, rt.Path) || public[key] || seen[key] {
				continue
			}
			seen[key] = true
			n++
			need := auth.RequiredScope(rt.Method, rt.Path)
			id := "01234567-89ab-7def-8123-456789abcdef"
			if strings.HasPrefix(rt.Path, "/api/v1/assessments/:") {
				id = "2026-Q4.xlsx" // the one route whose parameter carries a suffix
			}
			path := routeParam.ReplaceAllString(rt.Path, id)
			if need == auth.ScopeSession {
				if st, code, _ := scopeProbe(t, env, rt.Method, path, every); st != 403 || code != auth.CodeSessionRequired {
					t.Errorf("%s with a token: %d %s, want 403 session_required", key, st, code)
				}
				continue
			}
			if !slices.Contains(access.FineScopes, need) {
				t.Errorf("%s needs %q, which is no scope", key, need)
				continue
			}
			st, code, missing := scopeProbe(t, env, rt.Method, path, without[need])
			if st != 403 || code != auth.CodeInsufficientScope || missing != need {
				t.Errorf("%s without %s: %d %s missing_scope=%q, want 403 insufficient_scope naming it", key, need, st, code, missing)
			}
			if st, code, _ := scopeProbe(t, env, rt.Method, path, only[need]); code == auth.CodeInsufficientScope || code == auth.CodeSessionRequired {
				t.Errorf("%s with only %s: %d %s, want past the gate", key, need, st, code)
			}
		}
		t.Logf("%d protected routes probed", n)
	})
}

// scopeProbe sends a request without a body and returns the status, the
// problem's code and missing_scope.
func scopeProbe(t *testing.T, env *apitest.Env, method, path, token string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, env.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusForbidden {
		if msg := apitest.CheckExchange(req, nil, resp.StatusCode, resp.Header, body); msg != "" {
			t.Error(msg)
		}
	}
	var p struct {
		Code    string `json:"code"`
		Missing string `json:"missing_scope"`
	}
	_ = json.Unmarshal(body, &p)
	return resp.StatusCode, p.Code, p.Missing
}
