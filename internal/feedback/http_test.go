package feedback_test

import (
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestFeedbackReviewCycle: a member drafts, a member may not submit, the head
// does; a member and the head may not review; the office returns it with a comment
// the unit sees; the unit edits and a liaison resubmits; the office accepts and the
// item's progress follows the lead unit's report, not the cooperating unit's.
func TestFeedbackReviewCycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("安全生产专项整治", 60).String()
		memberB := env.As(env.Login("memberb"))
		headB := env.As(env.Login("headb"))
		liaisonB := env.As(env.Login("liaisonb"))
		headC := env.As(env.Login("headc"))
		sup := env.As(env.Login("sup"))
		leader := env.As(env.Login("leader"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))

		r := memberB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 30, "content": "已完成隐患排查，发现问题12项。", "problems": "2项需采购设备", "next_steps": "月底前完成整改",
		}).Expect(201)
		fb := decode(t, r)
		path := "/api/v1/feedback/" + fb.ID
		if fb.State != "draft" || fb.UnitID != w.DeptB.String() || fb.Version != 1 || !slices.Equal(fb.AllowedActions, []string{"update"}) ||
			r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != path {
			t.Fatalf("draft: %+v %v", fb, r.Header)
		}
		// A draft is the unit's own: the office, the other unit and strangers do not see it.
		for _, c := range []*apitest.Env{sup, headC, stranger, auditor} {
			c.Do("GET", path, nil).Problem(404, "not_found")
		}
		var l listJSON
		sup.Do("GET", "/api/v1/items/"+item+"/feedback", nil).Expect(200).JSON(&l)
		if l.Total != 0 || len(l.Data) != 0 || l.AllowedActions == nil || len(l.AllowedActions) != 0 {
			t.Fatalf("office sees a draft: %+v", l)
		}
		memberB.Do("GET", "/api/v1/items/"+item+"/feedback", nil).Expect(200).JSON(&l)
		if l.Total != 1 || !slices.Equal(l.AllowedActions, []string{"create"}) {
			t.Fatalf("unit's list: %+v", l)
		}
		// The unit's head may also submit what it writes.
		headB.Do("GET", "/api/v1/items/"+item+"/feedback", nil).Expect(200).JSON(&l)
		if !slices.Equal(l.AllowedActions, []string{"create", "submit"}) {
			t.Fatalf("head's list actions: %v", l.AllowedActions)
		}

		memberB.Do("POST", path+"/submit", nil).Problem(403, "forbidden")
		auditor.Do("POST", path+"/submit", nil).Problem(404, "not_found")
		fb = decode(t, headB.Do("POST", path+"/submit", nil, "If-Match", `"1"`).Expect(200))
		if fb.State != "submitted" || fb.Version != 2 || len(fb.AllowedActions) != 0 {
			t.Fatalf("submitted: %+v", fb)
		}
		headB.Do("POST", path+"/submit", nil).Problem(409, "invalid_transition")
		memberB.Do("PATCH", path, map[string]any{"progress": 35}).Problem(409, "invalid_transition")

		// One report serves every recipient: the office, the leader, the other unit, the auditor.
		for _, c := range []*apitest.Env{sup, leader, headC, auditor} {
			c.Do("GET", path, nil).Expect(200)
		}
		stranger.Do("GET", path, nil).Problem(404, "not_found")
		stranger.Do("GET", "/api/v1/items/"+item+"/feedback", nil).Problem(404, "not_found")
		if got := decode(t, sup.Do("GET", path, nil).Expect(200)); !slices.Equal(got.AllowedActions, []string{"accept", "return"}) {
			t.Fatalf("office's actions: %v", got.AllowedActions)
		}

		// Only the office reviews.
		memberB.Do("POST", path+"/accept", nil).Problem(403, "forbidden")
		headB.Do("POST", path+"/accept", nil).Problem(403, "forbidden")
		leader.Do("POST", path+"/return", map[string]string{"comment": "x"}).Problem(403, "forbidden")
		auditor.Do("POST", path+"/accept", nil).Problem(403, "forbidden")
		sup.Do("POST", path+"/return", map[string]string{}).Problem(422, "validation_failed")
		sup.Do("POST", path+"/return", nil).Problem(422, "validation_failed")
		sup.Do("POST", path+"/return", map[string]string{"comment": "请补充整改佐证材料"}, "If-Match", `"1"`).Problem(412, "precondition_failed")
		fb = decode(t, sup.Do("POST", path+"/return", map[string]string{"comment": "请补充整改佐证材料"}).Expect(200))
		if fb.State != "returned" || fb.ReviewComment != "请补充整改佐证材料" {
			t.Fatalf("returned: %+v", fb)
		}

		// The unit sees the comment and edits the same report.
		fb = decode(t, memberB.Do("GET", path, nil).Expect(200))
		if fb.ReviewComment != "请补充整改佐证材料" || !slices.Equal(fb.AllowedActions, []string{"update"}) {
			t.Fatalf("unit's view of the returned report: %+v", fb)
		}
		if got := decode(t, headB.Do("GET", path, nil).Expect(200)); !slices.Equal(got.AllowedActions, []string{"submit", "update"}) {
			t.Fatalf("head's actions: %v", got.AllowedActions)
		}
		memberB.Do("PATCH", path, map[string]any{"progress": 45}, "If-Match", `"1"`).Problem(412, "precondition_failed")
		headC.Do("PATCH", path, map[string]any{"progress": 45}).Problem(403, "forbidden")
		fb = decode(t, memberB.Do("PATCH", path, map[string]any{"progress": 45, "content": "已完成整改8项，附整改台账。"},
			"If-Match", `"3"`).Expect(200))
		if fb.Progress != 45 || fb.Problems != "2项需采购设备" || fb.Version != 4 || fb.State != "returned" {
			t.Fatalf("edited: %+v", fb)
		}
		fb = decode(t, liaisonB.Do("POST", path+"/submit", nil).Expect(200))
		if fb.State != "submitted" {
			t.Fatalf("resubmitted: %+v", fb)
		}
		if itemProgress(t, sup, item) != 0 {
			t.Fatal("progress moved before acceptance")
		}
		fb = decode(t, sup.Do("POST", path+"/accept", map[string]string{"comment": "进展符合要求"}).Expect(200))
		if fb.State != "accepted" || fb.ReviewComment != "进展符合要求" || len(fb.AllowedActions) != 0 {
			t.Fatalf("accepted: %+v", fb)
		}
		if p := itemProgress(t, sup, item); p != 45 {
			t.Fatalf("item progress %d, want 45", p)
		}
		sup.Do("POST", path+"/accept", nil).Problem(409, "invalid_transition")
		memberB.Do("PATCH", path, map[string]any{"progress": 50}).Problem(409, "invalid_transition")

		// The cooperating unit reports too; its accepted report leaves the item's progress.
		c := decode(t, headC.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 90, "content": "资金已落实。", "submit": true,
		}).Expect(201))
		if c.State != "submitted" || c.UnitID != w.DeptC.String() {
			t.Fatalf("cooperating report: %+v", c)
		}
		sup.Do("POST", "/api/v1/feedback/"+c.ID+"/accept", nil).Expect(200)
		if p := itemProgress(t, sup, item); p != 45 {
			t.Fatalf("item progress %d after the cooperating unit's report, want 45", p)
		}
		// A member of the unit may not submit at creation either; nothing is written.
		before := count(t, env, "item_feedback", "")
		memberB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{"progress": 50, "content": "x", "submit": true}).Problem(403, "forbidden")
		if count(t, env, "item_feedback", "") != before {
			t.Fatal("a refused submit left a draft behind")
		}

		// Everyone who sees the item reads both reports, newest first.
		auditor.Do("GET", "/api/v1/items/"+item+"/feedback", nil).Expect(200).JSON(&l)
		if l.Total != 2 || l.Data[0]["id"] != c.ID || l.Data[1]["id"] != fb.ID || l.Page != 1 || l.PageSize != 20 {
			t.Fatalf("list: %+v", l)
		}
		sup.Do("GET", "/api/v1/items/"+item+"/feedback?unit_id="+w.DeptC.String()+"&state=accepted", nil).Expect(200).JSON(&l)
		if l.Total != 1 || len(l.Due) != 1 || l.Due[0].UnitID != w.DeptC.String() {
			t.Fatalf("filtered list: %+v", l)
		}
		sup.Do("GET", "/api/v1/items/"+item+"/feedback?state=bogus", nil).Problem(422, "validation_failed")

		// The timeline has every step, and the lead's acceptance carries the progress change.
		actions, changes := events(t, sup, item)
		var got []string
		for i, a := range actions {
			if len(a) > 9 && a[:9] == "feedback_" {
				got = append(got, a)
				if a == "feedback_accepted" && changes[i]["unit_id"] == w.DeptB.String() {
					ip, _ := changes[i]["item_progress"].(map[string]any)
					if ip["to"] != float64(45) {
						t.Fatalf("accepted event changes: %v", changes[i])
					}
				}
			}
		}
		want := []string{"feedback_submitted", "feedback_returned", "feedback_submitted", "feedback_accepted", "feedback_submitted", "feedback_accepted"}
		if !slices.Equal(got, want) {
			t.Fatalf("timeline %v, want %v", got, want)
		}
	})
}

