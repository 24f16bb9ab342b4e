package lifecycle_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/todo"
)

// walk is one item's life: the people and their sessions.
type walk struct {
	t    *testing.T
	env  *apitest.Env
	w    *apitest.World
	as   map[string]*apitest.Env
	item uuid.UUID
}

// people who log in during the walk.
var people = []string{"sup", "leader", "leader2", "headb", "liaisonb", "memberb", "headc", "memberc", "stranger", "auditor"}

func (k *walk) do(user, method, path string, body any, headers ...string) *apitest.Response {
	k.t.Helper()
	return k.as[user].Do(method, "/api/v1"+path, body, headers...)
}

func (k *walk) itemPath(suffix string) string { return "/items/" + k.item.String() + suffix }

// id decodes the id of a created resource.
func id(t *testing.T, r *apitest.Response) uuid.UUID {
	t.Helper()
	var v struct {
		ID uuid.UUID `json:"id"`
	}
	r.JSON(&v)
	if v.ID == uuid.Nil {
		t.Fatalf("no id in %s", r.Body)
	}
	return v.ID
}

type itemRead struct {
	State          string   `json:"state"`
	Progress       int      `json:"progress"`
	Deadline       string   `json:"deadline"`
	Original       string   `json:"original_deadline"`
	Overdue        bool     `json:"overdue"`
	Light          string   `json:"light"`
	Verified       bool     `json:"verified"`
	ReopenedCount  int      `json:"reopened_count"`
	Flagged        bool     `json:"flagged"`
	Code           *string  `json:"code"`
	AllowedActions []string `json:"allowed_actions"`
}

func (k *walk) read(user string) itemRead {
	k.t.Helper()
	var it itemRead
	k.do(user, "GET", k.itemPath(""), nil).Expect(200).JSON(&it)
	return it
}

// state checks the item's state as the office reads it.
func (k *walk) state(want string) itemRead {
	k.t.Helper()
	it := k.read("sup")
	if it.State != want {
		k.t.Fatalf("item state %s, want %s", it.State, want)
	}
	return it
}

// todoKeys lists the groups of user's to-do list that hold the item (with the
// ref, when given).
func (k *walk) todoKeys(user string, ref *uuid.UUID) []string {
	k.t.Helper()
	var out struct {
		Groups []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
			Items []struct {
				ItemID uuid.UUID  `json:"item_id"`
				RefID  *uuid.UUID `json:"ref_id"`
			} `json:"items"`
		} `json:"groups"`
	}
	k.do(user, "GET", "/me/todo", nil).Expect(200).JSON(&out)
	var keys []string
	for _, g := range out.Groups {
		for _, e := range g.Items {
			if e.ItemID == k.item && (ref == nil || (e.RefID != nil && *e.RefID == *ref)) {
				keys = append(keys, g.Key)
				break
			}
		}
	}
	return keys
}

// waits checks that the item (the ref, when given) is in group key of exactly the
// users in who, among everyone of the walk.
func (k *walk) waits(key string, ref *uuid.UUID, who ...string) {
	k.t.Helper()
	for _, u := range people {
		got := slices.Contains(k.todoKeys(u, ref), key)
		if want := slices.Contains(who, u); got != want {
			k.t.Errorf("to-do %s of %s holds the item: %v, want %v", key, u, got, want)
		}
	}
}

// nothingWaits checks that no one's to-do list holds the item.
func (k *walk) nothingWaits() {
	k.t.Helper()
	for _, u := range people {
		if keys := k.todoKeys(u, nil); len(keys) > 0 {
			k.t.Errorf("%s still has the item in %v", u, keys)
		}
	}
}

// passTo makes time pass on the application's clock to 09:00 of day, and signs
// everyone in again: their sessions have run out meanwhile.
func (k *walk) passTo(day civil.Date) {
	k.t.Helper()
	k.env.Clock.Set(day.In(k.env.App.Config.Location).Add(9 * time.Hour))
	for _, u := range people {
		k.as[u] = k.env.As(k.env.Login(u))
	}
}

// outbox lists the kinds of the domain events emitted for the item, in order.
func (k *walk) outbox() []string {
	k.t.Helper()
	var kinds []string
	if err := k.env.DB.Gorm().Table("domain_events").Where("item_id = ?", k.item).Order("seq").Pluck("kind", &kinds).Error; err != nil {
		k.t.Fatal(err)
	}
	return kinds
}

