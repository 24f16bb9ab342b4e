package sso_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/sso/testidp"
)

var idpUsers = []testidp.User{
	{ID: "sub-zhang", Username: "zhang.wei", Password: "idp-pass-1", Name: "张伟", Email: "zhang.wei@example.com",
		EmailVerified: true, Claims: map[string]any{"employee_number": "E1001"}},
	{ID: "sub-wang", Username: "wang.fang", Password: "idp-pass-2", Name: "王芳", Email: "wang.fang@example.com",
		EmailVerified: true, Claims: map[string]any{"employee_number": "E1002"}},
	{ID: "sub-zhao", Username: "zhao.lei", Password: "idp-pass-3", Name: "赵磊", Email: "zhao@example.com",
		EmailVerified: false, Claims: map[string]any{"employee_number": "E1003"}},
}

// A person known to Duban signs in at the provider and gets a normal session:
// refresh rotates, logout and deactivation end it, and the audit log says oidc.
func TestOIDCLoginOpensANormalSession(t *testing.T) {
	t.Parallel()
	eachOIDC(t, idpUsers, nil, func(t *testing.T, e *oidcEnv) {
		unit := e.Unit("集团公司", "group", nil, false)
		zhang := e.User("zhang.wei", unit, access.RoleSupervisor)

		var methods struct {
			Password struct{ Enabled, BreakGlassOnly bool } `json:"password"`
			OIDC     struct {
				Enabled  bool   `json:"enabled"`
				LoginURL string `json:"login_url"`
			} `json:"oidc"`
			LDAP struct{ Enabled bool } `json:"ldap"`
		}
		e.Do("GET", "/api/v1/auth/methods", nil).Expect(200).JSON(&methods)
		if !methods.OIDC.Enabled || methods.OIDC.LoginURL != "/api/v1/auth/oidc/login" || methods.LDAP.Enabled || !methods.Password.Enabled {
			t.Fatalf("methods %+v", methods)
		}

		b := e.browser()
		loc := b.login("zhang.wei", "idp-pass-1")
		if loc.Query().Get("next") != "/items" {
			t.Fatalf("the return path is lost: %s", loc)
		}
		code := handoff(t, loc)
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": code}).Expect(200).JSON(&s)
		if s.User["id"] != zhang.String() || s.RefreshToken == "" {
			t.Fatalf("session %+v", s)
		}
		// The code works once.
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": code}).Problem(401, "invalid_login_code")
		if d := auditDetails(t, e.Env, audit.LoginSucceeded); d["method"] != "oidc" || d["session"] == nil {
			t.Fatalf("audit details %v", d)
		}
		e.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)

		// Refresh rotates like a password session; the old token is dead.
		var next apitest.Session
		e.Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}).Expect(200).JSON(&next)
		e.Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}).Expect(401)
		// Reuse revoked the whole family, as for passwords.
		e.Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": next.RefreshToken}).Expect(401)

		// A second login, then deactivation ends it.
		var s2 apitest.Session
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": handoff(t, e.browser().login("zhang.wei", "idp-pass-1"))}).
			Expect(200).JSON(&s2)
		e.SetActive(zhang, false)
		e.Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s2.RefreshToken}).Expect(401)
		loc = e.browser().login("zhang.wei", "idp-pass-1")
		if loc.Path != "/login" || loc.Query().Get("sso_error") != "sso_inactive" {
			t.Fatalf("a deactivated person landed on %s", loc)
		}
	})
}

