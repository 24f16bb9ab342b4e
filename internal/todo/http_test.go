package todo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/todo"
)

type entry struct {
	ItemID         uuid.UUID  `json:"item_id"`
	Code           *string    `json:"code"`
	Title          string     `json:"title"`
	ItemState      string     `json:"item_state"`
	Deadline       string     `json:"deadline"`
	Light          string     `json:"light"`
	WarningCleared bool       `json:"warning_cleared"`
	Overdue        bool       `json:"overdue"`
	RefID          *uuid.UUID `json:"ref_id"`
	RefType        string     `json:"ref_type"`
	UnitID         *uuid.UUID `json:"unit_id"`
	Since          string     `json:"since"`
	DueDate        *string    `json:"due_date"`
}

type group struct {
	Key   string  `json:"key"`
	Count int     `json:"count"`
	Items []entry `json:"items"`
}

// todoOf reads the caller's to-do list, checking its shape.
func todoOf(t *testing.T, env *apitest.Env) map[string]group {
	t.Helper()
	var out struct {
		Groups []group `json:"groups"`
		Total  int     `json:"total"`
	}
	env.Do("GET", "/api/v1/me/todo", nil).Expect(200).JSON(&out)
	m := map[string]group{}
	keys := make([]string, len(out.Groups))
	sum := 0
	for i, g := range out.Groups {
		keys[i] = g.Key
		m[g.Key] = g
		sum += g.Count
		if len(g.Items) > todo.Limit || (g.Count <= todo.Limit && len(g.Items) != g.Count) || g.Items == nil {
			t.Fatalf("%s: count %d with %d items", g.Key, g.Count, len(g.Items))
		}
		for _, e := range g.Items {
			if e.ItemID == uuid.Nil || e.Title == "" || e.Light == "" || e.Since == "" || (e.RefID != nil) != (e.RefType != "") {
				t.Fatalf("%s: malformed entry %+v", g.Key, e)
			}
		}
	}
	if !slices.Equal(keys, todo.Keys) || sum != out.Total {
		t.Fatalf("groups %v (total %d, sum %d)", keys, out.Total, sum)
	}
	return m
}

// has reports whether the group lists the item (with the ref, when given).
func has(g group, item uuid.UUID, ref *uuid.UUID) bool {
	return slices.ContainsFunc(g.Items, func(e entry) bool {
		return e.ItemID == item && (ref == nil || (e.RefID != nil && *e.RefID == *ref))
	})
}

type tokens map[string]*apitest.Env

func (tk tokens) todo(t *testing.T, user string) map[string]group {
	t.Helper()
	return todoOf(t, tk[user])
}

// expect checks that exactly the users in who list the item in the group, among
// everyone in tk.
func (tk tokens) expect(t *testing.T, key string, item uuid.UUID, ref *uuid.UUID, who ...string) {
	t.Helper()
	for u := range tk {
		got := has(tk.todo(t, u)[key], item, ref)
		if want := slices.Contains(who, u); got != want {
			t.Errorf("%s: %s lists the item: %v, want %v", key, u, got, want)
		}
	}
}

func idOf(t *testing.T, r *apitest.Response) uuid.UUID {
	t.Helper()
	var v struct {
		ID uuid.UUID `json:"id"`
	}
	r.JSON(&v)
	return v.ID
}

