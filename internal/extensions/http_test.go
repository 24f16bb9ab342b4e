package extensions_test

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

func TestExtensionForwardedAndApprovedMovesDeadline(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 10)
		path := "/api/v1/items/" + id.String()
		before := f.Item(id)
		deadline, original := before["deadline"].(string), before["original_deadline"].(string)
		if deadline != original || deadline != f.Today().AddDays(10).String() {
			t.Fatalf("fresh item: deadline %s, original %s", deadline, original)
		}
		wanted := f.Today().AddDays(40).String()

		// The lead unit's head may request; the list says so.
		l := f.As("headb").Do("GET", path+"/extensions", nil).Expect(200).Map()
		if !slices.Equal(apitest.Strings(l["allowed_actions"]), []string{"request"}) || l["total"].(float64) != 0 {
			t.Fatalf("empty list for headb: %v", l)
		}
		r := f.As("headb").Do("POST", path+"/extensions", map[string]any{
			"requested_deadline": wanted, "reason": "设备到货延迟，需顺延一个月", "progress": 60}).Expect(201)
		ext := r.Map()
		extPath := "/api/v1/extensions/" + ext["id"].(string)
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != extPath {
			t.Fatalf("create headers %v", r.Header)
		}
		if ext["state"] != "requested" || ext["current_deadline"] != deadline || ext["requested_deadline"] != wanted ||
			ext["progress"].(float64) != 60 || len(apitest.Strings(ext["allowed_actions"])) != 0 {
			t.Fatalf("created: %v", ext)
		}
		// One open request at a time.
		f.As("liaisonb").Do("POST", path+"/extensions", map[string]any{"requested_deadline": wanted, "reason": "再次申请"}).
			Problem(409, "extension_pending")

		// The supervision office reviews first: the leader cannot approve yet.
		sl := f.As("sup").Do("GET", path+"/extensions", nil).Expect(200).Map()
		if got := sl["data"].([]any)[0].(map[string]any); !slices.Equal(apitest.Strings(got["allowed_actions"]), []string{"review"}) {
			t.Fatalf("office's actions: %v", got["allowed_actions"])
		}
		p := f.As("leader").Do("POST", extPath+"/approve", map[string]any{"comment": "同意"}).Problem(409, "invalid_transition")
		if p["state"] != "requested" {
			t.Fatalf("409 body %v", p)
		}
		f.As("headb").Do("POST", extPath+"/review", map[string]any{"decision": "forward"}).Problem(403, "forbidden")
		f.As("sup").Do("POST", extPath+"/review", map[string]any{"decision": "forward", "comment": "理由充分"}, "If-Match", `"1"`).Expect(200)
		f.As("sup").Do("POST", extPath+"/review", map[string]any{"decision": "forward"}).Problem(409, "invalid_transition")

		// Only the item's supervising leader decides; a stale If-Match is refused.
		f.As("leader2").Do("POST", extPath+"/approve", nil).Problem(403, "forbidden")
		f.As("leader").Do("POST", extPath+"/approve", nil, "If-Match", `"1"`).Problem(412, "precondition_failed")
		got := f.As("leader").Do("GET", extPath, nil).Expect(200).Map()
		if !slices.Equal(apitest.Strings(got["allowed_actions"]), []string{"approve", "reject"}) {
			t.Fatalf("leader's actions: %v", got["allowed_actions"])
		}
		ok := f.As("leader").Do("POST", extPath+"/approve", map[string]any{"comment": "同意延期"}, "If-Match", `"2"`).Expect(200).Map()
		if ok["state"] != "approved" || ok["decision_comment"] != "同意延期" || ok["decided_by"] != f.W.Leader.String() || ok["reviewed_by"] != f.W.Sup.String() {
			t.Fatalf("approved: %v", ok)
		}

		// The deadline moved; the original did not.
		after := f.Item(id)
		if after["deadline"] != wanted || after["original_deadline"] != original {
			t.Fatalf("after approval: deadline %v, original %v", after["deadline"], after["original_deadline"])
		}
		names, evs := f.Events(id)
		if !slices.Equal(names[len(names)-3:], []string{"extension_request", "extension_forward", "extension_approve"}) {
			t.Fatalf("timeline %v", names)
		}
		ch := evs[len(evs)-1]["changes"].(map[string]any)["deadline"].(map[string]any)
		if ch["from"] != deadline || ch["to"] != wanted {
			t.Fatalf("timeline deadline change %v", ch)
		}
		hist := f.As("headb").Do("GET", path+"/deadline-changes", nil).Expect(200).Map()
		h0 := hist["data"].([]any)[0].(map[string]any)
		if hist["total"].(float64) != 1 || h0["kind"] != "extension" || h0["from_deadline"] != deadline || h0["to_deadline"] != wanted ||
			h0["extension_request_id"] != ext["id"] {
			t.Fatalf("deadline history %v", hist)
		}

		// Another request is possible again (not after the current deadline though).
		f.As("headb").Do("POST", path+"/extensions", map[string]any{"requested_deadline": wanted, "reason": "再延"}).
			Problem(422, "validation_failed")

		// Invisible to a stranger.
		f.As("stranger").Do("GET", path+"/extensions", nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", extPath, nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", path+"/deadline-changes", nil).Problem(404, "not_found")
		f.As("stranger").Do("POST", path+"/extensions", map[string]any{"requested_deadline": f.Today().AddDays(90).String(), "reason": "x"}).
			Problem(404, "not_found")
	})
}

