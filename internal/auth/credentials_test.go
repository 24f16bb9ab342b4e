package auth_test

import (
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
)

// Issue 14 §4: personal API tokens must not outlive the password. Before the fix a
// token kept working after a password change, an admin's reset, and came back to
// life when a deactivated user was reactivated.

func TestPasswordChangeRevokesAPITokens(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		me := env.As(env.Login("zhangwei"))
		tok := createToken(me, "read", "write")
		me.Do("PUT", "/api/v1/me/password", map[string]any{
			"current_password": apitest.TestPassword, "new_password": "Quiet-river-2026",
		}).Expect(204)
		env.As(tok).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")

		// The user may choose to keep them.
		kept := createToken(me, "read")
		me.Do("PUT", "/api/v1/me/password", map[string]any{
			"current_password": "Quiet-river-2026", "new_password": "Quiet-forest-2027", "keep_api_tokens": true,
		}).Expect(204)
		env.As(kept).Do("GET", "/api/v1/me", nil).Expect(200)
	})
}

func TestResetAndDeactivationRevokeAPITokens(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		env.User("root.admin", f.office, access.RoleAdmin)
		admin := env.As(env.Login("root.admin"))
		path := "/api/v1/users/" + f.user.String()

		tok := createToken(env.As(env.Login("zhangwei")), "read")
		admin.Do("PATCH", path, map[string]any{"password": "Reset-2026-xyz"}).Expect(200)
		env.As(tok).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")

		env.SetMustChangePassword(f.user, false)
		var s struct {
			AccessToken string `json:"access_token"`
		}
		env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "zhangwei", "password": "Reset-2026-xyz"}).
			Expect(200).JSON(&s)
		tok = createToken(env.As(s.AccessToken), "read")
		admin.Do("PATCH", path, map[string]any{"active": false}).Expect(200)
		admin.Do("PATCH", path, map[string]any{"active": true}).Expect(200)
		env.As(tok).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
	})
}
