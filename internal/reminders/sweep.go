package reminders

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/review"
)

// counter counts days for a class of items: working days of the calendar for
// normal items, every day for urgent ones.
type counter interface {
	// add is the date n counted days after d (before it when n < 0).
	add(d civil.Date, n int) civil.Date
	// between counts the days after from up to and including to.
	between(from, to civil.Date) int
}

type workdays struct{ c *calendar.Calendar }

func (w workdays) add(d civil.Date, n int) civil.Date { return w.c.AddWorkdays(d, n) }
func (w workdays) between(from, to civil.Date) int    { return w.c.WorkdaysBetween(from, to) }

type natural struct{}

func (natural) add(d civil.Date, n int) civil.Date { return d.AddDays(n) }
func (natural) between(from, to civil.Date) int    { return from.DaysUntil(to) }

// urgent are the urgencies reminded on every day, holidays and weekends included.
var urgent = []string{"urgent", "very_urgent"}

// urgeable are the item states in which a unit is urged (urges' rule).
var urgeable = []string{string(items.StateIssued), string(items.StateInProgress)}

// sendArgs are a send job's arguments: one reminder.
type sendArgs struct {
	Kind Kind       `json:"kind"`
	Item uuid.UUID  `json:"item_id"`
	Unit uuid.UUID  `json:"unit_id"`
	Ref  *uuid.UUID `json:"ref_id,omitempty"`
	// Day is the day the reminder is for; Date the deadline or due date it
	// speaks of; Since when the waiting began (requests, assignments).
	Day    civil.Date `json:"day"`
	Date   civil.Date `json:"date,omitzero"`
	Since  *time.Time `json:"since,omitempty"`
	Urgent bool       `json:"urgent,omitempty"`
}

func (a sendArgs) key() string {
	return "reminder:" + string(a.Kind) + ":" + a.Item.String() + ":" + a.Unit.String() + ":" + a.Day.String()
}

// Stats is what a sweep enqueued, per kind.
type Stats struct {
	Day      civil.Date
	Workday  bool
	Enqueued map[Kind]int
	// Rows is how many candidate rows the queries read.
	Rows int
	// Reading and Enqueuing are the time spent in the candidate queries and in
	// the job inserts (their commits included).
	Reading, Enqueuing time.Duration
	// ReadingByKind splits Reading by kind.
	ReadingByKind map[Kind]time.Duration
}

// Sweep enqueues today's reminders: for each scope's rules (the defaults for the
// scopes without their own), each enabled kind, the normal items on a working
// day and the urgent items on every day. Jobs already enqueued for the day are
// not enqueued again (their unique key), so a second sweep adds nothing.
func (s *Service) Sweep(ctx context.Context) (*Stats, error) {
	return s.SweepDay(ctx, s.cal.Today())
}

// SweepDay is Sweep for the given day.
func (s *Service) SweepDay(ctx context.Context, day civil.Date) (*Stats, error) {
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	custom, err := s.custom(ctx)
	if err != nil {
		return nil, err
	}
	st := &Stats{Day: day, Workday: cal.IsWorkday(day), Enqueued: map[Kind]int{}, ReadingByKind: map[Kind]time.Duration{}}
	type group struct {
		rules Settings
		scope cond
	}
	var groups []group
	others := make([]uuid.UUID, 0, len(custom))
	for id, rules := range custom {
		others = append(others, id)
		groups = append(groups, group{rules, where("items.scope_id = ?", id)})
	}
	def := where("1 = 1")
	if len(others) > 0 {
		def = where("items.scope_id NOT IN ?", others)
	}
	groups = append(groups, group{Defaults(uuid.Nil), def})
	for _, g := range groups {
		for _, k := range Kinds {
			r := g.rules.Rule(k)
			if !r.Enabled {
				continue
			}
			classes := []class{{natural{}, where("items.urgency IN ?", urgent), true}}
			if st.Workday {
				classes = append(classes, class{workdays{cal}, where("items.urgency NOT IN ?", urgent), false})
			}
			for _, cl := range classes {
				for _, q := range s.queries(k, r, day, cl.count) {
					q.where = append(q.where, g.scope, cl.only)
					if err := s.stream(ctx, q, k, day, cl.urgent, st); err != nil {
						return st, fmt.Errorf("reminders %s: %w", k, err)
					}
				}
			}
		}
	}
	s.log.InfoContext(ctx, "reminder sweep", "day", day.String(), "workday", st.Workday, "rows", st.Rows, "enqueued", st.Enqueued)
	return st, nil
}

