package calendar_test

import (
	"context"
	"testing"
	"time"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
)

var d = civil.MustParse

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// shipped loads the calendar that migration 0004 ships, from a fresh database.
func shipped(t testing.TB, db *database.DB) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.NewService(db, shanghai, nil).Calendar(context.Background())
	if err != nil {
		t.Fatalf("load calendar: %v", err)
	}
	return cal
}

// The 2026 schedule as the State Council published it (国务院办公厅, 2025-11-04).
func TestIsWorkday2026(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		cal := shipped(t, db)
		cases := []struct {
			date string
			want bool
			why  string
		}{
			{"2025-12-31", true, "Wednesday before New Year (no 2025 data: plain weekday)"},
			{"2026-01-01", false, "元旦, Thursday"},
			{"2026-01-02", false, "元旦, Friday"},
			{"2026-01-03", false, "元旦, Saturday"},
			{"2026-01-04", true, "Sunday worked for 元旦"},
			{"2026-01-05", true, "ordinary Monday"},
			{"2026-01-10", false, "ordinary Saturday"},
			{"2026-02-13", true, "Friday before the Spring Festival"},
			{"2026-02-14", true, "Saturday worked for 春节"},
			{"2026-02-15", false, "春节, Sunday (腊月二十八)"},
			{"2026-02-16", false, "春节, Monday (除夕)"},
			{"2026-02-17", false, "春节, Tuesday (正月初一)"},
			{"2026-02-20", false, "春节, Friday"},
			{"2026-02-21", false, "春节, Saturday"},
			{"2026-02-23", false, "春节, Monday (正月初七), last day off"},
			{"2026-02-24", true, "Tuesday, back to work"},
			{"2026-02-28", true, "Saturday worked for 春节"},
			{"2026-03-01", false, "ordinary Sunday"},
			{"2026-04-03", true, "Friday before 清明"},
			{"2026-04-06", false, "清明, Monday"},
			{"2026-05-01", false, "劳动节, Friday"},
			{"2026-05-05", false, "劳动节, Tuesday"},
			{"2026-05-06", true, "Wednesday after 劳动节"},
			{"2026-05-09", true, "Saturday worked for 劳动节"},
			{"2026-05-10", false, "ordinary Sunday"},
			{"2026-06-19", false, "端午, Friday"},
			{"2026-06-22", true, "Monday after 端午"},
			{"2026-09-20", true, "Sunday worked for 国庆"},
			{"2026-09-25", false, "中秋, Friday"},
			{"2026-09-28", true, "Monday after 中秋"},
			{"2026-10-01", false, "国庆, Thursday"},
			{"2026-10-07", false, "国庆, Wednesday"},
			{"2026-10-08", true, "Thursday after 国庆"},
			{"2026-10-10", true, "Saturday worked for 国庆"},
			{"2026-10-11", false, "ordinary Sunday"},
			{"2026-12-31", true, "ordinary Thursday"},
			{"2028-01-01", false, "Saturday of a year without data"},
			{"2028-01-03", true, "Monday of a year without data"},
		}
		for _, c := range cases {
			if got := cal.IsWorkday(d(c.date)); got != c.want {
				t.Errorf("IsWorkday(%s) = %v, want %v (%s)", c.date, got, c.want, c.why)
			}
		}
	})
}

func TestWorkdaysBetween2026(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	cases := []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-13", 0},
		{"2026-02-13", "2026-02-14", 1},  // the adjusted Saturday counts
		{"2026-02-13", "2026-02-23", 1},  // the whole festival adds nothing
		{"2026-02-13", "2026-02-24", 2},  // Saturday 14th and Tuesday 24th
		{"2026-02-24", "2026-02-13", -2}, // reversed
		{"2026-02-27", "2026-03-02", 2},  // Saturday 28th worked, Sunday 1st not
		{"2026-09-30", "2026-10-12", 4},  // 8th, 9th, Saturday 10th, 12th
		{"2025-12-31", "2026-01-05", 2},  // Sunday 4th and Monday 5th
		{"2026-04-30", "2026-05-11", 5},  // 6, 7, 8, Saturday 9, 11
		{"2026-06-18", "2026-06-22", 1},  // 端午 Friday to Sunday
		{"2026-09-18", "2026-09-21", 2},  // Sunday 20th worked, Monday 21st
		{"2026-03-02", "2026-03-09", 5},  // an ordinary week
	}
	for _, c := range cases {
		if got := cal.WorkdaysBetween(d(c.from), d(c.to)); got != c.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}

