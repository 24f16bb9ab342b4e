package auth_test

import (
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
)

func changePassword(env *apitest.Env, current, next string) *apitest.Response {
	return env.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": current, "new_password": next})
}

// A user who must change the password may only read /me and change it; afterwards
// the same session works everywhere.
func TestMustChangePassword(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		env.SetMustChangePassword(f.user, true)
		s := env.LoginSession("zhangwei")
		if s.User["must_change_password"] != true {
			t.Errorf("login user %v: must_change_password not set", s.User)
		}
		me := env.As(s.AccessToken)
		me.Do("GET", "/api/v1/me", nil).Expect(200)
		me.Do("GET", "/api/v1/me/tokens", nil).Problem(403, "password_change_required")
		me.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"}}).Problem(403, "password_change_required")

		changePassword(me, apitest.TestPassword, "New-secret-2027").Expect(204)
		if got := me.Do("GET", "/api/v1/me", nil).Expect(200).Map()["must_change_password"]; got != false {
			t.Errorf("must_change_password %v after the change", got)
		}
		me.Do("GET", "/api/v1/me/tokens", nil).Expect(200)
		login(env, "zhangwei", apitest.TestPassword).Problem(401, "invalid_credentials")
		login(env, "zhangwei", "New-secret-2027").Expect(200)
	})
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		s := env.LoginSession("zhangwei")
		other := env.LoginSession("zhangwei")
		me := env.As(s.AccessToken)

		assertField(t, changePassword(me, "wrong-password-1", "New-secret-2027"), "current_password")
		for _, bad := range []string{
			"short1",             // too short
			"zhangwei-2027",      // contains the username
			"no-digits-anywhere", // no digit
			"1234567890",         // no letter
			apitest.TestPassword, // unchanged
		} {
			assertField(t, changePassword(me, apitest.TestPassword, bad), "new_password")
		}
		assertField(t, me.Do("PUT", "/api/v1/me/password", map[string]string{"new_password": "New-secret-2027"}), "current_password")
		env.As("").Do("PUT", "/api/v1/me/password", map[string]string{"current_password": "a", "new_password": "b"}).Problem(401, "unauthorized")

		changePassword(me, apitest.TestPassword, "New-secret-2027").Expect(204)
		// This session goes on, the other one is over.
		me.Do("GET", "/api/v1/me", nil).Expect(200)
		refresh(env, s.RefreshToken).Expect(200)
		env.As(other.AccessToken).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		refresh(env, other.RefreshToken).Problem(401, "unauthorized")
		if n := env.AuditCount(audit.PasswordChanged); n != 1 {
			t.Errorf("%d password_changed events, want 1", n)
		}
		var changedAt any
		if err := env.DB.Gorm().Table("users").Select("password_changed_at").Where("username = ?", "zhangwei").
			Row().Scan(&changedAt); err != nil || changedAt == nil {
			t.Errorf("password_changed_at not set (%v)", err)
		}
	})
}

// Guessing the current password through PUT /me/password counts towards the lockout.
func TestChangePasswordGuessingLocks(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		me := env.As(env.Login("zhangwei"))
		for range 5 {
			assertField(t, changePassword(me, "wrong-password-1", "New-secret-2027"), "current_password")
		}
		changePassword(me, apitest.TestPassword, "New-secret-2027").Problem(429, "rate_limited")
		login(env, "zhangwei", apitest.TestPassword).Problem(429, "rate_limited")
	})
}
