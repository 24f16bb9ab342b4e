// Package calendar is the working-day calendar: weekends, public holidays and the
// adjusted workdays (调休) of each year, editable by an admin. Warning lights and days
// remaining count working days with it.
//
// The data lives in calendar_years and calendar_days; migration 0004 ships the
// State Council's schedules of 2026 and 2027 (see README.md in this directory for how
// far each is verified). A year without data counts Monday to Friday as working days.
//
// Service.Calendar returns a read-only snapshot that is cached in the process. A PUT
// through this process drops the cache at once; other processes behind the same
// database notice the change within RefreshInterval, when a cheap fingerprint query
// (the sum of the years' versions) no longer matches their snapshot.
package calendar

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// RefreshInterval is how long a cached snapshot is used before the service checks
// whether another process changed the calendar.
const RefreshInterval = 30 * time.Second

// Service loads and edits the calendar.
type Service struct {
	db    *database.DB
	loc   *time.Location
	audit *audit.Log
	clock clock.Clock
	// refresh is RefreshInterval; tests shorten it.
	refresh time.Duration

	mu      sync.Mutex
	snap    *Calendar
	snapFP  fingerprint
	checked time.Time
	// gen counts invalidations, so that a load that raced with an edit does not
	// install the snapshot it read before the edit.
	gen uint64
}

// NewService returns the calendar service; loc is the company time zone, c the
// one clock (nil: the system clock), which the services that count working days
// share through Clock.
func NewService(db *database.DB, loc *time.Location, c clock.Clock) *Service {
	if loc == nil {
		loc = time.UTC
	}
	return &Service{db: db, loc: loc, audit: audit.New(db), refresh: RefreshInterval, clock: clock.Or(c)}
}

// UseAudit records the calendar's edits in log (the application's, which also
// emits them as events) instead of a log of its own.
func (s *Service) UseAudit(log *audit.Log) { s.audit = log }

// Clock is the clock the calendar counts today by.
func (s *Service) Clock() clock.Clock { return s.clock }

// Calendar is a read-only snapshot used for working-day arithmetic. It is safe for
// concurrent use.
type Calendar struct {
	holidays map[civil.Date]bool
	workdays map[civil.Date]bool // adjusted workdays on weekends
	names    map[civil.Date]string
	years    map[int]bool
	// special lists, in date order, the days whose status differs from their
	// weekday's: holidays on Monday to Friday, workdays on weekends.
	special []civil.Date
}

// New builds a snapshot from days (holidays and adjusted workdays), for tests and for
// callers that hold calendar data of their own. A date listed twice keeps its last
// entry.
func New(days ...Day) *Calendar {
	c := &Calendar{
		holidays: map[civil.Date]bool{}, workdays: map[civil.Date]bool{},
		names: map[civil.Date]string{}, years: map[int]bool{},
	}
	for _, d := range days {
		delete(c.holidays, d.Date)
		delete(c.workdays, d.Date)
		switch d.Kind {
		case KindHoliday:
			c.holidays[d.Date] = true
		case KindWorkday:
			c.workdays[d.Date] = true
		default:
			continue
		}
		c.names[d.Date] = d.Name
		c.years[d.Date.Year] = true
	}
	for d := range c.names {
		if c.IsWorkday(d) != isWeekday(d) {
			c.special = append(c.special, d)
		}
	}
	slices.SortFunc(c.special, civil.Date.Compare)
	return c
}