// TestFeedbackCopyForward: the next report starts from the previous one; a unit
// keeps one report in the works.
func TestFeedbackCopyForward(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("财务风险排查", 60).String()
		headB := env.As(env.Login("headb"))
		headC := env.As(env.Login("headc"))
		sup := env.As(env.Login("sup"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))

		draftPath := "/api/v1/items/" + item + "/feedback/draft"
		var d map[string]any
		headB.Do("GET", draftPath, nil).Expect(200).JSON(&d)
		if d["based_on_id"] != nil || d["content"] != "" || d["unit_id"] != w.DeptB.String() || d["open_feedback_id"] != nil {
			t.Fatalf("first template: %v", d)
		}
		first := decode(t, headB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 20, "content": "完成风险清单梳理。", "problems": "数据口径不一", "next_steps": "统一口径", "submit": true,
		}).Expect(201))
		sup.Do("POST", "/api/v1/feedback/"+first.ID+"/accept", nil).Expect(200)

		headB.Do("GET", draftPath, nil).Expect(200).JSON(&d)
		if d["based_on_id"] != first.ID || d["content"] != "完成风险清单梳理。" || d["problems"] != "数据口径不一" ||
			d["next_steps"] != "统一口径" || d["progress"] != float64(20) || d["open_feedback_id"] != nil {
			t.Fatalf("copied-forward template: %v", d)
		}
		// The client edits what changed and posts the rest as it came.
		second := decode(t, headB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 40, "content": d["content"], "problems": d["problems"], "next_steps": "完成整改", "based_on_id": d["based_on_id"],
		}).Expect(201))
		if second.BasedOnID == nil || *second.BasedOnID != first.ID || second.Problems != "数据口径不一" {
			t.Fatalf("second: %+v", second)
		}
		headB.Do("GET", draftPath+"?unit_id="+w.DeptB.String(), nil).Expect(200).JSON(&d)
		if d["open_feedback_id"] != second.ID {
			t.Fatalf("template does not point at the open draft: %v", d)
		}
		p := headB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{"progress": 50, "content": "又一份"}).Problem(409, "feedback_open_exists")
		if p["feedback_id"] != second.ID {
			t.Fatalf("409 does not name the open feedback: %v", p)
		}
		// based_on_id must be the unit's own submitted report on this item.
		headC.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 10, "content": "x", "based_on_id": first.ID,
		}).Problem(422, "validation_failed")

		// The cooperating unit starts empty; outsiders get nothing.
		headC.Do("GET", draftPath, nil).Expect(200).JSON(&d)
		if d["based_on_id"] != nil || d["progress"] != float64(0) || d["unit_id"] != w.DeptC.String() {
			t.Fatalf("cooperating template: %v", d)
		}
		headC.Do("GET", draftPath+"?unit_id="+w.DeptB.String(), nil).Problem(403, "forbidden")
		headB.Do("GET", draftPath+"?unit_id="+w.DeptX.String(), nil).Problem(422, "validation_failed")
		stranger.Do("GET", draftPath, nil).Problem(404, "not_found")
		auditor.Do("GET", draftPath, nil).Problem(403, "forbidden")
	})
}
