package feedback

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

// When feedback is due (the item's feedback_cadence), per unit with a live
// assignment, computed on every read (and stored, without the state and the
// deadline clamp, in item_assignments.next_feedback_due: RefreshFeedbackDue):
//   - none: never (next_due null);
//   - weekly, biweekly, monthly, quarterly: one period after the unit last
//     reported — the newest of its feedback that is submitted or accepted (a report
//     waiting for review counts: the unit is not overdue because the office has not
//     reviewed yet; a returned one does not) — or, before any report, after the
//     assignment was made (the issue date for the units named at issue). Months
//     keep the day of the month, clamped to the month's end (31 Jan → 28 Feb). A
//     due date on a holiday or weekend moves to the next working day of the
//     calendar; none falls after the item's deadline (the last report is due by
//     the deadline at the latest);
//   - milestones: the due date of the earliest milestone not done that the unit
//     has not yet reported on (a submitted or accepted feedback naming it); null
//     when there is none.
//
// Only while the item is issued or in progress: a suspended item's clock is
// paused, and nothing is due once completion is requested.
// overdue is true when today is after next_due.

// Due is when a unit's next feedback is due.
type Due struct {
	UnitID  uuid.UUID
	Role    string
	NextDue *civil.Date
	Overdue bool
	// LastReportedAt is when the unit last submitted a feedback that still counts.
	LastReportedAt *time.Time
}

// dueInput is what the computation looks at.
type dueInput struct {
	Item       *items.Item
	Assignment items.Assignment
	// LastReport is the newest submitted_at of the unit's submitted or accepted
	// feedback; nil before its first report.
	LastReport *time.Time
	// Reported are the milestones the unit has reported on.
	Reported   map[uuid.UUID]bool
	Milestones []items.Milestone
	Cal        *calendar.Calendar
	Loc        *time.Location
	Today      civil.Date
}

// dueOf computes one unit's due date.
func dueOf(in dueInput) Due {
	d := Due{UnitID: in.Assignment.UnitID, Role: in.Assignment.Role, LastReportedAt: in.LastReport}
	if !slices.Contains(items.FeedbackDueStates(), in.Item.State) {
		return d
	}
	next := nextDue(in)
	if next == nil {
		return d
	}
	if in.Item.FeedbackCadence != "milestones" && !in.Item.Deadline.IsZero() && next.After(in.Item.Deadline) {
		*next = in.Item.Deadline
	}
	d.NextDue = next
	d.Overdue = in.Today.After(*next)
	return d
}

// nextDue is the rule without the item's state and the deadline clamp: what is
// stored in item_assignments.next_feedback_due (RefreshFeedbackDue). nil when
// nothing is due.
func nextDue(in dueInput) *civil.Date {
	var next civil.Date
	switch in.Item.FeedbackCadence {
	case "weekly", "biweekly", "monthly", "quarterly":
		anchor := civil.Of(in.Assignment.CreatedAt.In(in.Loc))
		if in.LastReport != nil {
			if r := civil.Of(in.LastReport.In(in.Loc)); r.After(anchor) {
				anchor = r
			}
		}
		next = addPeriod(anchor, in.Item.FeedbackCadence)
		if in.Cal != nil {
			next = in.Cal.NextWorkday(next)
		}
	case "milestones":
		for _, m := range in.Milestones {
			if m.Done || in.Reported[m.ID] {
				continue
			}
			if next.IsZero() || m.DueDate.Before(next) {
				next = m.DueDate
			}
		}
	}
	if next.IsZero() {
		return nil
	}
	return &next
}

// WantsFeedbackDue answers items.FeedbackDueKeeper: the changes that can move a
// stored due date — assignments made, answered or added (issue, accept, return,
// reassign), the cadence edited (update), milestones changed, and a report
// submitted or returned (an accepted one was counted when it was submitted). The
// item's state and deadline are applied on read, so state actions, deadline moves,
// comments and urges never refresh.
func (s *Service) WantsFeedbackDue(action string) bool {
	switch action {
	case string(items.ActIssue), string(items.ActAccept), string(items.ActReturn), string(items.ActReassign),
		string(items.ActUpdate), items.EvMilestoneCreate, items.EvMilestoneUpdate, items.EvMilestoneDelete,
		EvSubmitted, EvReturned:
		return true
	}
	return false
}

