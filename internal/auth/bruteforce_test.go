package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// The tests of issue 14 §1–2 and §11 (sessions): brute force by parallel requests,
// locks per username and address, progressive locks, admin unlock, a bound on
// concurrent hashing, and the absolute lifetime of a session.

// behindProxy trusts the loopback proxy, so that tests choose the client address
// with X-Forwarded-For.
func behindProxy(fake *clock.Fake) func(*config.Config) {
	return func(c *config.Config) {
		c.TrustedProxies = []string{"127.0.0.1/32", "::1/128"}
		if fake != nil {
			c.Clock = fake
		}
	}
}

func loginFrom(env *apitest.Env, addr, username, password string) *apitest.Response {
	return env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password},
		"X-Forwarded-For", addr)
}

// 30 parallel wrong passwords for one user: only as many as the limit are hashed
// and checked, the rest are refused before hashing. Before the fix all 30 were
// checked (30 login_failed events).
func TestParallelGuessesAreCountedBeforeHashing(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		const n = 30
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- login(env, "zhangwei", "wrong-password-1").Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for st := range statuses {
			count[st]++
		}
		checked := env.AuditCount(audit.LoginFailed)
		if checked != auth.DefaultMaxUserFailures {
			t.Errorf("%d of %d parallel guesses were checked, want %d (statuses %v)", checked, n, auth.DefaultMaxUserFailures, count)
		}
		if count[401] != auth.DefaultMaxUserFailures || count[429] != n-auth.DefaultMaxUserFailures {
			t.Errorf("statuses %v, want %d × 401 and the rest 429", count, auth.DefaultMaxUserFailures)
		}
		// Locked now, with the audit event once.
		login(env, "zhangwei", apitest.TestPassword).Problem(429, "rate_limited")
		if n := env.AuditCount(audit.LoginLocked); n != 1 {
			t.Errorf("%d locked_out events, want 1", n)
		}
	})
}

// Five wrong passwords from one address lock the username at that address only:
// the user logs in from another. Before the fix the account was locked for
// everyone, the admin included.
func TestLockIsPerUsernameAndAddress(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, behindProxy(nil), func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		for range 5 {
			loginFrom(env, "198.51.100.7", "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		r := loginFrom(env, "198.51.100.7", "ZhangWei", apitest.TestPassword)
		r.Problem(429, "rate_limited")
		if ra, _ := strconv.Atoi(r.Header.Get("Retry-After")); ra < 890 || ra > 900 {
			t.Errorf("Retry-After %q, want about 900", r.Header.Get("Retry-After"))
		}
		loginFrom(env, "203.0.113.9", "zhangwei", apitest.TestPassword).Expect(200)
		// The attacker's address stays locked for that username.
		loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword).Problem(429, "rate_limited")
	})
}

// Each lock of the same username and address in a row lasts twice as long.
func TestLocksGrowLonger(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fakes := sync.Map{}
	apitest.EachConfig(t, func(c *config.Config) {
		f := clock.NewFake(start)
		fakes.Store(c.DataDir, f)
		behindProxy(f)(c)
	}, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		v, _ := fakes.Load(env.App.Config.DataDir)
		fake := v.(*clock.Fake)
		for i, want := range []int{900, 1800, 3600} {
			for range 5 {
				loginFrom(env, "198.51.100.7", "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
			}
			r := loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword)
			r.Problem(429, "rate_limited")
			if got, _ := strconv.Atoi(r.Header.Get("Retry-After")); got != want {
				t.Fatalf("lock %d: Retry-After %d, want %d", i+1, got, want)
			}
			fake.Advance(time.Duration(want)*time.Second + time.Second)
		}
		// The lock ran out: the right password works and forgets the count.
		loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword).Expect(200)
		for range 5 {
			loginFrom(env, "198.51.100.7", "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		r := loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword)
		if got := r.Header.Get("Retry-After"); got != "900" {
			t.Errorf("after a success the next lock lasts %s s, want 900", got)
		}
	})
}

