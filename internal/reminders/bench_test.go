package reminders_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/items"
)

// BenchmarkReminderSweep measures the daily sweep over DUBAN_BENCH_ITEMS open
// items (default 100000) on each engine: every item issued or in progress with
// its lead unit's live assignment and a cooperating one (a fifth still pending),
// deadlines spread from 30 days past to 90 ahead (so about a quarter overdue),
// monthly feedback. Each iteration sweeps the next working day (a day's jobs are
// new), so an op is one full sweep: candidate queries read by keyset pages and
// the send jobs enqueued a page per transaction. It reports the jobs enqueued,
// the rows read and the peak heap in use during the sweep besides ns/op and
// -benchmem's B/op.
//
//	DUBAN_TEST_DATABASE_URL=postgres://… go test ./internal/reminders -run '^$' -bench ReminderSweep -benchtime 3x -benchmem
func BenchmarkReminderSweep(b *testing.B) {
	n := 100000
	if v := os.Getenv("DUBAN_BENCH_ITEMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DUBAN_BENCH_ITEMS=%q", v)
		}
	}
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			cfg := apitest.Config(b)
			loc := cfg.Location
			start := civil.Date{Year: 2027, Month: 3, Day: 1} // a Monday
			fake := clock.NewFake(start.In(loc).Add(9 * time.Hour))
			cfg.Clock = fake
			env := apitest.Start(b, dbtest.New(b, d), cfg)
			t0 := time.Now()
			seedOpen(b, env, n, start)
			b.Logf("%s: seeded %d open items in %s", d, n, time.Since(t0).Round(time.Millisecond))
			ctx := context.Background()
			var err error
			svc := env.App.Reminders
			if v := os.Getenv("DUBAN_BENCH_BATCH"); v != "" {
				if svc.Batch, err = strconv.Atoi(v); err != nil {
					b.Fatal(err)
				}
			}
			cal, err := calendar.NewService(env.DB, loc, fake).Calendar(ctx)
			if err != nil {
				b.Fatal(err)
			}
			day := start
			var jobs, rows int
			var reading, enqueuing time.Duration
			var peak uint64
			b.ResetTimer()
			for b.Loop() {
				stop := sampleHeap(&peak)
				st, err := svc.SweepDay(ctx, day)
				stop()
				if err != nil {
					b.Fatal(err)
				}
				for _, k := range st.Enqueued {
					jobs += k
				}
				rows += st.Rows
				reading += st.Reading
				b.Logf("%s: read by kind %v, enqueued %v", day, st.ReadingByKind, st.Enqueued)
				enqueuing += st.Enqueuing
				day = cal.AddWorkdays(day, 1)
			}
			b.ReportMetric(float64(jobs)/float64(b.N), "jobs/op")
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
			b.ReportMetric(float64(peak)/(1<<20), "peak_heap_MB")
			b.ReportMetric(reading.Seconds()/float64(b.N), "read_s/op")
			b.ReportMetric(enqueuing.Seconds()/float64(b.N), "enqueue_s/op")
		})
	}
}

