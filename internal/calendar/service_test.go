package calendar

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

func admin() *access.Principal {
	return &access.Principal{UserID: uuid.Must(uuid.NewV7()), Username: "admin", Roles: []access.Role{access.RoleAdmin}}
}

func wantProblem(t *testing.T, err error, status int, code string) *problem.Problem {
	t.Helper()
	var p *problem.Problem
	if !errors.As(err, &p) || httpserver.StatusOf(err) != status || p.Code != code {
		t.Fatalf("error %v, want %d %s", err, status, code)
	}
	return p
}

func day(date string, kind Kind, name string) DayInput {
	return DayInput{Date: civil.MustParse(date), Kind: kind, Name: name}
}

func ptr[T any](v T) *T { return &v }

func TestYearReadsShippedData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := NewService(db, time.UTC, nil)
		ctx := context.Background()
		y, err := s.Year(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if y.Version != 1 || !strings.Contains(y.Note, "2026") {
			t.Errorf("2026: version %d note %q", y.Version, y.Note)
		}
		// 3 + 1 + 1 + 9 + 1 + 3 + 5 + 1 + 3 + 1 + 3 + 7 + 1 = 39 listed days.
		if len(y.Days) != 39 {
			t.Errorf("2026 lists %d days, want 39", len(y.Days))
		}
		holidays, workdays := 0, 0
		for i, d := range y.Days {
			if i > 0 && !y.Days[i-1].Date.Before(d.Date) {
				t.Errorf("days out of order at %d", i)
			}
			if d.Kind == KindHoliday {
				holidays++
			} else {
				workdays++
			}
		}
		if holidays != 33 || workdays != 6 {
			t.Errorf("2026: %d holidays and %d workdays, want 33 and 6", holidays, workdays)
		}
		y27, err := s.Year(ctx, 2027)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(y27.Note, "暂定") {
			t.Errorf("2027 is not marked provisional: %q", y27.Note)
		}
		empty, err := s.Year(ctx, 2031)
		if err != nil || empty.Version != 0 || empty.Days == nil || len(empty.Days) != 0 {
			t.Errorf("2031: %+v, %v", empty, err)
		}
		_, err = s.Year(ctx, 1999)
		wantProblem(t, err, http.StatusNotFound, problem.CodeNotFound)
	})
}

func TestReplaceYear(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := NewService(db, time.UTC, nil)
		ctx := context.Background()
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkday(civil.MustParse("2026-02-17")) != false {
			t.Fatal("shipped data missing")
		}
		// An extra company holiday on Wednesday 2026-02-25; the Saturday 2026-02-28
		// is no longer worked.
		in := YearInput{Note: "公司安排", Days: []DayInput{
			day("2026-02-16", KindHoliday, "春节"),
			day("2026-02-17", KindHoliday, "春节"),
			day("2026-02-25", KindHoliday, "公司假"),
			day("2026-02-14", KindWorkday, "春节调休上班"),
		}}
		y, err := s.ReplaceYear(ctx, admin(), 2026, in, etag.Precondition{1})
		if err != nil {
			t.Fatal(err)
		}
		if y.Version != 2 || y.Note != "公司安排" || len(y.Days) != 4 || y.Days[0].Date != civil.MustParse("2026-02-14") {
			t.Fatalf("after replace: %+v", y)
		}
		// The cache was dropped: the new data counts at once.
		cal, err = s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for date, want := range map[string]bool{"2026-02-25": false, "2026-02-28": false, "2026-02-18": true, "2026-02-14": true, "2026-10-01": true} {
			if got := cal.IsWorkday(civil.MustParse(date)); got != want {
				t.Errorf("after replace IsWorkday(%s) = %v, want %v", date, got, want)
			}
		}
		// Other years are untouched.
		if cal.IsWorkday(civil.MustParse("2027-02-08")) {
			t.Error("2027 changed")
		}
		// The stale version is refused, through If-Match and through the body.
		_, err = s.ReplaceYear(ctx, admin(), 2026, in, etag.Precondition{1})
		p := wantProblem(t, err, http.StatusPreconditionFailed, problem.CodePreconditionFailed)
		if p.Extra["current_version"] != 2 {
			t.Errorf("current_version = %v", p.Extra["current_version"])
		}
		stale := in
		stale.Version = ptr(1)
		_, err = s.ReplaceYear(ctx, admin(), 2026, stale, nil)
		wantProblem(t, err, http.StatusPreconditionFailed, problem.CodePreconditionFailed)
		// Without a precondition the last writer wins; an empty list clears the year.
		y, err = s.ReplaceYear(ctx, admin(), 2026, YearInput{Days: []DayInput{}}, nil)
		if err != nil || y.Version != 3 || len(y.Days) != 0 {
			t.Fatalf("clear: %+v, %v", y, err)
		}
		// A new year starts at version 1 (If-Match "0" names the empty year).
		y, err = s.ReplaceYear(ctx, admin(), 2028, YearInput{Days: []DayInput{day("2028-01-01", KindHoliday, "元旦")}}, etag.Precondition{0})
		if err != nil || y.Version != 1 || len(y.Days) != 1 {
			t.Fatalf("new year: %+v, %v", y, err)
		}
		// The change is audited.
		var n int64
		db.Gorm().Table("audit_events").Where("action = ? AND target_id = ?", AuditUpdated, "2026").Count(&n)
		if n != 2 {
			t.Errorf("%d audit events for 2026, want 2", n)
		}
	})
}

