package items_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

func filter(t *testing.T, q string) items.Filter {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	f, err := items.ParseFilter(v)
	if err != nil {
		t.Fatalf("filter %q: %v", q, err)
	}
	return f
}

func ids(pg *items.ItemPage) []uuid.UUID {
	out := make([]uuid.UUID, len(pg.Items))
	for i, v := range pg.Items {
		out[i] = v.ID
	}
	return out
}

// TestVisibilitySQLMatchesGo: for every fixture person, the list (SQL visibility)
// holds exactly the items that Get (CanSee in Go) shows them.
func TestVisibilitySQLMatchesGo(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		var all []uuid.UUID
		// A draft of the member, a draft of the supervisor, a pending one, a running
		// one, one with a returned assignment, a group item given to the enterprise,
		// a sub-item handed down, an item of the enterprise itself.
		all = append(all, must(w.svc.Create(ctx, w.p(w.Member), w.draft(items.SourceOther)))(t).ID)
		all = append(all, must(w.svc.Create(ctx, w.p(w.Sup), w.draft(items.SourceOther)))(t).ID)
		pend := must(w.svc.Create(ctx, w.p(w.HeadA), w.draft(items.SourceOther)))(t)
		must(w.svc.Act(ctx, w.p(w.HeadA), pend.ID, items.ActSubmit, "", nil))(t)
		all = append(all, pend.ID)
		run, _ := w.running(t)
		all = append(all, run.ID)
		ret := must(w.svc.Create(ctx, w.p(w.Sup), w.draft(items.SourceBoard)))(t)
		must(w.svc.Act(ctx, w.p(w.Sup), ret.ID, items.ActSubmit, "", nil))(t)
		must(w.svc.Issue(ctx, w.p(w.Sup), ret.ID, []items.AssignmentInput{{UnitID: w.DeptX, Role: items.RoleLead}}, "", nil))(t)
		asgs := must(w.svc.ListAssignments(ctx, w.p(w.Sup), ret.ID))(t)
		env.AddLiaison(w.DeptX, w.Stranger)
		must(w.svc.ReturnAssignment(ctx, w.p(w.Stranger), asgs[0].ID, "不属于本部门", nil))(t)
		all = append(all, ret.ID)
		in := w.draft(items.SourceGroupMeeting)
		in.CooperatingUnitIDs = []uuid.UUID{w.Ent}
		ent := must(w.svc.Create(ctx, w.p(w.Sup), in))(t)
		must(w.svc.Act(ctx, w.p(w.Sup), ent.ID, items.ActSubmit, "", nil))(t)
		all = append(all, ent.ID)
		sub := items.ItemInput{Title: "下发", Content: "内容", Category: items.CategoryImportantMatter, Source: items.SourceBoard,
			LeadUnitID: &w.EntDept, Deadline: today().AddDays(20), ParentID: &run.ID, ScopeID: &w.Ent}
		all = append(all, must(w.svc.Create(ctx, w.p(w.Sup), sub))(t).ID)
		own := items.ItemInput{Title: "企业自有", Content: "内容", Category: items.CategoryImportantMatter, Source: items.SourceBoard,
			LeadUnitID: &w.EntDept, SupervisingLeaderID: &w.EntLeader, Deadline: today().AddDays(20)}
		o := must(w.svc.Create(ctx, w.p(w.EntSup), own))(t)
		must(w.svc.Act(ctx, w.p(w.EntSup), o.ID, items.ActSubmit, "", nil))(t)
		all = append(all, o.ID)

		people := []uuid.UUID{w.Sup, w.Leader, w.Leader2, w.Member, w.HeadA, w.HeadB, w.LiaisonB, w.MemberB, w.HeadC,
			w.Stranger, w.Auditor, w.Admin, w.EntSup, w.EntLeader, w.EntHead, w.EntMember, w.Ent2Sup}
		for _, u := range people {
			p := w.p(u)
			pg := must(w.svc.List(ctx, p, filter(t, "page_size=100")))(t)
			listed := ids(pg)
			if pg.Total != int64(len(listed)) {
				t.Errorf("%s: total %d, listed %d", p.Username, pg.Total, len(listed))
			}
			var seen []uuid.UUID
			for _, id := range all {
				if _, err := w.svc.Get(ctx, p, id); err == nil {
					seen = append(seen, id)
				} else if status(err) != 404 {
					t.Fatalf("get: %v", err)
				}
			}
			slices.SortFunc(listed, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
			slices.SortFunc(seen, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
			if !slices.Equal(listed, seen) {
				t.Errorf("%s: list shows %d items, get shows %d", p.Username, len(listed), len(seen))
			}
		}
		// Spot checks of the rule itself.
		count := func(u uuid.UUID) int64 { return must(w.svc.List(ctx, w.p(u), filter(t, "")))(t).Total }
		if n := count(w.Sup); n != 7 { // every group item + the handed-down sub-item; not the enterprise's own
			t.Errorf("supervisor sees %d", n)
		}
		// The group item given to the enterprise and the enterprise's own; the handed-
		// down sub-item is still a draft (its enterprise's supervisors see it).
		if n := count(w.EntMember); n != 2 {
			t.Errorf("enterprise member sees %d", n)
		}
		if n := count(w.Ent2Sup); n != 0 {
			t.Errorf("the other enterprise sees %d", n)
		}
	})
}

