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
