package clock

import (
	"testing"
	"time"
)

func TestFakeMovesOnlyWhenTold(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 3, 23, 30, 0, 123456789, time.UTC)
	f := NewFake(start)
	if got, want := f.Now(), start.Truncate(time.Microsecond); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC is already the next day in Shanghai.
	if got := Today(f, shanghai).String(); got != "2026-12-04" {
		t.Fatalf("Today in Shanghai = %s, want 2026-12-04", got)
	}
	f.Advance(48 * time.Hour)
	if got := Today(f, time.UTC).String(); got != "2026-12-05" {
		t.Fatalf("after two days Today = %s, want 2026-12-05", got)
	}
	f.Set(start)
	if !f.Now().Equal(start.Truncate(time.Microsecond)) {
		t.Fatalf("Set did not move the clock back")
	}
	if _, ok := Or(nil).(Real); !ok {
		t.Fatalf("Or(nil) is not the real clock")
	}
}
