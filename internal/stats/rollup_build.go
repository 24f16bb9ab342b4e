package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
)

// basis names what the rollup's months and working days were computed with: the
// company time zone and the holiday calendar (the sum of its years' versions and
// their count, as the calendar service fingerprints it). Editing a past year's
// holidays changes the working days to close of items already counted: the rollup
// is then rebuilt.
func (s *Service) basis(conn *gorm.DB) (string, error) {
	var fp struct{ Sum, Count int64 }
	if err := conn.Raw(`SELECT COALESCE(SUM(version), 0) AS sum, COUNT(*) AS count FROM calendar_years`).Scan(&fp).Error; err != nil {
		return "", fmt.Errorf("rollup: calendar fingerprint: %w", err)
	}
	return fmt.Sprintf("%s|%d|%d", s.loc.String(), fp.Sum, fp.Count), nil
}

// rollupReady reports whether the rollup may answer: built with today's basis. When
// it is not and no rebuild runs, it is rebuilt now (outside any transaction of
// ctx); while another rebuild runs, the statistics answer from the live tables.
func (s *Service) rollupReady(ctx context.Context) (bool, error) {
	if liveOnly.Load() {
		return false, nil
	}
	conn := s.db.Conn(ctx)
	cur, err := s.basis(conn)
	if err != nil {
		return false, err
	}
	var stored []string
	if err := conn.Raw(`SELECT basis FROM stats_rollup_state WHERE id = 1`).Scan(&stored).Error; err != nil {
		return false, fmt.Errorf("rollup: state: %w", err)
	}
	if len(stored) == 1 && stored[0] == cur {
		return true, nil
	}
	if database.InTransaction(ctx) || !s.rebuilding.TryLock() {
		return false, nil
	}
	defer s.rebuilding.Unlock()
	if err := s.rebuild(context.WithoutCancel(ctx)); err != nil {
		return false, err
	}
	return true, nil
}

// Rebuild recounts the rollup from the items (after data was written around the
// items package: imports, test fixtures, the benchmark's seed).
func (s *Service) Rebuild(ctx context.Context) error {
	s.rebuilding.Lock()
	defer s.rebuilding.Unlock()
	return s.rebuild(ctx)
}

// MarkStale makes the next statistics request rebuild the rollup.
func MarkStale(ctx context.Context, db *database.DB) error {
	return db.Conn(ctx).Exec(`UPDATE stats_rollup_state SET basis = '' WHERE id = 1`).Error
}

const rebuildBatch = 2000

func (s *Service) rebuild(ctx context.Context) error {
	t0 := time.Now()
	n := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if s.db.Dialect() == database.Postgres {
			// A million items take longer than the connections' statement timeout.
			if err := conn.Exec(`SET LOCAL statement_timeout = '30min'`).Error; err != nil {
				return fmt.Errorf("rollup: timeout: %w", err)
			}
			// Changes of items wait (KeepItem takes ROW EXCLUSIVE on the marks) and
			// then add their difference to what this rebuild wrote.
			if err := conn.Exec(`LOCK TABLE stats_rollup, stats_rollup_marks, stats_rollup_state IN EXCLUSIVE MODE`).Error; err != nil {
				return fmt.Errorf("rollup: lock: %w", err)
			}
		}
		basis, err := s.basis(conn)
		if err != nil {
			return err
		}
		cal, err := s.cal.Calendar(ctx)
		if err != nil {
			return fmt.Errorf("rollup: calendar: %w", err)
		}
		for _, t := range []string{"stats_rollup", "stats_rollup_marks"} {
			if err := conn.Exec("DELETE FROM " + t).Error; err != nil {
				return fmt.Errorf("rollup: clear %s: %w", t, err)
			}
		}
		total := map[rkey]rvals{}
		after := uuid.Nil
		for {
			var ids []uuid.UUID
			if err := conn.Raw(`SELECT id FROM items WHERE id > ? AND issued_at IS NOT NULL ORDER BY id LIMIT ?`, after, rebuildBatch).
				Scan(&ids).Error; err != nil {
				return fmt.Errorf("rollup: list items: %w", err)
			}
			if len(ids) == 0 {
				break
			}
			after = ids[len(ids)-1]
			fs, err := s.loadFacts(conn, cal, ids)
			if err != nil {
				return err
			}
			marks := make([]map[string]any, 0, len(fs))
			for _, id := range ids {
				f := fs[id]
				if f == nil {
					continue
				}
				for k, v := range f.rows() {
					t := total[k]
					for i := range v {
						t[i] += v[i]
					}
					total[k] = t
				}
				b, _ := json.Marshal(f)
				marks = append(marks, map[string]any{"item_id": id, "facts": string(b)})
			}
			if len(marks) > 0 {
				if err := conn.Table("stats_rollup_marks").CreateInBatches(marks, 500).Error; err != nil {
					return fmt.Errorf("rollup: write marks: %w", err)
				}
			}
			n += len(ids)
		}
		if err := insertRows(conn, total); err != nil {
			return err
		}
		return conn.Exec(`UPDATE stats_rollup_state SET basis = ? WHERE id = 1`, basis).Error
	})
	if err != nil {
		return fmt.Errorf("rebuild statistics rollup: %w", err)
	}
	slog.InfoContext(ctx, "statistics rollup rebuilt", "items", n, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

// insertRows writes rows into the (empty) rollup.
func insertRows(conn *gorm.DB, rows map[rkey]rvals) error {
	batch := make([]map[string]any, 0, 500)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := conn.Table("stats_rollup").Create(batch).Error
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("rollup: write rows: %w", err)
		}
		return nil
	}
	for k, v := range rows {
		if v.zero() {
			continue
		}
		r := map[string]any{"scope_id": k.Scope, "month": k.Month, "role": k.Role, "unit_id": k.Unit, "source": k.Source, "category": k.Category}
		for i, c := range rollupCols {
			r[c] = v[i]
		}
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
