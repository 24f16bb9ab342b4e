package notifications_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestWhatNotifiesWhom walks an item's life through the API and checks after
// every step who was told what: the people who must act now (the to-do list's
// rules) and the item's followers for outcomes; never the actor, never an
// inactive user, each once. Every notification also goes out by e-mail (the
// default), once.
func TestWhatNotifiesWhom(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		w := k.w
		today := k.env.App.Items.Today()
		deadline := today.AddDays(40)
		newItem := func(title string) uuid.UUID {
			return idOf(t, k.do("headb", "POST", "/items", map[string]any{
				"title": title, "content": "开展所属单位安全隐患排查整治", "requirements": "按月报送进展",
				"category": "important_matter", "source": "special_meeting", "lead_unit_id": w.DeptB,
				"cooperating_unit_ids": []uuid.UUID{w.DeptC}, "supervising_leader_id": w.Leader,
				"deadline": deadline.String(), "feedback_cadence": "monthly",
			}).Expect(201))
		}
		item := newItem("落实安全生产专题会议部署")
		path := func(s string) string { return "/items/" + item.String() + s }

		k.do("headb", "POST", path("/submit"), nil).Expect(200)
		got := k.told("submitted", each("leader")("item.submitted"))
		if n := got["leader"][0]; n.Kind != "decision_waiting" || n.Link != "/items/"+item.String() || *n.ItemID != item ||
			!strings.Contains(n.Title.Zh, "待审批") || !strings.Contains(n.Title.En, "approval") || *n.ActorID != w.HeadB {
			t.Errorf("approval waiting: %+v", n)
		}

		k.do("leader", "POST", path("/approve"), map[string]string{"comment": "同意立项"}).Expect(200)
		got = k.told("approved", each("headb", "sup")("item.approved"))
		if n := got["headb"][0]; n.Kind != "item_decided" || !strings.Contains(n.Body.Zh, "同意立项") {
			t.Errorf("approved: %+v", n)
		}

		k.do("sup", "POST", path("/issue"), nil).Expect(200)
		got = k.told("issued", each("headb", "liaisonb", "headc")("item.issued"))
		if n := got["headc"][0]; n.Kind != "item_issued" || n.Link != "/items/"+item.String()+"?tab=assignments" ||
			!strings.Contains(n.Body.Zh, deadline.String()) {
			t.Errorf("issued: %+v", n)
		}

		var asgs struct {
			Data []struct {
				ID     uuid.UUID `json:"id"`
				UnitID uuid.UUID `json:"unit_id"`
			} `json:"data"`
		}
		k.do("sup", "GET", path("/assignments"), nil).Expect(200).JSON(&asgs)
		for _, a := range asgs.Data {
			head := map[uuid.UUID]string{w.DeptB: "headb", w.DeptC: "headc"}[a.UnitID]
			k.do(head, "POST", "/assignments/"+a.ID.String()+"/accept", nil).Expect(200)
		}
		k.told("accepted", nil)

		fb := idOf(t, k.do("memberb", "POST", path("/feedback"), map[string]any{"progress": 30, "content": "已完成隐患排查，发现问题12项。"}).Expect(201))
		k.do("headb", "POST", "/feedback/"+fb.String()+"/submit", nil).Expect(200)
		k.told("feedback submitted", nil)
		k.do("sup", "POST", "/feedback/"+fb.String()+"/return", map[string]string{"comment": "请补充整改台账"}).Expect(200)
		got = k.told("feedback returned", each("headb", "liaisonb")("feedback.returned"))
		if n := got["liaisonb"][0]; n.Kind != "feedback_reviewed" || n.ObjectType != "feedback" || *n.ObjectID != fb ||
			!strings.Contains(n.Body.Zh, "请补充整改台账") || !strings.HasSuffix(n.Link, "?tab=feedback") {
			t.Errorf("feedback returned: %+v", n)
		}
		k.do("liaisonb", "POST", "/feedback/"+fb.String()+"/submit", nil).Expect(200)
		k.do("sup", "POST", "/feedback/"+fb.String()+"/accept", map[string]string{"comment": "进展符合要求"}).Expect(200)
		k.told("feedback accepted", each("headb", "liaisonb")("feedback.accepted"))

		urge := idOf(t, k.do("sup", "POST", path("/urges"), map[string]string{"message": "请加快剩余隐患整改"}).Expect(201))
		got = k.told("urged", each("headb", "liaisonb")("urge.sent"))
		if n := got["headb"][0]; n.Kind != "urge" || *n.ObjectID != urge || !strings.Contains(n.Body.Zh, "请加快剩余隐患整改") {
			t.Errorf("urge: %+v", n)
		}
		k.do("headb", "POST", "/urges/"+urge.String()+"/acknowledge", nil).Expect(200)
		k.told("urge acknowledged", nil)

		ext := idOf(t, k.do("headb", "POST", path("/extensions"), map[string]any{"requested_deadline": deadline.AddDays(30).String(),
			"reason": "设备到货延迟", "progress": 50}).Expect(201))
		got = k.told("extension requested", each("sup")("extension.requested"))
		if n := got["sup"][0]; n.Kind != "decision_waiting" || !strings.Contains(n.Body.Zh, "安全生产部") || !strings.Contains(n.Body.En, "安全生产部") {
			t.Errorf("extension requested: %+v", n)
		}
		k.do("sup", "POST", "/extensions/"+ext.String()+"/review", map[string]string{"decision": "forward", "comment": "理由充分"}).Expect(200)
		k.told("extension forwarded", each("leader")("extension.forwarded"))
		k.do("leader", "POST", "/extensions/"+ext.String()+"/approve", map[string]string{"comment": "同意延期"}).Expect(200)
		got = k.told("extension approved", each("headb", "liaisonb", "headc")("extension.approved"))
		if n := got["headc"][0]; n.Kind != "request_decided" || !strings.Contains(n.Body.Zh, deadline.AddDays(30).String()) {
			t.Errorf("extension approved: %+v", n)
		}

		k.do("leader", "POST", path("/comments"), map[string]string{"kind": "instruction", "body": "务必在汛期前完成整改"}).Expect(201)
		k.do("headc", "POST", path("/comments"), map[string]string{"kind": "comment", "body": "已配合"}).Expect(201)
		got = k.told("instruction", each("headb", "liaisonb", "headc")("instruction.added"))
		if n := got["headb"][0]; n.Kind != "instruction" || !strings.Contains(n.Body.Zh, "务必在汛期前完成整改") || !strings.HasSuffix(n.Link, "?tab=comments") {
			t.Errorf("instruction: %+v", n)
		}

		cr := idOf(t, k.do("headb", "POST", path("/completion-requests"), map[string]string{"summary": "已完成全部隐患整改"}).Expect(201))
		k.told("completion requested", each("sup")("completion.requested"))
		k.do("sup", "POST", "/completion-requests/"+cr.String()+"/review", map[string]string{"decision": "forward"}).Expect(200)
		k.told("completion forwarded", each("leader")("completion.forwarded"))
		k.do("leader", "POST", "/completion-requests/"+cr.String()+"/approve", map[string]string{"comment": "同意办结"}).Expect(200)
		k.told("completion approved", each("headb", "liaisonb", "headc")("completion.approved"))

		// An inactive user is told nothing.
		k.env.SetActive(w.HeadC, false)
		k.do("sup", "POST", path("/verifications"), map[string]string{"method": "on_site", "findings": "现场核查发现2处隐患反弹", "result": "failed"}).Expect(201)
		k.drain()
		k.env.SetActive(w.HeadC, true)
		got = k.told("verification failed", each("headb", "liaisonb", "leader")("verification.failed"))
		if n := got["leader"][0]; n.Kind != "verification_failed" || !strings.Contains(n.Body.Zh, "隐患反弹") {
			t.Errorf("verification failed: %+v", n)
		}

		// A second item: rejected; then assigned to a unit that returns it.
		other := newItem("编制专项整治方案")
		k.do("headb", "POST", "/items/"+other.String()+"/submit", nil).Expect(200)
		k.told("second submitted", each("leader")("item.submitted"))
		k.do("leader", "POST", "/items/"+other.String()+"/reject", map[string]string{"comment": "请细化目标"}).Expect(200)
		k.told("rejected", each("headb")("item.rejected"))
		k.env.SetHead(w.DeptX, w.Stranger)
		asg := idOf(t, k.do("sup", "POST", path("/assignments"), map[string]any{"unit_id": w.DeptX, "role": "cooperating"}).Expect(201))
		k.told("assigned", each("stranger")("assignment.added"))
		k.do("stranger", "POST", "/assignments/"+asg.String()+"/return", map[string]string{"reason": "不属于本部门职责"}).Expect(200)
		got = k.told("returned", each("sup", "headb")("assignment.returned"))
		if n := got["sup"][0]; n.Kind != "assignment_returned" || !contains(n.Body.Zh, "人力资源部", "不属于本部门职责") || !strings.Contains(n.Body.En, "Reason") {
			t.Errorf("assignment returned: %+v", n)
		}

		// Every notification went out by e-mail, once, to its user.
		total := 0
		for _, u := range people {
			total += int(k.seen[u])
		}
		msgs := k.smtp.Wait(t, total, 10*time.Second)
		if len(msgs) != total {
			t.Errorf("%d e-mails for %d notifications", len(msgs), total)
		}
		for _, u := range people {
			if got := len(k.smtp.To(u + "@example.com")); int64(got) != k.seen[u] {
				t.Errorf("%s: %d e-mails, %d notifications", u, got, k.seen[u])
			}
		}
	})
}
