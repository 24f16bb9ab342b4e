package methods_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

func path(id uuid.UUID, tail string) string { return "/api/v1/items/" + id.String() + tail }

func actions(m map[string]any) []string { return apitest.Strings(m["allowed_actions"]) }

func timeline(f *apitest.Fixture, id uuid.UUID) []string {
	actions, _ := f.Events(id)
	return actions
}

// TestJointTeamSeesAndUrges: the office names a department of another unit as the
// supervision team; its people then see the item (Go and the list's SQL), read its
// methods and urge it; removing the department takes all of that away again.
func TestJointTeamSeesAndUrges(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("联合督办事项", 30)
		unit := path(id, "/joint-units/"+f.W.DeptX.String())
		listed := func(user string) bool {
			var pg struct{ Data []struct{ ID uuid.UUID } }
			f.As(user).Do("GET", "/api/v1/items?page_size=100", nil).Expect(200).JSON(&pg)
			return slices.ContainsFunc(pg.Data, func(r struct{ ID uuid.UUID }) bool { return r.ID == id })
		}
		f.As("stranger").Do("GET", path(id, ""), nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", path(id, "/methods"), nil).Problem(404, "not_found")
		f.As("stranger").Do("PUT", unit, nil).Problem(404, "not_found")
		if listed("stranger") {
			t.Fatal("the stranger lists the item before joining the team")
		}
		// Only the supervision office manages the team.
		f.As("leader").Do("PUT", unit, nil).Problem(403, "forbidden")
		f.As("headb").Do("PUT", unit, nil).Problem(403, "forbidden")
		f.As("auditor").Do("PUT", unit, nil).Problem(403, "forbidden")
		f.As("sup").Do("PUT", path(id, "/joint-units/"+uuid.NewString()), nil).Problem(422, "validation_failed")
		team := f.As("sup").Do("PUT", unit, nil).Expect(200).Map()["data"].([]any)
		if len(team) != 1 || team[0].(map[string]any)["unit_id"] != f.W.DeptX.String() {
			t.Fatalf("team %v", team)
		}
		f.As("sup").Do("PUT", unit, nil).Expect(200) // again: nothing changes
		if n := f.Count("item_visibility", "item_id = ? AND subject_id = ?", id, f.W.DeptX); n != 1 {
			t.Fatalf("item_visibility rows for the team unit: %d", n)
		}

		// The team's people see it, in Go and in the list, and urge it.
		f.As("stranger").Do("GET", path(id, ""), nil).Expect(200)
		if !listed("stranger") {
			t.Fatal("the team member does not list the item")
		}
		m := f.As("stranger").Do("GET", path(id, "/methods"), nil).Expect(200).Map()
		if len(m["joint_units"].([]any)) != 1 || len(actions(m)) != 0 {
			t.Fatalf("methods for the team member: %v", m)
		}
		urge := map[string]any{"message": "请加快进度"}
		f.As("stranger").Do("POST", path(id, "/urges"), urge).Expect(201)
		f.As("memberc").Do("POST", path(id, "/urges"), urge).Problem(403, "forbidden") // cooperating, not in the team
		if l := f.As("stranger").Do("GET", path(id, "/urges"), nil).Expect(200).Map(); !slices.Contains(actions(l), "create") {
			t.Fatalf("team member's urge actions %v", l["allowed_actions"])
		}

		// Removing the department takes it all away.
		f.As("headb").Do("DELETE", unit, nil).Problem(403, "forbidden")
		if team := f.As("sup").Do("DELETE", unit, nil).Expect(200).Map()["data"].([]any); len(team) != 0 {
			t.Fatalf("team after removal %v", team)
		}
		f.As("stranger").Do("GET", path(id, ""), nil).Problem(404, "not_found")
		if listed("stranger") {
			t.Fatal("the former team member still lists the item")
		}
		tl := timeline(f, id)
		if n := slices.Index(tl, "joint_unit_add"); n < 0 || !slices.Contains(tl[n:], "urge") || !slices.Contains(tl[n:], "joint_unit_remove") ||
			len(slices.DeleteFunc(slices.Clone(tl), func(a string) bool { return a != "joint_unit_add" })) != 1 {
			t.Fatalf("timeline %v", tl)
		}
	})
}

