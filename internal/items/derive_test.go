package items

import (
	"testing"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
)

// TestGraceCutoff: a feedback due before the cutoff is missed, i.e. its due date
// plus the grace in working days is before today.
func TestGraceCutoff(t *testing.T) {
	t.Parallel()
	cal := calendar.New()                  // weekdays only
	today := civil.MustParse("2026-11-25") // Wednesday
	for _, c := range []struct {
		grace int
		want  string
	}{
		{0, "2026-11-25"},
		{1, "2026-11-24"},
		{2, "2026-11-23"},
		{3, "2026-11-20"}, // Friday 20th + 3 working days is Wednesday: not missed yet
		{5, "2026-11-18"},
	} {
		got := graceCutoff(today, cal, c.grace)
		if got.String() != c.want {
			t.Errorf("grace %d: cutoff %s, want %s", c.grace, got, c.want)
		}
		// The defining property, checked over the preceding weeks.
		for d := today.AddDays(-30); !d.After(today); d = d.AddDays(1) {
			if missed := cal.AddWorkdays(d, c.grace).Before(today); missed != d.Before(got) {
				t.Errorf("grace %d, due %s: missed %v but cutoff %s", c.grace, d, missed, got)
			}
		}
	}
}

// TestDeriveMissedFeedback: a missed feedback turns the light yellow only while the
// item is issued or in progress, and red still wins.
func TestDeriveMissedFeedback(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	today := civil.MustParse("2026-11-25")
	clk := newClock(today, cal, 3, 0)
	late := []civil.Date{civil.MustParse("2026-11-24")}
	onTime := []civil.Date{today}
	for _, c := range []struct {
		state    State
		deadline string
		fb       []civil.Date
		want     string
	}{
		{StateInProgress, "2027-03-01", late, LightYellow},
		{StateIssued, "2027-03-01", late, LightYellow},
		{StateInProgress, "2027-03-01", onTime, LightGreen},
		{StateSuspended, "2027-03-01", late, LightGreen},
		{StateInProgress, "2026-11-20", late, LightRed},
	} {
		it := &Item{State: c.state, Deadline: civil.MustParse(c.deadline)}
		if got := clk.derive(it, nil, c.fb, nil).Light; got != c.want {
			t.Errorf("%s, deadline %s: %s, want %s", c.state, c.deadline, got, c.want)
		}
	}
}

// TestClearingHoldsForItsDeadline: a clearing (摘牌) belongs to the deadline it was
// made against. A moved deadline ends it; it is kept, not deleted, so the same
// deadline again (which no endpoint produces: a new deadline is never in the past)
// finds it in force; a worse light or a finished item ends it too.
func TestClearingHoldsForItsDeadline(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	today := civil.MustParse("2026-11-25")
	clk := newClock(today, cal, 3, 0)
	against := civil.MustParse("2026-11-23")
	clr := &WarningClear{ClearedLight: LightRed, Deadline: against}
	for _, c := range []struct {
		state    State
		deadline string
		want     string
		cleared  bool
	}{
		{StateInProgress, "2026-11-23", LightGreen, true}, // the deadline cleared against
		{StateInProgress, "2026-11-22", LightRed, false},  // moved earlier: still red, not cleared
		{StateInProgress, "2026-11-26", LightBlue, false}, // moved later: blue, not cleared
		{StateSuspended, "2026-11-23", LightGreen, true},  // back to it: cleared again
		{StateClosed, "2026-11-23", LightNone, false},     // finished: no light at all
		{StateCompletionRequested, "2026-11-23", LightGreen, true},
	} {
		it := &Item{State: c.state, Deadline: civil.MustParse(c.deadline)}
		d := clk.derive(it, nil, nil, clr)
		if d.Light != c.want || (d.Clear != nil) != c.cleared {
			t.Errorf("%s, deadline %s: light %s, cleared %v; want %s, %v", c.state, c.deadline, d.Light, d.Clear != nil, c.want, c.cleared)
		}
	}
	// A light worse than the one cleared shows through.
	yellow := &WarningClear{ClearedLight: LightYellow, Deadline: against}
	if d := clk.derive(&Item{State: StateInProgress, Deadline: against}, nil, nil, yellow); d.Light != LightRed || d.Clear != nil {
		t.Errorf("red over a cleared yellow: %+v", d)
	}
}
