package ratelimit

import (
	"context"
	"fmt"
	"sync"

	"github.com/duban/duban/internal/database"
)

// dbStore keeps the counters in rate_limits: one row per key, the current window
// and its count, updated with one statement.
type dbStore struct{ db *database.DB }

func (s *dbStore) Hit(ctx context.Context, key string, start int64) (int, error) {
	var n int
	err := s.db.Gorm().WithContext(ctx).Raw(`
		INSERT INTO rate_limits ("key", window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT ("key") DO UPDATE SET
			hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
			window_start = excluded.window_start
		RETURNING hits`, key, start).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count request: %w", err)
	}
	return n, nil
}

func (s *dbStore) Prune(ctx context.Context, before int64) error {
	return s.db.Gorm().WithContext(ctx).Exec("DELETE FROM rate_limits WHERE window_start < ?", before).Error
}

// memoryStore counts in the process.
type memoryStore struct {
	mu   sync.Mutex
	m    map[string]window
	hits int
}

type window struct {
	start int64
	n     int
}

func newMemoryStore() *memoryStore { return &memoryStore{m: map[string]window{}} }

func (s *memoryStore) Hit(_ context.Context, key string, start int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.m[key]
	if w.start != start {
		w = window{start: start}
	}
	w.n++
	s.m[key] = w
	// Forget finished windows now and then, so that the map stays as small as the
	// set of recent callers.
	s.hits++
	if s.hits%4096 == 0 {
		for k, v := range s.m {
			if v.start < start {
				delete(s.m, k)
			}
		}
	}
	return w.n, nil
}

func (s *memoryStore) Prune(_ context.Context, before int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m {
		if v.start < before {
			delete(s.m, k)
		}
	}
	return nil
}
