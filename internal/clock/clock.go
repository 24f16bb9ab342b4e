// Package clock is the one source of the current time for every package that reads
// it: lights and overdue, working days, feedback due dates, token expiry,
// idempotency leases, reminders and jobs. Production uses Real; tests use a Fake and
// make time pass by moving it, never by sleeping or by editing rows.
package clock

import (
	"sync"
	"time"

	"github.com/duban/duban/internal/civil"
)

// Clock tells the time.
type Clock interface {
	// Now is the current instant in UTC, truncated to microseconds (what both
	// database engines keep, so a value read back equals the value written).
	Now() time.Time
}

// Real is the system clock.
type Real struct{}

// Now implements Clock.
func (Real) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Fake is a clock that moves only when told to. It is safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock standing at t.
func NewFake(t time.Time) *Fake { return &Fake{t: norm(t)} }

// Now implements Clock.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t (forwards or back).
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = norm(t)
	f.mu.Unlock()
}

// Advance moves the clock forwards by d and returns the new time.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	return f.t
}

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Today is the current date of c in the time zone loc (the company's).
func Today(c Clock, loc *time.Location) civil.Date { return civil.Of(c.Now().In(loc)) }

// Or returns c, or the real clock when c is nil: constructors take an optional clock.
func Or(c Clock) Clock {
	if c == nil {
		return Real{}
	}
	return c
}
