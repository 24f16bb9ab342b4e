package items_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

// Holes of issue 11 ("items that can get stuck or lose history"), walked over HTTP
// on both engines.

// todoGroup is the entries' item ids of one group of the caller's /me/todo.
func todoGroup(env *apitest.Env, key string) []string {
	env.T.Helper()
	var out []string
	for _, g := range env.Do("GET", "/api/v1/me/todo", nil).Expect(200).Map()["groups"].([]any) {
		g := g.(map[string]any)
		if g["key"] != key {
			continue
		}
		for _, e := range g["items"].([]any) {
			out = append(out, e.(map[string]any)["item_id"].(string))
		}
	}
	return out
}

// close walks a running item's completion: the lead's head asks, the office
// forwards, decider approves.
func closeItem(t *testing.T, f *apitest.Fixture, id uuid.UUID, decider string) {
	t.Helper()
	c := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/completion-requests", map[string]any{"summary": "已全部完成"}).Expect(201).Map()
	cp := "/api/v1/completion-requests/" + c["id"].(string)
	f.As("sup").Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
	f.As(decider).Do("POST", cp+"/approve", map[string]any{"comment": "同意办结"}).Expect(200)
}

// 1. Submit and issue need a supervising leader (422 on the field); an item
// registered without one (old data) is closed by the office, or given a leader.
func TestNoSupervisingLeader(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		sup := f.As("sup")
		body := map[string]any{"title": "董事会决议事项", "content": "落实董事会决议", "category": "important_matter", "source": "board",
			"lead_unit_id": f.W.DeptB, "deadline": f.Today().AddDays(30).String()}
		d := sup.Do("POST", "/api/v1/items", body).Expect(201).Map()
		p := sup.Do("POST", "/api/v1/items/"+d["id"].(string)+"/submit", nil).Problem(422, "validation_failed")
		if errs := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "supervising_leader_id" || errs[0].(map[string]any)["rule"] != "required" {
			t.Fatalf("submit without a leader: %v", p)
		}

		// Old data: an item in progress without a supervising leader.
		legacy := f.W.ItemInProgress("无主管领导的董事会事项", 30)
		if err := env.DB.Gorm().Table("items").Where("id = ?", legacy).Update("supervising_leader_id", nil).Error; err != nil {
			t.Fatal(err)
		}
		c := f.As("headb").Do("POST", "/api/v1/items/"+legacy.String()+"/completion-requests", map[string]any{"summary": "已完成"}).Expect(201).Map()
		cp := "/api/v1/completion-requests/" + c["id"].(string)
		sup.Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
		if got := todoGroup(sup, "completion_decisions"); !slices.Contains(got, legacy.String()) {
			t.Fatalf("the office's completion decisions lack the leaderless item: %v", got)
		}
		f.As("leader").Do("POST", cp+"/approve", nil).Problem(403, "forbidden")
		sup.Do("POST", cp+"/approve", map[string]any{"comment": "无主管领导，由督办处决定"}).Expect(200)
		if it := f.Item(legacy); it["state"] != "closed" || it["progress"] != float64(100) {
			t.Fatalf("leaderless item after the office's decision: %v %v", it["state"], it["progress"])
		}

		// Or the office names a leader on a running item that has none, who then decides.
		other := f.W.ItemInProgress("补定主管领导", 30)
		if err := env.DB.Gorm().Table("items").Where("id = ?", other).Update("supervising_leader_id", nil).Error; err != nil {
			t.Fatal(err)
		}
		ver := strconv.Itoa(int(f.Item(other)["version"].(float64)))
		sup.Do("PATCH", "/api/v1/items/"+other.String(), map[string]any{"supervising_leader_id": f.W.Leader2}, "If-Match", `"`+ver+`"`).Expect(200)
		closeItem(t, f, other, "leader2")
		// Once named, the leader is frozen again.
		another := f.W.ItemInProgress("已有主管领导", 30)
		ver = strconv.Itoa(int(f.Item(another)["version"].(float64)))
		sup.Do("PATCH", "/api/v1/items/"+another.String(), map[string]any{"supervising_leader_id": f.W.Leader2}, "If-Match", `"`+ver+`"`).Problem(422, "validation_failed")
	})
}

