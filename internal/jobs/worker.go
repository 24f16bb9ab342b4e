package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// Handler runs one job. An error fails the attempt (retried with backoff, up to
// the job's attempts); Discard(err) fails the job at once; *Snooze and *Retry set
// the next run. Handlers are run at least once per job and must be idempotent.
type Handler func(ctx context.Context, j *Job) error

// Worker claims due jobs and runs them.
type Worker struct {
	db       *database.DB
	clock    clock.Clock
	log      *slog.Logger
	id       string
	lease    time.Duration
	handlers map[string]Handler
	wake     chan struct{}
	batch    int
}

// Options configure a worker.
type Options struct {
	// Lease is how long a claimed job is held before another worker may take it
	// over (its worker died); renewed while the job runs. Default 30 s.
	Lease time.Duration
	// Concurrency is how many jobs one claim takes (run one after the other).
	Concurrency int
	Logger      *slog.Logger
}

// NewWorker returns a worker of db's queue.
func NewWorker(db *database.DB, c clock.Clock, o Options) *Worker {
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 10
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	return &Worker{db: db, clock: clock.Or(c), log: o.Logger.With("component", "jobs"), lease: o.Lease,
		id: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), uuid.NewString()[:8]), handlers: map[string]Handler{},
		wake: make(chan struct{}, 1), batch: o.Concurrency}
}

// ID names this worker in jobs.locked_by and the scheduler's lease.
func (w *Worker) ID() string { return w.id }

// Handle registers the handler of kind. Call before Run.
func (w *Worker) Handle(kind string, h Handler) { w.handlers[kind] = h }

// Kinds reports whether kind has a handler.
func (w *Worker) Kinds(kind string) bool { _, ok := w.handlers[kind]; return ok }

// Wake makes a running worker look for jobs now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run works until ctx ends: whenever woken, and every poll interval.
func (w *Worker) Run(ctx context.Context, poll time.Duration, extraWake <-chan string) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log.ErrorContext(ctx, "run jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-extraWake:
		case <-t.C:
		}
	}
}

// RunOnce runs every job due now (on the worker's clock) and returns how many it
// ran; tests call it to drain the queue deterministically.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n := 0
	for {
		batch, err := w.claim(ctx)
		if err != nil {
			return n, err
		}
		if len(batch) == 0 {
			return n, nil
		}
		for i := range batch {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			w.run(ctx, &batch[i])
			n++
		}
	}
}

// claim takes up to batch due jobs: available ones whose time has come, and
// running ones whose worker's lease ran out (it died).
func (w *Worker) claim(ctx context.Context) ([]Job, error) {
	now := w.clock.Now()
	until := now.Add(w.lease)
	kinds := make([]string, 0, len(w.handlers))
	for k := range w.handlers {
		kinds = append(kinds, k)
	}
	if len(kinds) == 0 {
		return nil, nil
	}
	due := `(state = 'available' AND run_at <= ?) OR (state = 'running' AND locked_until < ?)`
	var out []Job
	err := w.db.InTx(ctx, func(ctx context.Context) error {
		pick := "SELECT id FROM jobs WHERE (" + due + ") AND kind IN ? ORDER BY run_at, id LIMIT ?"
		if w.db.Dialect() == database.Postgres {
			pick += " FOR UPDATE SKIP LOCKED"
		}
		var ids []uuid.UUID
		if err := w.db.Conn(ctx).Raw(pick, now, now, kinds, w.batch).Scan(&ids).Error; err != nil {
			return fmt.Errorf("pick jobs: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := w.db.Conn(ctx).Model(&Job{}).Where("id IN ?", ids).Updates(map[string]any{
			"state": StateRunning, "locked_by": w.id, "locked_until": until, "attempts": gormExpr("attempts + 1"),
		}).Error; err != nil {
			return fmt.Errorf("claim jobs: %w", err)
		}
		return w.db.Conn(ctx).Where("id IN ?", ids).Order("run_at, id").Find(&out).Error
	})
	return out, err
}

// run runs one claimed job and records its outcome; a panic is a failed attempt.
func (w *Worker) run(ctx context.Context, j *Job) {
	stop := w.keepLease(ctx, j)
	err := w.call(ctx, j)
	stop()
	now := w.clock.Now()
	cols := map[string]any{"locked_by": "", "locked_until": nil}
	var snooze *Snooze
	var retry *Retry
	switch {
	case err == nil:
		cols["state"], cols["finished_at"], cols["last_error"] = StateDone, now, ""
	case errors.As(err, &snooze):
		cols["state"], cols["run_at"], cols["attempts"] = StateAvailable, now.Add(snooze.After), j.Attempts-1
	case isDiscard(err) || j.Attempts >= j.MaxAttempts:
		cols["state"], cols["finished_at"], cols["last_error"] = StateFailed, now, truncate(err.Error(), 2000)
		w.log.ErrorContext(ctx, "job failed for good", "kind", j.Kind, "job", j.ID, "attempts", j.Attempts, "err", err)
	default:
		after := Backoff(j.Attempts)
		if errors.As(err, &retry) {
			after = retry.After
		}
		cols["state"], cols["run_at"], cols["last_error"] = StateAvailable, now.Add(after), truncate(err.Error(), 2000)
		w.log.WarnContext(ctx, "job attempt failed", "kind", j.Kind, "job", j.ID, "attempt", j.Attempts, "retry_in", after, "err", err)
	}
	// Only while this worker still holds it: a job taken over meanwhile is the
	// other worker's to record.
	res := w.db.Conn(ctx).Model(&Job{}).Where("id = ? AND locked_by = ?", j.ID, w.id).Updates(cols)
	if res.Error != nil && ctx.Err() == nil {
		w.log.ErrorContext(ctx, "record job outcome", "kind", j.Kind, "job", j.ID, "err", res.Error)
	}
}

func (w *Worker) call(ctx context.Context, j *Job) (err error) {
	h, ok := w.handlers[j.Kind]
	if !ok {
		return Discard(fmt.Errorf("no handler for job kind %q", j.Kind))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return h(ctx, j)
}

// keepLease renews the job's lease while it runs (a long delivery is not taken
// over by another worker); the returned function stops it.
func (w *Worker) keepLease(ctx context.Context, j *Job) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(w.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.db.Conn(ctx).Model(&Job{}).Where("id = ? AND locked_by = ?", j.ID, w.id).
					Update("locked_until", w.clock.Now().Add(w.lease))
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
