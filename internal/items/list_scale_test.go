package items_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// TestListTotalEstimate: above the exact-total limit PostgreSQL's lists give the
// planner's estimate flagged total_is_estimate; a short page gives the exact total
// back; SQLite always counts. Pages themselves are exact either way.
func TestListTotalEstimate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx, sup := w.ctx, w.p(w.Sup)
		var all []uuid.UUID
		for range 5 {
			all = append(all, must(w.svc.Create(ctx, sup, w.draft(items.SourceOther)))(t).ID)
		}
		pg := env.DB.Dialect() == database.Postgres
		w.svc.SetExactTotalLimit(2)
		list := func(q string) *items.ItemPage { return must(w.svc.List(ctx, sup, filter(t, q)))(t) }

		first := list("page_size=2&sort=created_at")
		if len(first.Items) != 2 || first.TotalIsEstimate != pg || (pg && first.Total < 3) || (!pg && first.Total != 5) {
			t.Errorf("first page: %d items, total %d, estimate %v", len(first.Items), first.Total, first.TotalIsEstimate)
		}
		var seen []uuid.UUID
		for page := 1; page <= 3; page++ {
			seen = append(seen, ids(list("page_size=2&sort=created_at&page="+string(rune('0'+page))))...)
		}
		if !slices.Equal(seen, all) {
			t.Errorf("pages hold %d items, want the 5 in order", len(seen))
		}
		if last := list("page_size=2&sort=created_at&page=3"); last.Total != 5 || last.TotalIsEstimate {
			t.Errorf("short last page: total %d, estimate %v", last.Total, last.TotalIsEstimate)
		}
		if past := list("page_size=2&page=9"); len(past.Items) != 0 {
			t.Errorf("past the end: %d items", len(past.Items))
		}
		if whole := list("page_size=10"); whole.Total != 5 || whole.TotalIsEstimate {
			t.Errorf("one page: total %d, estimate %v", whole.Total, whole.TotalIsEstimate)
		}
		// Under the limit the count is exact (a filter leaves two).
		if two := list("page_size=1&sort=created_at&state=draft&q=" + "不存在"); two.Total != 0 || two.TotalIsEstimate {
			t.Errorf("no match: total %d, estimate %v", two.Total, two.TotalIsEstimate)
		}
		// A member (no whole-scope view): the same through the visibility.
		for range 3 {
			must(w.svc.Create(ctx, w.p(w.Member), w.draft(items.SourceOther)))(t)
		}
		mine := must(w.svc.List(ctx, w.p(w.Member), filter(t, "page_size=1")))(t)
		if len(mine.Items) != 1 || mine.TotalIsEstimate != pg || (!pg && mine.Total != 3) || (pg && mine.Total < 3) {
			t.Errorf("member: %d items, total %d, estimate %v", len(mine.Items), mine.Total, mine.TotalIsEstimate)
		}
		w.svc.SetExactTotalLimit(0)
		// The supervisor now sees the member's three drafts too.
		if exact := list("page_size=2"); exact.Total != 8 || exact.TotalIsEstimate {
			t.Errorf("default limit: total %d, estimate %v", exact.Total, exact.TotalIsEstimate)
		}

		// Over HTTP: the flag is always present.
		env.App.Items.SetExactTotalLimit(2)
		c := env.As(env.OpenSession(w.Sup))
		m := c.Do("GET", "/api/v1/items?page_size=2", nil).Expect(200).Map()
		if est, ok := m["total_is_estimate"].(bool); !ok || est != pg {
			t.Errorf("total_is_estimate %v", m["total_is_estimate"])
		}
		m = c.Do("GET", "/api/v1/items?page_size=20", nil).Expect(200).Map()
		if m["total_is_estimate"] != false || m["total"] != 8.0 {
			t.Errorf("short page over HTTP: %v %v", m["total"], m["total_is_estimate"])
		}
	})
}

// TestListSearch: q finds the items whose code, title or content contains it,
// case-insensitively for ASCII, for Chinese queries of two characters (LIKE) and
// of three or more (trigram index on PostgreSQL, FTS5 trigram on SQLite, each
// rechecked by LIKE), and for the special characters of LIKE and of FTS5.
func TestListSearch(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx, sup := w.ctx, w.p(w.Sup)
		texts := [][2]string{
			{"落实安全生产隐患排查整改", "按计划推进"},
			{"推进年度重点项目", "其中包括隐患排查"},
			{"隐患治理", "专项工作"},
			{"Alpha 项目 ABC-7", "内容 \"quoted\" OR NEAR"},
			{"完成专项审计整改", "100%_done 审计"},
			{"提升科技创新能力", "abc-7 小写"},
		}
		type row struct {
			id            uuid.UUID
			title, conten string
		}
		var rows []row
		for _, tx := range texts {
			in := w.draft(items.SourceOther)
			in.Title, in.Content = tx[0], tx[1]
			rows = append(rows, row{must(w.svc.Create(ctx, sup, in))(t).ID, tx[0], tx[1]})
		}
		// An item edited after creation is found by its new words (the index follows).
		edited := rows[2].id
		newTitle := "隐患治理复查评估"
		must(w.svc.Update(ctx, sup, edited, items.ItemPatch{Title: &newTitle}, nil))(t)
		rows[2].title = newTitle
		for _, q := range []string{"隐患", "隐患排查", "排查整", "整改", "复查评估", "治理", "abc", "ABC-7", "c-7", "\"quoted\"",
			"OR NEAR", "100%_", "%_d", "项", "不存在的词", "安全生产隐患排查整改"} {
			var want []uuid.UUID
			for _, r := range rows {
				lq := strings.ToLower(q)
				if strings.Contains(strings.ToLower(r.title), lq) || strings.Contains(strings.ToLower(r.conten), lq) {
					want = append(want, r.id)
				}
			}
			pg := must(w.svc.List(ctx, sup, filter(t, "sort=created_at&page_size=100&q="+urlQ(q))))(t)
			if got := ids(pg); !slices.Equal(got, want) || pg.Total != int64(len(want)) {
				t.Errorf("q=%q: got %d items (total %d), want %d", q, len(got), pg.Total, len(want))
			}
		}
	})
}

// TestVisibilityFollowsAssignments: a unit given an assignment after issue, and
// that assignment's responsible person, list the item (item_visibility is kept in
// the same transaction); others still do not.
func TestVisibilityFollowsAssignments(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		v, _ := w.running(t)
		listed := func(u uuid.UUID) bool {
			return slices.Contains(ids(must(w.svc.List(ctx, w.p(u), filter(t, "page_size=100")))(t)), v.ID)
		}
		if listed(w.Stranger) {
			t.Fatal("the stranger lists the item before any assignment")
		}
		must(w.svc.AddAssignment(ctx, w.p(w.Sup), v.ID, items.AssignmentInput{UnitID: w.DeptX, Role: items.RoleCooperating,
			ResponsibleUserID: &w.Stranger}, "", nil))(t)
		if !listed(w.Stranger) {
			t.Error("the new cooperating unit's member does not list the item")
		}
		if _, err := w.svc.Get(ctx, w.p(w.Stranger), v.ID); err != nil {
			t.Errorf("get: %v", err)
		}
		if listed(w.EntMember) {
			t.Error("an enterprise member lists a group item that does not name the enterprise")
		}
	})
}

func urlQ(q string) string { return url.QueryEscape(q) }