// An admin lifts a user's locks; the unlock is audited; others may not.
func TestAdminUnlocks(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, behindProxy(nil), func(t *testing.T, env *apitest.Env) {
		f := newFixture(env)
		admin := env.User("root.admin", f.office, access.RoleAdmin)
		_ = admin
		for range 5 {
			loginFrom(env, "198.51.100.7", "zhangwei", "wrong-password-1").Problem(401, "invalid_credentials")
		}
		loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword).Problem(429, "rate_limited")
		member := env.User("lisi", f.office, access.RoleMember)
		env.As(env.Login("lisi")).Do("POST", "/api/v1/users/"+f.user.String()+"/unlock", nil).Problem(403, "forbidden")
		_ = member
		r := env.As(env.Login("root.admin")).Do("POST", "/api/v1/users/"+f.user.String()+"/unlock", nil).Expect(200).Map()
		if r["keys_cleared"] != float64(1) {
			t.Errorf("unlock answer %v, want one key cleared", r)
		}
		if n := env.AuditCount(auth.AuditUnlocked); n != 1 {
			t.Errorf("%d unlock events, want 1", n)
		}
		loginFrom(env, "198.51.100.7", "zhangwei", apitest.TestPassword).Expect(200)
	})
}

// With every hashing slot taken, a login waits briefly and is answered 503 with
// Retry-After before anything is hashed, and the attempt does not count.
func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		cfg := env.AuthConfig()
		cfg.MaxConcurrentHashes, cfg.HashWait = 1, 20*time.Millisecond
		svc := auth.NewService(env.DB, audit.New(env.DB), cfg)
		release := auth.HoldHashSlots(svc)
		_, err := svc.Login(context.Background(), "zhangwei", "wrong-password-1")
		release()
		var p *problem.Problem
		if !errors.As(err, &p) || httpserver.StatusOf(p) != http.StatusServiceUnavailable || p.Code != auth.CodeBusy || p.Extra["retry_after"] != 1 {
			t.Fatalf("login while busy: %v, want 503 %s with retry_after", err, auth.CodeBusy)
		}
		if n := env.AuditCount(audit.LoginFailed); n != 0 {
			t.Errorf("%d failures recorded for an attempt never checked", n)
		}
		// The reservation was given back: five real failures still lock, not four.
		for range 4 {
			_, err := svc.Login(context.Background(), "zhangwei", "wrong-password-1")
			if !errors.As(err, &p) || httpserver.StatusOf(p) != 401 {
				t.Fatalf("failure: %v", err)
			}
		}
		if _, err := svc.Login(context.Background(), "zhangwei", apitest.TestPassword); err != nil {
			t.Fatalf("the fifth attempt, right, was refused: %v", err)
		}
	})
}

// Refreshing never keeps a session alive past its maximum age. Before the fix each
// refresh extended the session by the refresh lifetime, forever.
func TestSessionHasAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	fakes := sync.Map{}
	apitest.EachConfig(t, func(c *config.Config) {
		f := clock.NewFake(start)
		fakes.Store(c.DataDir, f)
		c.Clock = f
		c.RefreshTokenTTL = time.Hour
		c.SessionMaxAge = 2 * time.Hour
	}, func(t *testing.T, env *apitest.Env) {
		newFixture(env)
		v, _ := fakes.Load(env.App.Config.DataDir)
		fake := v.(*clock.Fake)
		s := env.LoginSession("zhangwei")
		tok := s.RefreshToken
		for range 3 { // 35, 70 and 105 minutes: each refresh is within the hour
			fake.Advance(35 * time.Minute)
			var next apitest.Session
			refresh(env, tok).Expect(200).JSON(&next)
			tok = next.RefreshToken
		}
		fake.Advance(16 * time.Minute) // 2 h 1 min after the login
		refresh(env, tok).Problem(401, "unauthorized")
		env.LoginSession("zhangwei") // a new login starts a new session
	})
}
