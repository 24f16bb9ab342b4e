package items_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

type docItemJSON struct {
	ID                  string     `json:"id"`
	State               string     `json:"state"`
	Version             int        `json:"version"`
	Source              string     `json:"source"`
	SourceURL           string     `json:"source_url"`
	DocNumber           string     `json:"doc_number"`
	DocIssuer           string     `json:"doc_issuer"`
	DocReceivedOn       *string    `json:"doc_received_on"`
	DocClassification   string     `json:"doc_classification"`
	InstructionText     string     `json:"instruction_text"`
	InstructionLeaderID *uuid.UUID `json:"instruction_leader_id"`
	InstructionDate     *string    `json:"instruction_date"`
	SupervisingLeaderID *uuid.UUID `json:"supervising_leader_id"`
	EditableFields      []string   `json:"editable_fields"`
}

func (w *world) documentBody() map[string]any {
	b := w.createBody("superior_instruction")
	b["category"] = "document"
	b["doc_number"] = "国资发〔2026〕17号"
	b["doc_issuer"] = "国务院国资委"
	b["doc_received_on"] = today().AddDays(-2).String()
	b["doc_classification"] = "internal"
	b["source_url"] = "https://oa.example.com/docs/17"
	return b
}

func listIDs(t *testing.T, c *apitest.Env, query string) []string {
	t.Helper()
	var out struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	c.Do("GET", "/api/v1/items?"+query, nil).Expect(200).JSON(&out)
	ids := make([]string, len(out.Data))
	for i, d := range out.Data {
		ids[i] = d.ID
	}
	return ids
}

// TestHTTPDocumentItems: a document (公文) carries its number, issuer, date received,
// classification and OA link; the number is found by q and doc_number; the fields
// are refused where they do not belong.
func TestHTTPDocumentItems(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.as(w.Sup)
		var doc docItemJSON
		sup.Do("POST", "/api/v1/items", w.documentBody()).Expect(201).JSON(&doc)
		if doc.DocNumber != "国资发〔2026〕17号" || doc.DocIssuer != "国务院国资委" || doc.DocClassification != "internal" ||
			doc.DocReceivedOn == nil || *doc.DocReceivedOn != today().AddDays(-2).String() || doc.SourceURL != "https://oa.example.com/docs/17" {
			t.Fatalf("document fields: %+v", doc)
		}
		if !slices.Contains(doc.EditableFields, "doc_number") || !slices.Contains(doc.EditableFields, "category") {
			t.Errorf("a draft's editable fields: %v", doc.EditableFields)
		}
		other := w.createBody("other")
		sup.Do("POST", "/api/v1/items", other).Expect(201)
		for _, q := range []string{"q=" + url.QueryEscape("〔2026〕17"), "doc_number=" + url.QueryEscape("2026〕17号"), "q=" + url.QueryEscape("国资发")} {
			if got := listIDs(t, sup, q); len(got) != 1 || got[0] != doc.ID {
				t.Errorf("%s finds %v, want the document", q, got)
			}
		}
		if got := listIDs(t, sup, "doc_number=nope"); len(got) != 0 {
			t.Errorf("doc_number=nope finds %v", got)
		}
		// Where they do not belong.
		bad := func(field string, edit func(b map[string]any)) {
			t.Helper()
			b := w.documentBody()
			edit(b)
			p := sup.Do("POST", "/api/v1/items", b).Problem(422, "validation_failed")
			if !hasField(p, field) {
				t.Errorf("%s: %v", field, p)
			}
		}
		bad("doc_number", func(b map[string]any) { b["category"] = "important_matter"; b["source"] = "other" })
		bad("source_url", func(b map[string]any) { b["source_url"] = "javascript:alert(1)" })
		bad("source_url", func(b map[string]any) { b["source_url"] = "/relative" })
		bad("doc_received_on", func(b map[string]any) { b["doc_received_on"] = today().AddDays(3).String() })
		bad("doc_classification", func(b map[string]any) { b["doc_classification"] = "top" })
		// PATCH changes and clears them; editable_fields follows the state.
		sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"doc_number": "国资发〔2026〕18号", "source_url": ""}).Expect(200).JSON(&doc)
		if doc.DocNumber != "国资发〔2026〕18号" || doc.SourceURL != "" {
			t.Errorf("patched: %+v", doc)
		}
		sup.Do("POST", "/api/v1/items/"+doc.ID+"/submit", nil).Expect(200)
		sup.Do("POST", "/api/v1/items/"+doc.ID+"/issue", nil).Expect(200).JSON(&doc)
		if slices.Contains(doc.EditableFields, "deadline") || slices.Contains(doc.EditableFields, "category") ||
			!slices.Contains(doc.EditableFields, "doc_number") {
			t.Errorf("an issued item's editable fields: %v", doc.EditableFields)
		}
		var head docItemJSON
		w.as(w.HeadB).Do("GET", "/api/v1/items/"+doc.ID, nil).Expect(200).JSON(&head)
		if len(head.EditableFields) != 0 {
			t.Errorf("the lead unit may edit %v", head.EditableFields)
		}
	})
}