// class is the items counted one way: the urgent ones every day in calendar
// days, the others on working days in working days.
type class struct {
	count  counter
	only   cond
	urgent bool
}

type cond struct {
	sql  string
	args []any
}

func where(sql string, args ...any) cond { return cond{sql, args} }

// query is one candidate query: its rows are the reminders due.
type query struct {
	join  string
	where []cond
	// id is the keyset column (unique per row); unit, ref and date the columns
	// of the urged unit, the thing waiting and the date spoken of; since the
	// start of the wait.
	id, unit, ref, date, since string
}

const liveLead = `EXISTS (SELECT 1 FROM item_assignments la WHERE la.item_id = items.id AND la.unit_id = items.lead_unit_id AND la.state <> 'returned')`

// feedbackDue is the unit's next feedback due date as feedback's reads give it:
// the stored next_feedback_due (feedback/due.go keeps it), clamped to the item's
// deadline unless reports follow milestones — todo's feedback_to_write reads the
// same.
const feedbackDue = `(CASE WHEN items.feedback_cadence <> 'milestones' AND items.deadline IS NOT NULL AND items.deadline < a.next_feedback_due
	THEN items.deadline ELSE a.next_feedback_due END)`

// queries are the candidate queries of kind k under rule r on day for the class
// counted by c.
func (s *Service) queries(k Kind, r Rule, day civil.Date, c counter) []query {
	lead := query{id: "items.id", unit: "items.lead_unit_id", date: "items.deadline",
		where: []cond{where("items.state IN ?", urgeable), where("items.lead_unit_id IS NOT NULL"), where(liveLead)}}
	feedback := query{join: "JOIN item_assignments a ON a.item_id = items.id", id: "a.id", unit: "a.unit_id", ref: "a.id", date: feedbackDue,
		where: []cond{where("a.state <> ?", items.AssignmentReturned), where("items.state IN ?", urgeable),
			where("items.feedback_cadence <> ?", "none"), where("a.next_feedback_due IS NOT NULL")}}
	// startOf is the first instant of the day n counted days before day: a
	// wait that began before it has lasted at least n counted days.
	startOf := func(n int) time.Time { return c.add(day, -n).In(s.cal.Location()) }
	var out []query
	switch k {
	case KindDeadlineApproaching:
		for _, n := range r.DaysBefore {
			q := lead
			q.where = append(clone(q.where), where("items.deadline >= ? AND items.deadline < ?", c.add(day, n), c.add(day, n+1)))
			out = append(out, q)
		}
	case KindOverdue:
		q := lead
		q.where = append(clone(q.where), where("items.deadline < ?", day))
		out = append(out, q)
	case KindEscalation:
		// Overdue more than N counted days, and not yet escalated since the
		// deadline: once per deadline, even when a sweep was missed.
		q := lead
		q.where = append(clone(q.where), where("items.deadline < ?", c.add(day, -r.AfterWorkdays)),
			where(`NOT EXISTS (SELECT 1 FROM item_urges ue WHERE ue.item_id = items.id AND ue.reminder = ? AND ue.reminder_day > items.deadline)`,
				string(KindEscalation)))
		out = append(out, q)
	case KindFeedbackDue:
		// The clamped due date (feedbackDue) in [lo, hi), as two disjoint queries
		// that can use an index: the stored date itself when not clamped, the
		// deadline when it clamps.
		for _, n := range r.DaysBefore {
			lo, hi := c.add(day, n), c.add(day, n+1)
			own, clamped := feedback, feedback
			own.where = append(clone(own.where), where("a.next_feedback_due >= ? AND a.next_feedback_due < ?", lo, hi),
				where("(items.feedback_cadence = ? OR items.deadline IS NULL OR items.deadline >= a.next_feedback_due)", "milestones"))
			clamped.where = append(clone(clamped.where), where("items.deadline >= ? AND items.deadline < ?", lo, hi),
				where("items.feedback_cadence <> ? AND items.deadline < a.next_feedback_due", "milestones"))
			out = append(out, own, clamped)
		}
	case KindFeedbackOverdue:
		q := feedback
		// Past the deadline the overdue reminders speak: feedback is not pressed
		// on top of them. Before it the clamp cannot move a due date below
		// today, so the stored date is compared (its index serves).
		q.where = append(clone(q.where), where("a.next_feedback_due < ?", day), where("items.deadline >= ?", day))
		out = append(out, q)
	case KindAssignmentNotAccepted:
		out = append(out, query{join: "JOIN item_assignments a ON a.item_id = items.id", id: "a.id", unit: "a.unit_id", ref: "a.id",
			since: "a.created_at", where: []cond{where("a.state = ?", items.AssignmentPending),
				where("((a.role = ? AND items.state = ?) OR (a.role = ? AND items.state IN ?))",
					items.RoleLead, string(items.StateIssued), items.RoleCooperating, urgeable),
				where("a.created_at < ?", startOf(r.AfterWorkdays-1))}})
	case KindExtensionWaiting, KindCompletionWaiting:
		table, states := extensions.Request{}.TableName(), urgeable
		if k == KindCompletionWaiting {
			table, states = completion.Request{}.TableName(), []string{string(items.StateCompletionRequested)}
		}
		out = append(out, query{join: "JOIN " + table + " x ON x.item_id = items.id", id: "x.id", unit: "x.unit_id", ref: "x.id",
			since: "x.updated_at", where: []cond{where("x.state IN ?", []string{string(review.Requested), string(review.Forwarded)}),
				where("items.state IN ?", states), where("x.updated_at < ?", startOf(r.AfterWorkdays-1))}})
	}
	return out
}

