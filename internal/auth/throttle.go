package auth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
)

// The brute-force guard keeps one row per key in login_throttles: the failures
// counted since WindowStart and, once there were too many, LockedUntil. It lives in
// the database so that every instance sees the same counters.

func userKey(username string) string { return "user:" + strings.ToLower(strings.TrimSpace(username)) }
func ipKey(ip string) string         { return "ip:" + ip }

// throttleKey is one counter a login attempt counts against, with its limit.
type throttleKey struct {
	key   string
	limit int
}

// throttleKeys are the keys a login attempt counts against, always in the same
// order so that concurrent attempts lock rows in the same order.
func (s *Service) throttleKeys(username, ip string) []throttleKey {
	keys := []throttleKey{{ipKey(ip), s.cfg.Throttle.MaxIPFailures}, {userKey(username), s.cfg.Throttle.MaxUserFailures}}
	if ip == "" {
		keys = keys[1:]
	}
	return keys
}

// checkLocked answers a 429 problem when one of the keys is locked now.
func (s *Service) checkLocked(ctx context.Context, keys []throttleKey) error {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, k.key)
	}
	var rows []loginThrottle
	if err := s.db.Conn(ctx).Where(`"key" IN ? AND locked_until IS NOT NULL`, names).Find(&rows).Error; err != nil {
		return fmt.Errorf("read login throttle: %w", err)
	}
	now := s.now()
	var until time.Time
	for _, r := range rows {
		if r.LockedUntil.After(now) && r.LockedUntil.After(until) {
			until = *r.LockedUntil
		}
	}
	if until.IsZero() {
		return nil
	}
	return rateLimited(until.Sub(now))
}

func rateLimited(wait time.Duration) *problem.Problem {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return problem.RateLimited(fmt.Sprintf("too many failed logins; try again in %d seconds", secs), secs)
}

// recordFailure counts a failed attempt against every key, in the caller's
// transaction, and locks the keys that reached their limit (auditing the lockout).
func (s *Service) recordFailure(ctx context.Context, keys []throttleKey) error {
	for _, k := range keys {
		if err := s.countFailure(ctx, k.key, k.limit); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) countFailure(ctx context.Context, key string, limit int) error {
	conn := s.db.Conn(ctx)
	now := s.now()
	// Make sure the row exists, then lock it (PostgreSQL; SQLite transactions
	// already hold the database's write lock) and update it.
	seed := loginThrottle{Key: key, WindowStart: now, UpdatedAt: now}
	if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error; err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	var row loginThrottle
	if err := conn.Clauses(clause.Locking{Strength: "UPDATE"}).Where(`"key" = ?`, key).Take(&row).Error; err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	expiredLock := row.LockedUntil != nil && !row.LockedUntil.After(now)
	if expiredLock || now.Sub(row.WindowStart) > s.cfg.Throttle.Window {
		row.Failures, row.WindowStart, row.LockedUntil = 0, now, nil
	}
	row.Failures++
	row.UpdatedAt = now
	lockNow := row.Failures >= limit && row.LockedUntil == nil
	if lockNow {
		until := now.Add(s.cfg.Throttle.Lockout)
		row.LockedUntil = &until
	}
	if err := conn.Model(&loginThrottle{}).Where(`"key" = ?`, key).Updates(map[string]any{
		"failures": row.Failures, "window_start": row.WindowStart, "locked_until": row.LockedUntil, "updated_at": now,
	}).Error; err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	if lockNow {
		kind, value, _ := strings.Cut(key, ":")
		if err := s.audit.Record(ctx, nil, audit.LoginLocked, kind, value, map[string]any{
			"failures": row.Failures, "locked_until": row.LockedUntil.Format(time.RFC3339),
		}); err != nil {
			return err
		}
	}
	return nil
}

// resetUser forgets the failures of a username after a successful login. The IP's
// counter stays: one known account must not reset the guard for guessing others.
func (s *Service) resetUser(ctx context.Context, username string) error {
	err := s.db.Conn(ctx).Where(`"key" = ?`, userKey(username)).Delete(&loginThrottle{}).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("reset login throttle: %w", err)
	}
	return nil
}