// TestHTTPTodo walks every group: who sees what, and that the entry leaves the
// list once acted on. The item is registered ten days ago; time passes on the
// application's clock.
func TestHTTPTodo(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		ctx := context.Background()
		svc := env.App.Items
		now := env.Clock.Now()
		env.Clock.Set(now.AddDate(0, 0, -10))
		past := svc.Today()
		tk := tokens{}
		login := func() {
			for _, u := range []string{"sup", "leader", "leader2", "headb", "liaisonb", "memberb", "headc", "memberc", "stranger", "auditor"} {
				tk[u] = env.As(env.Login(u))
			}
		}
		login()
		// Nothing at first.
		for u := range tk {
			for k, g := range tk.todo(t, u) {
				if g.Count != 0 {
					t.Fatalf("%s starts with %d in %s", u, g.Count, k)
				}
			}
		}

		// approvals: an item of a special meeting waits for its supervising leader.
		lead, coop, leader := w.DeptB, w.DeptC, w.Leader
		in := items.ItemInput{Title: "专题会议部署事项", Content: "内容", Category: items.CategoryImportantMatter,
			Source: items.SourceSpecialMeeting, LeadUnitID: &lead, CooperatingUnitIDs: []uuid.UUID{coop},
			SupervisingLeaderID: &leader, Deadline: past.AddDays(60), FeedbackCadence: "weekly"}
		pend, err := svc.Create(ctx, env.Principal(w.HeadB), in)
		if err != nil {
			t.Fatal(err)
		}
		tk["headb"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/submit", nil).Expect(200)
		tk.expect(t, todo.KeyApprovals, pend.ID, nil, "leader")
		tk["leader"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/approve", nil).Expect(200)
		tk.expect(t, todo.KeyApprovals, pend.ID, nil)
		// to_issue: the approved item waits for the supervision office.
		tk.expect(t, todo.KeyToIssue, pend.ID, nil, "sup")

		// assignments_to_accept: issued, B (lead) and C (cooperating) pending.
		tk["sup"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/issue", nil).Expect(200)
		tk.expect(t, todo.KeyToIssue, pend.ID, nil)
		var asgs struct {
			Data []struct {
				ID     uuid.UUID `json:"id"`
				UnitID uuid.UUID `json:"unit_id"`
			} `json:"data"`
		}
		tk["sup"].Do("GET", "/api/v1/items/"+pend.ID.String()+"/assignments", nil).Expect(200).JSON(&asgs)
		var asgB, asgC uuid.UUID
		for _, a := range asgs.Data {
			if a.UnitID == w.DeptB {
				asgB = a.ID
			} else {
				asgC = a.ID
			}
		}
		tk.expect(t, todo.KeyAssignmentsToAccept, pend.ID, &asgB, "headb", "liaisonb")
		tk.expect(t, todo.KeyAssignmentsToAccept, pend.ID, &asgC, "headc")
		if e := tk.todo(t, "headb")[todo.KeyAssignmentsToAccept].Items[0]; e.RefType != todo.RefAssignment || e.Code == nil || *e.UnitID != w.DeptB {
			t.Errorf("assignment entry %+v", e)
		}
		tk["liaisonb"].Do("POST", "/api/v1/assignments/"+asgB.String()+"/accept", nil).Expect(200)
		tk.expect(t, todo.KeyAssignmentsToAccept, pend.ID, &asgB)
		tk.expect(t, todo.KeyAssignmentsToAccept, pend.ID, &asgC, "headc")
		tk["headc"].Do("POST", "/api/v1/assignments/"+asgC.String()+"/accept", nil).Expect(200)
		tk.expect(t, todo.KeyAssignmentsToAccept, pend.ID, nil)

		// overdue (below): an item whose deadline is nine days away.
		late := w.ItemInProgress("逾期事项", 9)

		// feedback_to_write: weekly reports; nothing due right after issue; ten
		// days later both units are overdue. Everyone signs in again: their
		// sessions ran out meanwhile.
		tk.expect(t, todo.KeyFeedbackToWrite, pend.ID, nil)
		env.Clock.Set(now)
		today := svc.Today()
		login()
		tk.expect(t, todo.KeyFeedbackToWrite, pend.ID, &asgB, "headb", "liaisonb", "memberb")
		tk.expect(t, todo.KeyFeedbackToWrite, pend.ID, &asgC, "headc", "memberc")
		if e := tk.todo(t, "memberb")[todo.KeyFeedbackToWrite].Items[0]; e.DueDate == nil || *e.DueDate >= today.String() {
			t.Errorf("feedback due entry %+v", e)
		}

		// feedback_to_submit: the undertaker drafts; the head and the liaison submit.
		fb := idOf(t, tk["memberb"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/feedback",
			map[string]any{"progress": 30, "content": "已完成排查"}).Expect(201))
		tk.expect(t, todo.KeyFeedbackToSubmit, pend.ID, &fb, "headb", "liaisonb")
		tk.expect(t, todo.KeyFeedbackToWrite, pend.ID, &asgB) // in the works now
		tk["headb"].Do("POST", "/api/v1/feedback/"+fb.String()+"/submit", nil).Expect(200)
		tk.expect(t, todo.KeyFeedbackToSubmit, pend.ID, nil)
		// feedback_to_review: the supervision office.
		tk.expect(t, todo.KeyFeedbackToReview, pend.ID, &fb, "sup")
		tk.expect(t, todo.KeyFeedbackToWrite, pend.ID, &asgB) // reported: due again in a week
		tk["sup"].Do("POST", "/api/v1/feedback/"+fb.String()+"/return", map[string]string{"comment": "请补充整改台账"}).Expect(200)
		tk.expect(t, todo.KeyFeedbackToReview, pend.ID, nil)
		tk.expect(t, todo.KeyFeedbackToSubmit, pend.ID, &fb, "headb", "liaisonb")
		tk["liaisonb"].Do("POST", "/api/v1/feedback/"+fb.String()+"/submit", nil).Expect(200)
		tk["sup"].Do("POST", "/api/v1/feedback/"+fb.String()+"/accept", nil).Expect(200)
		tk.expect(t, todo.KeyFeedbackToReview, pend.ID, nil)
		tk.expect(t, todo.KeyFeedbackToSubmit, pend.ID, nil)

		// urges_to_acknowledge.
		urge := idOf(t, tk["sup"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/urges", map[string]string{"message": "请抓紧办理"}).Expect(201))
		tk.expect(t, todo.KeyUrgesToAcknowledge, pend.ID, &urge, "headb", "liaisonb")
		tk["headb"].Do("POST", "/api/v1/urges/"+urge.String()+"/acknowledge", nil).Expect(200)
		tk.expect(t, todo.KeyUrgesToAcknowledge, pend.ID, nil)

		// extension_decisions: requested → the office; forwarded → the leader.
		ext := idOf(t, tk["headb"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/extensions",
			map[string]string{"requested_deadline": today.AddDays(90).String(), "reason": "设备到货延迟"}).Expect(201))
		tk.expect(t, todo.KeyExtensionDecisions, pend.ID, &ext, "sup")
		tk["sup"].Do("POST", "/api/v1/extensions/"+ext.String()+"/review", map[string]string{"decision": "forward"}).Expect(200)
		tk.expect(t, todo.KeyExtensionDecisions, pend.ID, &ext, "leader")
		tk["leader"].Do("POST", "/api/v1/extensions/"+ext.String()+"/approve", nil).Expect(200)
		tk.expect(t, todo.KeyExtensionDecisions, pend.ID, nil)

		// completion_decisions, then verifications_due.
		cr := idOf(t, tk["headb"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/completion-requests",
			map[string]string{"summary": "已全部完成"}).Expect(201))
		tk.expect(t, todo.KeyCompletionDecisions, pend.ID, &cr, "sup")
		tk["sup"].Do("POST", "/api/v1/completion-requests/"+cr.String()+"/review", map[string]string{"decision": "forward"}).Expect(200)
		tk.expect(t, todo.KeyCompletionDecisions, pend.ID, &cr, "leader")
		tk.expect(t, todo.KeyVerificationsDue, pend.ID, nil)
		tk["leader"].Do("POST", "/api/v1/completion-requests/"+cr.String()+"/approve", nil).Expect(200)
		tk.expect(t, todo.KeyCompletionDecisions, pend.ID, nil)
		tk.expect(t, todo.KeyVerificationsDue, pend.ID, nil, "sup")
		tk["sup"].Do("POST", "/api/v1/items/"+pend.ID.String()+"/verifications",
			map[string]string{"method": "return_visit", "findings": "整改到位", "result": "passed"}).Expect(201)
		tk.expect(t, todo.KeyVerificationsDue, pend.ID, nil)

		// overdue: the units that answer for it and the office; not the leader, not a
		// stranger; a cleared light still counts as overdue, shown green.
		tk.expect(t, todo.KeyOverdue, late, nil, "sup", "headb", "liaisonb", "memberb", "headc", "memberc")
		e := tk.todo(t, "headb")[todo.KeyOverdue].Items[0]
		if !e.Overdue || e.Light != "red" || e.Deadline != today.AddDays(-1).String() {
			t.Errorf("overdue entry %+v", e)
		}
		tk["sup"].Do("POST", "/api/v1/items/"+late.String()+"/clear-warning", map[string]string{"reason": "客观原因"}).Expect(200)
		if e := tk.todo(t, "headb")[todo.KeyOverdue].Items[0]; e.Light != "green" || !e.WarningCleared || !e.Overdue {
			t.Errorf("cleared overdue entry %+v", e)
		}
	})
}

// TestHTTPTodoCountsBeyondTheLimit: a group counts everything and shows the first
// 20, oldest first.
func TestHTTPTodoCountsBeyondTheLimit(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		ctx := context.Background()
		svc := env.App.Items
		lead, leader := w.DeptB, w.Leader
		var ids []uuid.UUID
		for i := range todo.Limit + 3 {
			v, err := svc.Create(ctx, env.Principal(w.Sup), items.ItemInput{Title: "待审批事项", Content: "内容",
				Category: items.CategoryImportantMatter, Source: items.SourceOther, LeadUnitID: &lead,
				SupervisingLeaderID: &leader, Deadline: svc.Today().AddDays(30 + i)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Act(ctx, env.Principal(w.Sup), v.ID, items.ActSubmit, "", nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, v.ID)
		}
		g := todoOf(t, env.As(env.Login("leader")))[todo.KeyApprovals]
		if g.Count != todo.Limit+3 || len(g.Items) != todo.Limit {
			t.Fatalf("count %d, %d items", g.Count, len(g.Items))
		}
		for i, e := range g.Items {
			if e.ItemID != ids[i] {
				t.Fatalf("entry %d is not the %d-th submitted", i, i)
			}
		}
		if g := todoOf(t, env.As(env.Login("leader2")))[todo.KeyApprovals]; g.Count != 0 {
			t.Errorf("another leader has %d approvals", g.Count)
		}
	})
}