// 2 and 6. A returned assignment flags the item and waits in the office's to-do
// until it reassigns; the unit that returned is then no longer a cooperating unit.
func TestReturnedAssignmentUntilReassigned(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("配合单位退回", 30)
		path := "/api/v1/items/" + id.String()
		var coop string
		for _, a := range f.As("sup").Do("GET", path+"/assignments", nil).Expect(200).Map()["data"].([]any) {
			if a := a.(map[string]any); a["role"] == "cooperating" {
				coop = a["id"].(string)
			}
		}
		if f.Item(id)["has_returned_assignment"] != false {
			t.Fatal("flagged before any return")
		}
		f.As("headc").Do("POST", "/api/v1/assignments/"+coop+"/return", map[string]any{"reason": "不属于本部门职责"}).Expect(200)
		if it := f.Item(id); it["has_returned_assignment"] != true {
			t.Fatalf("not flagged after the return: %v", it["has_returned_assignment"])
		}
		list := f.As("sup").Do("GET", "/api/v1/items", nil).Expect(200).Map()["data"].([]any)
		if !slices.ContainsFunc(list, func(v any) bool {
			m := v.(map[string]any)
			return m["id"] == id.String() && m["has_returned_assignment"] == true
		}) {
			t.Fatal("the list does not flag the item")
		}
		if got := todoGroup(f.As("sup"), "returned_assignments"); !slices.Contains(got, id.String()) {
			t.Fatalf("the office's returned_assignments: %v", got)
		}
		if got := todoGroup(f.As("headb"), "returned_assignments"); len(got) != 0 {
			t.Fatalf("the lead unit's returned_assignments: %v", got)
		}
		// Still listed until replaced (the office may decide not to replace it).
		if c := apitest.Strings(f.Item(id)["cooperating_unit_ids"]); !slices.Equal(c, []string{f.W.DeptC.String()}) {
			t.Fatalf("cooperating before the replacement: %v", c)
		}
		f.As("sup").Do("POST", path+"/assignments", map[string]any{"unit_id": f.W.DeptX, "role": "cooperating", "comment": "改由人力资源部配合"}).Expect(201)
		it := f.Item(id)
		if it["has_returned_assignment"] != false {
			t.Fatal("still flagged after the reassignment")
		}
		if c := apitest.Strings(it["cooperating_unit_ids"]); !slices.Equal(c, []string{f.W.DeptX.String()}) {
			t.Fatalf("cooperating after the replacement: %v", c)
		}
		if got := todoGroup(f.As("sup"), "returned_assignments"); slices.Contains(got, id.String()) {
			t.Fatalf("still in the office's to-do: %v", got)
		}
	})
}

// 5. Closing sets 100 %, and the parent's roll-up counts a closed sub-item as done.
func TestClosingCompletesProgress(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		parent := f.W.ItemInProgress("上级事项", 60)
		sup := f.As("sup")
		mk := func(title string) uuid.UUID {
			s := sup.Do("POST", "/api/v1/items", map[string]any{"title": title, "content": "分解落实", "category": "important_matter",
				"source": "board", "lead_unit_id": f.W.DeptB, "supervising_leader_id": f.W.Leader, "parent_id": parent,
				"deadline": f.Today().AddDays(30).String()}).Expect(201).Map()
			id := uuid.MustParse(s["id"].(string))
			sup.Do("POST", "/api/v1/items/"+id.String()+"/submit", nil).Expect(200)
			sup.Do("POST", "/api/v1/items/"+id.String()+"/issue", nil).Expect(200)
			for _, a := range sup.Do("GET", "/api/v1/items/"+id.String()+"/assignments", nil).Expect(200).Map()["data"].([]any) {
				f.As("headb").Do("POST", "/api/v1/assignments/"+a.(map[string]any)["id"].(string)+"/accept", nil).Expect(200)
			}
			return id
		}
		done, open := mk("子事项一"), mk("子事项二")
		_ = open
		closeItem(t, f, done, "leader")
		if p := f.Item(done)["progress"]; p != float64(100) {
			t.Fatalf("closed sub-item's progress %v", p)
		}
		if p := f.Item(parent)["children_progress"]; p != float64(50) {
			t.Fatalf("roll-up %v, want 50 (one closed, one at 0)", p)
		}
	})
}

// 4. A new deadline on an overdue item keeps the overdue record: stored, filtered,
// on the timeline with both dates.
func TestNewDeadlineKeepsOverdueRecord(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("逾期后重新确定时限", 2)
		original := f.Item(id)["original_deadline"].(string)
		other := f.W.ItemInProgress("从未逾期", 30)
		env.Clock.Advance(10 * 24 * time.Hour)
		// The sessions of before expired with the days that passed.
		sup := env.As(env.Login("sup"))
		item := func() map[string]any { return sup.Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).Map() }
		if it := item(); it["overdue"] != true || it["was_overdue"] != false {
			t.Fatalf("before: overdue %v was_overdue %v", it["overdue"], it["was_overdue"])
		}
		newDeadline := f.Today().AddDays(20).String()
		it := sup.Do("POST", "/api/v1/items/"+id.String()+"/deadline", map[string]any{"deadline": newDeadline,
			"leader_id": f.W.Leader, "decision_note": "经主管领导同意，重新确定时限"}).Expect(200).Map()
		if it["overdue"] != false || it["was_overdue"] != true || it["overdue_workdays"].(float64) < 4 || it["original_deadline"] != original {
			t.Fatalf("after: overdue %v was_overdue %v workdays %v", it["overdue"], it["was_overdue"], it["overdue_workdays"])
		}
		ids := func(q string) []string {
			var out []string
			for _, v := range sup.Do("GET", "/api/v1/items?"+q, nil).Expect(200).Map()["data"].([]any) {
				out = append(out, v.(map[string]any)["id"].(string))
			}
			return out
		}
		if got := ids("was_overdue=true"); !slices.Equal(got, []string{id.String()}) {
			t.Fatalf("was_overdue=true: %v", got)
		}
		if got := ids("was_overdue=false"); !slices.Equal(got, []string{other.String()}) {
			t.Fatalf("was_overdue=false: %v", got)
		}
		sup.Do("GET", "/api/v1/items?was_overdue=maybe", nil).Problem(422, "validation_failed")
		evs := sup.Do("GET", "/api/v1/items/"+id.String()+"/events?page_size=100", nil).Expect(200).Map()["data"].([]any)
		ch := evs[len(evs)-1].(map[string]any)["changes"].(map[string]any)["deadline"].(map[string]any)
		if ch["from"] != original || ch["to"] != newDeadline {
			t.Fatalf("timeline deadline change %v", ch)
		}
	})
}
