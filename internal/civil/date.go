// Package civil holds Date, a calendar date without time or zone: deadlines,
// milestones and holidays are days in the company's time zone, not instants.
package civil

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a day of the Gregorian calendar. The zero value is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Layout is the wire and storage form, YYYY-MM-DD.
const Layout = "2006-01-02"

// MinYear and MaxYear bound the dates a client may send: a deadline in the year
// 9999 is a typo or an attack (every read of the item counted millions of days),
// never a plan.
const (
	MinYear = 1900
	MaxYear = 2199
)

// Parse reads YYYY-MM-DD from a client: the date must lie in MinYear..MaxYear.
func Parse(s string) (Date, error) {
	d, err := parse(s)
	if err != nil {
		return Date{}, err
	}
	if !d.InRange() {
		return Date{}, fmt.Errorf("%q is outside the dates accepted (%d-01-01 to %d-12-31)", s, MinYear, MaxYear)
	}
	return d, nil
}

// parse reads YYYY-MM-DD without the range check (stored values are read as they are).
func parse(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// InRange reports whether d lies in MinYear..MaxYear.
func (d Date) InRange() bool { return d.Year >= MinYear && d.Year <= MaxYear }

// MustParse is Parse for literals in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of is the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today is today's date in loc.
func Today(loc *time.Location) Date { return Of(time.Now().In(loc)) }

// IsZero reports whether d is the zero date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In is the start of the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays moves by n calendar days.
func (d Date) AddDays(n int) Date { return Of(d.In(time.UTC).AddDate(0, 0, n)) }

// Weekday is the day of the week.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Before, After and Compare order dates.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmp(d.Year, o.Year)
	case d.Month != o.Month:
		return cmp(int(d.Month), int(o.Month))
	default:
		return cmp(d.Day, o.Day)
	}
}

// DaysUntil is the number of calendar days from d to o (negative when o is earlier).
// It counts day numbers, not a time.Duration, which saturates after 292 years.
func (d Date) DaysUntil(o Date) int { return o.dayNumber() - d.dayNumber() }

// dayNumber is the number of days since 1970-01-01 (proleptic Gregorian calendar;
// H. Hinnant's days_from_civil).
func (d Date) dayNumber() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string in the form YYYY-MM-DD")
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as text YYYY-MM-DD, which sorts and compares correctly on
// both PostgreSQL and SQLite.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads text, []byte or time.Time.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	case time.Time:
		*d = Of(v)
		return nil
	}
	return fmt.Errorf("cannot scan %T into civil.Date", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// GormDataType makes GORM create a fixed-width text column.
func (Date) GormDataType() string { return "varchar(10)" }
