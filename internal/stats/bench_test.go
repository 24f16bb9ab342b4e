package stats_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/stats"
	"github.com/duban/duban/internal/stats/statstest"
)

// BenchmarkStats measures GET /stats/* beside GET /items on PostgreSQL with
// DUBAN_BENCH_STATS_ITEMS items (default 1,000,000) of ten years' history, and
// reports p50/p99 of the whole HTTP exchange. Seeding takes a minute or two, so it
// runs only when asked:
//
//	scripts/bench-reporting.sh            (or)
//	DUBAN_BENCH_STATS=1 go test ./internal/stats -run '^$' -bench Stats -benchtime 50x
func BenchmarkStats(b *testing.B) {
	if os.Getenv("DUBAN_BENCH_STATS") == "" {
		b.Skip("set DUBAN_BENCH_STATS=1 (scripts/bench-reporting.sh) to seed a million items and measure")
	}
	n := 1_000_000
	if v := os.Getenv("DUBAN_BENCH_STATS_ITEMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DUBAN_BENCH_STATS_ITEMS=%q", v)
		}
	}
	env := apitest.Start(b, dbtest.New(b, database.Postgres), apitest.Config(b))
	big := statstest.NewBig(env)
	today := env.App.Items.Today()
	t0 := time.Now()
	if err := statstest.SeedPostgres(env, big, n, today); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d items in %s", n, time.Since(t0).Round(time.Second))
	// The rebuild does not stop the items' writes: an urge every 50 ms runs beside
	// it, each timed (logged with the rebuild's time).
	var open []uuid.UUID
	if err := env.DB.Gorm().Raw(`SELECT id FROM items WHERE state = 'in_progress' AND scope_id = ? ORDER BY id DESC LIMIT 20`, big.Group).Scan(&open).Error; err != nil || len(open) == 0 {
		b.Fatalf("items to urge during the rebuild: %d, %v", len(open), err)
	}
	stop, urged := make(chan struct{}), make(chan []time.Duration)
	failed := map[int]int{} // refused urges by status
	go func() {
		c := env.As(env.OpenSession(big.Sup))
		var ds []time.Duration
		for i := 0; ; i++ {
			select {
			case <-stop:
				urged <- ds
				return
			default:
			}
			t := time.Now()
			if st := c.Do("POST", "/api/v1/items/"+open[i%len(open)].String()+"/urges", map[string]any{"message": "bench"}).Status; st == 201 {
				ds = append(ds, time.Since(t))
			} else {
				failed[st]++
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	t0 = time.Now()
	if err := env.App.Stats.Rebuild(context.Background()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(t0)
	close(stop)
	ds := <-urged
	slices.Sort(ds)
	if len(ds) == 0 {
		b.Fatalf("no urge went through during the rebuild (refused: %v)", failed)
	}
	b.Logf("rollup built in %s; %d urges beside it: p50 %s, p99 %s, max %s; refused by status %v", took.Round(time.Second), len(ds),
		ds[len(ds)/2].Round(time.Millisecond), ds[min(len(ds)-1, len(ds)*99/100)].Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond), failed)
	// DUBAN_BENCH_STATS_LIVE=1 also measures each request without the rollup (five
	// times after a warm one: live_p50_ms, live_max_ms), the design before it.
	live := os.Getenv("DUBAN_BENCH_STATS_LIVE") != ""
	// sessions are opened per measurement: an access token lives 15 minutes
	sup := func() *apitest.Env { return env.As(env.OpenSession(big.Sup)) }
	head := func() *apitest.Env { return env.As(env.OpenSession(big.Head)) }
	month := today.String()[:7]
	quarter := fmt.Sprintf("%d-Q%d", today.Year, (int(today.Month)-1)/3+1)
	year := strconv.Itoa(today.Year)
	measure := func(name string, as func() *apitest.Env, path string) {
		b.Run(name, func(b *testing.B) {
			c := as()
			c.Do("GET", path, nil).Expect(200) // warm
			durs := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t := time.Now()
				c.Do("GET", path, nil).Expect(200)
				durs = append(durs, time.Since(t))
			}
			pct := func(durs []time.Duration, p float64) float64 {
				slices.Sort(durs)
				return float64(durs[min(len(durs)-1, int(float64(len(durs))*p))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(durs, 0.50), "p50_ms")
			b.ReportMetric(pct(durs, 0.99), "p99_ms")
			if live && strings.Contains(path, "/stats/") {
				stats.UseRollup(false)
				defer stats.UseRollup(true)
				// the live queries may pass the request or statement timeout under load:
				// counted, not fatal
				failed := 0
				c.Do("GET", path, nil)
				var ld []time.Duration
				for range 5 {
					t := time.Now()
					if c.Do("GET", path, nil).Status != 200 {
						failed++
					}
					ld = append(ld, time.Since(t))
				}
				b.ReportMetric(pct(ld, 0.5), "live_p50_ms")
				b.ReportMetric(pct(ld, 1), "live_max_ms")
				b.ReportMetric(float64(failed), "live_failed")
			}
		})
	}
	measure("items_default_page", sup, "/api/v1/items")
	measure("overview_month", sup, "/api/v1/stats/overview?period="+month)
	measure("overview_quarter", sup, "/api/v1/stats/overview?period="+quarter)
	measure("overview_year", sup, "/api/v1/stats/overview?period="+year)
	measure("units_month", sup, "/api/v1/stats/units?period="+month)
	measure("units_quarter", sup, "/api/v1/stats/units?period="+quarter)
	measure("units_year", sup, "/api/v1/stats/units?period="+year)
	measure("trend_12_months", sup, "/api/v1/stats/trend?period="+month)
	measure("overview_unit_month", sup, "/api/v1/stats/overview?period="+month+"&unit_id="+big.Depts[5].String())
	measure("member_overview_month", head, "/api/v1/stats/overview?period="+month)
	measure("member_units_quarter", head, "/api/v1/stats/units?period="+quarter)
	measure("member_trend", head, "/api/v1/stats/trend?period="+month)
	// the to-do lists on the same data (issue 16's target: p50 ≤ 100 ms)
	measure("todo_member", head, "/api/v1/me/todo")
	measure("todo_office", sup, "/api/v1/me/todo")
	if os.Getenv("DUBAN_BENCH_KEEP") != "" {
		b.Fatal("DUBAN_BENCH_KEEP: failing so that pgtestdb keeps the seeded database for EXPLAIN")
	}
}
