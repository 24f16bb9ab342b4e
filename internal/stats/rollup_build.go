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
	"github.com/duban/duban/internal/jobs"
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

// rollupReady reports whether the rollup may answer: built with today's basis.
// When it is not, the statistics answer from the live tables and a rebuild is
// asked of the background workers (a job, run once across processes); a service
// without workers (tools, benchmarks) rebuilds now, outside any transaction of ctx.
func (s *Service) rollupReady(ctx context.Context) (bool, error) {
	if liveOnly.Load() {
		return false, nil
	}
	cur, stale, err := s.stale(ctx)
	if err != nil || !stale {
		return err == nil, err
	}
	if s.queue != nil {
		return false, s.askRebuild(ctx, cur)
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

func storedBasis(conn *gorm.DB) (string, error) {
	var stored []string
	if err := conn.Raw(`SELECT basis FROM stats_rollup_state WHERE id = 1`).Scan(&stored).Error; err != nil {
		return "", fmt.Errorf("rollup: state: %w", err)
	}
	if len(stored) != 1 {
		return "", nil
	}
	return stored[0], nil
}

// JobRebuild is the job kind that brings the rollup up to date.
const JobRebuild = "stats.rollup_rebuild"

// RegisterJobs hands rebuilds to the background workers: from now on a stale
// rollup is rebuilt by a job, and the statistics answer live until it is done.
func (s *Service) RegisterJobs(w *jobs.Worker, q *jobs.Queue) {
	s.queue = q
	w.Handle(JobRebuild, func(ctx context.Context, _ *jobs.Job) error { return s.Prepare(ctx) })
}

// Prepare rebuilds the rollup when it was built with another basis (an upgrade
// that added it, a changed time zone or holiday calendar); a no-op otherwise.
func (s *Service) Prepare(ctx context.Context) error {
	_, stale, err := s.stale(ctx)
	if err != nil || !stale {
		return err
	}
	return s.Rebuild(ctx)
}

// AskIfStale asks the background workers for a rebuild when the rollup was
// built with another basis.
func (s *Service) AskIfStale(ctx context.Context) error {
	if s.queue == nil {
		return nil
	}
	cur, stale, err := s.stale(ctx)
	if err != nil || !stale {
		return err
	}
	return s.askRebuild(ctx, cur)
}

// stale reports whether the rollup was built with another basis than cur, today's.
func (s *Service) stale(ctx context.Context) (cur string, stale bool, err error) {
	conn := s.db.Conn(ctx)
	if cur, err = s.basis(conn); err != nil {
		return "", false, err
	}
	stored, err := storedBasis(conn)
	return cur, err == nil && stored != cur, err
}

// askRebuild enqueues the rebuild job for basis cur, once per basis and hour
// across processes (a job that gave up is asked again the next hour), and at most
// once a minute from this process.
func (s *Service) askRebuild(ctx context.Context, cur string) error {
	now := s.clock.Now()
	if last := s.asked.Load(); last != 0 && now.Sub(time.Unix(0, last)) < time.Minute {
		return nil
	}
	key := JobRebuild + ":" + cur + ":" + now.UTC().Format("2006-01-02T15")
	if _, err := s.queue.Enqueue(ctx, JobRebuild, struct{}{}, jobs.Unique(key), jobs.Attempts(5)); err != nil {
		return err
	}
	s.asked.Store(now.UnixNano())
	return nil
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

// rebuildBatch is how many items one transaction of a rebuild recounts: the
// items' writes wait for at most one batch.
const rebuildBatch = 500

// rebuild recounts the rollup without stopping the items' writes for its length:
// it empties the rollup (a short exclusive lock), then recounts the items in
// batches of their own, each bringing its items in step exactly as KeepItem does
// (from their marks to their facts now). A change of an item during the rebuild
// is counted by whichever comes first; the other finds the marks in step and
// adds nothing. The rollup answers again once the last batch is in and nobody
// started another rebuild meanwhile.
func (s *Service) rebuild(ctx context.Context) error {
	t0 := time.Now()
	basis := ""
	building := "building:" + uuid.NewString()
	err := s.retry(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if s.db.Dialect() == database.Postgres {
			// KeepItem takes ROW EXCLUSIVE on the marks, then writes the rollup: no
			// change is half counted into the tables being emptied. The marks come
			// first here too (the same order, or the two deadlock). A lock request
			// that waits holds up every change queued behind it: it gives up soon.
			if err := conn.Exec(`SET LOCAL lock_timeout = '200ms'`).Error; err != nil {
				return fmt.Errorf("rollup: lock timeout: %w", err)
			}
			if err := conn.Exec(`LOCK TABLE stats_rollup_marks, stats_rollup, stats_rollup_state IN EXCLUSIVE MODE`).Error; err != nil {
				return fmt.Errorf("rollup: lock: %w", err)
			}
		}
		var err error
		if basis, err = s.basis(conn); err != nil {
			return err
		}
		for _, t := range []string{"stats_rollup", "stats_rollup_marks"} {
			if err := conn.Exec("DELETE FROM " + t).Error; err != nil {
				return fmt.Errorf("rollup: clear %s: %w", t, err)
			}
		}
		return conn.Exec(`UPDATE stats_rollup_state SET basis = ? WHERE id = 1`, building).Error
	})
	if err != nil {
		return fmt.Errorf("rebuild statistics rollup: %w", err)
	}
	n := 0
	after := uuid.Nil
	for {
		ids, err := s.recountBatch(ctx, after)
		if err != nil {
			return fmt.Errorf("rebuild statistics rollup (%d items in): %w", n, err)
		}
		if len(ids) == 0 {
			break
		}
		n += len(ids)
		after = ids[len(ids)-1]
		if s.afterBatch != nil {
			s.afterBatch(ctx)
		}
	}
	res := s.db.Conn(ctx).Exec(`UPDATE stats_rollup_state SET basis = ? WHERE id = 1 AND basis = ?`, basis, building)
	if res.Error != nil {
		return fmt.Errorf("rebuild statistics rollup: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		slog.WarnContext(ctx, "statistics rollup rebuild overtaken by another", "items", n)
		return nil
	}
	slog.InfoContext(ctx, "statistics rollup rebuilt", "items", n, "took", time.Since(t0).Round(time.Millisecond))
	return nil
}

// recountBatch brings the next batch of issued items after `after` in step, in
// one transaction.
func (s *Service) recountBatch(ctx context.Context, after uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.retry(ctx, func(ctx context.Context) error {
		var err error
		ids, err = s.recount(ctx, after)
		return err
	})
	return ids, err
}

// retry runs fn in a transaction, again after a pause when it waited too long for
// a lock (an item being changed) or lost a deadlock, so that it is always the
// rebuild that yields to the items' writes.
func (s *Service) retry(ctx context.Context, fn func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		err := s.db.InTx(ctx, fn)
		if err == nil || attempt >= 20 || ctx.Err() != nil {
			return err
		}
		if f := database.Classify(err); f != database.FaultTimeout && f != database.FaultBusy {
			return err
		}
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
}

func (s *Service) recount(ctx context.Context, after uuid.UUID) ([]uuid.UUID, error) {
	conn := s.db.Conn(ctx)
	pick := `SELECT id FROM items WHERE id > ? AND issued_at IS NOT NULL ORDER BY id LIMIT ?`
	if s.db.Dialect() == database.Postgres {
		// A write of one of these items holds its row until it commits; the batch
		// gives up after a short wait rather than joining a deadlock with it (a
		// change of a sub-item also writes its parent).
		if err := conn.Exec(`SET LOCAL lock_timeout = '200ms'`).Error; err != nil {
			return nil, fmt.Errorf("rollup: lock timeout: %w", err)
		}
		pick += ` FOR UPDATE`
	}
	var ids []uuid.UUID
	if err := conn.Raw(pick, after, s.batch).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("rollup: list items: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, fmt.Errorf("rollup: calendar: %w", err)
	}
	fs, err := s.loadFacts(conn, cal, ids)
	if err != nil {
		return nil, err
	}
	var marks []struct {
		ItemID uuid.UUID
		Facts  string
	}
	if err := conn.Raw(`SELECT item_id, facts FROM stats_rollup_marks WHERE item_id IN ?`, ids).Scan(&marks).Error; err != nil {
		return nil, fmt.Errorf("rollup: read marks: %w", err)
	}
	marked := make(map[uuid.UUID]string, len(marks))
	for _, m := range marks {
		marked[m.ItemID] = m.Facts
	}
	delta := map[rkey]rvals{}
	add := func(rows map[rkey]rvals, sign int64) {
		for k, v := range rows {
			d := delta[k]
			for i := range v {
				d[i] += sign * v[i]
			}
			delta[k] = d
		}
	}
	var fresh []map[string]any
	for _, id := range ids {
		f := fs[id]
		text := ""
		if f != nil {
			b, _ := json.Marshal(f)
			text = string(b)
		}
		old, had := marked[id]
		if had && old == text {
			continue // counted by a change made during the rebuild
		}
		if had {
			var o facts
			if err := json.Unmarshal([]byte(old), &o); err != nil {
				return nil, fmt.Errorf("rollup: marks of %s: %w", id, err)
			}
			add(o.rows(), -1)
		}
		if f != nil {
			add(f.rows(), 1)
		}
		switch {
		case f == nil && had:
			err = conn.Exec(`DELETE FROM stats_rollup_marks WHERE item_id = ?`, id).Error
		case f != nil && had:
			err = conn.Exec(`UPDATE stats_rollup_marks SET facts = ? WHERE item_id = ?`, text, id).Error
		case f != nil:
			fresh = append(fresh, map[string]any{"item_id": id, "facts": text})
		}
		if err != nil {
			return nil, fmt.Errorf("rollup: write marks: %w", err)
		}
	}
	if len(fresh) > 0 {
		if err := conn.Table("stats_rollup_marks").CreateInBatches(fresh, 250).Error; err != nil {
			return nil, fmt.Errorf("rollup: write marks: %w", err)
		}
	}
	if err := addRows(conn, delta); err != nil {
		return nil, err
	}
	return ids, nil
}
