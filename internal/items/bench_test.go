package items_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/dbtest"
)

// BenchmarkList measures GET /items on a database of DUBAN_BENCH_ITEMS items
// (default 100,000) on each engine, one request at a time, for each list variant:
// the supervision office's default page, a member's default page (visibility),
// light=red, and a filtered search (states, Chinese q of 4 and of 2 characters, lead
// unit, sort). Each prints p50/p99 of the whole HTTP exchange, the p50 of a raw-SQL
// program for the same page (database/sql, hand-written SQL: the page and its exact
// count), their ratio, and the machine's 1-minute load when measured. The default
// page is also measured at 16 concurrent requests (req/s).
//
//	make bench-list                                   (both engines, 100,000 items)
//	DUBAN_BENCH_ITEMS=1000000 make bench-list BENCH='List/postgres'
func BenchmarkList(b *testing.B) {
	n := 100000
	if v := os.Getenv("DUBAN_BENCH_ITEMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DUBAN_BENCH_ITEMS=%q", v)
		}
	}
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			env := apitest.Start(b, dbtest.New(b, d), apitest.Config(b))
			w := benchWorld(b, env)
			start := time.Now()
			seedItems(b, env, w, n)
			b.Logf("%s: seeded %d items in %s (load %.2f)", d, n, time.Since(start).Round(time.Millisecond), loadAvg())
			today := civil.Today(time.UTC).String()
			lit := func(s string) string { return "'" + s + "'" }
			open := "('pending_approval','approved','issued','in_progress','suspended','completion_requested')"
			search := func(q string) string {
				pat := lit("%" + q + "%")
				return "items.scope_id = " + lit(w.group.String()) + " AND items.state IN ('issued','in_progress') AND items.lead_unit_id = " +
					lit(w.units[1].String()) + " AND (LOWER(COALESCE(items.code, '')) LIKE " + pat + " OR LOWER(items.title) LIKE " + pat +
					" OR LOWER(items.content) LIKE " + pat + ")"
			}
			m, u3 := lit(w.member.String()), lit(w.units[3].String())
			variants := []struct {
				name, who, path string
				where, order    string // the raw-SQL program's page
			}{
				{"default_page", "sup", "/api/v1/items",
					"items.scope_id = " + lit(w.group.String()), "items.created_at DESC, items.id DESC"},
				{"member_default_page", "member", "/api/v1/items",
					"(items.initiator_user_id = " + m + " OR items.initiator_unit_id = " + u3 + " OR (items.state <> 'draft' AND (items.lead_unit_id = " + u3 +
						" OR items.id IN (SELECT item_id FROM item_cooperating_units WHERE unit_id = " + u3 + ")" +
						" OR items.id IN (SELECT item_id FROM item_assignments WHERE unit_id = " + u3 + ")" +
						" OR items.id IN (SELECT item_id FROM item_assignments WHERE responsible_user_id = " + m + "))))",
					"items.created_at DESC, items.id DESC"},
				{"red_light", "sup", "/api/v1/items?light=red&sort=-deadline",
					"items.scope_id = " + lit(w.group.String()) + " AND items.state IN " + open + " AND items.deadline < " + lit(today) +
						" AND NOT EXISTS (SELECT 1 FROM item_warning_clears wc WHERE wc.item_id = items.id AND wc.deadline = items.deadline)",
					"items.deadline DESC, items.id DESC"},
				{"search_q4", "sup", "/api/v1/items?state=issued,in_progress&q=" + url.QueryEscape("隐患排查") + "&lead_unit_id=" +
					w.units[1].String() + "&sort=deadline,code", search("隐患排查"), "items.deadline, items.code, items.id"},
				{"search_q2", "sup", "/api/v1/items?state=issued,in_progress&q=" + url.QueryEscape("隐患") + "&lead_unit_id=" +
					w.units[1].String() + "&sort=deadline,code", search("隐患"), "items.deadline, items.code, items.id"},
			}
			sqlDB, err := env.DB.Gorm().DB()
			if err != nil {
				b.Fatal(err)
			}
			for _, v := range variants {
				b.Run(v.name, func(b *testing.B) {
					// sessions are opened per measurement: an access token lives 15 minutes
					user := w.sup
					if v.who == "member" {
						user = w.member
					}
					c := env.As(env.OpenSession(user))
					var res struct {
						Data  []map[string]any `json:"data"`
						Total int64            `json:"total"`
						Est   bool             `json:"total_is_estimate"`
					}
					c.Do("GET", v.path, nil).Expect(200).JSON(&res) // warm, and show what the page holds
					if os.Getenv("DUBAN_BENCH_EXPLAIN") != "" {
						explainRequest(b, env, c, v.path)
					}
					rawRows, rawTotal := rawPage(b, sqlDB, v.where, v.order)
					b.Logf("%s/%s: page of %d, total %d (estimate %v); raw page %d, exact total %d", d, v.name, len(res.Data), res.Total, res.Est, rawRows, rawTotal)
					durs := make([]time.Duration, 0, b.N)
					for b.Loop() {
						t0 := time.Now()
						c.Do("GET", v.path, nil).Expect(200)
						durs = append(durs, time.Since(t0))
					}
					load := loadAvg()
					raw := make([]time.Duration, 0, len(durs))
					for range len(durs) {
						t0 := time.Now()
						rawPage(b, sqlDB, v.where, v.order)
						raw = append(raw, time.Since(t0))
					}
					p50, p99, r50 := pct(durs, 0.50), pct(durs, 0.99), pct(raw, 0.50)
					b.ReportMetric(p50, "p50_ms")
					b.ReportMetric(p99, "p99_ms")
					b.ReportMetric(r50, "raw_p50_ms")
					b.ReportMetric(p50/r50, "x_raw")
					b.ReportMetric(load, "load1")
					b.Logf("%s/%s: p50 %.2f ms, p99 %.2f ms; raw SQL p50 %.2f ms (%.2fx); load %.2f", d, v.name, p50, p99, r50, p50/r50, load)
				})
			}
			b.Run("default_page_16conns", func(b *testing.B) {
				c := env.As(env.OpenSession(w.sup))
				b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
				t0 := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						c.Do("GET", "/api/v1/items", nil).Expect(200)
					}
				})
				rps := float64(b.N) / time.Since(t0).Seconds()
				b.ReportMetric(rps, "req/s")
				b.ReportMetric(loadAvg(), "load1")
			})
		})
	}
}

// rawPage is the raw-SQL program: the page's rows (every column, scanned) and its
// exact count, through database/sql with no ORM.
func rawPage(b *testing.B, db *sql.DB, where, order string) (int, int64) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT * FROM items WHERE "+where+" ORDER BY "+order+" LIMIT 20")
	if err != nil {
		b.Fatalf("raw page: %v", err)
	}
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	var total int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM items WHERE "+where).Scan(&total); err != nil {
		b.Fatalf("raw count: %v", err)
	}
	return n, total
}

func pct(durs []time.Duration, p float64) float64 {
	if len(durs) == 0 {
		return 0
	}
	slices.Sort(durs)
	return float64(durs[min(len(durs)-1, int(float64(len(durs))*p))].Microseconds()) / 1000
}

// loadAvg is the machine's 1-minute load average (the machine is shared: every
// figure is printed with it).
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}