func TestAddWorkdays2026(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-13", 0, "2026-02-13"},
		{"2026-02-13", 1, "2026-02-14"}, // adjusted Saturday
		{"2026-02-13", 2, "2026-02-24"}, // over the festival
		{"2026-02-14", 1, "2026-02-24"},
		{"2026-02-15", 1, "2026-02-24"}, // from a holiday
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-02-24", -2, "2026-02-13"},
		{"2026-02-27", 1, "2026-02-28"},
		{"2026-02-27", 2, "2026-03-02"},
		{"2026-04-03", 1, "2026-04-07"}, // over 清明
		{"2026-09-30", 1, "2026-10-08"}, // over 国庆
		{"2026-10-08", -1, "2026-09-30"},
		{"2026-09-18", 1, "2026-09-20"}, // Sunday worked
		{"2026-09-24", 1, "2026-09-28"}, // over 中秋
		{"2025-12-31", 1, "2026-01-04"},
		{"2026-12-31", 1, "2027-01-04"}, // into 2027: 元旦 Friday to Sunday
	}
	for _, c := range cases {
		if got := cal.AddWorkdays(d(c.from), c.n); got != d(c.want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	// Three working days before a deadline on Friday 9 October 2026: the 8th, then
	// back over the National Day holiday to 30 and 29 September.
	if got := cal.WorkdaysBefore(d("2026-10-09"), 3); got != d("2026-09-29") {
		t.Errorf("WorkdaysBefore = %s", got)
	}
	if got := cal.NextWorkday(d("2026-02-15")); got != d("2026-02-24") {
		t.Errorf("NextWorkday = %s", got)
	}
	if got := cal.NextWorkday(d("2026-02-14")); got != d("2026-02-14") {
		t.Errorf("NextWorkday of a workday = %s", got)
	}
	if got := cal.PrevWorkday(d("2026-02-23")); got != d("2026-02-14") {
		t.Errorf("PrevWorkday = %s", got)
	}
	if got := cal.Name(d("2026-02-17")); got != "春节" {
		t.Errorf("Name = %q", got)
	}
	if got := cal.Name(d("2026-10-10")); got != "国庆节调休上班" {
		t.Errorf("Name = %q", got)
	}
	if got := cal.Name(d("2026-03-03")); got != "" {
		t.Errorf("Name of an ordinary day = %q", got)
	}
	if !cal.HasYear(2026) || !cal.HasYear(2027) || cal.HasYear(2028) {
		t.Error("HasYear wrong")
	}
}

// AddWorkdays and WorkdaysBetween agree: adding the count between two dates lands on
// the target when it is a working day (going backwards, the start must be one too:
// the count then includes the start and excludes the target).
func TestArithmeticAgrees(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	start := d("2026-01-01")
	for i := 0; i < 400; i += 3 {
		from := start.AddDays(i)
		for j := -40; j <= 40; j++ {
			to := from.AddDays(j)
			if !cal.IsWorkday(to) || (j < 0 && !cal.IsWorkday(from)) {
				continue
			}
			n := cal.WorkdaysBetween(from, to)
			if n == 0 {
				continue
			}
			if got := cal.AddWorkdays(from, n); got != to {
				t.Fatalf("AddWorkdays(%s, WorkdaysBetween(%s, %s) = %d) = %s", from, from, to, n, got)
			}
		}
	}
}

// Under the rules in force since 2025 (全国年节及纪念日放假办法, 13 statutory days), the
// adjusted workdays make up exactly for the bridging days off: each shipped year has
// as many working days as its weekdays less the 13 statutory days.
func TestShippedYearsBalance(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	for _, year := range []int{2026, 2027} {
		weekdays := 0
		for x := (civil.Date{Year: year, Month: 1, Day: 1}); x.Year == year; x = x.AddDays(1) {
			if wd := x.Weekday(); wd != time.Saturday && wd != time.Sunday {
				weekdays++
			}
		}
		got := cal.WorkdaysBetween(civil.Date{Year: year - 1, Month: 12, Day: 31}, civil.Date{Year: year, Month: 12, Day: 31})
		if got != weekdays-13 {
			t.Errorf("%d: %d working days, want %d weekdays - 13 statutory days = %d", year, got, weekdays, weekdays-13)
		}
	}
}

// The statutory days of 2027 under the rules in force since 2025, computed from the
// lunar calendar (lunar new year on 2027-02-06) and the solar term 清明 (April 5th),
// must all be days off in the shipped (provisional) 2027 schedule.
func TestStatutoryDays2027(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	statutory := map[string]string{
		"2027-01-01": "元旦",
		"2027-02-05": "春节", "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节",
		"2027-04-05": "清明节",
		"2027-05-01": "劳动节", "2027-05-02": "劳动节",
		"2027-06-09": "端午节",
		"2027-09-15": "中秋节",
		"2027-10-01": "国庆节", "2027-10-02": "国庆节", "2027-10-03": "国庆节",
	}
	for date, name := range statutory {
		if cal.IsWorkday(d(date)) || cal.Name(d(date)) != name {
			t.Errorf("%s: workday=%v name=%q, want a day off named %s", date, cal.IsWorkday(d(date)), cal.Name(d(date)), name)
		}
	}
}

func TestNewSnapshot(t *testing.T) {
	t.Parallel()
	cal := calendar.New(
		calendar.Day{Date: d("2030-01-01"), Kind: calendar.KindHoliday, Name: "元旦"},
		calendar.Day{Date: d("2030-01-05"), Kind: calendar.KindWorkday, Name: "调休上班"},
		calendar.Day{Date: d("2030-01-07"), Kind: calendar.KindHoliday},
		calendar.Day{Date: d("2030-01-07"), Kind: calendar.KindWorkday}, // last entry wins
	)
	// 2030-01-01 is a Tuesday, the 5th a Saturday, the 7th a Monday.
	for date, want := range map[string]bool{"2030-01-01": false, "2030-01-02": true, "2030-01-05": true, "2030-01-06": false, "2030-01-07": true} {
		if got := cal.IsWorkday(d(date)); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", date, got, want)
		}
	}
	if cal.WorkdaysBetween(d("2029-12-31"), d("2030-01-07")) != 5 { // 2, 3, 4, 5 (Sat), 7
		t.Errorf("WorkdaysBetween = %d", cal.WorkdaysBetween(d("2029-12-31"), d("2030-01-07")))
	}
}

