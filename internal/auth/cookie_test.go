package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/config"
)

// sessionCookie is the duban_refresh cookie a response sets, or nil.
func sessionCookie(r *apitest.Response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == auth.RefreshCookie {
			return c
		}
	}
	return nil
}

// cookieCall posts to an auth route with the refresh cookie and no body, as the SPA
// does; headers are name/value pairs.
func cookieCall(t *testing.T, env *apitest.Env, path, token string, headers ...string) *apitest.Response {
	t.Helper()
	req, err := http.NewRequest("POST", env.URL+"/api/v1/auth/"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: auth.RefreshCookie, Value: token})
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return env.Send(req)
}

// A browser's session lives in an HttpOnly, SameSite=Strict cookie on the auth
// routes, so every tab shares it: a refresh with the cookie alone works (and
// rotates it), a cross-site one is refused, and logout ends the session and clears
// the cookie (issue 11, point 18).
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		r := login(env, "zhangwei", apitest.TestPassword).Expect(200)
		var s apitest.Session
		r.JSON(&s)
		ck := sessionCookie(r)
		if ck == nil || ck.Value != s.RefreshToken || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode ||
			ck.Path != auth.RefreshCookiePath || !ck.Secure || ck.MaxAge <= 0 {
			t.Fatalf("login cookie %+v (Secure on a loopback address)", ck)
		}
		same := []string{auth.CSRFHeader, "fetch", "Origin", env.URL}

		// A refresh from the cookie alone, as a new tab does.
		r = cookieCall(t, env, "refresh", ck.Value, same...).Expect(200)
		var next apitest.Session
		r.JSON(&next)
		ck2 := sessionCookie(r)
		// A browser page gets the new refresh token in the cookie only.
		if ck2 == nil || ck2.Value == "" || ck2.Value == ck.Value || next.RefreshToken != "" || next.AccessToken == "" {
			t.Fatalf("refresh cookie %+v, body %s", ck2, r.Body)
		}
		// So does a login from a browser page: the cookie holds the session, the
		// body only the access token (no script of the page can read the other).
		r = env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "zhangwei", "password": apitest.TestPassword},
			auth.CSRFHeader, "fetch").Expect(200)
		var page apitest.Session
		r.JSON(&page)
		if pc := sessionCookie(r); pc == nil || pc.Value == "" || page.RefreshToken != "" || page.AccessToken == "" ||
			strings.Contains(string(r.Body), pc.Value) {
			t.Fatalf("login from a page: cookie %+v, body %s", pc, r.Body)
		}
		env.As(next.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)

		// CSRF: another site's Origin, a cross-site fetch, or no X-Requested-With.
		cookieCall(t, env, "refresh", ck2.Value, auth.CSRFHeader, "fetch", "Origin", "https://evil.example").Problem(403, auth.CodeCrossSite)
		cookieCall(t, env, "refresh", ck2.Value, auth.CSRFHeader, "fetch", "Sec-Fetch-Site", "cross-site").Problem(403, auth.CodeCrossSite)
		cookieCall(t, env, "refresh", ck2.Value, "Origin", env.URL).Problem(403, auth.CodeCrossSite)
		cookieCall(t, env, "logout", ck2.Value, auth.CSRFHeader, "fetch", "Origin", "https://evil.example").Problem(403, auth.CodeCrossSite)
		// The refused attempts did not spend the token.
		r = cookieCall(t, env, "refresh", ck2.Value, same...).Expect(200)
		ck3 := sessionCookie(r)
		var third apitest.Session
		r.JSON(&third)

		// Logout with the cookie ends the session everywhere and clears the cookie.
		r = cookieCall(t, env, "logout", ck3.Value, same...).Expect(204)
		if c := sessionCookie(r); c == nil || c.MaxAge >= 0 || c.Value != "" || c.Path != auth.RefreshCookiePath {
			t.Fatalf("logout cookie %+v", c)
		}
		env.As(third.AccessToken).Do("GET", "/api/v1/me", nil).Expect(401)
		r = cookieCall(t, env, "refresh", ck3.Value, same...)
		r.Problem(401, "unauthorized")
		if c := sessionCookie(r); c == nil || c.MaxAge >= 0 {
			t.Errorf("a refused cookie refresh keeps the cookie: %+v", c)
		}
		// Without a cookie or a token there is nothing to refresh; logout is a no-op.
		env.As("").Do("POST", "/api/v1/auth/refresh", nil, auth.CSRFHeader, "fetch").Problem(401, "unauthorized")
		env.As("").Do("POST", "/api/v1/auth/logout", nil).Expect(204)
	})
}

// Secure follows the connection: over https (or a proxy's X-Forwarded-Proto) and
// to a loopback host it is set; on plain http to another address (where browsers
// would drop a Secure cookie) it is not, unless DUBAN_COOKIE_SECURE=always.
func TestSessionCookieSecure(t *testing.T) {
	t.Parallel()
	for _, always := range []bool{false, true} {
		apitest.EachConfig(t, func(cfg *config.Config) {
			if always {
				cfg.CookieSecure = "always"
			}
		}, func(t *testing.T, env *apitest.Env) {
			newFixture(env)
			cases := []struct {
				host, proto string
				secure      bool
			}{
				{"duban.intranet", "", always},
				{"duban.intranet", "https", true},
				{"localhost:8080", "", true},
			}
			for _, c := range cases {
				req, err := http.NewRequest("POST", env.URL+"/api/v1/auth/login",
					strings.NewReader(`{"username":"zhangwei","password":"`+apitest.TestPassword+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Host = c.host
				req.Header.Set("Content-Type", "application/json")
				if c.proto != "" {
					req.Header.Set("X-Forwarded-Proto", c.proto)
				}
				ck := sessionCookie(env.Send(req).Expect(200))
				if ck == nil || ck.Secure != c.secure {
					t.Errorf("always=%v host %s proto %q: cookie %+v, want Secure=%v", always, c.host, c.proto, ck, c.secure)
				}
			}
		})
	}
}