func TestReplaceYearRefusals(t *testing.T) {
	t.Parallel()
	db := dbtest.NewSQLite(t)
	s := NewService(db, time.UTC, nil)
	ctx := context.Background()
	ok := YearInput{Days: []DayInput{day("2026-01-01", KindHoliday, "元旦")}}

	_, err := s.ReplaceYear(ctx, nil, 2026, ok, nil)
	wantProblem(t, err, http.StatusUnauthorized, problem.CodeUnauthorized)
	for _, r := range []access.Role{access.RoleSupervisor, access.RoleLeader, access.RoleMember, access.RoleAuditor} {
		_, err = s.ReplaceYear(ctx, &access.Principal{UserID: uuid.New(), Roles: []access.Role{r}}, 2026, ok, nil)
		wantProblem(t, err, http.StatusForbidden, problem.CodeForbidden)
	}
	readOnly := admin()
	readOnly.TokenScopes = []string{access.ScopeRead}
	_, err = s.ReplaceYear(ctx, readOnly, 2026, ok, nil)
	wantProblem(t, err, http.StatusForbidden, problem.CodeForbidden)
	_, err = s.ReplaceYear(ctx, admin(), 2101, ok, nil)
	wantProblem(t, err, http.StatusNotFound, problem.CodeNotFound)

	cases := []struct {
		name  string
		in    YearInput
		field string
		rule  string
	}{
		{"nil days", YearInput{}, "days", "required"},
		{"other year", YearInput{Days: []DayInput{day("2027-01-01", KindHoliday, "")}}, "days[0].date", "year"},
		{"zero date", YearInput{Days: []DayInput{{Kind: KindHoliday}}}, "days[0].date", "required"},
		{"duplicate", YearInput{Days: []DayInput{day("2026-01-01", KindHoliday, ""), day("2026-01-01", KindHoliday, "")}}, "days[1].date", "unique"},
		{"bad kind", YearInput{Days: []DayInput{day("2026-01-01", "vacation", "")}}, "days[0].kind", "oneof"},
		{"workday on a Monday", YearInput{Days: []DayInput{day("2026-01-05", KindWorkday, "")}}, "days[0].kind", "weekend"},
		{"long name", YearInput{Days: []DayInput{day("2026-01-01", KindHoliday, strings.Repeat("假", 51))}}, "days[0].name", "max"},
		{"year mismatch", YearInput{Year: ptr(2025), Days: []DayInput{}}, "year", "mismatch"},
	}
	for _, c := range cases {
		_, err := s.ReplaceYear(ctx, admin(), 2026, c.in, nil)
		p := wantProblem(t, err, http.StatusUnprocessableEntity, problem.CodeValidation)
		if len(p.Errors) == 0 || p.Errors[0].Field != c.field || p.Errors[0].Rule != c.rule {
			t.Errorf("%s: errors %+v, want %s %s", c.name, p.Errors, c.field, c.rule)
		}
	}
	// Nothing was changed by the refusals.
	y, _ := s.Year(ctx, 2026)
	if y.Version != 1 || len(y.Days) != 39 {
		t.Errorf("refusals changed the year: version %d, %d days", y.Version, len(y.Days))
	}
}

// A second process sees an edit made through the first within the refresh interval.
func TestSnapshotRefreshAcrossProcesses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		a, b := NewService(db, time.UTC, nil), NewService(db, time.UTC, nil)
		b.refresh = time.Hour
		calB, err := b.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := b.Calendar(ctx)
		if again != calB {
			t.Error("snapshot not cached")
		}
		if _, err := a.ReplaceYear(ctx, admin(), 2026, YearInput{Days: []DayInput{}}, nil); err != nil {
			t.Fatal(err)
		}
		stale, _ := b.Calendar(ctx)
		if stale.IsWorkday(civil.MustParse("2026-02-17")) {
			t.Fatal("cache refreshed before the interval")
		}
		b.mu.Lock()
		b.checked = time.Now().Add(-2 * time.Hour)
		b.mu.Unlock()
		fresh, err := b.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !fresh.IsWorkday(civil.MustParse("2026-02-17")) {
			t.Error("the other process's edit not seen after the interval")
		}
		// Unchanged data keeps the snapshot after a check.
		b.mu.Lock()
		b.checked = time.Now().Add(-2 * time.Hour)
		b.mu.Unlock()
		if same, _ := b.Calendar(ctx); same != fresh {
			t.Error("unchanged calendar reloaded")
		}
	})
}

// Concurrent edits with the same If-Match: exactly one wins, the others get 412.
func TestConcurrentReplace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := NewService(db, time.UTC, nil)
		ctx := context.Background()
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = s.ReplaceYear(ctx, admin(), 2026, YearInput{Days: []DayInput{day("2026-01-01", KindHoliday, "元旦")}}, etag.Precondition{1})
			}(i)
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
				continue
			}
			wantProblem(t, err, http.StatusPreconditionFailed, problem.CodePreconditionFailed)
		}
		if wins != 1 {
			t.Fatalf("%d edits won, want 1: %v", wins, errs)
		}
		y, _ := s.Year(ctx, 2026)
		if y.Version != 2 || len(y.Days) != 1 {
			t.Errorf("after the race: version %d, %d days", y.Version, len(y.Days))
		}
	})
}
