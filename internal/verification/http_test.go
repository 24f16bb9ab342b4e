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
		running := f.W.ItemInProgress("办理中事项", 30)
		ok := map[string]any{"method": "on_site", "findings": "现场核查", "result": "passed"}

		// Only closed or archived items.
		p := f.As("sup").Do("POST", "/api/v1/items/"+running.String()+"/verifications", ok).Problem(409, "invalid_transition")
		if p["state"] != "in_progress" {
			t.Fatalf("409 body %v", p)
		}

		id := closed(f, "已办结事项")
		path := "/api/v1/items/" + id.String() + "/verifications"
		evidence := f.Upload("sup", id, "核查记录.pdf")
		if l := f.As("sup").Do("GET", path, nil).Expect(200).Map(); !slices.Equal(apitest.Strings(l["allowed_actions"]), []string{"create"}) {
			t.Fatalf("office's actions %v", l["allowed_actions"])
		}
		if l := f.As("leader").Do("GET", path, nil).Expect(200).Map(); len(apitest.Strings(l["allowed_actions"])) != 0 {
			t.Fatalf("leader's actions %v", l["allowed_actions"])
		}
		// Only the supervision office; invisible to strangers; auditors only read.
		f.As("leader").Do("POST", path, ok).Problem(403, "forbidden")
		f.As("headb").Do("POST", path, ok).Problem(403, "forbidden")
		f.As("auditor").Do("POST", path, ok).Problem(403, "forbidden")
		f.As("stranger").Do("POST", path, ok).Problem(404, "not_found")
		f.As("stranger").Do("GET", path, nil).Problem(404, "not_found")

		// Bad input: nothing written, the item stays closed.
		for _, bad := range []map[string]any{
			{"method": "on_site", "findings": "结果不明", "result": "maybe"},
			{"method": "on_site", "findings": "结果缺失"},
			{"method": "phone_call", "findings": "方式错误", "result": "passed"},
			{"method": "on_site", "findings": "  ", "result": "failed"},
			{"method": "on_site", "findings": "未知附件", "result": "failed", "attachment_ids": []string{uuid.NewString()}},
		} {
			f.As("sup").Do("POST", path, bad).Problem(422, "validation_failed")
		}
		if n := f.Count("verifications", "item_id = ?", id); n != 0 {
			t.Fatalf("%d verifications after bad input", n)
		}
		if it := f.Item(id); it["state"] != "closed" || it["reopened_count"].(float64) != 0 || it["flagged"] != false {
			t.Fatalf("item changed by bad input: %v", it)
		}

		// Passed keeps the state and marks verified; evidence files are linked.
		v := f.As("sup").Do("POST", path, map[string]any{"method": "document_review", "findings": "材料核查无误", "result": "passed",
			"attachment_ids": []string{evidence}}, "If-Match", `"`+itoa(f.Item(id)["version"])+`"`).Expect(201).Map()
		if v["result"] != "passed" || len(v["attachments"].([]any)) != 1 {
			t.Fatalf("verification %v", v)
		}
		if it := f.Item(id); it["state"] != "closed" || it["verified"] != true {
			t.Fatalf("after passed: %v", it)
		}

		// Archived, then a failed check reopens it and clears closed_at/archived_at.
		f.As("sup").Do("POST", "/api/v1/items/"+id.String()+"/archive", nil).Expect(200)
		f.As("sup").Do("POST", path, map[string]any{"method": "return_visit", "findings": "回访发现问题反弹", "result": "failed"}, "If-Match", `"1"`).
			Problem(412, "precondition_failed")
		f.As("sup").Do("POST", path, map[string]any{"method": "return_visit", "findings": "回访发现问题反弹", "result": "failed"}).Expect(201)
		it := f.Item(id)
		if it["state"] != "in_progress" || it["verified"] != false || it["flagged"] != true || it["reopened_count"].(float64) != 1 ||
			it["closed_at"] != nil || it["archived_at"] != nil {
			t.Fatalf("after failed: %v", it)
		}
		_, evs := f.Events(id)
		last := evs[len(evs)-1]
		ch := last["changes"].(map[string]any)
		if last["action"] != "verify" || last["state_before"] != "archived" || last["state_after"] != "in_progress" ||
			ch["result"].(map[string]any)["to"] != "failed" || ch["reopened_count"].(map[string]any)["to"].(float64) != 1 {
			t.Fatalf("timeline event %v", last)
		}
		l := f.As("headb").Do("GET", path, nil).Expect(200).Map()
		d := l["data"].([]any)
		if l["total"].(float64) != 2 || d[0].(map[string]any)["result"] != "failed" || d[0].(map[string]any)["state_before"] != "archived" {
			t.Fatalf("list %v", l)
		}
	})
}

func itoa(v any) string {
	return strconv.Itoa(int(v.(float64)))
}
