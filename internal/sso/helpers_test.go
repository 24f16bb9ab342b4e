package sso_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/sso/testidp"
)

// startOn builds the application with cfg and serves it on l, whose address cfg's
// public URL already names (an OIDC redirect URI must be known before the start).
func startOn(t *testing.T, db *database.DB, cfg config.Config, l net.Listener) *apitest.Env {
	t.Helper()
	a, err := app.Build(context.Background(), cfg, db, nil)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	srv := httptest.NewUnstartedServer(a.Server.Echo)
	_ = srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return &apitest.Env{T: t, App: a, DB: db, URL: srv.URL, Client: srv.Client()}
}

// oidcEnv is Duban configured for the test provider, on one engine.
type oidcEnv struct {
	*apitest.Env
	idp *testidp.Server
}

// eachOIDC runs fn on both engines against a fresh provider with users; edit
// changes Duban's configuration.
func eachOIDC(t *testing.T, users []testidp.User, edit func(*config.Config), fn func(t *testing.T, e *oidcEnv)) {
	t.Helper()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			public := "http://" + l.Addr().String()
			idp, err := testidp.Start("127.0.0.1:0", testidp.Options{
				ClientID: "duban", ClientSecret: "duban-client-secret",
				RedirectURIs: []string{public + "/api/v1/auth/oidc/callback"}, Users: users,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = idp.Close() })
			cfg := apitest.Config(t)
			cfg.SSO.PublicURL = public
			cfg.SSO.OIDC = config.OIDC{Issuer: idp.Issuer, ClientID: "duban", ClientSecret: "duban-client-secret",
				Scopes: []string{"profile", "email"}, MatchClaim: "preferred_username", MatchField: "username"}
			if edit != nil {
				edit(&cfg)
			}
			fn(t, &oidcEnv{Env: startOn(t, dbtest.New(t, d), cfg, l), idp: idp})
		})
	}
}

// browser is an HTTP client with cookies that stops at the web app's pages.
type browser struct {
	t      *testing.T
	client *http.Client
	duban  string
}

func (e *oidcEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: e.T.(*testing.T), duban: e.URL}
	b.client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), e.URL+"/login") {
			return http.ErrUseLastResponse // the web app's pages: the SPA takes over there
		}
		return nil
	}}
	return b
}

func (b *browser) get(u string) *http.Response {
	b.t.Helper()
	resp, err := b.client.Get(u)
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	return resp
}

// login runs the OIDC login as a person signing in at the provider's page with
// username and password, and answers where Duban finally sends the browser.
func (b *browser) login(username, password string) *url.URL {
	b.t.Helper()
	resp := b.get(b.duban + "/api/v1/auth/oidc/login?return_to=/items")
	page := readAll(b.t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="password"`) {
		b.t.Fatalf("expected the provider's login page, got %d %s: %s", resp.StatusCode, resp.Request.URL, page)
	}
	id := resp.Request.URL.Query().Get("authRequestID")
	resp, err := b.client.PostForm(resp.Request.URL.Scheme+"://"+resp.Request.URL.Host+"/login/username",
		url.Values{"id": {id}, "username": {username}, "password": {password}})
	if err != nil {
		b.t.Fatalf("post the provider's login form: %v", err)
	}
	body := readAll(b.t, resp)
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("after the provider's login: %d %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		b.t.Fatal(err)
	}
	return loc
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// handoff reads the one-time code from /login/sso#code=….
func handoff(t *testing.T, loc *url.URL) string {
	t.Helper()
	if loc.Path != "/login/sso" {
		t.Fatalf("landed on %s, want /login/sso", loc)
	}
	frag, err := url.ParseQuery(loc.Fragment)
	if err != nil || frag.Get("code") == "" {
		t.Fatalf("no code in %s", loc)
	}
	return frag.Get("code")
}

// auditDetails returns the details of the newest audit event with the action.
func auditDetails(t *testing.T, e *apitest.Env, action string) map[string]any {
	t.Helper()
	var rows []string
	if err := e.DB.Gorm().Table("audit_events").Where("action = ?", action).Order("at DESC").Order("id DESC").Limit(1).
		Pluck("details", &rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("no audit event %s", action)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(rows[0]), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func fmtRoles(m map[string]any) string { return fmt.Sprint(m["roles"]) }