func TestExtensionRequestRules(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("财务风险排查", 10)
		path := "/api/v1/items/" + id.String()
		later := f.Today().AddDays(30).String()
		body := map[string]any{"requested_deadline": later, "reason": "需补充调研"}
		rows := func() int64 { return f.Count("extension_requests", "item_id = ?", id) }

		// Only the lead unit's head or liaison.
		f.As("headc").Do("POST", path+"/extensions", body).Problem(403, "forbidden")
		f.As("memberb").Do("POST", path+"/extensions", body).Problem(403, "forbidden")
		f.As("sup").Do("POST", path+"/extensions", body).Problem(403, "forbidden")

		// Bad input: nothing is written.
		for _, bad := range []map[string]any{
			{"requested_deadline": f.Today().AddDays(-3).String(), "reason": "过去的日期"},
			{"requested_deadline": f.Today().AddDays(10).String(), "reason": "等于当前期限"},
			{"requested_deadline": "2026-02-30", "reason": "不存在的日期"},
			{"requested_deadline": later, "reason": "   "},
			{"requested_deadline": later},
			{"requested_deadline": later, "reason": "进度越界", "progress": 120},
			{"requested_deadline": later, "reason": "未知字段", "extra": 1},
		} {
			p := f.As("liaisonb").Do("POST", path+"/extensions", bad).Problem(422, "validation_failed")
			if len(p["errors"].([]any)) == 0 {
				t.Fatalf("422 without field errors: %v", p)
			}
		}
		f.As("liaisonb").Do("POST", path+"/extensions", "{").Problem(400, "malformed_json")
		if n := rows(); n != 0 {
			t.Fatalf("%d extension rows after bad input", n)
		}

		// Rejected at review (the reason is required), then rejected by the leader.
		e1 := f.As("liaisonb").Do("POST", path+"/extensions", body).Expect(201).Map()
		p1 := "/api/v1/extensions/" + e1["id"].(string)
		f.As("sup").Do("POST", p1+"/review", map[string]any{"decision": "reject"}).Problem(422, "validation_failed")
		f.As("sup").Do("POST", p1+"/review", map[string]any{"decision": "maybe", "comment": "x"}).Problem(422, "validation_failed")
		r1 := f.As("sup").Do("POST", p1+"/review", map[string]any{"decision": "reject", "comment": "理由不充分"}).Expect(200).Map()
		if r1["state"] != "rejected" || r1["review_comment"] != "理由不充分" {
			t.Fatalf("rejected at review: %v", r1)
		}
		f.As("leader").Do("POST", p1+"/approve", nil).Problem(409, "invalid_transition")

		e2 := f.As("headb").Do("POST", path+"/extensions", body).Expect(201).Map()
		p2 := "/api/v1/extensions/" + e2["id"].(string)
		f.As("sup").Do("POST", p2+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("leader").Do("POST", p2+"/reject", nil).Problem(422, "validation_failed")
		if r2 := f.As("leader").Do("POST", p2+"/reject", map[string]any{"comment": "请按期完成"}).Expect(200).Map(); r2["state"] != "rejected" {
			t.Fatalf("rejected by the leader: %v", r2)
		}
		if it := f.Item(id); it["deadline"] != f.Today().AddDays(10).String() {
			t.Fatalf("a rejected extension moved the deadline to %v", it["deadline"])
		}
		if n := f.Count("deadline_changes", "item_id = ?", id); n != 0 {
			t.Fatalf("%d deadline changes after rejections", n)
		}
		names, _ := f.Events(id)
		if !slices.Equal(names[len(names)-5:], []string{"extension_request", "extension_reject", "extension_request", "extension_forward", "extension_reject"}) {
			t.Fatalf("timeline %v", names)
		}

		// On the deadline day itself a request is still in time; the day after it is not.
		f.SetDeadline(id, f.Today())
		e3 := f.As("headb").Do("POST", path+"/extensions", body).Expect(201).Map()
		f.As("sup").Do("POST", "/api/v1/extensions/"+e3["id"].(string)+"/review", map[string]any{"decision": "reject", "comment": "不同意"}).Expect(200)
		f.SetDeadline(id, f.Today().AddDays(-1))
		p := f.As("headb").Do("POST", path+"/extensions", body).Problem(409, "deadline_passed")
		if !strings.Contains(p["detail"].(string), "supervision office") {
			t.Fatalf("deadline_passed should point to the supervision office: %v", p["detail"])
		}
		if l := f.As("headb").Do("GET", path+"/extensions", nil).Expect(200).Map(); len(apitest.Strings(l["allowed_actions"])) != 0 {
			t.Fatalf("after the deadline headb may still %v", l["allowed_actions"])
		}
		// A cooperating unit still gets 403 (it may never request).
		f.As("headc").Do("POST", path+"/extensions", body).Problem(403, "forbidden")

		// Not while the item is not running.
		closedItem := f.W.ItemInProgress("已取消事项", 10)
		f.As("sup").Do("POST", "/api/v1/items/"+closedItem.String()+"/cancel", map[string]any{"comment": "撤销"}).Expect(200)
		f.As("headb").Do("POST", "/api/v1/items/"+closedItem.String()+"/extensions", body).Problem(409, "invalid_transition")
	})
}