func hasField(p map[string]any, field string) bool {
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok && m["field"] == field {
			return true
		}
	}
	return false
}

// TestHTTPLeaderInstruction: §7(一) 公司领导批转、交办 — source leader_instruction needs
// the instruction's text, leader and date; the office declares it, the leader
// supervises it by default, and it skips the approval like a leader's activity.
func TestHTTPLeaderInstruction(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		body := func() map[string]any {
			b := w.createBody("leader_instruction")
			delete(b, "supervising_leader_id")
			b["assisting_leader_ids"] = []uuid.UUID{}
			b["instruction_text"] = "请规划发展部牵头研究落实"
			b["instruction_leader_id"] = w.Leader2
			b["instruction_date"] = today().AddDays(-1).String()
			return b
		}
		var it docItemJSON
		w.as(w.Sup).Do("POST", "/api/v1/items", body()).Expect(201).JSON(&it)
		if it.InstructionLeaderID == nil || *it.InstructionLeaderID != w.Leader2 || it.SupervisingLeaderID == nil ||
			*it.SupervisingLeaderID != w.Leader2 || it.InstructionText != "请规划发展部牵头研究落实" {
			t.Fatalf("instruction item: %+v", it)
		}
		w.as(w.Sup).Do("POST", "/api/v1/items/"+it.ID+"/submit", nil).Expect(200).JSON(&it)
		if it.State != "approved" {
			t.Errorf("submitted leader_instruction is %s, want approved (no approval step)", it.State)
		}
		// A member may not choose a source that skips approval.
		p := w.as(w.Member).Do("POST", "/api/v1/items", body()).Problem(422, "validation_failed")
		if !hasField(p, "source") {
			t.Errorf("member: %v", p)
		}
		for field, edit := range map[string]func(b map[string]any){
			"instruction_text":      func(b map[string]any) { delete(b, "instruction_text") },
			"instruction_leader_id": func(b map[string]any) { b["instruction_leader_id"] = w.HeadA },
			"instruction_date":      func(b map[string]any) { b["instruction_date"] = today().AddDays(1).String() },
		} {
			b := body()
			edit(b)
			if p := w.as(w.Sup).Do("POST", "/api/v1/items", b).Problem(422, "validation_failed"); !hasField(p, field) {
				t.Errorf("%s: %v", field, p)
			}
		}
		b := w.createBody("other")
		b["instruction_text"] = "批示"
		if p := w.as(w.Sup).Do("POST", "/api/v1/items", b).Problem(422, "validation_failed"); !hasField(p, "instruction_text") {
			t.Errorf("instruction on source other: %v", p)
		}
	})
}

// TestHTTPListFilters: the list filters on the source, the supervising leader
// alone, a cooperating unit, a tag and the overdue record.
func TestHTTPListFilters(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.as(w.Sup)
		var a, b docItemJSON
		sup.Do("POST", "/api/v1/items", w.createBody("other")).Expect(201).JSON(&a)
		bb := w.createBody("group_meeting")
		bb["supervising_leader_id"], bb["assisting_leader_ids"] = w.Leader2, []uuid.UUID{w.Leader}
		bb["cooperating_unit_ids"], bb["tags"] = []uuid.UUID{w.DeptA}, []string{"公文"}
		sup.Do("POST", "/api/v1/items", bb).Expect(201).JSON(&b)
		for q, want := range map[string][]string{
			"source=group_meeting":                        {b.ID},
			"supervising_leader_id=" + w.Leader.String():  {a.ID},
			"supervising_leader_id=" + w.Leader2.String(): {b.ID},
			"leader_id=" + w.Leader.String():              {b.ID, a.ID},
			"cooperating_unit_id=" + w.DeptA.String():     {b.ID},
			"cooperating_unit_id=" + w.DeptC.String():     {a.ID},
			"tag=" + url.QueryEscape("公文"):                {b.ID},
			"was_overdue=true":                            {},
			"was_overdue=false&sort=created_at":           {a.ID, b.ID},
		} {
			got := listIDs(t, sup, q)
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%s: %v, want %v", q, got, want)
			}
		}
		sup.Do("GET", "/api/v1/items?cooperating_unit_id=x", nil).Problem(422, "validation_failed")
	})
}

