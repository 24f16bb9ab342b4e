package auth

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
)

// The brute-force guard keeps one row per key in login_throttles: the attempts
// counted since WindowStart and, once there were too many, LockedUntil. It lives in
// the database so that every instance sees the same counters.
//
// Two kinds of key: a username at one client address ("login:<name>|<address>") and
// an address alone ("ip:<address>"). Locking the pair, not the username, means a
// stranger who types someone's name wrong five times locks only themself out: the
// account keeps working from every other address. Each lock of the same key in a
// row lasts twice as long as the one before (up to MaxLockout), and an admin may
// lift the locks of a user (Unlock).
//
// An attempt is counted against its username and address before its password is
// hashed (reserve), in one transaction with the lock check, so that parallel
// attempts cannot all slip through between the check and the count: with a limit
// of five, at most five passwords of one username at one address are ever hashed
// per lock. A success gives the reservation back; a failure keeps it and locks the
// keys that reached their limit. The address alone is checked for a lock before
// hashing but counted after (failures only): many people behind one NAT logging
// in at once must not lock each other out while their passwords are checked.

func normalizeUsername(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

// pairKey is the key of a username at one client address.
func pairKey(username, ip string) string { return "login:" + normalizeUsername(username) + "|" + ip }

// pairPrefix starts every pair key of a username.
func pairPrefix(username string) string { return "login:" + normalizeUsername(username) + "|" }

func ipKey(ip string) string { return "ip:" + ip }

// throttleKey is one counter a login attempt counts against, with its limit.
// reserved: the attempt is counted before its password is checked.
type throttleKey struct {
	key      string
	limit    int
	reserved bool
}

// throttleKeys are the keys a login attempt counts against, always in the same
// order (address first) so that concurrent attempts lock rows in the same order.
func (s *Service) throttleKeys(username, ip string) []throttleKey {
	keys := []throttleKey{{ipKey(ip), s.cfg.Throttle.MaxIPFailures, false}, {pairKey(username, ip), s.cfg.Throttle.MaxUserFailures, true}}
	if ip == "" {
		keys = keys[1:]
	}
	return keys
}

func rateLimited(wait time.Duration) *problem.Problem {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return problem.RateLimited(fmt.Sprintf("too many failed logins; try again in %d seconds", secs), secs)
}

// lockRow makes sure the key's row exists and locks it for the rest of the
// transaction (PostgreSQL; an SQLite transaction already holds the write lock). It
// returns the row with an expired window or lock already reset.
func (s *Service) lockRow(ctx context.Context, key string, now time.Time) (loginThrottle, error) {
	conn := s.db.Conn(ctx)
	seed := loginThrottle{Key: key, WindowStart: now, UpdatedAt: now}
	if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error; err != nil {
		return loginThrottle{}, fmt.Errorf("login throttle: %w", err)
	}
	var row loginThrottle
	if err := conn.Clauses(clause.Locking{Strength: "UPDATE"}).Where(`"key" = ?`, key).Take(&row).Error; err != nil {
		return loginThrottle{}, fmt.Errorf("login throttle: %w", err)
	}
	t := s.cfg.Throttle
	if row.LockedUntil != nil && !row.LockedUntil.After(now) {
		// The lock ran out: a fresh window, but the lock count stays for the next
		// lock to be longer, unless the key has behaved for a day.
		if now.Sub(*row.LockedUntil) > t.LockCountDecay {
			row.LockCount = 0
		}
		row.Failures, row.WindowStart, row.LockedUntil = 0, now, nil
	} else if row.LockedUntil == nil && now.Sub(row.WindowStart) > t.Window {
		if now.Sub(row.WindowStart) > t.Window+t.LockCountDecay {
			row.LockCount = 0
		}
		row.Failures, row.WindowStart = 0, now
	}
	return row, nil
}

func (s *Service) saveRow(ctx context.Context, row loginThrottle, now time.Time) error {
	err := s.db.Conn(ctx).Model(&loginThrottle{}).Where(`"key" = ?`, row.Key).Updates(map[string]any{
		"failures": row.Failures, "window_start": row.WindowStart, "locked_until": row.LockedUntil,
		"lock_count": row.LockCount, "updated_at": now,
	}).Error
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

// reserve counts an attempt against every key before its password is checked. It
// answers 429 when a key is locked, or when the attempts already under way would
// reach its limit, and then counts nothing.
func (s *Service) reserve(ctx context.Context, keys []throttleKey) error {
	var refuse error
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		rows := make([]loginThrottle, len(keys))
		for i, k := range keys {
			row, err := s.lockRow(ctx, k.key, now)
			if err != nil {
				return err
			}
			switch {
			case row.LockedUntil != nil:
				refuse = rateLimited(row.LockedUntil.Sub(now))
			case k.reserved && row.Failures >= k.limit && refuse == nil:
				// Attempts still being checked use up the limit: their outcome
				// decides whether the key locks.
				refuse = rateLimited(time.Second)
			}
			rows[i] = row
		}
		if refuse != nil {
			return nil
		}
		for i := range rows {
			if keys[i].reserved {
				rows[i].Failures++
			}
			if err := s.saveRow(ctx, rows[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return refuse
}

// unreserve gives back a reservation whose password was never checked (the
// server was too busy to hash it).
func (s *Service) unreserve(ctx context.Context, keys []throttleKey) error {
	return s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
		for _, k := range keys {
			if !k.reserved {
				continue
			}
			if err := s.db.Conn(ctx).Model(&loginThrottle{}).Where(`"key" = ? AND failures > 0`, k.key).
				Update("failures", gorm.Expr("failures - 1")).Error; err != nil {
				return fmt.Errorf("login throttle: %w", err)
			}
		}
		return nil
	})
}

// recordFailure keeps the reservations of a failed attempt, in the caller's
// transaction, and locks the keys that reached their limit (auditing the lockout).
func (s *Service) recordFailure(ctx context.Context, keys []throttleKey) error {
	now := s.now()
	for _, k := range keys {
		row, err := s.lockRow(ctx, k.key, now)
		if err != nil {
			return err
		}
		switch {
		case !k.reserved:
			row.Failures++
		case row.Failures == 0:
			// The window ran out while the password was checked: count it anew.
			row.Failures = 1
		}
		lockNow := row.Failures >= k.limit && row.LockedUntil == nil
		if lockNow {
			until := now.Add(s.lockout(row.LockCount))
			row.LockedUntil = &until
			row.LockCount++
		}
		if err := s.saveRow(ctx, row, now); err != nil {
			return err
		}
		if lockNow {
			kind, value, _ := strings.Cut(k.key, ":")
			if kind == "login" {
				kind = "user_address"
			}
			if err := s.audit.Record(ctx, nil, audit.LoginLocked, kind, truncate(value, 64), map[string]any{
				"failures": row.Failures, "locked_until": row.LockedUntil.Format(time.RFC3339),
				"lock_count": row.LockCount,
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// lockout is how long the n+1-th lock in a row of one key lasts: Lockout, doubled
// for each earlier lock, at most MaxLockout.
func (s *Service) lockout(n int) time.Duration {
	t := s.cfg.Throttle
	d := t.Lockout
	for i := 0; i < n && d < t.MaxLockout; i++ {
		d *= 2
	}
	return min(d, t.MaxLockout)
}

// recordSuccess forgets the failures of the username at this address. The
// address's count stays: one known account must not reset the guard for guessing
// others.
func (s *Service) recordSuccess(ctx context.Context, keys []throttleKey) error {
	for _, k := range keys {
		if !k.reserved {
			continue
		}
		if err := s.db.Conn(ctx).Where(`"key" = ?`, k.key).Delete(&loginThrottle{}).Error; err != nil {
			return fmt.Errorf("reset login throttle: %w", err)
		}
	}
	return nil
}