// The requester never approves their own request, whatever roles they hold: headb
// is made a leader and the item's supervising leader by fixture.
func TestRequesterCannotApproveOwnExtension(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("领导兼任牵头部门负责人", 10)
		if err := env.DB.Gorm().Table("user_roles").Create(map[string]any{"user_id": f.W.HeadB, "role": "leader"}).Error; err != nil {
			t.Fatal(err)
		}
		env.PeopleChanged()
		if err := env.DB.Gorm().Table("items").Where("id = ?", id).Update("supervising_leader_id", f.W.HeadB).Error; err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/items/" + id.String()
		e := f.As("headb").Do("POST", path+"/extensions", map[string]any{"requested_deadline": f.Today().AddDays(20).String(), "reason": "需延期"}).Expect(201).Map()
		ep := "/api/v1/extensions/" + e["id"].(string)
		f.As("sup").Do("POST", ep+"/review", map[string]any{"decision": "forward"}).Expect(200)
		if got := f.As("headb").Do("GET", ep, nil).Expect(200).Map(); len(apitest.Strings(got["allowed_actions"])) != 0 {
			t.Fatalf("the requester may %v their own request", got["allowed_actions"])
		}
		p := f.As("headb").Do("POST", ep+"/approve", nil).Problem(403, "forbidden")
		if !strings.Contains(p["detail"].(string), "yourself") {
			t.Fatalf("403 detail %v", p["detail"])
		}
		f.As("headb").Do("POST", ep+"/reject", map[string]any{"comment": "撤回"}).Problem(403, "forbidden")
		if it := f.Item(id); it["deadline"] != f.Today().AddDays(10).String() {
			t.Fatalf("deadline moved to %v", it["deadline"])
		}
		if got := f.As("sup").Do("GET", ep, nil).Expect(200).Map(); got["state"] != "forwarded" {
			t.Fatalf("state %v", got["state"])
		}
	})
}

