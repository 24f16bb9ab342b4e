package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/users"
)

// Workers is the background half of Duban: the dispatcher of domain events, the
// job worker, and the scheduler of periodic jobs. `duban serve` runs them beside
// the HTTP server (DUBAN_WORKERS=1, the default), `duban worker` runs only them;
// any number of processes may, on one PostgreSQL.
type Workers struct {
	Queue      *jobs.Queue
	Worker     *jobs.Worker
	Scheduler  *jobs.Scheduler
	Dispatcher *events.Dispatcher
	app        *App
	// wake-ups from other processes (PostgreSQL), subscribed at build time.
	eventsWake, jobsWake <-chan string
}

// newWorkers builds the background half on a's database and clock; domain
// packages register their handlers and periodic jobs on it while routes are built.
func newWorkers(a *App) *Workers {
	w := &Workers{app: a}
	w.Queue = jobs.NewQueue(a.DB, a.Config.Clock)
	w.Worker = jobs.NewWorker(a.DB, a.Config.Clock, jobs.Options{Lease: a.Config.JobLease, Logger: a.Log})
	w.Queue.OnCommit(w.Worker.Wake)
	w.Scheduler = jobs.NewScheduler(a.DB, w.Queue, a.Config.Clock, a.Config.Location, w.Worker.ID(), a.Log)
	w.Dispatcher = a.Dispatcher
	if h := a.Hub; h != nil {
		w.eventsWake, w.jobsWake = h.Subscribe("duban_events"), h.Subscribe("duban_jobs")
	}
	return w
}

// System is the system principal (users.SystemUser) acting as the supervision
// office of scope: who background work acts as.
func (w *Workers) System(ctx context.Context, scope uuid.UUID) (*access.Principal, error) {
	id, err := users.SystemUser(ctx, w.app.DB, w.app.Config.Clock.Now)
	if err != nil {
		return nil, err
	}
	return users.SystemPrincipal(id, scope), nil
}

// run runs the dispatcher, the worker and the scheduler until ctx ends.
func (w *Workers) run(ctx context.Context) {
	poll := w.app.Config.JobPoll
	go w.Dispatcher.Run(ctx, poll, adapt(ctx, w.eventsWake))
	go w.Worker.Run(ctx, poll, w.jobsWake)
	go w.Scheduler.Run(ctx, min(poll, 15*time.Second))
	w.app.Log.InfoContext(ctx, "background work started", "worker", w.Worker.ID(), "periodic_jobs", len(w.Scheduler.Jobs()))
}

// adapt turns the hub's string channel into the dispatcher's wake channel.
func adapt(ctx context.Context, in <-chan string) <-chan struct{} {
	if in == nil {
		return nil
	}
	out := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-in:
				select {
				case out <- struct{}{}:
				default:
				}
			}
		}
	}()
	return out
}

// Drain hands every committed event to its subscribers and runs every job due
// now, repeatedly, until nothing is left (what the background would do next):
// tests call it after moving the clock. It enqueues the periodic jobs of the
// current period first, as the scheduler would.
func (w *Workers) Drain(ctx context.Context) error {
	if _, err := w.Scheduler.Tick(ctx); err != nil {
		return err
	}
	for range 100 {
		n, err := w.Dispatcher.RunOnce(ctx)
		if err != nil {
			return fmt.Errorf("dispatch: %w", err)
		}
		m, err := w.Worker.RunOnce(ctx)
		if err != nil {
			return fmt.Errorf("jobs: %w", err)
		}
		if n == 0 && m == 0 {
			return nil
		}
	}
	return errors.New("drain: still busy after 100 rounds (a job that keeps enqueueing itself?)")
}