// upload sends a file for the item as user.
func (k *walk) upload(user, name string, content []byte) uuid.UUID {
	k.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", k.item.String())
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", k.env.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+k.as[user].Token)
	return id(k.t, k.env.Send(req).Expect(201))
}

// TestWholeLife walks one item from its task notice to the archive.
func TestWholeLife(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		k := &walk{t: t, env: env, w: apitest.NewWorld(env), as: map[string]*apitest.Env{}}
		for _, u := range people {
			k.as[u] = env.As(env.Login(u))
		}
		w := k.w
		today := env.App.Items.Today()
		deadline := today.AddDays(40)

		// ── Issue. The lead department drafts the task notice of a special
		// meeting (needs the supervising leader's approval) and submits it.
		k.item = id(t, k.do("headb", "POST", "/items", map[string]any{
			"title": "落实安全生产专题会议部署", "content": "开展所属单位安全隐患排查整治", "requirements": "按月报送进展，年底前完成整改",
			"category": "important_matter", "source": "special_meeting", "lead_unit_id": w.DeptB,
			"cooperating_unit_ids": []uuid.UUID{w.DeptC}, "supervising_leader_id": w.Leader,
			"deadline": deadline.String(), "feedback_cadence": "monthly",
		}).Expect(201))
		k.do("headb", "POST", k.itemPath("/submit"), nil).Expect(200)
		k.state("pending_approval")
		k.waits(todo.KeyApprovals, nil, "leader")
		k.do("leader2", "POST", k.itemPath("/approve"), nil).Problem(403, "forbidden") // not the supervising leader
		k.do("leader", "POST", k.itemPath("/approve"), map[string]string{"comment": "同意立项"}).Expect(200)
		k.waits(todo.KeyApprovals, nil)
		k.do("sup", "POST", k.itemPath("/issue"), nil).Expect(200)
		if it := k.state("issued"); it.Code == nil || !strings.HasPrefix(*it.Code, "DB-") || it.Original != deadline.String() {
			t.Fatalf("issued: %+v", it)
		}

		// ── Accept. The lead unit's head and the cooperating unit's head see their
		// assignments; the lead's acceptance starts the work.
		var asgs struct {
			Data []struct {
				ID     uuid.UUID `json:"id"`
				UnitID uuid.UUID `json:"unit_id"`
			} `json:"data"`
		}
		k.do("sup", "GET", k.itemPath("/assignments"), nil).Expect(200).JSON(&asgs)
		var asgB, asgC uuid.UUID
		for _, a := range asgs.Data {
			switch a.UnitID {
			case w.DeptB:
				asgB = a.ID
			case w.DeptC:
				asgC = a.ID
			}
		}
		k.waits(todo.KeyAssignmentsToAccept, &asgB, "headb", "liaisonb")
		k.waits(todo.KeyAssignmentsToAccept, &asgC, "headc")
		k.do("memberb", "POST", "/assignments/"+asgB.String()+"/accept", nil).Problem(403, "forbidden") // an undertaker
		k.do("headb", "POST", "/assignments/"+asgB.String()+"/accept", nil).Expect(200)
		k.do("headc", "POST", "/assignments/"+asgC.String()+"/accept", nil).Expect(200)
		k.state("in_progress")
		k.waits(todo.KeyAssignmentsToAccept, nil)

		// ── Feedback. The undertaker drafts (with a file), the head submits, the
		// office returns it with a comment, the liaison edits and resubmits, the
		// office accepts: the item's progress follows the lead unit's report.
		file := k.upload("memberb", "隐患排查台账.pdf", []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"))
		fb := id(t, k.do("memberb", "POST", k.itemPath("/feedback"), map[string]any{
			"progress": 30, "content": "已完成所属企业隐患排查，发现问题12项。", "problems": "2项整改需采购设备",
			"next_steps": "月底前完成8项整改", "attachment_ids": []uuid.UUID{file},
		}).Expect(201))
		k.waits(todo.KeyFeedbackToSubmit, &fb, "headb", "liaisonb")
		k.do("memberb", "POST", "/feedback/"+fb.String()+"/submit", nil).Problem(403, "forbidden") // undertakers draft, heads submit
		k.do("headb", "POST", "/feedback/"+fb.String()+"/submit", nil).Expect(200)
		k.waits(todo.KeyFeedbackToSubmit, nil)
		k.waits(todo.KeyFeedbackToReview, &fb, "sup")
		// A member (even of the lead unit) does not review feedback.
		k.do("memberb", "POST", "/feedback/"+fb.String()+"/accept", nil).Problem(403, "forbidden")
		k.do("headc", "POST", "/feedback/"+fb.String()+"/return", map[string]string{"comment": "x"}).Problem(403, "forbidden")
		// Another unit does not see the report's file at all.
		k.do("stranger", "GET", "/attachments/"+file.String(), nil).Problem(404, "not_found")
		k.do("stranger", "GET", "/attachments/"+file.String()+"/content", nil).Problem(404, "not_found")
		k.do("stranger", "GET", "/feedback/"+fb.String(), nil).Problem(404, "not_found")
		k.do("sup", "GET", "/attachments/"+file.String(), nil).Expect(200)
		k.do("sup", "POST", "/feedback/"+fb.String()+"/return", map[string]string{"comment": "请补充整改台账及完成时限"}).Expect(200)
		k.waits(todo.KeyFeedbackToReview, nil)
		k.waits(todo.KeyFeedbackToSubmit, &fb, "headb", "liaisonb")
		k.do("liaisonb", "PATCH", "/feedback/"+fb.String(), map[string]any{"progress": 50, "content": "已完成隐患排查，整改8项，剩余4项月底前完成。"}).Expect(200)
		k.do("liaisonb", "POST", "/feedback/"+fb.String()+"/submit", nil).Expect(200)
		k.waits(todo.KeyFeedbackToReview, &fb, "sup")
		if it := k.read("sup"); it.Progress != 0 {
			t.Errorf("progress %d before the report is accepted", it.Progress)
		}
		k.do("sup", "POST", "/feedback/"+fb.String()+"/accept", map[string]string{"comment": "进展符合要求"}).Expect(200)
		k.waits(todo.KeyFeedbackToReview, nil)
		if it := k.read("headb"); it.Progress != 50 {
			t.Errorf("progress %d after the accepted report, want 50", it.Progress)
		}

		// ── Urge, and acknowledge.
		urge := id(t, k.do("sup", "POST", k.itemPath("/urges"), map[string]string{"message": "请加快剩余隐患整改并按期反馈"}).Expect(201))
		k.waits(todo.KeyUrgesToAcknowledge, &urge, "headb", "liaisonb")
		k.do("memberb", "POST", "/urges/"+urge.String()+"/acknowledge", nil).Problem(403, "forbidden")
		k.do("headb", "POST", "/urges/"+urge.String()+"/acknowledge", nil).Expect(200)
		k.waits(todo.KeyUrgesToAcknowledge, nil)

		// ── Extension. The cooperating unit may not ask; the lead unit asks before
		// the deadline; the office forwards; the requester may not decide; the
		// supervising leader approves: the deadline moves, the original stays.
		newDeadline := deadline.AddDays(30)
		extBody := map[string]any{"requested_deadline": newDeadline.String(), "reason": "设备到货延迟，需顺延一个月完成调试", "progress": 50}
		k.do("headc", "POST", k.itemPath("/extensions"), extBody).Problem(403, "forbidden")
		ext := id(t, k.do("headb", "POST", k.itemPath("/extensions"), extBody).Expect(201))
		k.waits(todo.KeyExtensionDecisions, &ext, "sup")
		k.do("headb", "POST", "/extensions/"+ext.String()+"/review", map[string]string{"decision": "forward"}).Problem(403, "forbidden")
		k.do("sup", "POST", "/extensions/"+ext.String()+"/review", map[string]string{"decision": "forward", "comment": "理由充分"}).Expect(200)
		k.waits(todo.KeyExtensionDecisions, &ext, "leader")
		k.do("headb", "POST", "/extensions/"+ext.String()+"/approve", nil).Problem(403, "forbidden") // the requester
		k.do("leader", "POST", "/extensions/"+ext.String()+"/approve", map[string]string{"comment": "同意延期"}).Expect(200)
		k.waits(todo.KeyExtensionDecisions, nil)
		if it := k.read("sup"); it.Deadline != newDeadline.String() || it.Original != deadline.String() {
			t.Fatalf("after the extension: deadline %s, original %s", it.Deadline, it.Original)
		}
		// A second extension after the deadline is refused: time passes to the day
		// after the new deadline.
		k.passTo(newDeadline.AddDays(1))
		today = env.App.Items.Today()
		if it := k.read("headb"); !it.Overdue || it.Light != "red" {
			t.Fatalf("past the deadline: %+v", it)
		}
		k.waits(todo.KeyOverdue, nil, "sup", "headb", "liaisonb", "memberb", "headc", "memberc")
		k.do("headb", "POST", k.itemPath("/extensions"), map[string]any{"requested_deadline": today.AddDays(20).String(),
			"reason": "再次申请延期"}).Problem(409, "deadline_passed")
		// Only the office can then have a leader set a new deadline.
		k.do("sup", "POST", k.itemPath("/deadline"), map[string]any{"deadline": today.AddDays(30).String(),
			"leader_id": w.Leader, "decision_note": "经主管领导同意，限期办结"}).Expect(200)
		if it := k.read("sup"); it.Overdue || it.Original != deadline.String() {
			t.Fatalf("new deadline: %+v", it)
		}
		k.waits(todo.KeyOverdue, nil)

		// ── Completion. The cooperating unit may not ask; the lead unit asks; the
		// office rejects it (退办); the lead unit asks again; the office forwards;
		// the supervising leader approves: closed.
		done := map[string]string{"summary": "已完成全部隐患整改，整改率100%"}
		k.do("headc", "POST", k.itemPath("/completion-requests"), done).Problem(403, "forbidden")
		cr1 := id(t, k.do("headb", "POST", k.itemPath("/completion-requests"), done).Expect(201))
		k.state("completion_requested")
		k.waits(todo.KeyCompletionDecisions, &cr1, "sup")
		k.do("leader", "POST", "/completion-requests/"+cr1.String()+"/approve", nil).Problem(409, "invalid_transition") // not reviewed yet
		k.do("sup", "POST", "/completion-requests/"+cr1.String()+"/review", map[string]string{"decision": "reject",
			"comment": "整改佐证材料不全，退回补充"}).Expect(200)
		k.state("in_progress")
		k.waits(todo.KeyCompletionDecisions, nil)
		cr2 := id(t, k.do("liaisonb", "POST", k.itemPath("/completion-requests"), done).Expect(201))
		k.waits(todo.KeyCompletionDecisions, &cr2, "sup")
		k.do("sup", "POST", "/completion-requests/"+cr2.String()+"/review", map[string]string{"decision": "forward"}).Expect(200)
		k.waits(todo.KeyCompletionDecisions, &cr2, "leader")
		k.do("leader2", "POST", "/completion-requests/"+cr2.String()+"/approve", nil).Problem(403, "forbidden")
		k.do("leader", "POST", "/completion-requests/"+cr2.String()+"/approve", map[string]string{"comment": "同意办结"}).Expect(200)
		if it := k.state("closed"); it.Light != "none" || it.Verified {
			t.Fatalf("closed: %+v", it)
		}
		k.waits(todo.KeyCompletionDecisions, nil)
		k.waits(todo.KeyVerificationsDue, nil, "sup")

		// ── Verification failed (反弹): reopened and flagged.
		k.do("headb", "POST", k.itemPath("/verifications"), map[string]string{"method": "on_site", "findings": "x", "result": "passed"}).Problem(403, "forbidden")
		k.do("sup", "POST", k.itemPath("/verifications"), map[string]string{"method": "on_site",
			"findings": "现场核查发现2处隐患整改后反弹", "result": "failed"}).Expect(201)
		if it := k.state("in_progress"); it.ReopenedCount != 1 || !it.Flagged || it.Verified {
			t.Fatalf("reopened: %+v", it)
		}
		k.waits(todo.KeyVerificationsDue, nil)

		// ── Completion again → closed; verification passed → verified.
		cr3 := id(t, k.do("headb", "POST", k.itemPath("/completion-requests"), map[string]string{"summary": "反弹问题已整改到位"}).Expect(201))
		k.do("sup", "POST", "/completion-requests/"+cr3.String()+"/review", map[string]string{"decision": "forward"}).Expect(200)
		k.waits(todo.KeyCompletionDecisions, &cr3, "leader")
		k.do("leader", "POST", "/completion-requests/"+cr3.String()+"/approve", nil).Expect(200)
		k.state("closed")
		k.waits(todo.KeyVerificationsDue, nil, "sup")
		k.do("sup", "POST", k.itemPath("/verifications"), map[string]string{"method": "return_visit",
			"findings": "回访确认整改措施已落实，未再反弹", "result": "passed"}).Expect(201)
		if it := k.state("closed"); !it.Verified || it.ReopenedCount != 1 || !it.Flagged {
			t.Fatalf("verified: %+v", it)
		}
		k.waits(todo.KeyVerificationsDue, nil)

		// ── Archive (销号).
		k.do("headc", "POST", k.itemPath("/archive"), nil).Problem(403, "forbidden")
		k.do("sup", "POST", k.itemPath("/archive"), nil).Expect(200)
		if it := k.state("archived"); !it.Verified || it.Light != "none" {
			t.Fatalf("archived: %+v", it)
		}
		k.nothingWaits()
		// Everyone who took part still reads it; an unrelated unit does not.
		for _, u := range []string{"leader", "headb", "memberb", "headc", "memberc", "auditor"} {
			k.read(u)
		}
		k.do("stranger", "GET", k.itemPath(""), nil).Problem(404, "not_found")
		k.do("stranger", "GET", k.itemPath("/events"), nil).Problem(404, "not_found")

		// ── The timeline tells the whole story in order, and every chain holds.
		var evs struct {
			Data []struct {
				Seq         int    `json:"seq"`
				Action      string `json:"action"`
				StateBefore string `json:"state_before"`
				StateAfter  string `json:"state_after"`
			} `json:"data"`
			Total int `json:"total"`
		}
		k.do("auditor", "GET", k.itemPath("/events?page_size=100"), nil).Expect(200).JSON(&evs)
		var actions []string
		for i, e := range evs.Data {
			if e.Seq != i+1 {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
			actions = append(actions, e.Action)
		}
		story := []string{"create", "submit", "approve", "issue", "accept", "accept",
			"feedback_submitted", "feedback_returned", "feedback_submitted", "feedback_accepted",
			"urge", "urge_acknowledged",
			"extension_request", "extension_forward", "extension_approve", "deadline_set",
			"request_completion", "reject_completion", "request_completion", "completion_forward", "approve_completion",
			"verify",
			"request_completion", "completion_forward", "approve_completion", "verify",
			"archive"}
		if !subsequence(story, actions) {
			t.Errorf("timeline %v\ndoes not tell %v", actions, story)
		}
		if last := evs.Data[len(evs.Data)-1]; last.StateBefore != "closed" || last.StateAfter != "archived" {
			t.Errorf("last event %+v", last)
		}
		rep, err := items.VerifyChain(context.Background(), env.DB)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Events != evs.Total {
			t.Fatalf("chain: %+v (events %d, timeline %d)", rep, rep.Events, evs.Total)
		}

		// ── Every change emitted exactly its domain events, in order; refused
		// requests emitted nothing.
		wantEvents := []string{"item.created", "item.submitted", "item.approved", "item.issued",
			"assignment.accepted", "assignment.accepted",
			"feedback.submitted", "feedback.returned", "feedback.submitted", "feedback.accepted", "item.progress_changed",
			"urge.sent", "urge.acknowledged",
			"extension.requested", "extension.forwarded", "extension.approved", "deadline.moved", "deadline.moved",
			"completion.requested", "completion.rejected", "completion.requested", "completion.forwarded",
			"completion.approved", "item.closed",
			"verification.failed", "item.reopened",
			"completion.requested", "completion.forwarded", "completion.approved", "item.closed", "verification.passed",
			"item.archived"}
		if got := k.outbox(); !slices.Equal(got, wantEvents) {
			t.Errorf("domain events\n got %v\nwant %v", got, wantEvents)
		}
	})
}

// subsequence reports whether want appears in got in order (other entries may sit
// between).
func subsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
