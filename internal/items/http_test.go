package items_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

// as returns a client signed in as the user (a session minted in the database).
func (w *world) as(user uuid.UUID) *apitest.Env { return w.env.As(w.env.OpenSession(user)) }

type itemJSON struct {
	ID               string   `json:"id"`
	Code             *string  `json:"code"`
	State            string   `json:"state"`
	Version          int      `json:"version"`
	Deadline         string   `json:"deadline"`
	OriginalDeadline *string  `json:"original_deadline"`
	LeadUnitID       string   `json:"lead_unit_id"`
	Light            string   `json:"light"`
	Overdue          bool     `json:"overdue"`
	DaysRemaining    *int     `json:"days_remaining"`
	AllowedActions   []string `json:"allowed_actions"`
	ChildrenProgress *int     `json:"children_progress"`
	Title            string   `json:"title"`
}

func (w *world) createBody(src string) map[string]any {
	return map[string]any{
		"title": "落实专题会议部署", "content": "开展隐患排查整治", "requirements": "6月底前完成",
		"category": "important_matter", "source": src, "method": "special", "urgency": "urgent",
		"lead_unit_id": w.DeptB, "cooperating_unit_ids": []uuid.UUID{w.DeptC},
		"supervising_leader_id": w.Leader, "assisting_leader_ids": []uuid.UUID{w.Leader2},
		"deadline": today().AddDays(45).String(), "feedback_cadence": "monthly", "tags": []string{"安全生产"},
	}
}

func TestHTTPLifecycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		member := env.As(env.Login("member")) // a real login once
		r := member.Do("POST", "/api/v1/items", w.createBody("special_meeting")).Expect(201)
		var it itemJSON
		r.JSON(&it)
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/items/"+it.ID {
			t.Fatalf("create headers: %v", r.Header)
		}
		if it.State != "draft" || it.Code != nil || it.Light != "none" || !slices.Equal(it.AllowedActions, []string{"add_sub_item", "delete", "manage_milestones", "submit", "update"}) {
			t.Fatalf("draft: %+v", it)
		}
		path := "/api/v1/items/" + it.ID
		if g := member.Do("GET", path, nil).Expect(200); g.Header.Get("ETag") != `"1"` {
			t.Fatalf("GET ETag %q", g.Header.Get("ETag"))
		}
		member.Do("POST", path+"/submit", nil, "If-Match", `"1"`).Expect(200).JSON(&it)
		if it.State != "pending_approval" || it.Version != 2 {
			t.Fatalf("submitted: %+v", it)
		}
		w.as(w.Leader).Do("POST", path+"/approve", map[string]string{"comment": "同意"}).Expect(200).JSON(&it)
		if it.State != "approved" {
			t.Fatalf("approved: %s", it.State)
		}
		w.as(w.Sup).Do("POST", path+"/issue", map[string]any{"assignments": []map[string]any{
			{"unit_id": w.DeptB, "role": "lead", "responsible_user_id": w.MemberB},
			{"unit_id": w.DeptC, "role": "cooperating"},
		}}).Expect(200).JSON(&it)
		if it.State != "issued" || it.Code == nil || *it.Code != fmt.Sprintf("DB-%d-0001", today().Year) ||
			it.OriginalDeadline == nil || *it.OriginalDeadline != it.Deadline || it.Light != "green" {
			t.Fatalf("issued: %+v", it)
		}
		var asgs struct {
			Data []struct {
				ID                string   `json:"id"`
				Role              string   `json:"role"`
				State             string   `json:"state"`
				ResponsibleUserID *string  `json:"responsible_user_id"`
				AllowedActions    []string `json:"allowed_actions"`
			} `json:"data"`
			Total int `json:"total"`
		}
		headB := w.as(w.HeadB)
		headB.Do("GET", path+"/assignments", nil).Expect(200).JSON(&asgs)
		if asgs.Total != 2 || asgs.Data[0].Role != "lead" || asgs.Data[0].ResponsibleUserID == nil || *asgs.Data[0].ResponsibleUserID != w.MemberB.String() {
			t.Fatalf("assignments: %+v", asgs)
		}
		lead := asgs.Data[0].ID
		a := headB.Do("POST", "/api/v1/assignments/"+lead+"/accept", nil, "If-Match", `"1"`).Expect(200).Map()
		if a["state"] != "accepted" {
			t.Fatalf("accept: %v", a)
		}
		headB.Do("GET", path, nil).Expect(200).JSON(&it)
		if it.State != "in_progress" || !slices.Contains(it.AllowedActions, "manage_milestones") {
			t.Fatalf("in progress: %+v", it)
		}
		// A milestone by the lead unit, then marked done.
		var ms map[string]any
		headB.Do("POST", path+"/milestones", map[string]any{"title": "完成排查", "due_date": today().AddDays(10).String()}).Expect(201).JSON(&ms)
		headB.Do("PATCH", "/api/v1/milestones/"+ms["id"].(string), map[string]any{"done": true}, "If-Match", `"1"`).Expect(200).JSON(&ms)
		if ms["done"] != true || ms["done_at"] == nil || ms["version"].(float64) != 2 {
			t.Fatalf("milestone: %v", ms)
		}
		headB.Do("PATCH", "/api/v1/milestones/"+ms["id"].(string), map[string]any{"title": "x"}, "If-Match", `"1"`).Problem(412, "precondition_failed")
		var list struct {
			Data []map[string]any `json:"data"`
		}
		headB.Do("GET", path+"/milestones", nil).Expect(200).JSON(&list)
		if len(list.Data) != 1 || fmt.Sprint(list.Data[0]["allowed_actions"]) != "[delete update]" {
			t.Fatalf("milestones: %v", list)
		}
		// A cooperating unit sees the milestones but may not change them.
		w.as(w.HeadC).Do("GET", path+"/milestones", nil).Expect(200).JSON(&list)
		if len(list.Data) != 1 || len(list.Data[0]["allowed_actions"].([]any)) != 0 {
			t.Fatalf("cooperating unit's milestones: %v", list)
		}
		// The timeline with its hash chain.
		var evs struct {
			Data []struct {
				Seq      int            `json:"seq"`
				Action   string         `json:"action"`
				Changes  map[string]any `json:"changes"`
				PrevHash string         `json:"prev_hash"`
				Hash     string         `json:"hash"`
				ActorID  string         `json:"actor_id"`
			} `json:"data"`
			Total int `json:"total"`
		}
		w.as(w.Auditor).Do("GET", path+"/events", nil).Expect(200).JSON(&evs)
		var actions []string
		for i, e := range evs.Data {
			actions = append(actions, e.Action)
			if e.Seq != i+1 || len(e.Hash) != 64 || (i > 0 && e.PrevHash != evs.Data[i-1].Hash) {
				t.Fatalf("event %d: %+v", i, e)
			}
		}
		if want := []string{"create", "submit", "approve", "issue", "accept", "milestone_create", "milestone_update"}; !slices.Equal(actions, want) {
			t.Fatalf("timeline %v", actions)
		}
		if evs.Data[3].Changes["code"] == nil {
			t.Fatalf("issue event changes: %v", evs.Data[3].Changes)
		}
		// Lists.
		var page struct {
			Data     []itemJSON `json:"data"`
			Total    int        `json:"total"`
			Page     int        `json:"page"`
			PageSize int        `json:"page_size"`
		}
		w.as(w.MemberB).Do("GET", "/api/v1/items?state=in_progress&q=隐患&sort=-deadline,code", nil).Expect(200).JSON(&page)
		if page.Total != 1 || page.Page != 1 || page.PageSize != 20 || page.Data[0].ID != it.ID {
			t.Fatalf("list: %+v", page)
		}
		w.as(w.Stranger).Do("GET", "/api/v1/items", nil).Expect(200).JSON(&page)
		if page.Total != 0 || page.Data == nil {
			t.Fatalf("stranger's list: %+v", page)
		}
	})
}