func isWeekday(d civil.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Calendar returns the current snapshot. When the database cannot be read but an
// older snapshot is at hand, that one is returned.
func (s *Service) Calendar(ctx context.Context) (*Calendar, error) {
	s.mu.Lock()
	snap, fp, checked, gen := s.snap, s.snapFP, s.checked, s.gen
	s.mu.Unlock()
	now := time.Now()
	if snap != nil && now.Sub(checked) < s.refresh {
		return snap, nil
	}
	// The fingerprint is read before the data: an edit committed in between makes
	// the next check reload again, never keeps stale data under a new fingerprint.
	cur, err := s.fingerprint(ctx)
	if err != nil {
		if snap != nil {
			return snap, nil
		}
		return nil, err
	}
	if snap != nil && cur == fp {
		s.mu.Lock()
		if s.gen == gen {
			s.checked = now
		}
		s.mu.Unlock()
		return snap, nil
	}
	fresh, err := s.load(ctx)
	if err != nil {
		if snap != nil {
			return snap, nil
		}
		return nil, err
	}
	s.mu.Lock()
	if s.gen == gen {
		s.snap, s.snapFP, s.checked = fresh, cur, now
	}
	s.mu.Unlock()
	return fresh, nil
}

// Invalidate drops the cached snapshot; the next Calendar call reloads it.
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.snap, s.gen = nil, s.gen+1
	s.mu.Unlock()
}

type fingerprint struct {
	Sum   int64
	Count int64
}

func (s *Service) fingerprint(ctx context.Context) (fingerprint, error) {
	var fp fingerprint
	err := s.db.Conn(ctx).Model(&yearRow{}).
		Select("COALESCE(SUM(version), 0) AS sum, COUNT(*) AS count").Scan(&fp).Error
	if err != nil {
		return fp, fmt.Errorf("calendar fingerprint: %w", err)
	}
	return fp, nil
}

func (s *Service) load(ctx context.Context) (*Calendar, error) {
	var rows []dayRow
	if err := s.db.Conn(ctx).Order("date").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	days := make([]Day, len(rows))
	for i, r := range rows {
		days[i] = r.day()
	}
	return New(days...), nil
}

// Today is today's date in the company time zone.
func (s *Service) Today() civil.Date { return clock.Today(s.clock, s.loc) }

// Location is the company time zone.
func (s *Service) Location() *time.Location { return s.loc }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d civil.Date) bool {
	if c.workdays[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	return isWeekday(d)
}

// WorkdaysBetween counts the working days after from up to and including to; it is
// negative (counting the working days after to up to and including from) when to is
// before from.
func (c *Calendar) WorkdaysBetween(from, to civil.Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	// Monday to Friday in (from, to], corrected by the listed days in that range
	// whose status differs from their weekday's: linear in the listed days, not in
	// the length of the range.
	days := from.DaysUntil(to)
	weeks := days / 7
	n := weeks * 5
	for d := from.AddDays(weeks*7 + 1); !d.After(to); d = d.AddDays(1) {
		if isWeekday(d) {
			n++
		}
	}
	i, _ := slices.BinarySearchFunc(c.special, from, civil.Date.Compare)
	for ; i < len(c.special) && !c.special[i].After(to); i++ {
		d := c.special[i]
		if !d.After(from) {
			continue
		}
		if c.IsWorkday(d) {
			n++
		} else {
			n--
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

// WorkdaysBefore is the date n working days before d: with n = 3 and a deadline d, the
// first day of the "3 working days before the deadline" window. It is always a
// working day (for n > 0).
func (c *Calendar) WorkdaysBefore(d civil.Date, n int) civil.Date { return c.AddWorkdays(d, -n) }

// NextWorkday is d when it is a working day, else the first working day after it.
func (c *Calendar) NextWorkday(d civil.Date) civil.Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// PrevWorkday is d when it is a working day, else the last working day before it.
func (c *Calendar) PrevWorkday(d civil.Date) civil.Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return d
}

// Name is the name of the holiday or adjusted workday on d ("春节", "春节调休上班"),
// or "" for an ordinary day.
func (c *Calendar) Name(d civil.Date) string { return c.names[d] }

// HasYear reports whether the calendar holds holiday data for the year; without it,
// the year's working days are simply Monday to Friday.
func (c *Calendar) HasYear(year int) bool { return c.years[year] }
