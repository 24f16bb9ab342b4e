package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
)

// Refresh rotates; presenting an old refresh token again kills the whole family,
// including the newest refresh token and the family's access tokens.
func TestRefreshRotationAndReuse(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		first := env.LoginSession("zhangwei")
		other := env.LoginSession("zhangwei") // another device: a family of its own

		var second apitest.Session
		refresh(env, first.RefreshToken).Expect(200).JSON(&second)
		if second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken || second.TokenType != "Bearer" {
			t.Fatalf("refresh did not rotate: %+v", second)
		}
		if second.User["username"] != "zhangwei" {
			t.Errorf("refresh answer user %v", second.User)
		}
		env.As(second.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
		env.As(first.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200) // rotation alone does not end access tokens

		var third apitest.Session
		refresh(env, second.RefreshToken).Expect(200).JSON(&third)

		// Reuse of the first (used) token: 401, and the family is gone.
		refresh(env, first.RefreshToken).Problem(401, "unauthorized")
		refresh(env, third.RefreshToken).Problem(401, "unauthorized")
		for _, tok := range []string{first.AccessToken, second.AccessToken, third.AccessToken} {
			env.As(tok).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		}
		if n := env.AuditCount(audit.RefreshReused); n != 2 {
			// once for the first token, once for the (revoked) third
			t.Errorf("%d refresh_reused events, want 2", n)
		}
		// The other device's session is untouched.
		env.As(other.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
		refresh(env, other.RefreshToken).Expect(200)

		refresh(env, "no-such-token").Problem(401, "unauthorized")
		// No token in the body means the session cookie (cookie_test.go); without
		// one either there is nothing to refresh.
		env.As("").Do("POST", "/api/v1/auth/refresh", map[string]string{}).Problem(401, "unauthorized")
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		s := env.LoginSession("zhangwei")
		other := env.LoginSession("zhangwei")
		env.As("").Do("POST", "/api/v1/auth/logout", map[string]string{"refresh_token": s.RefreshToken}).Expect(204)
		refresh(env, s.RefreshToken).Problem(401, "unauthorized")
		env.As(s.AccessToken).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		env.As(other.AccessToken).Do("GET", "/api/v1/me", nil).Expect(200)
		if n := env.AuditCount(audit.Logout); n != 1 {
			t.Errorf("%d logout events, want 1", n)
		}
		// Unknown and missing tokens (no body token and no cookie) log out quietly.
		env.As("").Do("POST", "/api/v1/auth/logout", map[string]string{"refresh_token": "unknown"}).Expect(204)
		env.As("").Do("POST", "/api/v1/auth/logout", map[string]string{}).Expect(204)
	})
}

// The refresh token expires.
func TestRefreshExpired(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		s := env.LoginSession("zhangwei")
		if err := env.DB.Gorm().Table("refresh_tokens").Where("1 = 1").
			Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			t.Fatal(err)
		}
		refresh(env, s.RefreshToken).Problem(401, "unauthorized")
	})
}

