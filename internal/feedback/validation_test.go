package feedback_test

import (
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestFeedbackBadInput: every bad body is a 4xx problem+json naming the field, and
// nothing is written — no feedback row, no attachment claimed, no timeline event.
func TestFeedbackBadInput(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("安全生产专项整治", 60).String()
		other := w.ItemInProgress("另一个事项", 60).String()
		headB := env.As(env.Login("headb"))
		sup := env.As(env.Login("sup"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))

		mine := upload(t, headB, item)
		theirs := upload(t, headB, other)
		var ms map[string]any
		sup.Do("POST", "/api/v1/items/"+other+"/milestones", map[string]any{"title": "完成排查", "due_date": env.App.Items.Today().AddDays(10).String()}).
			Expect(201).JSON(&ms)
		path := "/api/v1/items/" + item + "/feedback"
		_, evBefore := events(t, sup, item)

		cases := []struct {
			name   string
			body   any
			status int
			code   string
			field  string
		}{
			{"progress above 100", map[string]any{"progress": 101, "content": "x"}, 422, "validation_failed", "progress"},
			{"negative progress", map[string]any{"progress": -1, "content": "x"}, 422, "validation_failed", "progress"},
			{"no progress", map[string]any{"content": "x"}, 422, "validation_failed", "progress"},
			{"progress not a number", map[string]any{"progress": "40%", "content": "x"}, 422, "validation_failed", "progress"},
			{"empty content", map[string]any{"progress": 10, "content": ""}, 422, "validation_failed", "content"},
			{"blank content", map[string]any{"progress": 10, "content": "  \n "}, 422, "validation_failed", "content"},
			{"unknown attachment", map[string]any{"progress": 10, "content": "x", "attachment_ids": []string{mine, "01900000-0000-7000-8000-000000000000"}}, 422, "validation_failed", "attachment_ids[1]"},
			{"another item's attachment", map[string]any{"progress": 10, "content": "x", "attachment_ids": []string{mine, theirs}}, 422, "validation_failed", "attachment_ids[1]"},
			{"attachment id not a uuid", map[string]any{"progress": 10, "content": "x", "attachment_ids": []string{"abc"}}, 422, "validation_failed", "attachment_ids[0]"},
			{"another item's milestone", map[string]any{"progress": 10, "content": "x", "milestone_id": ms["id"]}, 422, "validation_failed", "milestone_id"},
			{"unknown milestone", map[string]any{"progress": 10, "content": "x", "milestone_id": "01900000-0000-7000-8000-000000000000"}, 422, "validation_failed", "milestone_id"},
			{"unit without an assignment", map[string]any{"progress": 10, "content": "x", "unit_id": w.DeptX}, 422, "validation_failed", "unit_id"},
			{"unknown field", map[string]any{"progress": 10, "content": "x", "percent": 3}, 422, "validation_failed", "percent"},
			{"malformed JSON", `{"progress": 10, "content": `, 400, "malformed_json", ""},
		}
		for _, c := range cases {
			p := headB.Do("POST", path, c.body).Problem(c.status, c.code)
			if c.field != "" {
				errs, _ := p["errors"].([]any)
				found := false
				for _, e := range errs {
					if e.(map[string]any)["field"] == c.field {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no error on field %s: %v", c.name, c.field, p)
				}
			}
		}
		// Who may not write: outsiders see nothing, auditors only read.
		stranger.Do("POST", path, map[string]any{"progress": 10, "content": "x"}).Problem(404, "not_found")
		auditor.Do("POST", path, map[string]any{"progress": 10, "content": "x"}).Problem(403, "forbidden")
		sup.Do("POST", path, map[string]any{"progress": 10, "content": "x"}).Problem(403, "forbidden")

		if n := count(t, env, "item_feedback", ""); n != 0 {
			t.Fatalf("%d feedback rows written by refused requests", n)
		}
		if n := count(t, env, "attachments", "owner_type <> ''"); n != 0 {
			t.Fatalf("%d attachments claimed by refused requests", n)
		}
		if _, evAfter := events(t, sup, item); len(evAfter) != len(evBefore) {
			t.Fatalf("timeline grew from %d to %d events", len(evBefore), len(evAfter))
		}

		// The same checks on edit, then a good report with its file.
		fb := decode(t, headB.Do("POST", path, map[string]any{"progress": 10, "content": "开始排查", "attachment_ids": []string{mine}}).Expect(201))
		if len(fb.Attachments) != 1 || fb.Attachments[0].ID != mine || fb.Attachments[0].OwnerType != "feedback" {
			t.Fatalf("attachments: %+v", fb.Attachments)
		}
		fp := "/api/v1/feedback/" + fb.ID
		headB.Do("PATCH", fp, map[string]any{"progress": 101}).Problem(422, "validation_failed")
		headB.Do("PATCH", fp, map[string]any{"content": " "}).Problem(422, "validation_failed")
		headB.Do("PATCH", fp, map[string]any{"milestone_id": ms["id"]}).Problem(422, "validation_failed")
		headB.Do("PATCH", fp, map[string]any{"attachment_ids": []string{theirs}}).Problem(422, "validation_failed")
		headB.Do("PATCH", fp, map[string]any{"attachment_ids": []string{mine}}).Problem(422, "validation_failed") // already attached
		got := decode(t, headB.Do("GET", fp, nil).Expect(200))
		if got.Version != 1 || got.Progress != 10 || got.Content != "开始排查" || len(got.Attachments) != 1 {
			t.Fatalf("refused edits changed the feedback: %+v", got)
		}
		// Unknown or malformed feedback ids are 404.
		headB.Do("GET", "/api/v1/feedback/not-a-uuid", nil).Problem(404, "not_found")
		headB.Do("POST", "/api/v1/feedback/01900000-0000-7000-8000-000000000000/submit", nil).Problem(404, "not_found")
	})
}

// TestFeedbackItemStates: a suspended item still takes reports; a
// cancelled one does not.
func TestFeedbackItemStates(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("专项整治", 60).String()
		headB := env.As(env.Login("headb"))
		sup := env.As(env.Login("sup"))
		path := "/api/v1/items/" + item + "/feedback"
		sup.Do("POST", "/api/v1/items/"+item+"/suspend", map[string]string{"comment": "等待上级政策"}).Expect(200)
		fb := decode(t, headB.Do("POST", path, map[string]any{"progress": 10, "content": "暂停期间整理材料"}).Expect(201))
		sup.Do("POST", "/api/v1/items/"+item+"/cancel", map[string]string{"comment": "任务取消"}).Expect(200)
		p := headB.Do("POST", path, map[string]any{"progress": 10, "content": "x", "unit_id": w.DeptC}).Problem(409, "invalid_transition")
		if p["item_state"] != "cancelled" {
			t.Fatalf("409 without the item's state: %v", p)
		}
		headB.Do("POST", "/api/v1/feedback/"+fb.ID+"/submit", nil).Problem(409, "invalid_transition")
		if got := decode(t, headB.Do("GET", "/api/v1/feedback/"+fb.ID, nil).Expect(200)); len(got.AllowedActions) != 0 {
			t.Fatalf("actions on a cancelled item's feedback: %v", got.AllowedActions)
		}
	})
}
