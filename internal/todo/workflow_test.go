package todo_test

import (
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// groupOf is the item ids in the caller's /me/todo group key.
func groupOf(env *apitest.Env, key string) []string {
	env.T.Helper()
	var out []string
	for _, g := range env.Do("GET", "/api/v1/me/todo", nil).Expect(200).Map()["groups"].([]any) {
		if g := g.(map[string]any); g["key"] == key {
			for _, e := range g["items"].([]any) {
				out = append(out, e.(map[string]any)["item_id"].(string))
			}
		}
	}
	return out
}

// Events that change someone's work leave a trace in their to-do (issue 11): a
// draft rejected at 立项, a leader's instruction, 退办, a returned report, and the
// responsible person's items.
func TestWorkThatComesBackIsInTheTodo(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		want := func(user, key, item string, in bool) {
			t.Helper()
			if got := groupOf(f.As(user), key); slices.Contains(got, item) != in {
				t.Fatalf("%s's %s: %v, want %s in it: %v", user, key, got, item, in)
			}
		}

		// A draft the leader rejects at 立项 comes back to its initiator.
		d := f.As("headb").Do("POST", "/api/v1/items", map[string]any{"title": "专题会议事项", "content": "落实专题会议部署",
			"category": "important_matter", "source": "special_meeting", "lead_unit_id": f.W.DeptB,
			"supervising_leader_id": f.W.Leader, "deadline": f.Today().AddDays(30).String()}).Expect(201).Map()["id"].(string)
		f.As("headb").Do("POST", "/api/v1/items/"+d+"/submit", nil).Expect(200)
		want("headb", "drafts_returned", d, false)
		f.As("leader").Do("POST", "/api/v1/items/"+d+"/reject", map[string]any{"comment": "请补充依据"}).Expect(200)
		want("headb", "drafts_returned", d, true)
		f.As("headb").Do("POST", "/api/v1/items/"+d+"/submit", nil).Expect(200)
		want("headb", "drafts_returned", d, false)

		id := f.W.ItemInProgress("批示与退办", 30)
		item := id.String()
		path := "/api/v1/items/" + item

		// A leader's instruction waits for the lead unit until it reports.
		f.As("leader2").Do("POST", path+"/comments", map[string]any{"kind": "instruction", "body": "请每周报告进展"}).Expect(201)
		want("headb", "instructions", item, true)
		want("liaisonb", "instructions", item, true)
		want("headc", "instructions", item, false)

		// A report returned by the office comes back to its author.
		fb := f.As("memberb").Do("POST", path+"/feedback", map[string]any{"progress": 30, "content": "已完成排查"}).Expect(201).Map()["id"].(string)
		f.As("headb").Do("POST", "/api/v1/feedback/"+fb+"/submit", nil).Expect(200)
		want("headb", "instructions", item, false)
		f.As("sup").Do("POST", "/api/v1/feedback/"+fb+"/return", map[string]any{"comment": "请补充整改数据"}).Expect(200)
		want("memberb", "feedback_returned", item, true)
		want("memberc", "feedback_returned", item, false)

		// 退办: the office refuses the completion; the lead unit has rework.
		c := f.As("headb").Do("POST", path+"/completion-requests", map[string]any{"summary": "已完成"}).Expect(201).Map()["id"].(string)
		want("headb", "rework", item, false)
		f.As("sup").Do("POST", "/api/v1/completion-requests/"+c+"/review", map[string]any{"decision": "reject", "comment": "材料不充分"}).Expect(200)
		want("headb", "rework", item, true)

		// The responsible person (承办人) named on an assignment sees the item.
		want("memberb", "my_assignments", item, false)
		var lead string
		for _, a := range f.As("headb").Do("GET", path+"/assignments", nil).Expect(200).Map()["data"].([]any) {
			if a := a.(map[string]any); a["role"] == "lead" {
				lead = a["id"].(string)
			}
		}
		f.As("headb").Do("PATCH", "/api/v1/assignments/"+lead, map[string]any{"responsible_user_id": f.W.MemberB}).Expect(200)
		want("memberb", "my_assignments", item, true)
	})
}
