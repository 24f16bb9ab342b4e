package civil

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	t.Parallel()
	d := MustParse("2026-02-28")
	if got := d.AddDays(1).String(); got != "2026-03-01" {
		t.Errorf("AddDays: %s", got)
	}
	if d.DaysUntil(MustParse("2026-03-10")) != 10 || MustParse("2026-03-10").DaysUntil(d) != -10 {
		t.Error("DaysUntil")
	}
	if !d.Before(MustParse("2026-03-01")) || d.After(d) {
		t.Error("ordering")
	}
	b, _ := json.Marshal(struct{ D Date }{d})
	if string(b) != `{"D":"2026-02-28"}` {
		t.Errorf("json %s", b)
	}
	var back struct{ D Date }
	if err := json.Unmarshal(b, &back); err != nil || back.D != d {
		t.Errorf("round trip %v %v", back, err)
	}
	for _, bad := range []string{`{"D":"2026-2-30"}`, `{"D":"tomorrow"}`, `{"D":5}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	var s Date
	if err := s.Scan("2026-05-01"); err != nil || s.Weekday() != time.Friday {
		t.Errorf("scan %v %v", s, err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	// 2026-01-01 17:00 UTC is already 2 January in Shanghai.
	if Of(time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC).In(loc)).String() != "2026-01-02" {
		t.Error("time zone")
	}
}

// Issue 14 §10: days were counted through time.Duration, which saturates after
// 292 years, so a far-future date made the working-day count loop over millions
// of days; and any date was accepted.
func TestFarDates(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"9999-12-31", "0001-01-01", "2200-01-01", "1899-12-31"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("%s is accepted", s)
		}
		var d Date
		if err := d.UnmarshalJSON([]byte(`"` + s + `"`)); err == nil {
			t.Errorf("%s is accepted from JSON", s)
		}
	}
	for _, s := range []string{"1900-01-01", "2199-12-31", "2028-02-29"} {
		if _, err := Parse(s); err != nil {
			t.Errorf("%s is refused: %v", s, err)
		}
	}
	// Stored values are read whatever they are (a row written before the bound).
	var d Date
	if err := d.Scan("9999-12-31"); err != nil || d.Year != 9999 {
		t.Fatalf("scan a far date: %v %v", d, err)
	}
	cases := []struct {
		from, to string
		want     int
	}{
		{"2026-03-01", "2026-03-02", 1},
		{"2026-03-02", "2026-03-01", -1},
		{"2024-02-28", "2024-03-01", 2},
		{"1970-01-01", "2000-01-01", 10957},
		{"2026-12-04", "9999-12-31", 2912105},
		{"0001-01-01", "9999-12-31", 3652058},
	}
	for _, c := range cases {
		if got := MustParseAny(c.from).DaysUntil(MustParseAny(c.to)); got != c.want {
			t.Errorf("%s → %s: %d days, want %d", c.from, c.to, got, c.want)
		}
	}
}

// MustParseAny reads a date without the range check (test helper).
func MustParseAny(s string) Date {
	d, err := parse(s)
	if err != nil {
		panic(err)
	}
	return d
}