// TestListFiltersLightsAndPaging: every filter, sort and page of the list, with
// items whose lights come from time passing on the application's clock.
func TestListFiltersLightsAndPaging(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx, sup := w.ctx, w.p(w.Sup)
		mk := func(title string, src items.Source, lead uuid.UUID, days int) *items.ItemView {
			in := w.draft(src)
			in.Title, in.LeadUnitID, in.CooperatingUnitIDs, in.Deadline = title, &lead, nil, w.svc.Today().AddDays(days)
			v := must(w.svc.Create(ctx, sup, in))(t)
			must(w.svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil))(t)
			env.Clock.Advance(time.Minute) // created and coded in this order
			return must(w.svc.Issue(ctx, sup, v.ID, nil, "", nil))(t)
		}
		// Registered 32 days ago with 30 days to go: overdue. Yesterday: one with
		// a milestone due yesterday (missed), one due today (blue). Today: one far
		// from its deadline (green), on the same day as the milestone's item.
		now := env.Clock.Now()
		env.Clock.Set(now.AddDate(0, 0, -32))
		red := mk("逾期事项 100%_done", items.SourceBoard, w.DeptB, 30)
		env.Clock.Set(now.AddDate(0, 0, -1))
		yellow := mk("节点逾期事项", items.SourceBoard, w.DeptB, 61)
		must(w.svc.CreateMilestone(ctx, sup, yellow.ID, items.MilestoneInput{Title: "节点一", DueDate: w.svc.Today()}))(t)
		blue := mk("临近期限事项", items.SourceGroupMeeting, w.DeptC, 1)
		env.Clock.Set(now)
		green := mk("正常推进事项", items.SourceGroupMeeting, w.DeptC, 60)
		draft := must(w.svc.Create(ctx, sup, w.draft(items.SourceOther)))(t)
		today := func() civil.Date { return w.svc.Today() }

		lights := map[uuid.UUID]string{red.ID: "red", yellow.ID: "yellow", blue.ID: "blue", green.ID: "green", draft.ID: "none"}
		for id, want := range lights {
			v := must(w.svc.Get(ctx, sup, id))(t)
			if v.Light != want {
				t.Errorf("%s: light %s, want %s", v.Title, v.Light, want)
			}
			got := ids(must(w.svc.List(ctx, sup, filter(t, "light="+want)))(t))
			if !slices.Equal(got, []uuid.UUID{id}) {
				t.Errorf("light=%s lists %v, want only %s", want, got, v.Title)
			}
		}
		r := must(w.svc.Get(ctx, sup, red.ID))(t)
		if !r.Overdue || r.DaysRemaining == nil || *r.DaysRemaining >= 0 {
			t.Errorf("red: overdue %v days %v", r.Overdue, r.DaysRemaining)
		}
		if b := must(w.svc.Get(ctx, sup, blue.ID))(t); b.DaysRemaining == nil || *b.DaysRemaining != 0 {
			t.Errorf("blue due today: days %v", b.DaysRemaining)
		}
		check := func(q string, want ...uuid.UUID) {
			t.Helper()
			pg := must(w.svc.List(ctx, sup, filter(t, q)))(t)
			got := ids(pg)
			if !slices.Equal(got, want) || pg.Total != int64(len(want)) {
				t.Errorf("%s: got %d items (total %d), want %d", q, len(got), pg.Total, len(want))
			}
		}
		check("overdue=true", red.ID)
		check("overdue=false&state=issued&sort=created_at", yellow.ID, blue.ID, green.ID)
		check("state=draft,pending_approval", draft.ID)
		check("lead_unit_id="+w.DeptC.String()+"&sort=created_at", blue.ID, green.ID)
		check("unit_id="+w.DeptB.String()+"&sort=-created_at", draft.ID, yellow.ID, red.ID)
		check("source=board&sort=created_at", red.ID, yellow.ID)
		check("leader_id="+w.Leader.String()+"&state=issued&sort=created_at", red.ID, yellow.ID, blue.ID, green.ID)
		check("q=逾期&sort=created_at", red.ID, yellow.ID)
		check("q=100%25_&sort=created_at", red.ID) // % and _ are literal
		check("q=%25", red.ID)
		check("q="+*red.Code, red.ID)
		check("deadline_to="+today().String()+"&sort=deadline", red.ID, blue.ID)
		check("deadline_from="+today().AddDays(1).String()+"&state=issued&sort=created_at", yellow.ID, green.ID)
		check("tag=安全生产&state=issued&sort=-deadline,code", yellow.ID, green.ID, blue.ID, red.ID)
		check("sort=code&state=issued", red.ID, yellow.ID, blue.ID, green.ID)
		check("sort=-code&state=issued,draft", green.ID, blue.ID, yellow.ID, red.ID, draft.ID) // nulls last
		// Paging.
		pg := must(w.svc.List(ctx, sup, filter(t, "sort=code&page=2&page_size=2")))(t)
		if pg.Total != 5 || !slices.Equal(ids(pg), []uuid.UUID{blue.ID, green.ID}) {
			t.Errorf("page 2: total %d %v", pg.Total, ids(pg))
		}
		if pg := must(w.svc.List(ctx, sup, filter(t, "page=9")))(t); len(pg.Items) != 0 || pg.Total != 5 {
			t.Errorf("past the end: %d items, total %d", len(pg.Items), pg.Total)
		}
		// Bad parameters name themselves.
		for q, field := range map[string]string{
			"page_size=101": "page_size", "page=0": "page", "state=open": "state", "sort=secret": "sort",
			"light=purple": "light", "overdue=maybe": "overdue", "lead_unit_id=x": "lead_unit_id",
			"deadline_from=2026-13-01": "deadline_from", "category=memo": "category",
		} {
			v, _ := url.ParseQuery(q)
			_, err := items.ParseFilter(v)
			p := wantStatus(t, err, 422)
			if p.Errors[0].Field != field {
				t.Errorf("%s: error on %s", q, p.Errors[0].Field)
			}
		}
	})
}