// Every kind of bad access token answers 401 with a Bearer challenge.
func TestBadAccessTokens(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		good := env.OpenSession(f.user)
		env.As(good).Do("GET", "/api/v1/me", nil).Expect(200)
		// Within the 30 s leeway an expired token still works.
		env.As(env.OpenSession(f.user, func(c *auth.Claims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-10 * time.Second))
		})).Do("GET", "/api/v1/me", nil).Expect(200)

		parts := strings.Split(good, ".")
		tampered := parts[0] + "." + parts[1] + "." + flipFirst(parts[2])
		cfg := env.AuthConfig()
		parsed, err := auth.ParseAccessToken(cfg, good, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// Claims that would pass if the signature were accepted: a live session.
		claims := func() auth.Claims {
			now := time.Now()
			return auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
				Issuer: cfg.Issuer, Subject: f.user.String(), Audience: jwt.ClaimStrings{cfg.Audience},
				ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), IssuedAt: jwt.NewNumericDate(now), ID: "x",
			}, SessionID: parsed.SessionID.String()}
		}
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
		wrongKey, _ := auth.SignClaims([]byte("some-other-secret-some-other-secret-99"), claims())
		hs384, _ := jwt.NewWithClaims(jwt.SigningMethodHS384, claims()).SignedString(cfg.Secret)

		cases := map[string]string{
			"expired": env.OpenSession(f.user, func(c *auth.Claims) {
				c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute))
			}),
			"no expiry":          env.OpenSession(f.user, func(c *auth.Claims) { c.ExpiresAt = nil }),
			"wrong audience":     env.OpenSession(f.user, func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other"} }),
			"wrong issuer":       env.OpenSession(f.user, func(c *auth.Claims) { c.Issuer = "other" }),
			"unknown session":    env.OpenSession(f.user, func(c *auth.Claims) { c.SessionID = uuid.NewString() }),
			"unknown user":       env.OpenSession(f.user, func(c *auth.Claims) { c.Subject = uuid.NewString() }),
			"tampered signature": tampered,
			"alg none":           none,
			"alg HS384":          hs384,
			"wrong key":          wrongKey,
			"garbage":            "abc.def.ghi",
			"unknown API token":  "dbn_" + strings.Repeat("A", 43),
		}
		for name, tok := range cases {
			r := env.As(tok).Do("GET", "/api/v1/me", nil)
			if r.Status != 401 {
				t.Errorf("%s: status %d, want 401; %s", name, r.Status, r.Body)
				continue
			}
			r.Problem(401, "unauthorized")
			if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") || !strings.Contains(h, "invalid_token") {
				t.Errorf("%s: WWW-Authenticate %q", name, h)
			}
		}
		// No credentials, or not a bearer token.
		for _, h := range []string{"", "Basic dXNlcjpwdw==", "Bearer "} {
			r := env.As("").Do("GET", "/api/v1/me", nil, "Authorization", h)
			r.Problem(401, "unauthorized")
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("header %q: no Bearer challenge", h)
			}
		}
	})
}

func flipFirst(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

// Of concurrent refreshes with one token exactly one wins; the others count as reuse.
func TestConcurrentRefresh(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		s := env.LoginSession("zhangwei")
		const n = 6
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				body := strings.NewReader(`{"refresh_token":"` + s.RefreshToken + `"}`)
				resp, err := env.Client.Post(env.URL+"/api/v1/auth/refresh", "application/json", body)
				if err != nil {
					statuses <- 0
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			})
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for st := range statuses {
			count[st]++
		}
		if count[200] != 1 || count[401] != n-1 {
			t.Errorf("statuses %v, want one 200 and %d 401", count, n-1)
		}
	})
}

// Prune, the periodic cleanup of the guard's counters and of dead refresh
// tokens, keeps what is still in use; time passes on the fake clock.
func TestPrune(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fakes := sync.Map{}
	apitest.EachConfig(t, func(c *config.Config) {
		f := clock.NewFake(start)
		fakes.Store(c.DataDir, f)
		c.Clock = f
	}, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		v, _ := fakes.Load(env.App.Config.DataDir)
		fake := v.(*clock.Fake)
		svc := auth.NewService(env.DB, audit.New(env.DB), env.AuthConfig())
		env.LoginSession("zhangwei") // expires after the 30 days of a session
		login(env, "ghost", "wrong-password-1").Problem(401, "invalid_credentials")
		fake.Advance(31 * 24 * time.Hour)
		live := env.LoginSession("zhangwei")
		login(env, "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		fake.Advance(time.Hour)
		if err := svc.Prune(context.Background()); err != nil {
			t.Fatal(err)
		}
		db := env.DB.Gorm()
		var keys []string
		if err := db.Table("login_throttles").Order("1").Pluck("key", &keys).Error; err != nil {
			t.Fatal(err)
		}
		if !equalJSON(keys, []string{"ip:127.0.0.1", "login:zhangwei|127.0.0.1"}) {
			t.Errorf("throttle keys after pruning: %v", keys)
		}
		var n int64
		if err := db.Table("refresh_tokens").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d refresh tokens after pruning, want 1", n)
		}
		refresh(env, live.RefreshToken).Expect(200)
	})
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
