package items

import (
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
)

// Derived values are computed on every read and never stored:
//   - overdue: the item is open (submitted, not closed/archived/cancelled) and today
//     is after its (current) deadline;
//   - light: none for items that are not open; red when overdue; yellow when a
//     milestone not done is past its due date; blue when the deadline or a
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

// clock is the day a request is answered on, with the light's boundary.
type clock struct {
	Today     civil.Date
	BlueUntil civil.Date
	Cal       *calendar.Calendar
}

func newClock(today civil.Date, cal *calendar.Calendar, blueWorkdays int) clock {
	return clock{Today: today, BlueUntil: cal.AddWorkdays(today, blueWorkdays), Cal: cal}
}

// derive computes the derived fields; open are the due dates of the milestones not
// yet done, clr the item's stored clearing (nil when none).
func (c clock) derive(it *Item, open []civil.Date, clr *WarningClear) Derived {
	d := c.underlying(it, open)
	d.UnderlyingLight = d.Light
	if clr.holds(it, d.Light) {
		d.Light, d.Clear = LightGreen, clr
	}
	return d
}

// underlying computes the derived fields without clearings.
func (c clock) underlying(it *Item, open []civil.Date) Derived {
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