func TestOIDCRefusals(t *testing.T) {
	t.Parallel()
	eachOIDC(t, idpUsers, nil, func(t *testing.T, e *oidcEnv) {
		e.Unit("集团公司", "group", nil, false)
		// wang.fang is unknown to Duban and creation is off.
		loc := e.browser().login("wang.fang", "idp-pass-2")
		if loc.Path != "/login" || loc.Query().Get("sso_error") != "sso_unknown_user" {
			t.Fatalf("unknown person landed on %s", loc)
		}
		if d := auditDetails(t, e.Env, audit.LoginFailed); d["method"] != "oidc" || d["reason"] != "unknown_user" {
			t.Fatalf("audit %v", d)
		}

		// The callback must come back to the browser that started the login, once.
		b := e.browser()
		resp := b.get(e.URL + "/api/v1/auth/oidc/login")
		readAll(t, resp)
		id := resp.Request.URL.Query().Get("authRequestID")
		noFollow := *b.client
		noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := noFollow.PostForm(e.idp.Issuer+"/login/username", url.Values{"id": {id}, "username": {"wang.fang"}, "password": {"idp-pass-2"}})
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		resp, err = noFollow.Get(resolve(t, resp))
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		callback := resolve(t, resp) // Duban's callback with code and state
		other := &http.Client{CheckRedirect: noFollow.CheckRedirect}
		resp, err = other.Get(callback)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if l := location(t, resp); l.Query().Get("sso_error") != "sso_expired" {
			t.Fatalf("another browser's callback landed on %s", l)
		}
		// The state died with that attempt: the right browser cannot use it either.
		resp, err = noFollow.Get(callback)
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if l := location(t, resp); l.Query().Get("sso_error") != "sso_expired" {
			t.Fatalf("a replayed callback landed on %s", l)
		}

		// A provider's refusal, and a callback without state.
		for q, want := range map[string]string{"error=access_denied&state=x": "sso_expired", "code=abc": "sso_expired"} {
			resp := b.get(e.URL + "/api/v1/auth/oidc/callback?" + q)
			readAll(t, resp)
			if l := location(t, resp); l.Query().Get("sso_error") != want {
				t.Errorf("callback ?%s landed on %s", q, l)
			}
		}
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": "nonsense"}).Problem(401, "invalid_login_code")
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{}).Expect(422)
		e.Do("POST", "/api/v1/auth/ldap/login", map[string]string{"username": "a", "password": "b"}).Problem(404, "sso_not_configured")
	})
}

// The handoff code lives two minutes.
func TestOIDCHandoffExpires(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config) { c.Clock = clock.NewFake(time.Now()) }
	eachOIDC(t, idpUsers, edit, func(t *testing.T, e *oidcEnv) {
		unit := e.Unit("集团公司", "group", nil, false)
		e.User("zhang.wei", unit, access.RoleMember)
		code := handoff(t, e.browser().login("zhang.wei", "idp-pass-1"))
		e.App.Config.Clock.(*clock.Fake).Advance(2*time.Minute + time.Second)
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": code}).Problem(401, "invalid_login_code")
	})
}

// Matching by employee number, and creating people at their first login.
func TestOIDCMatchByClaimAndCreate(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config) {
		c.SSO.OIDC.MatchClaim, c.SSO.OIDC.MatchField = "employee_number", "employee_no"
		c.SSO.CreateUsers, c.SSO.DefaultUnit = true, "NEWCOMERS"
	}
	eachOIDC(t, idpUsers, edit, func(t *testing.T, e *oidcEnv) {
		group := e.Unit("集团公司", "group", nil, false)
		newcomers := e.Unit("新员工", "department", &group, false)
		if err := e.DB.Gorm().Table("org_units").Where("id = ?", newcomers).Update("code", "NEWCOMERS").Error; err != nil {
			t.Fatal(err)
		}
		// Known by employee number under another username.
		known := e.User("zhangwei2026", group, access.RoleLeader)
		if err := e.DB.Gorm().Table("users").Where("id = ?", known).Update("employee_no", "E1001").Error; err != nil {
			t.Fatal(err)
		}
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": handoff(t, e.browser().login("zhang.wei", "idp-pass-1"))}).
			Expect(200).JSON(&s)
		if s.User["id"] != known.String() {
			t.Fatalf("matched %v, want %s", s.User["id"], known)
		}
		// wang.fang is new: created in the configured unit as a member, no password.
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": handoff(t, e.browser().login("wang.fang", "idp-pass-2"))}).
			Expect(200).JSON(&s)
		var row struct {
			Username, DisplayName, Email, PasswordHash, Source string
			OrgUnitID                                          string
			EmployeeNo                                         *string
		}
		if err := e.DB.Gorm().Table("users").Where("id = ?", s.User["id"]).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.Username != "wang.fang" || row.DisplayName != "王芳" || row.Email != "wang.fang@example.com" || row.PasswordHash != "" ||
			row.Source != "oidc" || row.OrgUnitID != newcomers.String() || row.EmployeeNo == nil || *row.EmployeeNo != "E1002" {
			t.Fatalf("created %+v", row)
		}
		if r := fmtRoles(s.User); r != "[member]" {
			t.Fatalf("roles %s", r)
		}
		// No local password: the password login refuses like any wrong password.
		e.Do("POST", "/api/v1/auth/login", map[string]string{"username": "wang.fang", "password": "anything-123"}).
			Problem(401, "invalid_credentials")
	})
}