func TestHTTPErrors(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		member, sup := w.as(w.Member), w.as(w.Sup)
		var it itemJSON
		member.Do("POST", "/api/v1/items", w.createBody("other")).Expect(201).JSON(&it)
		path := "/api/v1/items/" + it.ID

		// 401 without credentials.
		env.As("").Do("GET", path, nil).Problem(401, "unauthorized")
		// 404: absent, malformed id, not visible.
		member.Do("GET", "/api/v1/items/"+uuid.NewString(), nil).Problem(404, "not_found")
		member.Do("GET", "/api/v1/items/not-a-uuid", nil).Problem(404, "not_found")
		w.as(w.HeadB).Do("GET", path, nil).Problem(404, "not_found")
		w.as(w.Stranger).Do("POST", path+"/submit", nil).Problem(404, "not_found")
		w.as(w.EntSup).Do("PATCH", path, map[string]any{"title": "x"}).Problem(404, "not_found")
		// 403: visible, but not theirs to do.
		w.as(w.Leader).Do("PATCH", path, map[string]any{"title": "x"}).Problem(403, "forbidden")
		w.as(w.Auditor).Do("DELETE", path, nil).Problem(403, "forbidden")
		w.as(w.Admin).Do("POST", "/api/v1/items", w.createBody("other")).Problem(403, "forbidden")
		// 409: not in this state, naming the state and what the caller may do.
		p := member.Do("POST", path+"/approve", nil).Problem(409, "invalid_transition")
		if p["state"] != "draft" || fmt.Sprint(p["allowed_actions"]) != "[add_sub_item delete manage_milestones submit update]" {
			t.Fatalf("409: %v", p)
		}
		// 412: stale If-Match.
		member.Do("PATCH", path, map[string]any{"title": "新标题"}, "If-Match", `"1"`).Expect(200)
		member.Do("PATCH", path, map[string]any{"title": "又一个标题"}, "If-Match", `"1"`).Problem(412, "precondition_failed")
		member.Do("POST", path+"/submit", nil, "If-Match", `W/"1"`).Problem(412, "precondition_failed")
		member.Do("DELETE", path, nil, "If-Match", `"7"`).Problem(412, "precondition_failed")
		// 422: validation names the fields.
		for _, c := range []struct {
			edit  func(map[string]any)
			field string
		}{
			{func(b map[string]any) { delete(b, "title") }, "title"},
			{func(b map[string]any) { b["category"] = "memo" }, "category"},
			{func(b map[string]any) { b["source"] = "emergency" }, "source"},
			{func(b map[string]any) { b["urgency"] = "asap" }, "urgency"},
			{func(b map[string]any) { b["lead_unit_id"] = "x" }, "lead_unit_id"},
			{func(b map[string]any) { b["deadline"] = "2026/01/01" }, "deadline"},
			{func(b map[string]any) { b["deadline"] = today().AddDays(-3).String() }, "deadline"},
			{func(b map[string]any) { b["supervising_leader_id"] = w.Member }, "supervising_leader_id"},
			{func(b map[string]any) { b["lead_unit_id"] = w.EntDept }, "lead_unit_id"},
			{func(b map[string]any) { b["cooperating_unit_ids"] = []string{"nope"} }, "cooperating_unit_ids[0]"},
			{func(b map[string]any) { b["colour"] = "red" }, "colour"},
			{func(b map[string]any) { b["progress"] = 10 }, "progress"},
		} {
			b := w.createBody("other")
			c.edit(b)
			p := member.Do("POST", "/api/v1/items", b).Problem(422, "validation_failed")
			if !strings.Contains(fmt.Sprint(p["errors"]), "field:"+c.field+" ") {
				t.Errorf("want a field error on %s: %v", c.field, p["errors"])
			}
		}
		member.Do("POST", "/api/v1/items", `{"title":`).Problem(400, "malformed_json")
		member.Do("GET", "/api/v1/items?page_size=101", nil).Problem(422, "validation_failed")
		member.Do("GET", "/api/v1/items?sort=password", nil).Problem(422, "validation_failed")
		// reject and cancel need a comment.
		member.Do("POST", path+"/submit", nil).Expect(200)
		p = w.as(w.Leader).Do("POST", path+"/reject", map[string]string{}).Problem(422, "validation_failed")
		if !strings.Contains(fmt.Sprint(p["errors"]), "comment") {
			t.Fatalf("reject without comment: %v", p)
		}
		sup.Do("POST", path+"/cancel", nil).Problem(422, "validation_failed")
		sup.Do("POST", path+"/cancel", map[string]string{"comment": "重复立项"}).Expect(200)
		sup.Do("POST", path+"/cancel", map[string]string{"comment": "again"}).Problem(409, "invalid_transition")
		// A read-only API token reads but cannot act.
		tok := member.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "OA", "scopes": []string{"read"}}).Expect(201).Map()["token"].(string)
		ro := env.As(tok)
		ro.Do("GET", path, nil).Expect(200)
		if r := ro.Do("POST", "/api/v1/items", w.createBody("other")); r.Status != 403 {
			t.Fatalf("read-only token created an item: %d", r.Status)
		}
	})
}

