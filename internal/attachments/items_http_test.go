package attachments_test

import (
	"bytes"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// itemFiles is GET /items/{id}/attachments as c: the ids listed, in order, and the
// rows by id.
func itemFiles(c *apitest.Env, item string) ([]string, map[string]map[string]any) {
	c.T.Helper()
	var out struct {
		Data  []map[string]any `json:"data"`
		Total int              `json:"total"`
	}
	c.Do("GET", "/api/v1/items/"+item+"/attachments", nil).Expect(200).JSON(&out)
	if out.Total != len(out.Data) {
		c.T.Fatalf("total %d for %d rows", out.Total, len(out.Data))
	}
	ids := []string{}
	rows := map[string]map[string]any{}
	for _, r := range out.Data {
		id := r["id"].(string)
		ids = append(ids, id)
		rows[id] = r
	}
	return ids, rows
}

func has(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestItemAttachments: the item's files from every kind of record, each visible
// exactly where the record is — a draft's files only in its unit, a file no record
// cites only to its uploader, nothing to another unit.
func TestItemAttachments(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全隐患排查整治", 30)
		item := id.String()

		// The lead unit's undertaker drafts a feedback with a file.
		draftFile := f.Upload("memberb", id, "隐患排查台账.pdf")
		fb := f.As("memberb").Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 30, "content": "已完成排查。", "attachment_ids": []string{draftFile},
		}).Expect(201).Map()["id"].(string)
		// The cooperating unit's member uploads and sends nothing yet.
		pending := f.Upload("memberc", id, "未提交材料.pdf")
		// The office records a coordination with a file.
		commentFile := f.Upload("sup", id, "协调会记录.pdf")
		f.As("sup").Do("POST", "/api/v1/items/"+item+"/comments", map[string]any{
			"kind": "coordination", "body": "协调安全生产部与财务部分工。", "attachment_ids": []string{commentFile},
		}).Expect(201)

		ids, rows := itemFiles(f.As("memberb"), item)
		if len(ids) != 2 || ids[0] != draftFile || ids[1] != commentFile {
			t.Fatalf("memberb lists %v, want [%s %s]", ids, draftFile, commentFile)
		}
		r := rows[draftFile]
		if r["owner_type"] != "feedback" || r["owner_id"] != fb || r["uploaded_by"] != f.W.MemberB.String() ||
			r["filename"] != "隐患排查台账.pdf" || r["content_url"] != "/api/v1/attachments/"+draftFile+"/content" {
			t.Fatalf("draft file row %v", r)
		}
		if rows[commentFile]["owner_type"] != "comment" {
			t.Fatalf("comment file row %v", rows[commentFile])
		}
		if ids, _ := itemFiles(f.As("headb"), item); !has(ids, draftFile) {
			t.Fatalf("the head of the draft's unit lists %v", ids)
		}
		// Another unit on the same item, the office and the auditor: no draft's file.
		for _, who := range []string{"headc", "memberc", "sup", "auditor", "leader"} {
			ids, _ := itemFiles(f.As(who), item)
			if has(ids, draftFile) || has(ids, pending) || !has(ids, commentFile) {
				t.Fatalf("%s lists %v", who, ids)
			}
		}
		f.As("headc").Do("GET", "/api/v1/attachments/"+draftFile, nil).Problem(404, "not_found")
		f.As("headc").Do("GET", "/api/v1/attachments/"+draftFile+"/content", nil).Problem(404, "not_found")
		f.As("sup").Do("GET", "/api/v1/attachments/"+draftFile+"/content", nil).Problem(404, "not_found")
		f.As("memberb").Do("GET", "/api/v1/attachments/"+draftFile+"/content", nil).Expect(200)
		// A file no record cites: its uploader's only, even within the unit.
		f.As("memberc").Do("GET", "/api/v1/attachments/"+pending+"/content", nil).Expect(200)
		f.As("headc").Do("GET", "/api/v1/attachments/"+pending+"/content", nil).Problem(404, "not_found")
		f.As("memberb").Do("GET", "/api/v1/attachments/"+pending, nil).Problem(404, "not_found")
		// Another unit off the item sees nothing at all.
		f.As("stranger").Do("GET", "/api/v1/items/"+item+"/attachments", nil).Problem(404, "not_found")
		f.As("stranger").Do("GET", "/api/v1/attachments/"+commentFile+"/content", nil).Problem(404, "not_found")
		f.As("sup").Do("GET", "/api/v1/items/nope/attachments", nil).Problem(404, "not_found")
		f.As("sup").Do("GET", "/api/v1/items/0190a0a0-0000-7000-8000-000000000000/attachments", nil).Problem(404, "not_found")

		// Submitted, the report and its file serve every recipient.
		f.As("headb").Do("POST", "/api/v1/feedback/"+fb+"/submit", nil).Expect(200)
		if ids, _ := itemFiles(f.As("headc"), item); !has(ids, draftFile) {
			t.Fatalf("headc lists %v after the submit", ids)
		}
		dl := f.As("headc").Do("GET", "/api/v1/attachments/"+draftFile+"/content", nil).Expect(200)
		if !bytes.Equal(dl.Body, apitest.PDF) {
			t.Fatal("downloaded bytes differ")
		}

		// Completion materials and verification evidence are listed too.
		material := f.Upload("headb", id, "办结报告.pdf")
		c := f.As("headb").Do("POST", "/api/v1/items/"+item+"/completion-requests", map[string]any{
			"summary": "已办结", "materials": []map[string]any{{"kind": "report", "attachment_id": material}},
		}).Expect(201).Map()["id"].(string)
		f.As("sup").Do("POST", "/api/v1/completion-requests/"+c+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("leader").Do("POST", "/api/v1/completion-requests/"+c+"/approve", nil).Expect(200)
		evidence := f.Upload("sup", id, "核查记录.pdf")
		f.As("sup").Do("POST", "/api/v1/items/"+item+"/verifications", map[string]any{
			"method": "document_review", "findings": "材料核查无误", "result": "passed", "attachment_ids": []string{evidence},
		}).Expect(201)
		ids, rows = itemFiles(f.As("headc"), item)
		if len(ids) != 4 || rows[material]["owner_type"] != "completion_request" || rows[material]["owner_id"] != c ||
			rows[evidence]["owner_type"] != "verification" {
			t.Fatalf("after closing: %v", rows)
		}
	})
}
