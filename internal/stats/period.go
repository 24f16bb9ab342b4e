package stats

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/problem"
)

// Period is a range of calendar days in the company time zone, both ends included.
type Period struct {
	// Key names it: 2026-11, 2026-Q4, 2026, or from~to for a free range.
	Key  string     `json:"key" example:"2026-Q4"`
	From civil.Date `json:"from" swaggertype:"string" format:"date"`
	To   civil.Date `json:"to" swaggertype:"string" format:"date"`
} // @name StatsPeriod

var (
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRe = regexp.MustCompile(`^(\d{4})-[Qq]([1-4])$`)
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
)

// MaxPeriodDays bounds a free range (ten years and a bit).
const MaxPeriodDays = 3700

// ParsePeriod reads period (2026-11, 2026-Q4, 2026) or from/to (dates); with none of
// them, the year of today. Bad values are a 422 naming the parameter.
func ParsePeriod(period, from, to string, today civil.Date) (Period, error) {
	if period != "" && (from != "" || to != "") {
		return Period{}, problem.Field("period", "exclusive", "give period or from/to, not both")
	}
	if period != "" {
		p, ok := PeriodOf(period)
		if !ok {
			return Period{}, problem.Field("period", "format", "must be a month (2026-11), a quarter (2026-Q4) or a year (2026)")
		}
		return p, nil
	}
	if from == "" && to == "" {
		return Year(today.Year), nil
	}
	var errs []problem.FieldError
	parse := func(name, v string) civil.Date {
		if v == "" {
			errs = append(errs, problem.FieldError{Field: name, Rule: "required", Message: "is required with " + map[string]string{"from": "to", "to": "from"}[name]})
			return civil.Date{}
		}
		d, err := civil.Parse(v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: name, Rule: "date", Message: "must be a date in the form YYYY-MM-DD"})
		}
		return d
	}
	f, t := parse("from", from), parse("to", to)
	if len(errs) == 0 && t.Before(f) {
		errs = append(errs, problem.FieldError{Field: "to", Rule: "range", Message: "must not be before from"})
	}
	if len(errs) == 0 && f.DaysUntil(t) > MaxPeriodDays {
		errs = append(errs, problem.FieldError{Field: "to", Rule: "range", Message: "the range may cover at most ten years"})
	}
	if len(errs) > 0 {
		return Period{}, problem.Invalid(errs...)
	}
	return Period{Key: f.String() + "~" + t.String(), From: f, To: t}, nil
}

// PeriodOf parses a named period: a month, a quarter or a year.
func PeriodOf(s string) (Period, bool) {
	year := func(v string) (int, bool) {
		y, err := strconv.Atoi(v)
		return y, err == nil && y >= 2000 && y <= 2100
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, ok := year(m[1])
		mo, _ := strconv.Atoi(m[2])
		if !ok || mo < 1 || mo > 12 {
			return Period{}, false
		}
		from := civil.Date{Year: y, Month: time.Month(mo), Day: 1}
		return Period{Key: s, From: from, To: endOfMonth(from)}, true
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		y, ok := year(m[1])
		q, _ := strconv.Atoi(m[2])
		if !ok {
			return Period{}, false
		}
		from := civil.Date{Year: y, Month: time.Month(3*q - 2), Day: 1}
		to := endOfMonth(civil.Date{Year: y, Month: time.Month(3 * q), Day: 1})
		return Period{Key: fmt.Sprintf("%d-Q%d", y, q), From: from, To: to}, true
	}
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y, ok := year(m[1])
		if !ok {
			return Period{}, false
		}
		return Year(y), true
	}
	return Period{}, false
}

// Year is the calendar year y.
func Year(y int) Period {
	return Period{Key: strconv.Itoa(y), From: civil.Date{Year: y, Month: 1, Day: 1}, To: civil.Date{Year: y, Month: 12, Day: 31}}
}

func endOfMonth(first civil.Date) civil.Date {
	return civil.Of(time.Date(first.Year, first.Month+1, 1, 0, 0, 0, 0, time.UTC)).AddDays(-1)
}

// Months lists the months (YYYY-MM) that the period touches.
func (p Period) Months() []string {
	var out []string
	for d := (civil.Date{Year: p.From.Year, Month: p.From.Month, Day: 1}); !d.After(p.To); d = endOfMonth(d).AddDays(1) {
		out = append(out, fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)))
	}
	return out
}

// TrendPeriod is the range of the monthly trend for p: p itself when it spans a
// year or more, else the twelve months that end with p's last month.
func TrendPeriod(p Period) Period {
	if len(p.Months()) >= 12 {
		return p
	}
	last := civil.Date{Year: p.To.Year, Month: p.To.Month, Day: 1}
	first := civil.Of(time.Date(last.Year, last.Month-11, 1, 0, 0, 0, 0, time.UTC))
	return Period{Key: first.String() + "~" + endOfMonth(last).String(), From: first, To: endOfMonth(last)}
}
