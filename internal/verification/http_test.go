package verification_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

func TestVerificationRules(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := newFx(t, env)
		running := f.w.ItemInProgress("办理中事项", 30)
		ok := map[string]any{"method": "on_site", "findings": "现场核查", "result": "passed"}

		// Only closed or archived items.
		p := f.as("sup").Do("POST", "/api/v1/items/"+running.String()+"/verifications", ok).Problem(409, "invalid_transition")
		if p["state"] != "in_progress" {
			t.Fatalf("409 body %v", p)
		}

		id := f.closed("已办结事项")
		path := "/api/v1/items/" + id.String() + "/verifications"
		evidence := f.upload("sup", id, "核查记录.pdf")
		if l := f.as("sup").Do("GET", path, nil).Expect(200).Map(); !slices.Equal(strs(l["allowed_actions"]), []string{"create"}) {
			t.Fatalf("office's actions %v", l["allowed_actions"])
		}
		if l := f.as("leader").Do("GET", path, nil).Expect(200).Map(); len(strs(l["allowed_actions"])) != 0 {
			t.Fatalf("leader's actions %v", l["allowed_actions"])
		}
		// Only the supervision office; invisible to strangers; auditors only read.
		f.as("leader").Do("POST", path, ok).Problem(403, "forbidden")
		f.as("headb").Do("POST", path, ok).Problem(403, "forbidden")
		f.as("auditor").Do("POST", path, ok).Problem(403, "forbidden")
		f.as("stranger").Do("POST", path, ok).Problem(404, "not_found")
		f.as("stranger").Do("GET", path, nil).Problem(404, "not_found")

		// Bad input: nothing written, the item stays closed.
		for _, bad := range []map[string]any{
			{"method": "on_site", "findings": "结果不明", "result": "maybe"},
			{"method": "on_site", "findings": "结果缺失"},
			{"method": "phone_call", "findings": "方式错误", "result": "passed"},
			{"method": "on_site", "findings": "  ", "result": "failed"},
			{"method": "on_site", "findings": "未知附件", "result": "failed", "attachment_ids": []string{uuid.NewString()}},
		} {
			f.as("sup").Do("POST", path, bad).Problem(422, "validation_failed")
		}
		if n := f.count("verifications", "item_id = ?", id); n != 0 {
			t.Fatalf("%d verifications after bad input", n)
		}
		if it := f.item(id); it["state"] != "closed" || it["reopened_count"].(float64) != 0 || it["flagged"] != false {
			t.Fatalf("item changed by bad input: %v", it)
		}

		// Passed keeps the state and marks verified; evidence files are linked.
		v := f.as("sup").Do("POST", path, map[string]any{"method": "document_review", "findings": "材料核查无误", "result": "passed",
			"attachment_ids": []string{evidence}}, "If-Match", `"`+itoa(f.item(id)["version"])+`"`).Expect(201).Map()
		if v["result"] != "passed" || len(v["attachments"].([]any)) != 1 {
			t.Fatalf("verification %v", v)
		}
		if it := f.item(id); it["state"] != "closed" || it["verified"] != true {
			t.Fatalf("after passed: %v", it)
		}

		// Archived, then a failed check reopens it and clears closed_at/archived_at.
		f.as("sup").Do("POST", "/api/v1/items/"+id.String()+"/archive", nil).Expect(200)
		f.as("sup").Do("POST", path, map[string]any{"method": "return_visit", "findings": "回访发现问题反弹", "result": "failed"}, "If-Match", `"1"`).
			Problem(412, "precondition_failed")
		f.as("sup").Do("POST", path, map[string]any{"method": "return_visit", "findings": "回访发现问题反弹", "result": "failed"}).Expect(201)
		it := f.item(id)
		if it["state"] != "in_progress" || it["verified"] != false || it["flagged"] != true || it["reopened_count"].(float64) != 1 ||
			it["closed_at"] != nil || it["archived_at"] != nil {
			t.Fatalf("after failed: %v", it)
		}
		_, evs := f.events(id)
		last := evs[len(evs)-1]
		ch := last["changes"].(map[string]any)
		if last["action"] != "verify" || last["state_before"] != "archived" || last["state_after"] != "in_progress" ||
			ch["result"].(map[string]any)["to"] != "failed" || ch["reopened_count"].(map[string]any)["to"].(float64) != 1 {
			t.Fatalf("timeline event %v", last)
		}
		l := f.as("headb").Do("GET", path, nil).Expect(200).Map()
		d := l["data"].([]any)
		if l["total"].(float64) != 2 || d[0].(map[string]any)["result"] != "failed" || d[0].(map[string]any)["state_before"] != "archived" {
			t.Fatalf("list %v", l)
		}
	})
}

func itoa(v any) string {
	return strconv.Itoa(int(v.(float64)))
}