func TestHTTPReturnReassignAndSubItem(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.as(w.Sup)
		var it itemJSON
		b := w.createBody("board")
		b["lead_unit_id"] = w.Ent
		sup.Do("POST", "/api/v1/items", b).Expect(201).JSON(&it)
		path := "/api/v1/items/" + it.ID
		sup.Do("POST", path+"/submit", nil).Expect(200).JSON(&it)
		if it.State != "approved" {
			t.Fatalf("board item: %s", it.State)
		}
		sup.Do("POST", path+"/issue", nil).Expect(200)
		var asgs struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		entHead := w.as(w.EntHead)
		entHead.Do("GET", path+"/assignments", nil).Expect(200).JSON(&asgs)
		lead := "/api/v1/assignments/" + asgs.Data[0].ID
		w.as(w.HeadC).Do("POST", lead+"/accept", nil).Problem(403, "forbidden")
		entHead.Do("POST", lead+"/return", map[string]string{}).Problem(422, "validation_failed")
		entHead.Do("POST", lead+"/return", map[string]string{"reason": "应由集团安全环保部牵头"}).Expect(200)
		entHead.Do("POST", lead+"/accept", nil).Problem(409, "invalid_transition")
		// Reassign the lead to DeptB.
		w.as(w.HeadB).Do("POST", path+"/assignments", map[string]any{"unit_id": w.DeptB, "role": "lead"}).Problem(404, "not_found")
		w.as(w.HeadC).Do("POST", path+"/assignments", map[string]any{"unit_id": w.DeptB, "role": "lead"}).Problem(403, "forbidden")
		n := sup.Do("POST", path+"/assignments", map[string]any{"unit_id": w.DeptB, "role": "lead", "comment": "改由安全环保部牵头"}).Expect(201).Map()
		w.as(w.HeadB).Do("PATCH", "/api/v1/assignments/"+n["id"].(string), map[string]any{"responsible_user_id": w.MemberB}, "If-Match", `"1"`).Expect(200)
		w.as(w.HeadB).Do("POST", "/api/v1/assignments/"+n["id"].(string)+"/accept", nil, "If-Match", `"1"`).Problem(412, "precondition_failed")
		w.as(w.HeadB).Do("POST", "/api/v1/assignments/"+n["id"].(string)+"/accept", nil, "If-Match", `"2"`).Expect(200)
		sup.Do("GET", path, nil).Expect(200).JSON(&it)
		if it.State != "in_progress" || it.LeadUnitID != w.DeptB.String() {
			t.Fatalf("after reassign: %+v", it)
		}
		// Hand a sub-item down to the enterprise; its supervision office issues it.
		if !slices.Contains(it.AllowedActions, "add_sub_item") {
			t.Fatalf("the office may not decompose the running item: %v", it.AllowedActions)
		}
		sub := map[string]any{"title": "华东公司落实", "content": "所属企业排查", "category": "important_matter", "source": "board",
			"lead_unit_id": w.EntDept, "supervising_leader_id": w.EntLeader, "deadline": today().AddDays(20).String(), "parent_id": it.ID, "scope_id": w.Ent}
		var s itemJSON
		sup.Do("POST", "/api/v1/items", sub).Expect(201).JSON(&s)
		entSup := w.as(w.EntSup)
		entSup.Do("POST", "/api/v1/items/"+s.ID+"/submit", nil).Expect(200)
		sup.Do("POST", "/api/v1/items/"+s.ID+"/issue", nil).Problem(403, "forbidden")
		entSup.Do("POST", "/api/v1/items/"+s.ID+"/issue", nil).Expect(200).JSON(&s)
		if s.Code == nil || *s.Code != fmt.Sprintf("DB-华东-%d-0001", today().Year) {
			t.Fatalf("enterprise code %v", s.Code)
		}
		entSup.Do("PATCH", "/api/v1/items/"+s.ID, map[string]any{"progress": 60}).Expect(200)
		sup.Do("GET", path, nil).Expect(200).JSON(&it)
		if it.ChildrenProgress == nil || *it.ChildrenProgress != 60 {
			t.Fatalf("children_progress %v", it.ChildrenProgress)
		}
		var page struct {
			Total int `json:"total"`
		}
		sup.Do("GET", "/api/v1/items?parent_id="+it.ID, nil).Expect(200).JSON(&page)
		if page.Total != 1 {
			t.Fatalf("sub-items listed: %d", page.Total)
		}
	})
}

