package feedback

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

func TestAddMonths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-15", 1, "2026-02-15"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-12-10", 1, "2027-01-10"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-10-31", 3, "2027-01-31"},
		{"2026-03-15", -3, "2025-12-15"},
	} {
		if got := addMonths(civil.MustParse(c.from), c.n); got.String() != c.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestDueOf(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { // 09:00 in the company's zone
		d := civil.MustParse(s)
		return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, loc)
	}
	ptr := func(t time.Time) *time.Time { return &t }
	// National Day 2026: 1–7 October off, Sunday 27 September and Saturday 10 October worked.
	var days []calendar.Day
	for d := civil.MustParse("2026-10-01"); !d.After(civil.MustParse("2026-10-07")); d = d.AddDays(1) {
		days = append(days, calendar.Day{Date: d, Kind: calendar.KindHoliday, Name: "国庆节"})
	}
	cal := calendar.New(days...)
	m1, m2, m3 := uuid.New(), uuid.New(), uuid.New()
	milestones := []items.Milestone{
		{ID: m1, DueDate: civil.MustParse("2026-05-10"), Done: true},
		{ID: m2, DueDate: civil.MustParse("2026-06-10")},
		{ID: m3, DueDate: civil.MustParse("2026-07-10")},
	}
	asg := items.Assignment{UnitID: uuid.New(), Role: items.RoleLead, CreatedAt: at("2026-04-01").UTC()}
	for _, c := range []struct {
		name     string
		cadence  string
		state    items.State
		last     *time.Time
		reported map[uuid.UUID]bool
		deadline string
		today    string
		want     string // "" for none
		overdue  bool
	}{
		{"none", "none", items.StateInProgress, nil, nil, "2026-12-31", "2026-04-02", "", false},
		{"monthly from the assignment", "monthly", items.StateInProgress, nil, nil, "2026-12-31", "2026-04-02", "2026-05-01", false},
		{"monthly from the last report", "monthly", items.StateInProgress, ptr(at("2026-04-20")), nil, "2026-12-31", "2026-05-02", "2026-05-20", false},
		{"weekly, overdue", "weekly", items.StateInProgress, ptr(at("2026-04-20")), nil, "2026-12-31", "2026-04-28", "2026-04-27", true},
		{"due on the due day is not overdue", "weekly", items.StateInProgress, ptr(at("2026-04-20")), nil, "2026-12-31", "2026-04-27", "2026-04-27", false},
		{"biweekly", "biweekly", items.StateIssued, nil, nil, "2026-12-31", "2026-04-02", "2026-04-15", false},
		{"a weekend moves to Monday", "weekly", items.StateInProgress, ptr(at("2026-04-18")), nil, "2026-12-31", "2026-04-20", "2026-04-27", false},
		{"a holiday moves to the next working day", "weekly", items.StateInProgress, ptr(at("2026-09-30")), nil, "2026-12-31", "2026-10-01", "2026-10-08", false},
		{"quarterly, capped at the deadline", "quarterly", items.StateInProgress, nil, nil, "2026-06-15", "2026-04-02", "2026-06-15", false},
		{"a report older than the assignment does not count", "monthly", items.StateInProgress, ptr(at("2026-03-01")), nil, "2026-12-31", "2026-04-02", "2026-05-01", false},
		{"suspended: nothing due", "weekly", items.StateSuspended, nil, nil, "2026-12-31", "2026-06-01", "", false},
		{"completion requested: nothing due", "weekly", items.StateCompletionRequested, nil, nil, "2026-12-31", "2026-06-01", "", false},
		{"milestones: the earliest open one", "milestones", items.StateInProgress, nil, nil, "2026-12-31", "2026-06-11", "2026-06-10", true},
		{"milestones: reported ones are skipped", "milestones", items.StateInProgress, nil, map[uuid.UUID]bool{m2: true}, "2026-12-31", "2026-06-11", "2026-07-10", false},
		{"milestones: all reported", "milestones", items.StateInProgress, nil, map[uuid.UUID]bool{m2: true, m3: true}, "2026-12-31", "2026-06-11", "", false},
	} {
		it := &items.Item{State: c.state, FeedbackCadence: c.cadence, Deadline: civil.MustParse(c.deadline)}
		d := dueOf(dueInput{Item: it, Assignment: asg, LastReport: c.last, Reported: c.reported, Milestones: milestones,
			Cal: cal, Loc: loc, Today: civil.MustParse(c.today)})
		got := ""
		if d.NextDue != nil {
			got = d.NextDue.String()
		}
		if got != c.want || d.Overdue != c.overdue || d.UnitID != asg.UnitID || d.Role != items.RoleLead {
			t.Errorf("%s: next %q overdue %v, want %q %v", c.name, got, d.Overdue, c.want, c.overdue)
		}
	}
}

// TestNextDueStored: what is stored leaves out the item's state and the deadline
// clamp (readers apply both), and is the date dueOf shows otherwise.
func TestNextDueStored(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("CST", 8*3600)
	asg := items.Assignment{UnitID: uuid.New(), Role: items.RoleLead,
		CreatedAt: time.Date(2026, 4, 1, 9, 0, 0, 0, loc).UTC()}
	cal := calendar.New()
	for _, c := range []struct {
		name, cadence string
		state         items.State
		deadline      string
		want, shown   string
	}{
		{"quarterly past the deadline: stored unclamped", "quarterly", items.StateInProgress, "2026-06-15", "2026-07-01", "2026-06-15"},
		{"suspended: stored, not shown", "monthly", items.StateSuspended, "2026-12-31", "2026-05-01", ""},
		{"in progress: the same date", "monthly", items.StateInProgress, "2026-12-31", "2026-05-01", "2026-05-01"},
		{"none: nothing", "none", items.StateInProgress, "2026-12-31", "", ""},
	} {
		in := dueInput{Item: &items.Item{State: c.state, FeedbackCadence: c.cadence, Deadline: civil.MustParse(c.deadline)},
			Assignment: asg, Cal: cal, Loc: loc, Today: civil.MustParse("2026-04-02")}
		str := func(d *civil.Date) string {
			if d == nil {
				return ""
			}
			return d.String()
		}
		if got, shown := str(nextDue(in)), str(dueOf(in).NextDue); got != c.want || shown != c.shown {
			t.Errorf("%s: stored %q shown %q, want %q %q", c.name, got, shown, c.want, c.shown)
		}
	}
}
