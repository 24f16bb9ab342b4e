// Package jobs is Duban's durable background work: a queue kept in the database
// (table jobs), so that nothing is lost when a process dies. A job is inserted in
// the transaction of the change that causes it (Enqueue: one INSERT), run at least
// once by a worker of any process after it commits, retried with exponential
// backoff, and set aside after its last attempt. Jobs with a unique key are
// inserted once however often they are asked for (a reminder per item × unit ×
// kind × day). Periodic jobs are enqueued by the one process that holds the
// scheduler's lease (leader election), under a key per period, so they run once
// however many processes run.
//
// Why not River: its SQLite driver is marked early testing and wants a single
// connection, its migrations live outside ours, and its clock is not ours — the
// reminders are tested by moving the application's clock through a simulated
// month. This queue is small (claim with FOR UPDATE SKIP LOCKED on PostgreSQL,
// under SQLite's write lock otherwise) and uses the application's clock for every
// due time. The closing note of issue 12 gives the measurements.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// States of a job.
const (
	StateAvailable = "available"
	StateRunning   = "running"
	StateDone      = "done"
	// StateFailed: every attempt failed, or the handler gave up (Discard).
	StateFailed = "failed"
)

// DefaultMaxAttempts is how often a job is tried unless it says otherwise.
const DefaultMaxAttempts = 20

// Job is a row of jobs.
type Job struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	Kind        string
	Args        string
	UniqueKey   *string
	State       string
	Attempts    int
	MaxAttempts int
	RunAt       time.Time
	LockedBy    string
	LockedUntil *time.Time
	LastError   string
	CreatedAt   time.Time
	FinishedAt  *time.Time
}

// TableName pins the table.
func (Job) TableName() string { return "jobs" }

// Decode reads the job's arguments into v.
func (j *Job) Decode(v any) error {
	if err := json.Unmarshal([]byte(j.Args), v); err != nil {
		return fmt.Errorf("job %s %s: decode arguments: %w", j.Kind, j.ID, err)
	}
	return nil
}

// Option changes a job being enqueued.
type Option func(*Job)

// At runs the job no earlier than t.
func At(t time.Time) Option { return func(j *Job) { j.RunAt = t.UTC() } }

// Unique makes the job's insertion a no-op when a job with the same key exists
// (in any state: a key that names its period or day is never run twice).
func Unique(key string) Option { return func(j *Job) { j.UniqueKey = &key } }

// Attempts sets how often the job is tried.
func Attempts(n int) Option { return func(j *Job) { j.MaxAttempts = n } }

// Queue inserts jobs.
type Queue struct {
	db    *database.DB
	clock clock.Clock
	wake  func()
}

// NewQueue returns the queue of db.
func NewQueue(db *database.DB, c clock.Clock) *Queue { return &Queue{db: db, clock: clock.Or(c)} }

// OnCommit sets the function called after a transaction that enqueued commits.
func (q *Queue) OnCommit(wake func()) { q.wake = wake }

// Now is the queue's clock.
func (q *Queue) Now() time.Time { return q.clock.Now() }

// Enqueue inserts a job of kind with args (marshalled to JSON) in the transaction
// of ctx: a single statement. It reports whether a job was inserted (false when
// its unique key was taken).
func (q *Queue) Enqueue(ctx context.Context, kind string, args any, opts ...Option) (bool, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	now := q.clock.Now()
	j := &Job{ID: uuid.Must(uuid.NewV7()), Kind: kind, Args: string(b), State: StateAvailable,
		MaxAttempts: DefaultMaxAttempts, RunAt: now, CreatedAt: now}
	for _, o := range opts {
		o(j)
	}
	tx := q.db.Conn(ctx)
	if j.UniqueKey != nil {
		// The unique index is partial (unique_key IS NOT NULL): the conflict target
		// names its predicate.
		tx = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "unique_key"}},
			TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "unique_key IS NOT NULL"}}}, DoNothing: true})
	}
	res := tx.Create(j)
	if res.Error != nil {
		return false, fmt.Errorf("enqueue %s: %w", kind, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	if q.wake != nil {
		database.AfterCommit(ctx, func(context.Context) { q.wake() })
	}
	return true, nil
}

// Many is one job of EnqueueMany: its arguments and unique key.
type Many struct {
	Args   any
	Unique string
}

// EnqueueMany inserts jobs of kind, each under its unique key, in one statement
// in the transaction of ctx (a sweep's page of reminders), skipping the keys
// taken. It returns how many it inserted.
func (q *Queue) EnqueueMany(ctx context.Context, kind string, batch []Many) (int, error) {
	if len(batch) == 0 {
		return 0, nil
	}
	now := q.clock.Now()
	rows := make([]Job, len(batch))
	for i, m := range batch {
		b, err := json.Marshal(m.Args)
		if err != nil {
			return 0, fmt.Errorf("enqueue %s: %w", kind, err)
		}
		key := m.Unique
		rows[i] = Job{ID: uuid.Must(uuid.NewV7()), Kind: kind, Args: string(b), UniqueKey: &key, State: StateAvailable,
			MaxAttempts: DefaultMaxAttempts, RunAt: now, CreatedAt: now}
	}
	res := q.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "unique_key"}},
		TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "unique_key IS NOT NULL"}}}, DoNothing: true}).Create(&rows)
	if res.Error != nil {
		return 0, fmt.Errorf("enqueue %s: %w", kind, res.Error)
	}
	if res.RowsAffected > 0 && q.wake != nil {
		database.AfterCommit(ctx, func(context.Context) { q.wake() })
	}
	return int(res.RowsAffected), nil
}

// Snooze, returned by a handler, puts the job back to run after d without
// counting an attempt (e.g. outside a channel's quiet hours).
type Snooze struct{ After time.Duration }

func (s *Snooze) Error() string { return fmt.Sprintf("snoozed for %s", s.After) }

// errDiscard marks an error the job cannot recover from: no retry.
type errDiscard struct{ err error }

func (e errDiscard) Error() string { return e.err.Error() }
func (e errDiscard) Unwrap() error { return e.err }

// Discard wraps err so that the job fails at once, without further attempts.
func Discard(err error) error { return errDiscard{err} }

func isDiscard(err error) bool {
	var d errDiscard
	return errors.As(err, &d)
}

// Backoff is the wait before attempt n+1: 2^n seconds (from 2 s), at most an hour,
// with the attempt count as the only input so that tests can predict it.
func Backoff(n int) time.Duration {
	if n >= 12 {
		return time.Hour
	}
	return min(time.Duration(1<<n)*time.Second, time.Hour)
}

// Retry, returned by a handler, fails this attempt and asks for the next one
// after d instead of the default backoff (a webhook's own schedule).
type Retry struct {
	After time.Duration
	Err   error
}

func (r *Retry) Error() string { return r.Err.Error() }
func (r *Retry) Unwrap() error { return r.Err }