// TestHTTPConcurrency: 20 PATCHes with the same If-Match give exactly one 200; 50
// issues at once give 50 consecutive codes.
func TestHTTPConcurrency(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.as(w.Sup)
		var it itemJSON
		sup.Do("POST", "/api/v1/items", w.createBody("board")).Expect(201).JSON(&it)
		var wg sync.WaitGroup
		codes := make([]int, 20)
		for i := range codes {
			wg.Go(func() {
				codes[i] = sup.Do("PATCH", "/api/v1/items/"+it.ID, map[string]any{"title": fmt.Sprint("标题", i)}, "If-Match", `"1"`).Status
			})
		}
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != 200 || codes[1] != 412 || codes[19] != 412 {
			t.Fatalf("statuses %v", codes)
		}

		const n = 50
		ids := make([]string, n)
		for i := range ids {
			var v itemJSON
			sup.Do("POST", "/api/v1/items", w.createBody("board")).Expect(201).JSON(&v)
			sup.Do("POST", "/api/v1/items/"+v.ID+"/submit", nil).Expect(200)
			ids[i] = v.ID
		}
		got := make([]string, n)
		for i, id := range ids {
			wg.Go(func() {
				var v itemJSON
				r := sup.Do("POST", "/api/v1/items/"+id+"/issue", nil)
				if r.Status == 200 {
					r.JSON(&v)
					got[i] = *v.Code
				}
			})
		}
		wg.Wait()
		slices.Sort(got)
		for i, c := range got {
			if want := fmt.Sprintf("DB-%d-%04d", today().Year, i+1); c != want {
				t.Fatalf("codes %v", got)
			}
		}
	})
}

// TestHTTPUnitInUse: a unit that an item names cannot be deleted (the org package's
// in-use guard asks the items package).
func TestHTTPUnitInUse(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		empty := env.Unit("空部门", "department", &w.Group, false)
		b := w.createBody("other")
		b["cooperating_unit_ids"] = []uuid.UUID{empty}
		w.as(w.Member).Do("POST", "/api/v1/items", b).Expect(201)
		p := w.as(w.Admin).Do("DELETE", "/api/v1/org-units/"+empty.String(), nil).Problem(409, "unit_in_use")
		if !strings.Contains(fmt.Sprint(p["reasons"]), "supervision item") {
			t.Fatalf("reasons: %v", p)
		}
		spare := env.Unit("备用部门", "department", &w.Group, false)
		w.as(w.Admin).Do("DELETE", "/api/v1/org-units/"+spare.String(), nil).Expect(204)
	})
}
