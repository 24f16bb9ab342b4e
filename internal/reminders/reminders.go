// Package reminders sends the automatic reminders and escalations (催办催报,
// 定时反馈; issue 12): a daily sweep finds, for each supervision scope and its
// rules (GET/PUT /settings/reminders), the items, assignments and requests that
// are due for a reminder today, and enqueues one job per item × unit × kind × day
// (jobs' unique key); each job sends the reminder as an urge of kind auto through
// urges.SendAuto — the urge path, so it is counted for assessment, shows on the
// timeline as the system and is told by the notifications subscriber (kind
// reminder) — whose unique index (migration 0015) keeps it to one however many
// processes, sweeps or retries.
//
// Working days come from the calendar: on a holiday or a weekend only urgent
// items are reminded, and for them every day counts (3 days before the deadline
// are 3 calendar days). Whom a reminder is for beyond the urged unit comes from
// the to-do list's rules (todo.Service.Recipients), never from a copy of them.
//
// The sweep streams: each query reads a page of rows by keyset and the page's
// jobs are enqueued in one transaction, so memory does not grow with the number
// of open items (BenchmarkReminderSweep).
package reminders

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/urges"
)

// Kind is a kind of automatic reminder. Kinds are a contract (urges store them,
// notifications read "escalat…" in them): never rename one.
type Kind string

// The kinds.
const (
	KindDeadlineApproaching   Kind = "deadline_approaching"
	KindOverdue               Kind = "overdue"
	KindFeedbackDue           Kind = "feedback_due"
	KindFeedbackOverdue       Kind = "feedback_overdue"
	KindAssignmentNotAccepted Kind = "assignment_not_accepted"
	KindExtensionWaiting      Kind = "extension_waiting"
	KindCompletionWaiting     Kind = "completion_waiting"
	KindEscalation            Kind = "escalation"
)

// Kinds lists every kind in the order the settings show them.
var Kinds = []Kind{KindDeadlineApproaching, KindOverdue, KindFeedbackDue, KindFeedbackOverdue,
	KindAssignmentNotAccepted, KindExtensionWaiting, KindCompletionWaiting, KindEscalation}

type param int

const (
	paramNone param = iota
	paramDaysBefore
	paramAfter
)

// param is the parameter the kind's rule takes.
func (k Kind) param() param {
	switch k {
	case KindDeadlineApproaching, KindFeedbackDue:
		return paramDaysBefore
	case KindAssignmentNotAccepted, KindExtensionWaiting, KindCompletionWaiting, KindEscalation:
		return paramAfter
	}
	return paramNone
}

// Job kinds.
const (
	// JobSweep is the daily sweep (a periodic job).
	JobSweep = "reminders.sweep"
	// JobSend sends one reminder.
	JobSend = "reminders.send"
)

// ActNow answers who must act now on an item for a to-do group:
// todo.Service.Recipients.
type ActNow interface {
	Recipients(ctx context.Context, key string, item uuid.UUID, ref *uuid.UUID) ([]uuid.UUID, error)
}

// Service holds the rules and runs the sweep and the sends.
type Service struct {
	db     *database.DB
	cal    *calendar.Service
	urges  *urges.Service
	actNow ActNow
	queue  *jobs.Queue
	audit  *audit.Log
	clock  clock.Clock
	log    *slog.Logger
	// Batch is how many rows a sweep query reads (and jobs one transaction
	// enqueues) at a time.
	Batch int
}

// Options build a Service.
type Options struct {
	DB     *database.DB
	Cal    *calendar.Service
	Urges  *urges.Service
	ActNow ActNow
	Queue  *jobs.Queue
	Audit  *audit.Log
	Clock  clock.Clock
	Log    *slog.Logger
}

// New returns the reminders service.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: o.DB, cal: o.Cal, urges: o.Urges, actNow: o.ActNow, queue: o.Queue, audit: o.Audit,
		clock: clock.Or(o.Clock), log: o.Log.With("component", "reminders"), Batch: 500}
}

// SweepHour is when the daily sweep runs, in the company time zone.
const SweepHour = 8

// Register adds the sweep as a periodic job (once a day at SweepHour, once
// however many processes: the scheduler's lease and key per period) and the
// handlers of both jobs.
func (s *Service) Register(w *jobs.Worker, sch *jobs.Scheduler) {
	w.Handle(JobSweep, func(ctx context.Context, _ *jobs.Job) error {
		_, err := s.Sweep(ctx)
		return err
	})
	w.Handle(JobSend, s.handleSend)
	sch.Add(jobs.Periodic{Name: JobSweep, Kind: JobSweep, Args: struct{}{}, Every: 24 * time.Hour, Offset: SweepHour * time.Hour})
}