// TestVisitRecord: the office or a leader records a visit authorised by a leader of
// the scope, with its photo; everyone who sees the item reads it, nobody else.
func TestVisitRecord(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("现场督办事项", 30)
		photo := f.Upload("sup", id, "现场照片.pdf")
		ok := map[string]any{"visited_on": f.Today().String(), "place": "项目现场", "findings": "主体工程完成六成",
			"visitor_ids": []string{f.W.Sup.String(), f.W.HeadB.String()}, "authorised_by": f.W.Leader.String()}
		if m := f.As("sup").Do("GET", path(id, "/methods"), nil).Expect(200).Map(); !slices.Equal(actions(m),
			[]string{"manage_joint_units", "record_coordination", "record_visit"}) {
			t.Fatalf("office's actions %v", m["allowed_actions"])
		}
		if m := f.As("leader").Do("GET", path(id, "/methods"), nil).Expect(200).Map(); !slices.Equal(actions(m),
			[]string{"record_coordination", "record_visit"}) {
			t.Fatalf("leader's actions %v", m["allowed_actions"])
		}
		f.As("headb").Do("POST", path(id, "/visits"), ok).Problem(403, "forbidden")
		f.As("auditor").Do("POST", path(id, "/visits"), ok).Problem(403, "forbidden")
		f.As("stranger").Do("POST", path(id, "/visits"), ok).Problem(404, "not_found")
		for field, v := range map[string]any{"authorised_by": f.W.HeadB.String(), "visited_on": f.Today().AddDays(3).String(),
			"place": " ", "visitor_ids": []string{uuid.NewString()}, "attachment_ids": []string{uuid.NewString()}} {
			bad := maps(ok)
			bad[field] = v
			f.As("sup").Do("POST", path(id, "/visits"), bad).Problem(422, "validation_failed")
		}
		if n := f.Count("item_visits", "item_id = ?", id); n != 0 {
			t.Fatalf("%d visits after bad input", n)
		}
		with := maps(ok)
		with["attachment_ids"] = []string{photo}
		v := f.As("sup").Do("POST", path(id, "/visits"), with).Expect(201).Map()
		if len(v["attachments"].([]any)) != 1 || len(v["visitor_ids"].([]any)) != 2 || v["authorised_by"] != f.W.Leader.String() {
			t.Fatalf("visit %v", v)
		}
		f.As("leader").Do("POST", path(id, "/visits"), ok).Expect(201)
		m := f.As("headb").Do("GET", path(id, "/methods"), nil).Expect(200).Map()
		if len(m["visits"].([]any)) != 2 || len(actions(m)) != 0 {
			t.Fatalf("methods read by the lead unit %v", m)
		}
		f.As("stranger").Do("GET", path(id, "/methods"), nil).Problem(404, "not_found")
		if tl := timeline(f, id); tl[len(tl)-1] != "visit_record" || tl[len(tl)-2] != "visit_record" {
			t.Fatalf("timeline %v", tl)
		}
		if n := f.Count("domain_events", "kind = ? AND item_id = ?", "visit.recorded", id); n != 2 {
			t.Fatalf("visit.recorded events: %d", n)
		}
	})
}