// sampleHeap records the largest HeapInuse seen until the returned function is
// called.
func sampleHeap(peak *uint64) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// seedOpen inserts n open items with their assignments in multi-row inserts.
func seedOpen(b *testing.B, env *apitest.Env, n int, today civil.Date) {
	group := env.Unit("集团公司", "group", nil, false)
	office := env.Unit("办公厅", "department", &group, true)
	var units []uuid.UUID
	for i := range 20 {
		u := env.Unit(fmt.Sprintf("部门%02d", i), "department", &group, false)
		units = append(units, u)
		env.SetHead(u, env.User(fmt.Sprintf("head%02d", i), u, access.RoleMember))
	}
	sup := env.User("bench.sup", office, access.RoleSupervisor)
	leader := env.User("bench.leader", group, access.RoleLeader)
	db := env.DB.Gorm()
	now := env.Clock.Now()
	const batch = 500
	for from := 0; from < n; from += batch {
		its := make([]items.Item, 0, batch)
		asgs := make([]items.Assignment, 0, 2*batch)
		for i := from; i < min(n, from+batch); i++ {
			lead, coop := units[i%len(units)], units[(i+7)%len(units)]
			st, urgency := items.StateInProgress, "normal"
			if i%10 == 0 {
				st = items.StateIssued
			}
			if i%50 == 0 {
				urgency = "urgent"
			}
			code := fmt.Sprintf("DB-2027-%06d", i+1)
			deadline := today.AddDays(i%120 - 30)
			created := now.Add(-time.Duration(i%20) * 24 * time.Hour)
			it := items.Item{ID: uuid.Must(uuid.NewV7()), ScopeID: group, Code: &code, Title: fmt.Sprintf("督办事项（%d）", i),
				Content: "按期落实", Category: items.CategoryImportantMatter, Source: items.SourceGroupMeeting, Method: "special",
				Urgency: urgency, FeedbackCadence: "monthly", InitiatorUnitID: office, InitiatorUserID: sup,
				SupervisingLeaderID: &leader, LeadUnitID: &lead, Deadline: deadline, OriginalDeadline: deadline, State: st,
				Version: 1, CreatedAt: created, UpdatedAt: created, IssuedAt: &created}
			its = append(its, it)
			due := civil.Of(created.In(env.App.Config.Location)).AddDays(30)
			leadState := items.AssignmentAccepted
			if st == items.StateIssued {
				leadState = items.AssignmentPending
			}
			coopState := items.AssignmentAccepted
			if i%5 == 0 {
				coopState = items.AssignmentPending
			}
			asgs = append(asgs,
				items.Assignment{ID: uuid.Must(uuid.NewV7()), ItemID: it.ID, UnitID: lead, Role: items.RoleLead, State: leadState,
					CreatedBy: sup, Version: 1, CreatedAt: created, UpdatedAt: created, NextFeedbackDue: &due},
				items.Assignment{ID: uuid.Must(uuid.NewV7()), ItemID: it.ID, UnitID: coop, Role: items.RoleCooperating, State: coopState,
					CreatedBy: sup, Version: 1, CreatedAt: created, UpdatedAt: created, NextFeedbackDue: &due})
		}
		if err := db.CreateInBatches(its, batch).Error; err != nil {
			b.Fatalf("seed items: %v", err)
		}
		if err := db.CreateInBatches(asgs, batch).Error; err != nil {
			b.Fatalf("seed assignments: %v", err)
		}
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatalf("analyze: %v", err)
	}
}

// BenchmarkReminderSend measures sending: the day's sweep and then every send
// job with what it sets off (urge, timeline, event, notifications), over
// DUBAN_BENCH_SEND_ITEMS open items (default 1000). It reports the reminders
// sent per second of the whole drain.
//
//	go test ./internal/reminders -run '^$' -bench ReminderSend -benchtime 1x
func BenchmarkReminderSend(b *testing.B) {
	n := 1000
	if v := os.Getenv("DUBAN_BENCH_SEND_ITEMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DUBAN_BENCH_SEND_ITEMS=%q", v)
		}
	}
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			cfg := apitest.Config(b)
			start := civil.Date{Year: 2027, Month: 3, Day: 1}
			fake := clock.NewFake(start.In(cfg.Location).Add(9 * time.Hour))
			cfg.Clock = fake
			env := apitest.Start(b, dbtest.New(b, d), cfg)
			seedOpen(b, env, n, start)
			ctx := context.Background()
			cal, err := calendar.NewService(env.DB, cfg.Location, fake).Calendar(ctx)
			if err != nil {
				b.Fatal(err)
			}
			day := start
			var sent int64
			var took time.Duration
			for b.Loop() {
				fake.Set(day.In(cfg.Location).Add(9 * time.Hour))
				var before int64
				env.DB.Gorm().Table("item_urges").Count(&before)
				t0 := time.Now()
				if err := env.App.Jobs.Drain(ctx); err != nil {
					b.Fatal(err)
				}
				took += time.Since(t0)
				var after int64
				env.DB.Gorm().Table("item_urges").Count(&after)
				sent += after - before
				day = cal.AddWorkdays(day, 1)
			}
			b.ReportMetric(float64(sent)/float64(b.N), "reminders/op")
			b.ReportMetric(float64(sent)/took.Seconds(), "reminders/s")
		})
	}
}