// TestHTTPItemFiles: files uploaded while an item is registered become the
// item's own (the document, the 批示件) through PATCH attachment_ids, and the item's
// file list shows them to whoever sees the item.
func TestHTTPItemFiles(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.as(w.Sup)
		var doc docItemJSON
		sup.Do("POST", "/api/v1/items", w.documentBody()).Expect(201).JSON(&doc)
		upload := func(c *apitest.Env) string {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			_ = mw.WriteField("item_id", doc.ID)
			fw, _ := mw.CreateFormFile("file", "国资发17号.pdf")
			_, _ = fw.Write(apitest.PDF)
			_ = mw.Close()
			req, _ := http.NewRequest("POST", c.URL+"/api/v1/attachments", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+c.Token)
			return c.Send(req).Expect(201).Map()["id"].(string)
		}
		file := upload(sup)
		sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"attachment_ids": []string{file}}, "If-Match", `"1"`).Expect(200)
		var files struct {
			Data []struct {
				ID, OwnerType, Filename string
			} `json:"data"`
		}
		sup.Do("POST", "/api/v1/items/"+doc.ID+"/submit", nil).Expect(200)
		sup.Do("POST", "/api/v1/items/"+doc.ID+"/issue", nil).Expect(200)
		w.as(w.HeadB).Do("GET", "/api/v1/items/"+doc.ID+"/attachments", nil).Expect(200).JSON(&files)
		if len(files.Data) != 1 || files.Data[0].ID != file {
			t.Fatalf("the lead unit sees %+v", files.Data)
		}
		// A file is linked once.
		p := sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"attachment_ids": []string{file}}).Problem(422, "validation_failed")
		if !hasField(p, "attachment_ids[0]") {
			t.Errorf("linking twice: %v", p)
		}
		// Taking a file off the item: only whoever may edit the item, only the
		// item's own files; the file leaves the list but stays on record
		// (downloadable, named on the timeline).
		var cur docItemJSON
		sup.Do("GET", "/api/v1/items/"+doc.ID, nil).Expect(200).JSON(&cur)
		etag := fmt.Sprintf(`"%d"`, cur.Version)
		w.as(w.HeadB).Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"remove_attachment_ids": []string{file}}, "If-Match", etag).
			Problem(403, "forbidden")
		other := upload(sup)
		p = sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"remove_attachment_ids": []string{other}}, "If-Match", etag).
			Problem(422, "validation_failed")
		if !hasField(p, "remove_attachment_ids[0]") {
			t.Errorf("removing a file the item does not own: %v", p)
		}
		sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"remove_attachment_ids": []string{file}}, "If-Match", etag).Expect(200)
		w.as(w.HeadB).Do("GET", "/api/v1/items/"+doc.ID+"/attachments", nil).Expect(200).JSON(&files)
		if len(files.Data) != 0 {
			t.Fatalf("after the removal the lead unit sees %+v", files.Data)
		}
		w.as(w.HeadB).Do("GET", "/api/v1/attachments/"+file+"/content", nil).Expect(200)
		var tl struct {
			Data []struct {
				Changes map[string]any `json:"changes"`
			} `json:"data"`
		}
		sup.Do("GET", "/api/v1/items/"+doc.ID+"/events", nil).Expect(200).JSON(&tl)
		named := false
		for _, e := range tl.Data {
			if c, ok := e.Changes["attachments_removed"].(map[string]any); ok && fmt.Sprint(c["from"]) == "["+file+"]" {
				named = true
			}
		}
		if !named {
			t.Errorf("the timeline does not name the removed file: %+v", tl.Data)
		}
		// Removed once: a second removal names the field.
		sup.Do("GET", "/api/v1/items/"+doc.ID, nil).Expect(200).JSON(&cur)
		p = sup.Do("PATCH", "/api/v1/items/"+doc.ID, map[string]any{"remove_attachment_ids": []string{file}}, "If-Match", fmt.Sprintf(`"%d"`, cur.Version)).
			Problem(422, "validation_failed")
		if !hasField(p, "remove_attachment_ids[0]") {
			t.Errorf("removing twice: %v", p)
		}
	})
}