// TestCoordinationDecisions: a meeting with its decisions; one becomes a milestone
// in one action, another is linked to the sub-item made from it.
func TestCoordinationDecisions(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("组织协调事项", 30)
		minutes := f.Upload("sup", id, "会议纪要.pdf")
		ok := map[string]any{"held_on": f.Today().String(), "place": "第二会议室",
			"attendee_user_ids": []string{f.W.HeadB.String()}, "attendee_unit_ids": []string{f.W.DeptB.String(), f.W.DeptC.String()},
			"decisions": []string{"规划部5月20日前报送调整方案", "财务部牵头测算资金缺口"}, "minutes": "研究了资金缺口问题",
			"attachment_ids": []string{minutes}}
		f.As("headc").Do("POST", path(id, "/coordinations"), ok).Problem(403, "forbidden")
		f.As("stranger").Do("POST", path(id, "/coordinations"), ok).Problem(404, "not_found")
		for field, v := range map[string]any{"decisions": []string{}, "attendee_unit_ids": []string{uuid.NewString()}, "held_on": "昨天"} {
			bad := maps(ok)
			bad[field] = v
			bad["attachment_ids"] = []string{}
			f.As("sup").Do("POST", path(id, "/coordinations"), bad).Problem(422, "validation_failed")
		}
		c := f.As("sup").Do("POST", path(id, "/coordinations"), ok).Expect(201).Map()
		decs := c["decisions"].([]any)
		if len(decs) != 2 || len(c["attachments"].([]any)) != 1 || len(c["attendee_unit_ids"].([]any)) != 2 {
			t.Fatalf("meeting %v", c)
		}
		first, second := decs[0].(map[string]any), decs[1].(map[string]any)
		if !slices.Equal(actions(first), []string{"make_milestone", "make_sub_item"}) {
			t.Fatalf("decision actions %v", first["allowed_actions"])
		}

		// A milestone in one action.
		mpath := "/api/v1/coordination-decisions/" + first["id"].(string) + "/milestone"
		due := map[string]any{"due_date": f.Today().AddDays(10).String()}
		f.As("headb").Do("POST", mpath, due).Problem(403, "forbidden")
		f.As("stranger").Do("POST", mpath, due).Problem(404, "not_found")
		f.As("sup").Do("POST", mpath, map[string]any{"due_date": f.Today().AddDays(90).String()}).Problem(422, "validation_failed")
		d := f.As("sup").Do("POST", mpath, due).Expect(201).Map()
		if d["milestone_id"] == nil || slices.Contains(actions(d), "make_milestone") {
			t.Fatalf("decision after milestone %v", d)
		}
		f.As("sup").Do("POST", mpath, due).Problem(409, "invalid_transition")
		var ms struct{ Data []struct{ ID, Title string } }
		f.As("headb").Do("GET", path(id, "/milestones"), nil).Expect(200).JSON(&ms)
		if len(ms.Data) != 1 || ms.Data[0].ID != d["milestone_id"] || ms.Data[0].Title != "规划部5月20日前报送调整方案" {
			t.Fatalf("milestones %v", ms)
		}

		// A sub-item made from the second decision, then linked.
		spath := "/api/v1/coordination-decisions/" + second["id"].(string) + "/sub-item"
		f.As("sup").Do("POST", spath, map[string]any{"sub_item_id": id.String()}).Problem(422, "validation_failed")
		lead := f.W.DeptC
		sub, err := env.App.Items.Create(context.Background(), env.Principal(f.W.Sup), items.ItemInput{Title: "测算资金缺口",
			Content: second["text"].(string), Category: items.CategoryImportantMatter, Source: "board", LeadUnitID: &lead,
			Deadline: f.Today().AddDays(20), ParentID: &id})
		if err != nil {
			t.Fatal(err)
		}
		f.As("headb").Do("POST", spath, map[string]any{"sub_item_id": sub.ID.String()}).Problem(403, "forbidden")
		l := f.As("sup").Do("POST", spath, map[string]any{"sub_item_id": sub.ID.String()}).Expect(200).Map()
		if l["sub_item_id"] != sub.ID.String() {
			t.Fatalf("linked %v", l)
		}
		f.As("sup").Do("POST", spath, map[string]any{"sub_item_id": sub.ID.String()}).Problem(409, "invalid_transition")

		m := f.As("headc").Do("GET", path(id, "/methods"), nil).Expect(200).Map()
		got := m["coordinations"].([]any)[0].(map[string]any)["decisions"].([]any)
		if got[0].(map[string]any)["milestone_id"] == nil || got[1].(map[string]any)["sub_item_id"] != sub.ID.String() {
			t.Fatalf("decisions read back %v", got)
		}
		tl := timeline(f, id)
		want := []string{"coordination_record", "milestone_create", "coordination_decision_link", "coordination_decision_link"}
		if !slices.Equal(tl[len(tl)-4:], want) {
			t.Fatalf("timeline %v", tl)
		}
	})
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
