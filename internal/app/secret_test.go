package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
)

// With PostgreSQL the JWT secret must be configured: a generated one would differ
// from process to process. The embedded database still generates and keeps one.
func TestJWTSecretRequiredWithPostgres(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := apitest.Config(t)
			cfg.JWTSecret = ""
			_, err := app.Build(context.Background(), cfg, dbtest.New(t, d), nil)
			if d == database.Postgres {
				if err == nil || !strings.Contains(err.Error(), "DUBAN_JWT_SECRET is required") {
					t.Fatalf("PostgreSQL without DUBAN_JWT_SECRET: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("SQLite without DUBAN_JWT_SECRET: %v", err)
			}
			if b, err := os.ReadFile(filepath.Join(cfg.DataDir, "jwt.secret")); err != nil || len(b) < 32 {
				t.Fatalf("generated secret: %q, %v", b, err)
			}
		})
	}
}

// A key rotation on a running deployment, each step a restart of the application on
// the same database: nobody is logged out. Access tokens signed with the old key keep
// working while it is still accepted; once it is retired they are refused (401) but
// the refresh token, which is not a JWT, still gets the user a new access token.
func TestJWTKeyRotationKeepsSessions(t *testing.T) {
	t.Parallel()
	const (
		oldKey = "rotation-old-key-rotation-old-key-0001"
		newKey = "rotation-new-key-rotation-new-key-0002"
	)
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := dbtest.New(t, d)
			boot := func(secret string, previous ...string) *apitest.Env {
				cfg := apitest.Config(t)
				cfg.JWTSecret, cfg.JWTPreviousSecrets = secret, previous
				return apitest.Start(t, db, cfg)
			}
			before := boot(oldKey)
			unit := before.Unit("办公厅", "department", nil, true)
			before.User("rotor", unit)
			s := before.LoginSession("rotor")
			before.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)

			announced := boot(oldKey, newKey)
			announced.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)

			switched := boot(newKey, oldKey)
			switched.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
			fresh := switched.LoginSession("rotor")
			// Processes not yet restarted (still signing with the old key, the new one
			// announced) accept what the switched ones issue.
			announced.As(fresh.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)

			retired := boot(newKey)
			retired.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Expect(401)
			retired.As(fresh.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
			var pair apitest.Session
			retired.As("").Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": s.RefreshToken}).Expect(200).JSON(&pair)
			if pair.AccessToken == "" {
				t.Fatal("refresh gave no access token")
			}
			retired.As(pair.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
		})
	}
}