func TestOfficeSetsDeadlineOnOverdueItem(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("逾期事项", 10)
		path := "/api/v1/items/" + id.String()
		original := f.Item(id)["original_deadline"].(string)
		newDeadline := f.Today().AddDays(20).String()
		body := map[string]any{"deadline": newDeadline, "leader_id": f.W.Leader, "decision_note": "经主管领导同意，限期办结"}

		// Not overdue yet: the lead unit requests an extension instead.
		f.As("sup").Do("POST", path+"/deadline", body).Problem(409, "not_overdue")

		// Overdue: its deadline passed five days ago (written straight to the database).
		f.SetDeadline(id, f.Today().AddDays(-5))
		if it := f.Item(id); it["overdue"] != true || it["light"] != "red" {
			t.Fatalf("not overdue: %v %v", it["overdue"], it["light"])
		}
		l := f.As("sup").Do("GET", path+"/extensions", nil).Expect(200).Map()
		if !slices.Equal(apitest.Strings(l["allowed_actions"]), []string{"set_deadline"}) {
			t.Fatalf("office's actions on an overdue item: %v", l["allowed_actions"])
		}
		f.As("headb").Do("POST", path+"/deadline", body).Problem(403, "forbidden")
		f.As("leader").Do("POST", path+"/deadline", body).Problem(403, "forbidden")
		f.As("stranger").Do("POST", path+"/deadline", body).Problem(404, "not_found")

		// Bad input: nothing is written.
		for _, bad := range []map[string]any{
			{"deadline": newDeadline, "leader_id": f.W.HeadB, "decision_note": "不是领导"},
			{"deadline": newDeadline, "leader_id": uuid.New(), "decision_note": "不存在的用户"},
			{"deadline": f.Today().AddDays(-1).String(), "leader_id": f.W.Leader, "decision_note": "过去的日期"},
			{"deadline": newDeadline, "leader_id": f.W.Leader, "decision_note": " "},
			{"deadline": newDeadline, "decision_note": "缺领导"},
		} {
			f.As("sup").Do("POST", path+"/deadline", bad).Problem(422, "validation_failed")
		}
		if n := f.Count("deadline_changes", "item_id = ?", id); n != 0 {
			t.Fatalf("%d deadline changes after bad input", n)
		}

		ver := f.Item(id)["version"].(float64)
		r := f.As("sup").Do("POST", path+"/deadline", body, "If-Match", `"`+strconv.Itoa(int(ver))+`"`).Expect(200)
		it := r.Map()
		if it["deadline"] != newDeadline || it["original_deadline"] != original || it["overdue"] != false {
			t.Fatalf("after setting: %v", it)
		}
		names, evs := f.Events(id)
		last := evs[len(evs)-1]
		if names[len(names)-1] != "deadline_set" || last["comment"] != "经主管领导同意，限期办结" {
			t.Fatalf("timeline %v / %v", names, last)
		}
		ch := last["changes"].(map[string]any)
		if ch["deadline"].(map[string]any)["to"] != newDeadline || ch["leader_id"].(map[string]any)["to"] != f.W.Leader.String() {
			t.Fatalf("changes %v", ch)
		}
		hist := f.As("headb").Do("GET", path+"/deadline-changes", nil).Expect(200).Map()
		h0 := hist["data"].([]any)[0].(map[string]any)
		if h0["kind"] != "office" || h0["leader_id"] != f.W.Leader.String() || h0["to_deadline"] != newDeadline || h0["changed_by"] != f.W.Sup.String() {
			t.Fatalf("history %v", hist)
		}
		f.As("sup").Do("POST", path+"/deadline", body).Problem(409, "not_overdue")

		// An extension requested in time and still open must be decided first.
		id2 := f.W.ItemInProgress("延期待批", 3)
		p2 := "/api/v1/items/" + id2.String()
		f.As("headb").Do("POST", p2+"/extensions", map[string]any{"requested_deadline": f.Today().AddDays(30).String(), "reason": "需延期"}).Expect(201)
		f.SetDeadline(id2, f.Today().AddDays(-1))
		f.As("sup").Do("POST", p2+"/deadline", body).Problem(409, "extension_pending")
	})
}

// Two extension requests at the same moment: exactly one is recorded.
func TestConcurrentExtensionRequests(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("并发申请", 10)
		path := "/api/v1/items/" + id.String() + "/extensions"
		clients := []*apitest.Env{f.As("headb"), f.As("liaisonb"), f.As("headb"), f.As("liaisonb")}
		codes := make([]int, len(clients))
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = c.Do("POST", path, map[string]any{"requested_deadline": f.Today().AddDays(20 + i).String(), "reason": "并发"}).Status
			}()
		}
		wg.Wait()
		slices.Sort(codes)
		if !slices.Equal(codes, []int{201, 409, 409, 409}) {
			t.Fatalf("statuses %v", codes)
		}
		if n := f.Count("extension_requests", "item_id = ?", id); n != 1 {
			t.Fatalf("%d requests recorded", n)
		}
	})
}