// WorkdaysBetween (computed from week arithmetic and the listed days) agrees with
// counting IsWorkday day by day, over ranges that start and end anywhere around the
// shipped years and past them.
func TestWorkdaysBetweenMatchesDayByDay(t *testing.T) {
	t.Parallel()
	cal := shipped(t, dbtest.NewSQLite(t))
	naive := func(from, to civil.Date) int {
		n := 0
		for x := from.AddDays(1); !x.After(to); x = x.AddDays(1) {
			if cal.IsWorkday(x) {
				n++
			}
		}
		return n
	}
	start := d("2025-11-20")
	for i := 0; i < 800; i += 5 {
		from := start.AddDays(i)
		for _, span := range []int{0, 1, 2, 3, 6, 7, 8, 13, 30, 45, 200, 500} {
			to := from.AddDays(span)
			if got, want := cal.WorkdaysBetween(from, to), naive(from, to); got != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, day by day %d", from, to, got, want)
			}
			if got, want := cal.WorkdaysBetween(to, from), -naive(from, to); got != want {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", to, from, got, want)
			}
		}
	}
}

func BenchmarkWorkdaysBetweenYear(b *testing.B) {
	cal := shipped(b, dbtest.NewSQLite(b))
	from, to := d("2026-01-01"), d("2027-12-31")
	for b.Loop() {
		cal.WorkdaysBetween(from, to)
	}
}