func clone(cs []cond) []cond { return append([]cond(nil), cs...) }

// row is a candidate.
type candidate struct {
	ID     uuid.UUID  `gorm:"type:uuid"`
	ItemID uuid.UUID  `gorm:"type:uuid"`
	UnitID uuid.UUID  `gorm:"type:uuid"`
	RefID  *uuid.UUID `gorm:"type:uuid"`
	Date   *civil.Date
	Since  *time.Time
}

// stream reads q's rows through one cursor (a single query, no re-sorting per
// page: linear in the rows) and enqueues them a page of Batch at a time, each
// page in a transaction of its own on another connection: memory holds one page.
func (s *Service) stream(ctx context.Context, q query, k Kind, day civil.Date, isUrgent bool, st *Stats) error {
	cols := q.id + " AS id, items.id AS item_id, " + q.unit + " AS unit_id"
	if q.ref != "" {
		cols += ", " + q.ref + " AS ref_id"
	}
	if q.date != "" {
		cols += ", " + q.date + " AS date"
	}
	if q.since != "" {
		cols += ", " + q.since + " AS since"
	}
	t0 := time.Now()
	batch := make([]jobs.Many, 0, s.Batch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		t1 := time.Now()
		// One statement per page, committed at once (ctx is the sweep's, not
		// the cursor's transaction): the wake-up after commit starts the
		// workers on it while the sweep reads on.
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			n, err := s.queue.EnqueueMany(ctx, JobSend, batch)
			st.Enqueued[k] += n
			return err
		})
		st.Enqueuing += time.Since(t1)
		t0 = t0.Add(time.Since(t1)) // the read time leaves the writes out
		batch = batch[:0]
		return err
	}
	read := func(rctx context.Context) error {
		tx := s.db.Conn(rctx).Table("items").Select(cols)
		if q.join != "" {
			tx = tx.Joins(q.join)
		}
		for _, c := range q.where {
			tx = tx.Where(c.sql, c.args...)
		}
		rows, err := tx.Rows()
		if err != nil {
			return err
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var r candidate
			if err := s.db.Conn(rctx).ScanRows(rows, &r); err != nil {
				return err
			}
			st.Rows++
			a := sendArgs{Kind: k, Item: r.ItemID, Unit: r.UnitID, Ref: r.RefID, Day: day, Since: r.Since, Urgent: isUrgent}
			if r.Date != nil {
				a.Date = *r.Date
			}
			batch = append(batch, jobs.Many{Args: a, Unique: a.key()})
			if len(batch) == s.Batch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return rows.Err()
	}
	var err error
	if s.db.Dialect() == database.Postgres {
		// The cursor stays open while its pages are written on other
		// connections: it may outlive the connections' statement_timeout, which
		// bounds requests, not this background read; a transaction of its own
		// sets a longer one for this statement alone. (SQLite has none, and its
		// write gate must stay free for the pages.)
		err = s.db.InTx(ctx, func(rctx context.Context) error {
			if err := s.db.Conn(rctx).Exec("SET LOCAL statement_timeout = '10min'").Error; err != nil {
				return err
			}
			return read(rctx)
		})
	} else {
		err = read(ctx)
	}
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	d := time.Since(t0)
	st.Reading += d
	st.ReadingByKind[k] += d
	return nil
}
