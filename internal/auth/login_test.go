package auth_test

import (
	"maps"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
)

// fixture is a group with its supervision office and one user, head of the office.
type fixture struct {
	group, office uuid.UUID
	user          uuid.UUID
}

func newFixture(env *apitest.Env) fixture {
	g := env.Unit("集团公司", "group", nil, false)
	office := env.Unit("办公厅", "department", &g, true)
	u := env.User("zhangwei", office, access.RoleSupervisor, access.RoleMember)
	env.SetHead(office, u)
	return fixture{group: g, office: office, user: u}
}

func login(env *apitest.Env, username, password string) *apitest.Response {
	return env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
}

func TestLoginAndMe(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		r := login(env, "zhangwei", apitest.TestPassword).Expect(200)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		var s apitest.Session
		r.JSON(&s)
		if s.AccessToken == "" || len(s.RefreshToken) != 43 || s.TokenType != "Bearer" || s.ExpiresIn != 900 {
			t.Fatalf("login answer %s", r.Body)
		}
		me := env.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200).Map()
		want := map[string]any{
			"id": f.user.String(), "username": "zhangwei", "display_name": "zhangwei",
			"org_unit_id": f.office.String(), "org_unit_name": "办公厅", "scope_id": f.group.String(),
			"roles": []any{"member", "supervisor"}, "email": "", "phone": "", "title": "",
			"must_change_password": false, "is_supervision_office": true,
			"head_of": []any{f.office.String()}, "liaison_of": []any{}, "acting_for": []any{},
			"kind": "person", "may_have_tokens": true,
		}
		for k, v := range want {
			if !equalJSON(me[k], v) {
				t.Errorf("GET /me %s = %v, want %v", k, me[k], v)
			}
		}
		if len(me) != len(want) {
			t.Errorf("GET /me has fields %v, want exactly %v", keys(me), keys(want))
		}
		if !equalJSON(s.User, me) {
			t.Errorf("login user %v differs from GET /me %v", s.User, me)
		}
		if n := env.AuditCount(audit.LoginSucceeded); n != 1 {
			t.Errorf("%d login_succeeded events, want 1", n)
		}
	})
}

// Unknown user, wrong password and inactive account answer alike.
func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		other := env.User("lisi", f.office, access.RoleMember)
		env.SetActive(other, false)
		var bodies []map[string]any
		for _, c := range [][2]string{
			{"zhangwei", "wrong-password-1"},
			{"nobody", "wrong-password-1"},
			{"lisi", apitest.TestPassword},
		} {
			p := login(env, c[0], c[1]).Problem(401, "invalid_credentials")
			delete(p, "request_id")
			bodies = append(bodies, p)
		}
		for i := 1; i < len(bodies); i++ {
			if !maps.Equal(stringify(bodies[0]), stringify(bodies[i])) {
				t.Errorf("failure bodies differ:\n%v\n%v", bodies[0], bodies[i])
			}
		}
		if n := env.AuditCount(audit.LoginFailed); n != 3 {
			t.Errorf("%d login_failed events, want 3", n)
		}
		// Validation of the body.
		r := env.Do("POST", "/api/v1/auth/login", map[string]string{"username": "zhangwei"})
		assertField(t, r, "password")
		r = env.Do("POST", "/api/v1/auth/login", map[string]string{"password": "x"})
		assertField(t, r, "username")
		env.Do("POST", "/api/v1/auth/login", `{"username":`).Problem(400, "malformed_json")
	})
}

func TestInactiveUser(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		s := env.LoginSession("zhangwei")
		tok := createToken(env.As(s.AccessToken), "read")
		env.SetActive(f.user, false)
		login(env, "zhangwei", apitest.TestPassword).Problem(401, "invalid_credentials")
		env.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		env.As(tok).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		refresh(env, s.RefreshToken).Problem(401, "unauthorized")
		// Active again: the old session stays over, a new login works.
		env.SetActive(f.user, true)
		refresh(env, s.RefreshToken).Problem(401, "unauthorized")
		login(env, "zhangwei", apitest.TestPassword).Expect(200)
	})
}

// Five failures lock the username; while locked even the right password gets 429.
func TestLockoutPerUsername(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		env.User("lisi", f.office, access.RoleMember)
		for range 5 {
			login(env, "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		for _, pw := range []string{"wrong-password-1", apitest.TestPassword} {
			r := login(env, "ZhangWei", pw) // the counter ignores case
			p := r.Problem(429, "rate_limited")
			ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if err != nil || ra < 890 || ra > 900 {
				t.Errorf("Retry-After %q, want about 900 seconds", r.Header.Get("Retry-After"))
			}
			if p["retry_after"] != float64(ra) {
				t.Errorf("retry_after member %v, header %d", p["retry_after"], ra)
			}
		}
		login(env, "zhangwei", apitest.TestPassword).Problem(429, "rate_limited")
		if n := env.AuditCount(audit.LoginLocked); n != 1 {
			t.Errorf("%d locked_out events, want 1", n)
		}
		// Another user from the same address is not affected.
		login(env, "lisi", apitest.TestPassword).Expect(200)
		// When the lock has run out, the right password works again.
		expireLocks(t, env)
		login(env, "zhangwei", apitest.TestPassword).Expect(200)
	})
}

// A successful login resets the username's counter.
func TestLoginResetsFailures(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		for range 4 {
			login(env, "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		login(env, "zhangwei", apitest.TestPassword).Expect(200)
		for range 4 {
			login(env, "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		login(env, "zhangwei", apitest.TestPassword).Expect(200)
	})
}

// Twenty failures from one address lock the address for every username.
func TestLockoutPerAddress(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		for i := range 20 {
			login(env, "guess"+strconv.Itoa(i%10), "wrong-password-1").Problem(401, "invalid_credentials")
		}
		r := login(env, "zhangwei", apitest.TestPassword)
		r.Problem(429, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if n := env.AuditCount(audit.LoginLocked); n != 1 {
			t.Errorf("%d locked_out events, want 1 (the address)", n)
		}
	})
}
