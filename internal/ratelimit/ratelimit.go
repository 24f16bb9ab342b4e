// Package ratelimit is the general rate limit of the API: a number of requests per
// window for each user (session or API token) and for each client address, with
// the RateLimit and RateLimit-Policy headers of the IETF draft on every answer and
// 429 with Retry-After past the limit.
//
// Counters are fixed windows aligned to the clock. On PostgreSQL they live in the
// rate_limits table, so that every process behind a load balancer counts the same
// requests; the embedded SQLite database has one process, which counts in memory
// (a write per request would compete with the application's own writes for
// SQLite's single writer).
package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Store counts requests per key and window.
type Store interface {
	// Hit counts one request of key in the window that starts at start (unix
	// seconds) and returns the window's count so far.
	Hit(ctx context.Context, key string, start int64) (int, error)
	// Prune forgets windows that started before start.
	Prune(ctx context.Context, before int64) error
}

// NewStore returns the store for db's engine.
func NewStore(db *database.DB) Store {
	if db.Dialect() == database.Postgres {
		return &dbStore{db: db}
	}
	return newMemoryStore()
}

// Limiter applies one limit.
type Limiter struct {
	name  string
	spec  config.RateSpec
	store Store
	clock clock.Clock
	log   *slog.Logger
}

// New returns a limiter of spec named name (the policy name in the headers); nil
// when spec is off.
func New(name string, spec config.RateSpec, store Store, c clock.Clock, log *slog.Logger) *Limiter {
	if spec.Off() {
		return nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Limiter{name: name, spec: spec, store: store, clock: clock.Or(c), log: log}
}

// decision is the state of one key after a request.
type decision struct {
	allowed   bool
	remaining int
	reset     int // seconds until the window ends
}

func (l *Limiter) hit(ctx context.Context, key string) decision {
	now := l.clock.Now()
	w := int64(l.spec.Window / time.Second)
	start := now.Unix() / w * w
	reset := int(math.Ceil(time.Unix(start+w, 0).Sub(now).Seconds()))
	n, err := l.store.Hit(context.WithoutCancel(ctx), l.name+":"+key, start)
	if err != nil {
		// The limit must not take the API down with it: count nothing, let the
		// request through (it meets the same database anyway).
		l.log.WarnContext(ctx, "rate limit store", "err", err)
		return decision{allowed: true, remaining: l.spec.N, reset: reset}
	}
	return decision{allowed: n <= l.spec.N, remaining: max(0, l.spec.N-n), reset: max(1, reset)}
}

// headers writes the draft's RateLimit-Policy and RateLimit fields.
func (l *Limiter) headers(c echo.Context, d decision) {
	h := c.Response().Header()
	h.Set("RateLimit-Policy", fmt.Sprintf(`"%s";q=%d;w=%d`, l.name, l.spec.N, int(l.spec.Window/time.Second)))
	h.Set("RateLimit", fmt.Sprintf(`"%s";r=%d;t=%d`, l.name, d.remaining, d.reset))
}

func (l *Limiter) refuse(c echo.Context, d decision) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(d.reset))
	return problem.RateLimited(fmt.Sprintf("too many requests (%d per %s); retry in %d seconds",
		l.spec.N, l.spec.Window, d.reset), d.reset).With("policy", l.name)
}

// ByAddress limits every API request by client address. Mount it on the server
// (before authentication) so that bad credentials count too.
func (l *Limiter) ByAddress(next echo.HandlerFunc) echo.HandlerFunc {
	if l == nil {
		return next
	}
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return next(c)
		}
		d := l.hit(c.Request().Context(), c.RealIP())
		l.headers(c, d)
		if !d.allowed {
			return l.refuse(c, d)
		}
		return next(c)
	}
}

// ByUser limits the requests of the authenticated user; mount it after
// authentication. A user's sessions and API tokens share the count.
func (l *Limiter) ByUser(next echo.HandlerFunc) echo.HandlerFunc {
	if l == nil {
		return next
	}
	return func(c echo.Context) error {
		p := access.FromContext(c.Request().Context())
		if p == nil {
			return next(c)
		}
		d := l.hit(c.Request().Context(), p.UserID.String())
		l.headers(c, d)
		if !d.allowed {
			return l.refuse(c, d)
		}
		return next(c)
	}
}

// Prune forgets windows older than a day (the longest window allowed). A
// periodic job should call it; until it does, the table only grows by one row per
// user and address.
func (l *Limiter) Prune(ctx context.Context) error {
	if l == nil {
		return nil
	}
	return l.store.Prune(ctx, l.clock.Now().Add(-24*time.Hour-l.spec.Window).Unix())
}

// StatusTooMany is the status of a refused request, for documentation.
const StatusTooMany = http.StatusTooManyRequests
