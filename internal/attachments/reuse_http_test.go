package attachments_test

import (
	"bytes"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestCompletionReusesFeedbackFiles: a completion request names files its unit already
// sent with a report (reuse_attachment_ids) instead of uploading them again; the
// request gets its own copies, the report keeps its file, and only files of this
// item's feedback that the requester sees can be reused.
func TestCompletionReusesFeedbackFiles(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全隐患排查整治", 30)
		item := id.String()

		sent := f.Upload("memberb", id, "整改台账.pdf")
		f.As("headb").Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 90, "content": "整改基本完成。", "attachment_ids": []string{sent}, "submit": true,
		}).Expect(201)
		// A draft of the cooperating unit: its file is not the lead unit's to reuse.
		hidden := f.Upload("memberc", id, "配合单位草稿.pdf")
		f.As("memberc").Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 50, "content": "草稿。", "attachment_ids": []string{hidden},
		}).Expect(201)
		unclaimed := f.Upload("headb", id, "未使用.pdf")
		comment := f.Upload("sup", id, "协调记录.pdf")
		f.As("sup").Do("POST", "/api/v1/items/"+item+"/comments", map[string]any{
			"kind": "coordination", "body": "协调。", "attachment_ids": []string{comment},
		}).Expect(201)

		for _, bad := range []string{hidden, unclaimed, comment, "0190a0a0-0000-7000-8000-000000000000"} {
			wantField(t, f.As("headb").Do("POST", "/api/v1/items/"+item+"/completion-requests", map[string]any{
				"summary": "已办结", "reuse_attachment_ids": []string{bad},
			}).Problem(422, "validation_failed"), "reuse_attachment_ids[0]")
		}
		wantField(t, f.As("headb").Do("POST", "/api/v1/items/"+item+"/completion-requests", map[string]any{
			"summary": "已办结", "reuse_attachment_ids": []string{sent, sent},
		}).Problem(422, "validation_failed"), "reuse_attachment_ids[1]")

		var c struct {
			ID            string           `json:"id"`
			AttachmentIDs []string         `json:"attachment_ids"`
			Attachments   []map[string]any `json:"attachments"`
		}
		f.As("headb").Do("POST", "/api/v1/items/"+item+"/completion-requests", map[string]any{
			"summary": "已办结", "reuse_attachment_ids": []string{sent},
		}).Expect(201).JSON(&c)
		if len(c.AttachmentIDs) != 1 || c.AttachmentIDs[0] == sent || len(c.Attachments) != 1 ||
			c.Attachments[0]["filename"] != "整改台账.pdf" || c.Attachments[0]["owner_type"] != "completion_request" {
			t.Fatalf("the request's files: %+v", c)
		}
		ids, rows := itemFiles(f.As("headc"), item)
		if !has(ids, sent) || rows[sent]["owner_type"] != "feedback" || !has(ids, c.AttachmentIDs[0]) {
			t.Fatalf("the item's files after the reuse: %v", rows)
		}
		dl := f.As("sup").Do("GET", "/api/v1/attachments/"+c.AttachmentIDs[0]+"/content", nil).Expect(200)
		if !bytes.Equal(dl.Body, apitest.PDF) {
			t.Fatal("the reused file's bytes differ")
		}
	})
}

// wantField fails unless the problem names field among its errors.
func wantField(t *testing.T, pb map[string]any, field string) {
	t.Helper()
	errs, _ := pb["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return
		}
	}
	t.Fatalf("problem without field %s: %v", field, pb)
}