// RefreshFeedbackDue answers items.FeedbackDueKeeper: it stores nextDue of every
// live assignment of the item in item_assignments.next_feedback_due (NULL for
// returned ones), inside the transaction of ctx. it and asgs are the item and its
// assignments as they stand after the change.
func (s *Service) RefreshFeedbackDue(ctx context.Context, it *items.Item, asgs []items.Assignment) error {
	if len(asgs) == 0 {
		return nil
	}
	conn := s.db.Conn(ctx)
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return fmt.Errorf("load calendar: %w", err)
	}
	facts, err := reports(ctx, s.db, it.ID)
	if err != nil {
		return err
	}
	var ms []items.Milestone
	if it.FeedbackCadence == "milestones" {
		if err := conn.Where("item_id = ?", it.ID).Find(&ms).Error; err != nil {
			return fmt.Errorf("load milestones: %w", err)
		}
	}
	for i := range asgs {
		a := &asgs[i]
		var next *civil.Date
		if a.Live() {
			in := dueInput{Item: it, Assignment: *a, Reported: facts.Reported[a.UnitID], Milestones: ms, Cal: cal, Loc: s.cal.Location()}
			if t, ok := facts.Last[a.UnitID]; ok {
				in.LastReport = &t
			}
			next = nextDue(in)
		}
		if equalDate(next, a.NextFeedbackDue) {
			continue
		}
		if err := conn.Model(&items.Assignment{}).Where("id = ?", a.ID).UpdateColumn("next_feedback_due", next).Error; err != nil {
			return fmt.Errorf("store next feedback due: %w", err)
		}
		a.NextFeedbackDue = next
	}
	return nil
}

func equalDate(a, b *civil.Date) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// Backfill computes next_feedback_due for the live assignments of items with a
// feedback cadence that have none yet (rows from before migration 0009, which
// leaves them NULL). Run at start-up; once filled, the query finds only rows whose
// rule gives nothing (a milestones cadence without an open milestone).
func (s *Service) Backfill(ctx context.Context) error {
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Table("item_assignments a").Distinct("a.item_id").Joins("JOIN items i ON i.id = a.item_id").
		Where("a.state <> ? AND a.next_feedback_due IS NULL AND i.feedback_cadence <> ?", items.AssignmentReturned, "none").
		Pluck("a.item_id", &ids).Error
	if err != nil {
		return fmt.Errorf("find assignments without a feedback due date: %w", err)
	}
	for _, id := range ids {
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			var it items.Item
			if err := s.db.Conn(ctx).Where("id = ?", id).Take(&it).Error; err != nil {
				return fmt.Errorf("load item: %w", err)
			}
			var asgs []items.Assignment
			if err := s.db.Conn(ctx).Where("item_id = ?", id).Find(&asgs).Error; err != nil {
				return fmt.Errorf("load assignments: %w", err)
			}
			return s.RefreshFeedbackDue(ctx, &it, asgs)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addPeriod adds one cadence period to d.
func addPeriod(d civil.Date, cadence string) civil.Date {
	switch cadence {
	case "weekly":
		return d.AddDays(7)
	case "biweekly":
		return d.AddDays(14)
	case "monthly":
		return addMonths(d, 1)
	case "quarterly":
		return addMonths(d, 3)
	}
	return d
}

// addMonths adds n months keeping the day of the month, clamped to the month's
// last day.
func addMonths(d civil.Date, n int) civil.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	month := time.Month(m + 1)
	last := time.Date(y, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return civil.Date{Year: y, Month: month, Day: min(d.Day, last)}
}
