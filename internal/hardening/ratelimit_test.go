package hardening_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
)

// Issue 14 §12: a general rate limit per user and per address, with RateLimit and
// Retry-After headers and declared 429s. Before the fix any number of requests
// went through.
func TestRateLimitPerUser(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)
	fakes := sync.Map{}
	apitest.EachConfig(t, func(c *config.Config) {
		f := clock.NewFake(start)
		fakes.Store(c.DataDir, f)
		c.Clock = f
		c.RateLimit = "5/1m"
	}, func(t *testing.T, env *apitest.Env) {
		v, _ := fakes.Load(env.App.Config.DataDir)
		fake := v.(*clock.Fake)
		apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		for i := range 5 {
			r := sup.Do("GET", "/api/v1/me", nil).Expect(200)
			if want := `"user";r=` + strconv.Itoa(4-i) + `;t=50`; r.Header.Get("RateLimit") != want {
				t.Fatalf("request %d: RateLimit %q, want %q", i+1, r.Header.Get("RateLimit"), want)
			}
			if r.Header.Get("RateLimit-Policy") != `"user";q=5;w=60` {
				t.Fatalf("RateLimit-Policy %q", r.Header.Get("RateLimit-Policy"))
			}
		}
		r := sup.Do("GET", "/api/v1/me", nil)
		p := r.Problem(429, "rate_limited")
		if r.Header.Get("Retry-After") != "50" || p["retry_after"] != float64(50) {
			t.Fatalf("429: Retry-After %q, body %s", r.Header.Get("Retry-After"), r.Body)
		}
		// Another user is not affected; the next window lets the first back in.
		env.As(env.Login("headb")).Do("GET", "/api/v1/me", nil).Expect(200)
		fake.Advance(51 * time.Second)
		sup.Do("GET", "/api/v1/me", nil).Expect(200)
	})
}

func TestRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, func(c *config.Config) {
		c.RateLimitAddr = "4/1h"
		c.TrustedProxies = []string{"127.0.0.1/32", "::1/128"}
	}, func(t *testing.T, env *apitest.Env) {
		apitest.NewWorld(env)
		from := func(addr string) *apitest.Response {
			return env.As("").Do("POST", "/api/v1/auth/login",
				map[string]string{"username": "nobody", "password": "wrong-pass-1"}, "X-Forwarded-For", addr)
		}
		for range 4 {
			from("198.51.100.1").Expect(401)
		}
		r := from("198.51.100.1")
		r.Problem(429, "rate_limited")
		if ra, _ := strconv.Atoi(r.Header.Get("Retry-After")); ra < 1 || ra > 3600 || !strings.Contains(r.Header.Get("RateLimit"), `"addr";r=0`) {
			t.Fatalf("headers %v", r.Header)
		}
		from("198.51.100.2").Expect(401)
	})
}

// On PostgreSQL several processes share the counts: two application instances
// on one database refuse the sixth request between them.
func TestRateLimitIsSharedBetweenProcesses(t *testing.T) {
	t.Parallel()
	db := newPostgres(t)
	cfg := apitest.Config(t)
	cfg.RateLimit = "6/1h"
	first := apitest.Start(t, db, cfg)
	apitest.NewWorld(first)
	// A second process: its own handle on the same database, its own server.
	db2, err := database.Open(context.Background(), database.Options{URL: urlOf(t, db)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db2.Close() })
	a2, err := app.Build(context.Background(), cfg, db2, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a2.Server.Echo)
	t.Cleanup(srv.Close)
	second := *first
	second.URL, second.App, second.DB = srv.URL, a2, db2
	tok := first.Login("sup")
	statuses := []int{}
	for i := range 7 {
		env := first
		if i%2 == 1 {
			env = &second
		}
		statuses = append(statuses, env.As(tok).Do("GET", "/api/v1/me", nil).Status)
	}
	if statuses[5] != 200 || statuses[6] != 429 {
		t.Fatalf("statuses across two processes %v, want the 7th refused", statuses)
	}
}
