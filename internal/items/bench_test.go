package items_test

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/items"
)

// BenchmarkList measures GET /items on a database of DUBAN_BENCH_ITEMS items
// (default 100000) on each engine: the default page for a supervisor (the whole
// scope visible), a filtered search, and a member's default page (visibility through
// the subqueries). It reports p50 and p99 latencies of the whole HTTP exchange.
//
//	go test ./internal/items -run '^$' -bench List -benchtime 200x
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
			b.Logf("%s: seeded %d items in %s", d, n, time.Since(start).Round(time.Millisecond))
			sup := env.As(env.OpenSession(w.sup))
			member := env.As(env.OpenSession(w.member))
			measure := func(name string, c *apitest.Env, path string) {
				b.Run(name, func(b *testing.B) {
					durs := make([]time.Duration, 0, b.N)
					for b.Loop() {
						t0 := time.Now()
						c.Do("GET", path, nil).Expect(200)
						durs = append(durs, time.Since(t0))
					}
					slices.Sort(durs)
					pct := func(p float64) float64 {
						return float64(durs[min(len(durs)-1, int(float64(len(durs))*p))].Microseconds()) / 1000
					}
					b.ReportMetric(pct(0.50), "p50_ms")
					b.ReportMetric(pct(0.99), "p99_ms")
				})
			}
			measure("default_page", sup, "/api/v1/items")
			measure("search", sup, "/api/v1/items?state=issued,in_progress&q="+url.QueryEscape("隐患")+"&lead_unit_id="+w.units[1].String()+"&sort=deadline,code")
			measure("red_light", sup, "/api/v1/items?light=red&sort=-deadline")
			measure("member_default_page", member, "/api/v1/items")
		})
	}
}

type benchFixture struct {
	group, office uuid.UUID
	units         []uuid.UUID
	sup, member   uuid.UUID
	leader        uuid.UUID
}

func benchWorld(b *testing.B, env *apitest.Env) *benchFixture {
	f := &benchFixture{}
	f.group = env.Unit("集团公司", "group", nil, false)
	f.office = env.Unit("办公厅", "department", &f.group, true)
	for i := range 20 {
		f.units = append(f.units, env.Unit(fmt.Sprintf("部门%02d", i), "department", &f.group, false))
	}
	f.sup = env.User("bench.sup", f.office, "supervisor")
	f.leader = env.User("bench.leader", f.group, "leader")
	f.member = env.User("bench.member", f.units[3], "member")
	return f
}

// seedItems inserts n items straight into the database in multi-row inserts: a mix
// of states, deadlines around today, units, and milestones on every tenth item.
func seedItems(b *testing.B, env *apitest.Env, f *benchFixture, n int) {
	db := env.DB.Gorm()
	today := civil.Today(time.UTC)
	states := []items.State{items.StateDraft, items.StateIssued, items.StateInProgress, items.StateInProgress,
		items.StateInProgress, items.StateClosed, items.StateArchived, items.StatePendingApproval}
	titles := []string{"落实安全生产隐患排查", "推进年度重点项目", "完成专项审计整改", "提升科技创新能力", "加强党风廉政建设"}
	const batch = 500
	now := time.Now().UTC().Truncate(time.Microsecond)
	for start := 0; start < n; start += batch {
		rows := make([]items.Item, 0, batch)
		var coop []map[string]any
		var ms []items.Milestone
		for i := start; i < min(n, start+batch); i++ {
			st := states[i%len(states)]
			lead := f.units[i%len(f.units)]
			it := items.Item{
				ID: uuid.Must(uuid.NewV7()), ScopeID: f.group, Title: fmt.Sprintf("%s（%d）", titles[i%len(titles)], i),
				Content: "按照会议部署抓好落实，第" + strconv.Itoa(i) + "项", Category: items.CategoryImportantMatter,
				Source: items.SourceGroupMeeting, Method: "special", Urgency: "normal", FeedbackCadence: "monthly",
				InitiatorUnitID: f.office, InitiatorUserID: f.sup, SupervisingLeaderID: &f.leader, LeadUnitID: &lead,
				Deadline: today.AddDays(i%120 - 30), State: st, Progress: i % 100, Version: 1,
				CreatedAt: now.Add(-time.Duration(n-i) * time.Second), UpdatedAt: now,
			}
			if st.Issued() {
				code := fmt.Sprintf("DB-%d-%06d", today.Year, i+1)
				it.Code, it.OriginalDeadline, it.IssuedAt = &code, it.Deadline, &now
			}
			rows = append(rows, it)
			coop = append(coop, map[string]any{"item_id": it.ID, "unit_id": f.units[(i+7)%len(f.units)], "sort": 0})
			if i%10 == 0 {
				ms = append(ms, items.Milestone{ID: uuid.Must(uuid.NewV7()), ItemID: it.ID, Title: "节点",
					DueDate: today.AddDays(i%40 - 20), Version: 1, CreatedAt: now, UpdatedAt: now})
			}
		}
		if err := db.CreateInBatches(rows, batch).Error; err != nil {
			b.Fatalf("seed items: %v", err)
		}
		if err := db.Table("item_cooperating_units").Create(coop).Error; err != nil {
			b.Fatalf("seed cooperating units: %v", err)
		}
		if len(ms) > 0 {
			if err := db.CreateInBatches(ms, batch).Error; err != nil {
				b.Fatalf("seed milestones: %v", err)
			}
		}
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatalf("analyze: %v", err)
	}
}
