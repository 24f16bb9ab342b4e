package items

import (
	"slices"
	"time"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
)

// Derived values are computed on every read and never stored:
//   - overdue: the item is open (submitted, not closed/archived/cancelled) and today
//     is after its (current) deadline;
//   - light: none for items that are not open; red when overdue; yellow when a
//     milestone not done is past its due date, or when a feedback is missed: the
//     item is issued or in progress and a live assignment's next_feedback_due
//     (kept by the feedback package, FeedbackDueKeeper) plus the feedback grace
//     (working days, the admin's setting) is before today; blue when the deadline or a
//     milestone not done falls within the blue threshold (working days from today,
//     the admin's setting, WarningSource; default DefaultBlueWorkdays); green
//     otherwise. A light cleared by the supervision office (摘牌, warnings.go)
//     shows green with warning_cleared while the underlying light is no worse
//     than the cleared one and the deadline has not moved;
//   - days_remaining: working days from today to the deadline (negative when
//     overdue), only for open items with a deadline.

// Lights.
const (
	LightNone   = "none"
	LightGreen  = "green"
	LightBlue   = "blue"
	LightYellow = "yellow"
	LightRed    = "red"
)

// Lights lists the values of the light filter.
var Lights = []string{LightRed, LightYellow, LightBlue, LightGreen, LightNone}

// DefaultBlueWorkdays is how many working days before a deadline or milestone the
// light turns blue when no WarningSource is set (DESIGN.md's default).
const DefaultBlueWorkdays = 3

// Derived are the computed fields of an item.
type Derived struct {
	Overdue       bool
	Light         string
	DaysRemaining *int
	// UnderlyingLight is the light before a clearing (摘牌); equal to Light when no
	// clearing is in force.
	UnderlyingLight string
	// Clear is the clearing in force (Light is then green), or nil.
	Clear *WarningClear
}

// day is the day a request is answered on, with the light's boundaries.
type day struct {
	Today     civil.Date
	BlueUntil civil.Date
	// FeedbackBefore: a feedback due before this day is missed (its due date plus
	// the grace in working days is before today).
	FeedbackBefore civil.Date
	Cal            *calendar.Calendar
	// Loc is the company time zone: the report filters' dates are its days.
	Loc *time.Location
}

func newClock(today civil.Date, cal *calendar.Calendar, blueWorkdays, graceWorkdays int) day {
	return day{Today: today, BlueUntil: cal.AddWorkdays(today, blueWorkdays),
		FeedbackBefore: graceCutoff(today, cal, graceWorkdays), Cal: cal}
}

// graceCutoff is the first day d for which d plus grace working days is not
// before today: a due date before it is missed. AddWorkdays is monotone in d, so
// "due + grace < today" is "due < cutoff", which SQL can compare as text.
func graceCutoff(today civil.Date, cal *calendar.Calendar, grace int) civil.Date {
	if grace <= 0 {
		return today
	}
	d := today
	// Bounded: grace is at most 30 working days; no holiday run is a year long.
	for range 400 {
		prev := d.AddDays(-1)
		if cal.AddWorkdays(prev, grace).Before(today) {
			break
		}
		d = prev
	}
	return d
}

// feedbackStates are the states in which feedback is due (feedback/due.go): a
// suspended item's clock is paused, nothing is due once completion is requested.
var feedbackStates = []State{StateIssued, StateInProgress}

// feedbackDues are the stored next feedback due dates of the live assignments.
func feedbackDues(asgs []Assignment) []civil.Date {
	var out []civil.Date
	for i := range asgs {
		if asgs[i].Live() && asgs[i].NextFeedbackDue != nil {
			out = append(out, *asgs[i].NextFeedbackDue)
		}
	}
	return out
}

// derive computes the derived fields; open are the due dates of the milestones not
// yet done, fb the next feedback due dates of the live assignments, clr the item's
// stored clearing (nil when none).
func (c day) derive(it *Item, open, fb []civil.Date, clr *WarningClear) Derived {
	d := c.underlying(it, open, fb)
	d.UnderlyingLight = d.Light
	if clr.holds(it, d.Light) {
		d.Light, d.Clear = LightGreen, clr
	}
	return d
}

// underlying computes the derived fields without clearings.
func (c day) underlying(it *Item, open, fb []civil.Date) Derived {
	if !it.State.Open() {
		return Derived{Light: LightNone}
	}
	var d Derived
	if !it.Deadline.IsZero() {
		n := c.Cal.WorkdaysBetween(c.Today, it.Deadline)
		d.DaysRemaining = &n
		d.Overdue = c.Today.After(it.Deadline)
	}
	soon := func(x civil.Date) bool { return !x.Before(c.Today) && !x.After(c.BlueUntil) }
	missed, near := false, !it.Deadline.IsZero() && soon(it.Deadline)
	for _, m := range open {
		missed = missed || m.Before(c.Today)
		near = near || soon(m)
	}
	if slices.Contains(feedbackStates, it.State) {
		// The deadline clamp of the due date (feedback/due.go) does not matter
		// here: a clamped date is missed only once the deadline has passed, and
		// red wins then.
		for _, f := range fb {
			missed = missed || f.Before(c.FeedbackBefore)
		}
	}
	switch {
	case d.Overdue:
		d.Light = LightRed
	case missed:
		d.Light = LightYellow
	case near:
		d.Light = LightBlue
	default:
		d.Light = LightGreen
	}
	return d
}
