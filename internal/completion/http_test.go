package completion_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

// The whole closing path of one item: 退办, closing, a failed verification that
// reopens it (反弹), closing again, a passed verification, archive (销号).
func TestClosingLifecycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 30)
		path := "/api/v1/items/" + id.String()
		report := f.Upload("headb", id, "整改报告.pdf")
		plan := f.Upload("liaisonb", id, "整改方案.pdf")
		extra := f.Upload("headb", id, "现场照片说明.pdf")
		body := map[string]any{"summary": "已完成全部隐患整改，整改率100%", "attachment_ids": []string{extra},
			"materials": []map[string]any{{"kind": "report", "attachment_id": report}, {"kind": "plan", "attachment_id": plan}}}

		// Only the lead unit requests completion.
		f.As("headc").Do("POST", path+"/completion-requests", body).Problem(403, "forbidden")
		f.As("sup").Do("POST", path+"/completion-requests", body).Problem(403, "forbidden")
		f.As("stranger").Do("POST", path+"/completion-requests", body).Problem(404, "not_found")
		if l := f.As("headb").Do("GET", path+"/completion-requests", nil).Expect(200).Map(); !slices.Equal(apitest.Strings(l["allowed_actions"]), []string{"request"}) {
			t.Fatalf("headb's actions on the list: %v", l["allowed_actions"])
		}
		if acts := apitest.Strings(f.As("headb").Do("GET", path, nil).Expect(200).Map()["allowed_actions"]); !slices.Contains(acts, "request_completion") {
			t.Fatalf("headb's item allowed_actions lack request_completion: %v", acts)
		}

		r := f.As("headb").Do("POST", path+"/completion-requests", body).Expect(201)
		c1 := r.Map()
		c1p := "/api/v1/completion-requests/" + c1["id"].(string)
		if r.Header.Get("Location") != c1p || c1["state"] != "requested" || len(c1["materials"].([]any)) != 2 ||
			len(c1["attachments"].([]any)) != 3 || !slices.Equal(apitest.Strings(c1["attachment_ids"]), []string{extra}) {
			t.Fatalf("created: %v", c1)
		}
		if m := c1["materials"].([]any)[0].(map[string]any); m["kind"] != "report" || m["attachment_id"] != report {
			t.Fatalf("material %v", m)
		}
		if s := f.State(id); s != "completion_requested" {
			t.Fatalf("item state %s", s)
		}
		// The leader decides only after the office forwarded (409 before).
		p := f.As("leader").Do("POST", c1p+"/approve", nil).Problem(409, "invalid_transition")
		if p["state"] != "requested" {
			t.Fatalf("409 body %v", p)
		}
		f.As("headb").Do("POST", c1p+"/review", map[string]any{"decision": "reject", "comment": "x"}).Problem(403, "forbidden")

		// 退办: the reason is required; the item goes back to in_progress.
		f.As("sup").Do("POST", c1p+"/review", map[string]any{"decision": "reject"}).Problem(422, "validation_failed")
		rej := f.As("sup").Do("POST", c1p+"/review", map[string]any{"decision": "reject", "comment": "办理情况材料不充分"}, "If-Match", `"1"`).Expect(200).Map()
		if rej["state"] != "rejected" || rej["review_comment"] != "办理情况材料不充分" || f.State(id) != "in_progress" {
			t.Fatalf("退办: %v, item %s", rej, f.State(id))
		}
		f.As("sup").Do("POST", c1p+"/review", map[string]any{"decision": "forward"}).Problem(409, "invalid_transition")

		// Again, with new files (the first ones stay with the rejected request).
		f.As("headb").Do("POST", path+"/completion-requests", map[string]any{"summary": "补充材料", "attachment_ids": []string{report}}).
			Problem(422, "validation_failed")
		handling := f.Upload("headb", id, "办理情况.pdf")
		c2 := f.As("liaisonb").Do("POST", path+"/completion-requests", map[string]any{"summary": "补充办理情况后再次申请办结",
			"materials": []map[string]any{{"kind": "handling", "attachment_id": handling}}}).Expect(201).Map()
		c2p := "/api/v1/completion-requests/" + c2["id"].(string)
		f.As("headb").Do("POST", path+"/completion-requests", map[string]any{"summary": "重复"}).Problem(409, "invalid_transition")
		fw := f.As("sup").Do("POST", c2p+"/review", map[string]any{"decision": "forward", "comment": "材料齐全"}).Expect(200).Map()
		if fw["state"] != "forwarded" || f.State(id) != "completion_requested" {
			t.Fatalf("forwarded: %v", fw)
		}
		if got := f.As("leader").Do("GET", c2p, nil).Expect(200).Map(); !slices.Equal(apitest.Strings(got["allowed_actions"]), []string{"approve", "reject"}) {
			t.Fatalf("leader's actions %v", got["allowed_actions"])
		}
		f.As("leader2").Do("POST", c2p+"/approve", nil).Problem(403, "forbidden")
		f.As("sup").Do("POST", c2p+"/approve", nil).Problem(403, "forbidden")
		ok := f.As("leader").Do("POST", c2p+"/approve", map[string]any{"comment": "同意办结"}).Expect(200).Map()
		it := f.Item(id)
		if ok["state"] != "approved" || it["state"] != "closed" || it["closed_at"] == nil {
			t.Fatalf("approved: %v; item %v closed_at %v", ok, it["state"], it["closed_at"])
		}

		// 结果核查 failed: reopened (反弹), flagged.
		vpath := path + "/verifications"
		f.As("headb").Do("POST", vpath, map[string]any{"method": "return_visit", "findings": "x", "result": "passed"}).Problem(403, "forbidden")
		v1 := f.As("sup").Do("POST", vpath, map[string]any{"method": "return_visit", "findings": "回访发现隐患反弹", "result": "failed"}).Expect(201).Map()
		it = f.Item(id)
		if v1["result"] != "failed" || v1["state_before"] != "closed" || it["state"] != "in_progress" || it["reopened_count"].(float64) != 1 ||
			it["flagged"] != true || it["verified"] != false || it["closed_at"] != nil {
			t.Fatalf("after failed verification: %v / %v", v1, it)
		}

		// Closing again, then a passed verification.
		c3 := f.As("headb").Do("POST", path+"/completion-requests", map[string]any{"summary": "反弹问题已整改"}).Expect(201).Map()
		c3p := "/api/v1/completion-requests/" + c3["id"].(string)
		f.As("sup").Do("POST", c3p+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("leader").Do("POST", c3p+"/approve", nil).Expect(200)
		if s := f.State(id); s != "closed" {
			t.Fatalf("state %s", s)
		}
		f.As("sup").Do("POST", vpath, map[string]any{"method": "document_review", "findings": "材料核查无误", "result": "passed"}).Expect(201)
		it = f.Item(id)
		if it["state"] != "closed" || it["verified"] != true || it["reopened_count"].(float64) != 1 || !slices.Contains(apitest.Strings(it["allowed_actions"]), "archive") {
			t.Fatalf("after passed verification: %v", it)
		}

		// Archive (销号): the initiator or the supervision office; the lead unit may not.
		f.As("headb").Do("POST", path+"/archive", nil).Problem(403, "forbidden")
		f.As("sup").Do("POST", path+"/archive", nil).Expect(200)
		it = f.Item(id)
		if it["state"] != "archived" || it["archived_at"] == nil || it["verified"] != true {
			t.Fatalf("archived: %v", it)
		}

		names, _ := f.Events(id)
		want := []string{"request_completion", "reject_completion", "request_completion", "completion_forward", "approve_completion",
			"verify", "request_completion", "completion_forward", "approve_completion", "verify", "archive"}
		if !slices.Equal(names[len(names)-len(want):], want) {
			t.Fatalf("timeline %v", names)
		}
		l := f.As("headb").Do("GET", path+"/completion-requests", nil).Expect(200).Map()
		if l["total"].(float64) != 3 || len(apitest.Strings(l["allowed_actions"])) != 0 {
			t.Fatalf("list %v", l)
		}
		vl := f.As("headb").Do("GET", vpath, nil).Expect(200).Map()
		if vl["total"].(float64) != 2 {
			t.Fatalf("verifications %v", vl)
		}
		f.As("stranger").Do("GET", path+"/completion-requests", nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", c2p, nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", vpath, nil).Problem(404, "not_found")
	})
}

func TestCompletionBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("财务风险排查", 30)
		other := f.W.ItemInProgress("另一事项", 30)
		path := "/api/v1/items/" + id.String() + "/completion-requests"
		mine := f.Upload("headb", id, "报告.pdf")
		foreign := f.Upload("headb", other, "别的事项.pdf")
		cases := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"summary": ""}, "summary"},
			{map[string]any{"summary": "   "}, "summary"},
			{map[string]any{}, "summary"},
			{map[string]any{"summary": "未知附件", "attachment_ids": []string{uuid.NewString()}}, "attachment_ids[0]"},
			{map[string]any{"summary": "别的事项的附件", "attachment_ids": []string{mine, foreign}}, "attachment_ids[1]"},
			{map[string]any{"summary": "不是UUID", "attachment_ids": []string{"abc"}}, "attachment_ids[0]"},
			{map[string]any{"summary": "未知材料", "materials": []map[string]any{{"kind": "report", "attachment_id": uuid.NewString()}}}, "materials[0].attachment_id"},
			{map[string]any{"summary": "类型错误", "materials": []map[string]any{{"kind": "memo", "attachment_id": mine}}}, "materials[0].kind"},
			{map[string]any{"summary": "重复", "attachment_ids": []string{mine}, "materials": []map[string]any{{"kind": "plan", "attachment_id": mine}}}, "materials[0].attachment_id"},
		}
		for _, c := range cases {
			p := f.As("headb").Do("POST", path, c.body).Problem(422, "validation_failed")
			if fe := p["errors"].([]any)[0].(map[string]any); fe["field"] != c.field {
				t.Errorf("body %v: field %v, want %s (%v)", c.body, fe["field"], c.field, p)
			}
		}
		if n := f.Count("completion_requests", "item_id = ?", id); n != 0 {
			t.Fatalf("%d completion requests after bad input", n)
		}
		if n := f.Count("completion_materials", "1 = 1"); n != 0 {
			t.Fatalf("%d materials after bad input", n)
		}
		if n := f.Count("attachments", "owner_type <> ''"); n != 0 {
			t.Fatalf("%d attachments claimed after bad input", n)
		}
		if s := f.State(id); s != "in_progress" {
			t.Fatalf("item state %s", s)
		}
		// The same file is accepted once the request is valid.
		f.As("headb").Do("POST", path, map[string]any{"summary": "办结", "materials": []map[string]any{{"kind": "report", "attachment_id": mine}}}).Expect(201)
	})
}