// Local passwords off: only the break-glass admin keeps the password form.
func TestPasswordLoginTurnedOff(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config) { c.SSO.PasswordLogin, c.SSO.BreakGlassUsername = false, "rescue" }
	eachOIDC(t, idpUsers, edit, func(t *testing.T, e *oidcEnv) {
		unit := e.Unit("集团公司", "group", nil, false)
		e.User("zhang.wei", unit, access.RoleMember)
		e.User("rescue", unit, access.RoleAdmin)
		e.Do("POST", "/api/v1/auth/login", map[string]string{"username": "zhang.wei", "password": apitest.TestPassword}).
			Problem(403, "password_login_disabled")
		e.Do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"}).
			Problem(403, "password_login_disabled")
		e.Do("POST", "/api/v1/auth/login", map[string]string{"username": "rescue", "password": apitest.TestPassword}).Expect(200)
		var m map[string]map[string]any
		e.Do("GET", "/api/v1/auth/methods", nil).Expect(200).JSON(&m)
		if m["password"]["break_glass_only"] != true {
			t.Fatalf("methods %v", m)
		}
		// SSO still works.
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": handoff(t, e.browser().login("zhang.wei", "idp-pass-1"))}).Expect(200)
	})
}

// An unverified e-mail names nobody.
func TestOIDCUnverifiedEmailIsNoMatch(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config) { c.SSO.OIDC.MatchClaim, c.SSO.OIDC.MatchField = "email", "email" }
	eachOIDC(t, idpUsers, edit, func(t *testing.T, e *oidcEnv) {
		unit := e.Unit("集团公司", "group", nil, false)
		zhao := e.User("zhao", unit, access.RoleMember)
		zhang := e.User("zhang", unit, access.RoleMember)
		for id, mail := range map[string]string{zhao.String(): "zhao@example.com", zhang.String(): "Zhang.Wei@example.com"} {
			if err := e.DB.Gorm().Table("users").Where("id = ?", id).Update("email", mail).Error; err != nil {
				t.Fatal(err)
			}
		}
		if loc := e.browser().login("zhao.lei", "idp-pass-3"); loc.Query().Get("sso_error") != "sso_unknown_user" {
			t.Fatalf("unverified e-mail landed on %s", loc)
		}
		var s apitest.Session
		e.Do("POST", "/api/v1/auth/oidc/session", map[string]string{"code": handoff(t, e.browser().login("zhang.wei", "idp-pass-1"))}).
			Expect(200).JSON(&s)
		if s.User["id"] != zhang.String() {
			t.Fatalf("matched %v", s.User["id"])
		}
	})
}

// The provider down at start: Duban starts, and the login answers 503.
func TestOIDCProviderDown(t *testing.T) {
	t.Parallel()
	eachOIDC(t, idpUsers, nil, func(t *testing.T, e *oidcEnv) {
		_ = e.idp.Close()
		e.Do("GET", "/api/v1/auth/oidc/login", nil).Problem(503, "identity_provider_unavailable")
	})
}

func resolve(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("no redirect from %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	return loc.String()
}

func location(t *testing.T, resp *http.Response) *url.URL {
	t.Helper()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("no redirect from %s (%d)", resp.Request.URL, resp.StatusCode)
	}
	return loc
}

// A default unit that names nothing refuses the newcomer (and is logged), never 500.
func TestOIDCCreateWithoutDefaultUnit(t *testing.T) {
	t.Parallel()
	edit := func(c *config.Config) { c.SSO.CreateUsers, c.SSO.DefaultUnit = true, "NOWHERE" }
	eachOIDC(t, idpUsers, edit, func(t *testing.T, e *oidcEnv) {
		e.Unit("集团公司", "group", nil, false)
		if loc := e.browser().login("wang.fang", "idp-pass-2"); loc.Query().Get("sso_error") != "sso_unknown_user" {
			t.Fatalf("landed on %s", loc)
		}
		if d := auditDetails(t, e.Env, audit.LoginFailed); d["reason"] != "no_default_unit" {
			t.Fatalf("audit %v", d)
		}
	})
}
