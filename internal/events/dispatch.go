package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// Handler reacts to one committed event, inside the dispatch's transaction (the
// context carries it): it may only write to the database. It must be idempotent by
// the envelope's ID: an event is handed over again after a failed dispatch.
type Handler func(ctx context.Context, env Envelope) error

type subscription struct {
	name  string
	kinds map[Kind]bool
	h     Handler
}

// Bus is the list of subscribers, registered once at start-up in internal/app (the
// fan-out: every subscriber sees the events it declared).
type Bus struct{ subs []subscription }

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{} }

// Subscribe registers h under name for the given kinds (none: every event).
func (b *Bus) Subscribe(name string, kinds []Kind, h Handler) {
	s := subscription{name: name, h: h}
	if len(kinds) > 0 {
		s.kinds = map[Kind]bool{}
		for _, k := range kinds {
			s.kinds[k] = true
		}
	}
	b.subs = append(b.subs, s)
}

// Subscribers lists the names of the subscribers that want k.
func (b *Bus) Subscribers(k Kind) []string {
	var out []string
	for _, s := range b.subs {
		if s.kinds == nil || s.kinds[k] {
			out = append(out, s.name)
		}
	}
	return out
}

// Dispatch limits.
const (
	batchSize = 100
	// MaxAttempts is how often a failing event is tried before it is set aside
	// (failed_at) for an operator to look at.
	MaxAttempts = 12
)

// Dispatcher hands committed events to the bus's subscribers, oldest first, at
// least once. Several dispatchers (processes) may run on one PostgreSQL: each event
// is locked by the one that takes it.
type Dispatcher struct {
	db    *database.DB
	bus   *Bus
	clock clock.Clock
	log   *slog.Logger
	wake  chan struct{}
}

// NewDispatcher returns a dispatcher of db's outbox to bus.
func NewDispatcher(db *database.DB, bus *Bus, c clock.Clock, log *slog.Logger) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{db: db, bus: bus, clock: clock.Or(c), log: log.With("component", "events"), wake: make(chan struct{}, 1)}
}

// Wake makes a running dispatcher look for events now (the outbox calls it after
// a commit that emitted).
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run dispatches until ctx ends: whenever woken, and every poll interval (events
// emitted by other processes, retries that became due).
func (d *Dispatcher) Run(ctx context.Context, poll time.Duration, extraWake <-chan struct{}) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "dispatch events", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-extraWake:
		case <-t.C:
		}
	}
}

// RunOnce dispatches every event due now and returns how many it handed over
// (tests call it to drain the outbox deterministically).
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	done := 0
	for {
		now := d.clock.Now()
		var seqs []int64
		err := d.db.Conn(ctx).Model(&Row{}).
			Where("dispatched_at IS NULL AND failed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)", now).
			Order("seq").Limit(batchSize).Pluck("seq", &seqs).Error
		if err != nil {
			return done, fmt.Errorf("read outbox: %w", err)
		}
		if len(seqs) == 0 {
			return done, nil
		}
		progress := 0
		for _, seq := range seqs {
			ok, err := d.dispatch(ctx, seq)
			if err != nil {
				return done, err
			}
			if ok {
				done++
				progress++
			}
		}
		if progress == 0 || len(seqs) < batchSize {
			return done, nil
		}
	}
}

// errTaken: another dispatcher holds or finished the event.
var errTaken = errors.New("taken")

// dispatch hands one event to its subscribers in one transaction; a failure rolls
// their work back and schedules a retry. It reports whether the event was handed
// over (false when another dispatcher had it or it failed).
func (d *Dispatcher) dispatch(ctx context.Context, seq int64) (bool, error) {
	var (
		env     Envelope
		handler string
	)
	err := d.db.InTx(ctx, func(ctx context.Context) error {
		q := d.db.Conn(ctx).Where("seq = ? AND dispatched_at IS NULL AND failed_at IS NULL", seq)
		if d.db.Dialect() == database.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []Row
		if err := q.Limit(1).Find(&rows).Error; err != nil {
			return fmt.Errorf("lock event %d: %w", seq, err)
		}
		if len(rows) == 0 {
			return errTaken
		}
		var err error
		if env, err = rows[0].envelope(); err != nil {
			return err
		}
		for _, s := range d.bus.subs {
			if s.kinds != nil && !s.kinds[env.Kind] {
				continue
			}
			handler = s.name
			if err := s.h(ctx, env); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		return d.db.Conn(ctx).Model(&Row{}).Where("seq = ?", seq).Update("dispatched_at", d.clock.Now()).Error
	})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errTaken):
		return false, nil
	case ctx.Err() != nil:
		return false, ctx.Err()
	}
	d.log.ErrorContext(ctx, "event dispatch failed", "seq", seq, "kind", env.Kind, "subscriber", handler, "err", err)
	return false, d.retryLater(ctx, seq, err)
}

// retryLater records a failed dispatch: exponential backoff from 2 s up to an hour,
// set aside after MaxAttempts.
func (d *Dispatcher) retryLater(ctx context.Context, seq int64, cause error) error {
	return d.db.InTx(ctx, func(ctx context.Context) error {
		var row Row
		if err := d.db.Conn(ctx).Select("seq, attempts").Where("seq = ?", seq).Take(&row).Error; err != nil {
			return fmt.Errorf("read event %d: %w", seq, err)
		}
		now := d.clock.Now()
		n := row.Attempts + 1
		cols := map[string]any{"attempts": n, "last_error": truncate(cause.Error(), 2000)}
		if n >= MaxAttempts {
			cols["failed_at"] = now
		} else {
			cols["next_attempt_at"] = now.Add(Backoff(n))
		}
		return d.db.Conn(ctx).Model(&Row{}).Where("seq = ?", seq).Updates(cols).Error
	})
}

// Backoff is the wait before attempt n+1: 2^n seconds, at most an hour.
func Backoff(n int) time.Duration {
	if n > 11 {
		return time.Hour
	}
	d := time.Duration(1<<n) * time.Second
	if d > time.Hour {
		return time.Hour
	}
	return d
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