func TestCompletionRejectedByLeader(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("领导不同意办结", 30)
		c := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/completion-requests", map[string]any{"summary": "已完成"}).Expect(201).Map()
		cp := "/api/v1/completion-requests/" + c["id"].(string)
		f.As("leader").Do("POST", cp+"/reject", map[string]any{"comment": "尚未完成"}).Problem(409, "invalid_transition")
		f.As("sup").Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("sup").Do("POST", cp+"/reject", map[string]any{"comment": "不同意"}).Problem(403, "forbidden")
		f.As("leader").Do("POST", cp+"/reject", nil).Problem(422, "validation_failed")
		f.As("leader").Do("POST", cp+"/reject", map[string]any{"comment": "效果未达预期"}, "If-Match", `"1"`).Problem(412, "precondition_failed")
		r := f.As("leader").Do("POST", cp+"/reject", map[string]any{"comment": "效果未达预期"}, "If-Match", `"2"`).Expect(200).Map()
		if r["state"] != "rejected" || r["decision_comment"] != "效果未达预期" || f.State(id) != "in_progress" {
			t.Fatalf("rejected: %v, item %s", r, f.State(id))
		}
		f.As("leader").Do("POST", cp+"/approve", nil).Problem(409, "invalid_transition")
		names, evs := f.Events(id)
		if names[len(names)-1] != "reject_completion" || evs[len(evs)-1]["comment"] != "效果未达预期" {
			t.Fatalf("timeline %v", names)
		}
	})
}

// The requester never decides their own completion request, even as the item's
// supervising leader (headb is given the leader role by fixture).
func TestRequesterCannotApproveOwnCompletion(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		id := f.W.ItemInProgress("领导兼任牵头部门负责人", 30)
		if err := env.DB.Gorm().Table("user_roles").Create(map[string]any{"user_id": f.W.HeadB, "role": "leader"}).Error; err != nil {
			t.Fatal(err)
		}
		env.PeopleChanged()
		if err := env.DB.Gorm().Table("items").Where("id = ?", id).Update("supervising_leader_id", f.W.HeadB).Error; err != nil {
			t.Fatal(err)
		}
		c := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/completion-requests", map[string]any{"summary": "已完成"}).Expect(201).Map()
		cp := "/api/v1/completion-requests/" + c["id"].(string)
		f.As("sup").Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("headb").Do("POST", cp+"/approve", nil).Problem(403, "forbidden")
		if s := f.State(id); s != "completion_requested" {
			t.Fatalf("item state %s", s)
		}
		// The liaison of the same unit is not the supervising leader either.
		f.As("liaisonb").Do("POST", cp+"/approve", nil).Problem(403, "forbidden")
	})
}
