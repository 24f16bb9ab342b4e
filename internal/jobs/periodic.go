package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// Periodic is a job enqueued once per period by the scheduler.
type Periodic struct {
	// Name keys the periods (periodic:<name>:<period>).
	Name string
	// Kind and Args are the job enqueued.
	Kind string
	Args any
	// Every is the period, counted from the Unix epoch in the time zone's wall
	// clock (a day starts at midnight there); Offset shifts the start of each
	// period (e.g. 8h: every day at 08:00).
	Every  time.Duration
	Offset time.Duration
}

// period is the index of the period t falls in, and its start.
func (p Periodic) period(t time.Time, loc *time.Location) (int64, time.Time) {
	_, off := t.In(loc).Zone()
	wall := t.Add(time.Duration(off)*time.Second - p.Offset)
	n := wall.UnixNano() / int64(p.Every)
	start := time.Unix(0, n*int64(p.Every)).Add(p.Offset - time.Duration(off)*time.Second).UTC()
	return n, start
}

// Lease is a row of leases: who holds a named role (the scheduler) until when.
type Lease struct {
	Name      string `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

// TableName pins the table.
func (Lease) TableName() string { return "leases" }

// Scheduler enqueues the periodic jobs while its process holds the lease named
// "scheduler": one process at a time does it, and the unique key per period keeps
// a period from being enqueued twice even when the lease changes hands.
type Scheduler struct {
	db     *database.DB
	queue  *Queue
	clock  clock.Clock
	loc    *time.Location
	holder string
	ttl    time.Duration
	jobs   []Periodic
	log    *slog.Logger
}

// NewScheduler returns a scheduler enqueuing into q on behalf of holder.
func NewScheduler(db *database.DB, q *Queue, c clock.Clock, loc *time.Location, holder string, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{db: db, queue: q, clock: clock.Or(c), loc: loc, holder: holder, ttl: 30 * time.Second,
		log: log.With("component", "scheduler")}
}

// Add registers a periodic job. Call before Run.
func (s *Scheduler) Add(p Periodic) { s.jobs = append(s.jobs, p) }

// Jobs lists the periodic jobs.
func (s *Scheduler) Jobs() []Periodic { return s.jobs }

// Lead takes or renews the scheduler's lease and reports whether this process
// holds it.
func (s *Scheduler) Lead(ctx context.Context) (bool, error) {
	now := s.clock.Now()
	held := false
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		if err := conn.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&Lease{Name: "scheduler", Holder: s.holder, ExpiresAt: now.Add(s.ttl)}).Error; err != nil {
			return err
		}
		res := conn.Model(&Lease{}).Where("name = ? AND (holder = ? OR expires_at < ?)", "scheduler", s.holder, now).
			Updates(map[string]any{"holder": s.holder, "expires_at": now.Add(s.ttl)})
		if res.Error != nil {
			return res.Error
		}
		held = res.RowsAffected == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("scheduler lease: %w", err)
	}
	return held, nil
}

// Tick enqueues the current period of every periodic job (a no-op for periods
// already enqueued). It returns how many it enqueued.
func (s *Scheduler) Tick(ctx context.Context) (int, error) {
	now := s.clock.Now()
	n := 0
	for _, p := range s.jobs {
		idx, _ := p.period(now, s.loc)
		ok, err := s.queue.Enqueue(ctx, p.Kind, p.Args, Unique("periodic:"+p.Name+":"+strconv.FormatInt(idx, 10)))
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// Run leads and ticks every interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if lead, err := s.Lead(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.ErrorContext(ctx, "take the scheduler lease", "err", err)
			}
		} else if lead {
			if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "enqueue periodic jobs", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
