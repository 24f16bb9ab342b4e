package items_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

func TestServiceLifecycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		in := w.draft(items.SourceSpecialMeeting)
		v := must(w.svc.Create(ctx, w.p(w.Member), in))(t)
		if v.State != items.StateDraft || v.Code != nil || v.Version != 1 || v.InitiatorUserID != w.Member || v.InitiatorUnitID != w.DeptA || v.ScopeID != w.Group {
			t.Fatalf("draft: %+v", v.Item)
		}
		if !slices.Equal(v.AllowedActions, []string{"add_sub_item", "delete", "manage_milestones", "submit", "update"}) {
			t.Fatalf("initiator's allowed actions on a draft: %v", v.AllowedActions)
		}
		if v.Light != items.LightNone || v.Overdue || v.DaysRemaining != nil {
			t.Fatalf("a draft has no light: %+v", v.Derived)
		}
		// special_meeting: the notice comes from the lead unit itself.
		if v.NoticeIssuerUnitID == nil || *v.NoticeIssuerUnitID != w.DeptB {
			t.Fatalf("notice issuer %v, want the lead unit", v.NoticeIssuerUnitID)
		}
		// The lead unit does not see someone else's draft.
		wantStatus(t, ignore(w.svc.Get(ctx, w.p(w.HeadB), v.ID)), 404)

		v = must(w.svc.Act(ctx, w.p(w.Member), v.ID, items.ActSubmit, "", nil))(t)
		if v.State != items.StatePendingApproval || v.SubmittedAt == nil {
			t.Fatalf("submitted: %s", v.State)
		}
		// Only the supervising leader approves.
		wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Leader2), v.ID, items.ActApprove, "", nil)), 403)
		wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActApprove, "", nil)), 403)
		v = must(w.svc.Act(ctx, w.p(w.Leader), v.ID, items.ActApprove, "同意", nil))(t)
		if v.State != items.StateApproved || v.ApprovedAt == nil {
			t.Fatalf("approved: %s", v.State)
		}
		// Only the supervision office issues.
		wantStatus(t, ignore(w.svc.Issue(ctx, w.p(w.Member), v.ID, nil, "", nil)), 403)
		v = must(w.svc.Issue(ctx, w.p(w.Sup), v.ID, nil, "", nil))(t)
		wantCode := fmt.Sprintf("DB-%d-0001", today().Year)
		if v.State != items.StateIssued || v.Code == nil || *v.Code != wantCode || v.OriginalDeadline != in.Deadline || v.IssuedAt == nil {
			t.Fatalf("issued: state %s code %v original %v", v.State, v.Code, v.OriginalDeadline)
		}
		if v.Light != items.LightGreen || v.DaysRemaining == nil || *v.DaysRemaining <= 0 {
			t.Fatalf("issued light %s days %v", v.Light, v.DaysRemaining)
		}
		asgs := must(w.svc.ListAssignments(ctx, w.p(w.HeadB), v.ID))(t)
		if len(asgs) != 2 || asgs[0].Role != items.RoleLead || asgs[0].UnitID != w.DeptB || asgs[1].UnitID != w.DeptC {
			t.Fatalf("assignments: %+v", asgs)
		}
		if !slices.Equal(asgs[0].AllowedActions, []string{"accept", "return", "update"}) {
			t.Fatalf("lead head's actions on the lead assignment: %v", asgs[0].AllowedActions)
		}
		// The lead unit now sees the item; a stranger still does not.
		must(w.svc.Get(ctx, w.p(w.MemberB), v.ID))(t)
		wantStatus(t, ignore(w.svc.Get(ctx, w.p(w.Stranger), v.ID)), 404)
		// The cooperating head cannot accept the lead's assignment.
		wantStatus(t, ignore(w.svc.AcceptAssignment(ctx, w.p(w.HeadC), asgs[0].ID, nil)), 403)
		// The cooperating unit accepts first: the item stays issued.
		must(w.svc.AcceptAssignment(ctx, w.p(w.HeadC), asgs[1].ID, nil))(t)
		if got := must(w.svc.Get(ctx, w.p(w.Sup), v.ID))(t); got.State != items.StateIssued {
			t.Fatalf("after the cooperating unit accepted: %s", got.State)
		}
		a := must(w.svc.AcceptAssignment(ctx, w.p(w.LiaisonB), asgs[0].ID, nil))(t)
		if a.State != items.AssignmentAccepted || a.AcceptedBy == nil || *a.AcceptedBy != w.LiaisonB {
			t.Fatalf("accepted: %+v", a.Assignment)
		}
		v = must(w.svc.Get(ctx, w.p(w.Sup), v.ID))(t)
		if v.State != items.StateInProgress || v.AcceptedAt == nil {
			t.Fatalf("after the lead accepted: %s", v.State)
		}
		// Accepting again is a 409 naming the assignment's state.
		p := wantStatus(t, ignore(w.svc.AcceptAssignment(ctx, w.p(w.HeadB), asgs[0].ID, nil)), 409)
		if p.Extra["state"] != "accepted" {
			t.Fatalf("409 names %v", p.Extra["state"])
		}
		// Suspend, resume, cancel with a reason.
		v = must(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActSuspend, "等待上级批复", nil))(t)
		if v.State != items.StateSuspended || v.SuspendReason != "等待上级批复" || v.Light == items.LightNone {
			t.Fatalf("suspended: %s %q %s", v.State, v.SuspendReason, v.Light)
		}
		v = must(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActResume, "", nil))(t)
		wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActCancel, "", nil)), 422)
		v = must(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActCancel, "任务调整", nil))(t)
		if v.State != items.StateCancelled || v.CancelReason != "任务调整" || v.CancelledAt == nil || v.Light != items.LightNone {
			t.Fatalf("cancelled: %+v", v.Item)
		}
		evs := must(w.svc.ListEvents(ctx, w.p(w.Auditor), v.ID, items.Page{Page: 1, Size: 100}))(t)
		var actions []string
		for _, e := range evs.Events {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "submit", "approve", "issue", "accept", "accept", "suspend", "resume", "cancel"}
		if !slices.Equal(actions, want) {
			t.Fatalf("timeline %v, want %v", actions, want)
		}
		rep := must(items.VerifyChain(ctx, env.DB))(t)
		if !rep.OK() || rep.Events != len(want) {
			t.Fatalf("chain: %+v", rep)
		}
	})
}

func ignore[T any](_ T, err error) error { return err }

func TestServiceBoardSkipsApprovalAndDocuments(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		// Board matters skip the approval step, yet need a supervising leader (who
		// decides their extensions and closing): 422 on the field without one. Only
		// the board office (or the supervision office) declares one.
		in := w.draft(items.SourceBoard)
		in.SupervisingLeaderID = nil
		p := wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Member), in)), 422)
		if len(p.Errors) != 1 || p.Errors[0].Field != "source" {
			t.Fatalf("a member declaring a board item: %+v", p.Errors)
		}
		boardOffice := env.Unit("董事会办公室", "department", &w.Group, false)
		clerk := env.User("board-clerk", boardOffice, access.RoleMember)
		v := must(w.svc.Create(ctx, w.p(clerk), in))(t)
		p0 := wantStatus(t, ignore(w.svc.Act(ctx, w.p(clerk), v.ID, items.ActSubmit, "", nil)), 422)
		if p0.Errors[0].Field != "supervising_leader_id" || p0.Errors[0].Rule != "required" {
			t.Fatalf("errors %+v", p0.Errors)
		}
		v = must(w.svc.Update(ctx, w.p(clerk), v.ID, items.ItemPatch{SupervisingLeaderID: &w.Leader}, nil))(t)
		v = must(w.svc.Act(ctx, w.p(clerk), v.ID, items.ActSubmit, "", nil))(t)
		if v.State != items.StateApproved || v.ApprovedAt == nil {
			t.Fatalf("board item after submit: %s", v.State)
		}
		// special_meeting without a leader cannot be submitted.
		in = w.draft(items.SourceOther)
		in.SupervisingLeaderID = nil
		v = must(w.svc.Create(ctx, w.p(w.Member), in))(t)
		p = wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Member), v.ID, items.ActSubmit, "", nil)), 422)
		if p.Errors[0].Field != "supervising_leader_id" {
			t.Fatalf("errors %+v", p.Errors)
		}
		// A document is registered directly by the supervision office.
		doc := w.draft(items.SourceSuperior)
		doc.Category = items.CategoryDocument
		doc.SourceRef = "国资委〔2026〕12号"
		d := must(w.svc.Create(ctx, w.p(w.Member), doc))(t)
		wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Member), d.ID, items.ActSubmit, "", nil)), 403)
		if slices.Contains(d.AllowedActions, "submit") {
			t.Fatalf("a member may not submit a document: %v", d.AllowedActions)
		}
		d = must(w.svc.Create(ctx, w.p(w.Sup), doc))(t)
		d = must(w.svc.Act(ctx, w.p(w.Sup), d.ID, items.ActSubmit, "", nil))(t)
		if d.State != items.StateApproved {
			t.Fatalf("document after submit: %s", d.State)
		}
		d = must(w.svc.Issue(ctx, w.p(w.Sup), d.ID, nil, "", nil))(t)
		if d.State != items.StateIssued || d.Code == nil {
			t.Fatalf("document issued: %s %v", d.State, d.Code)
		}
		// Important matters may not use document sources.
		bad := w.draft(items.SourceEmergency)
		p = wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Member), bad)), 422)
		if p.Errors[0].Field != "source" {
			t.Fatalf("errors %+v", p.Errors)
		}
	})
}

func TestServiceRejectNeedsComment(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		v := must(w.svc.Create(ctx, w.p(w.Member), w.draft(items.SourceOther)))(t)
		must(w.svc.Act(ctx, w.p(w.Member), v.ID, items.ActSubmit, "", nil))(t)
		p := wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Leader), v.ID, items.ActReject, "  ", nil)), 422)
		if p.Errors[0].Field != "comment" {
			t.Fatalf("errors %+v", p.Errors)
		}
		v = must(w.svc.Act(ctx, w.p(w.Leader), v.ID, items.ActReject, "请明确工作目标", nil))(t)
		if v.State != items.StateDraft || v.SubmittedAt != nil {
			t.Fatalf("rejected: %s", v.State)
		}
		evs := must(w.svc.ListEvents(ctx, w.p(w.Member), v.ID, items.Page{Page: 1, Size: 10}))(t)
		last := evs.Events[len(evs.Events)-1]
		if last.Action != "reject" || last.Comment != "请明确工作目标" || last.StateBefore != "pending_approval" || last.StateAfter != "draft" {
			t.Fatalf("reject event %+v", last)
		}
		// The initiator fixes it and submits again.
		v = must(w.svc.Update(ctx, w.p(w.Member), v.ID, items.ItemPatch{Requirements: ptr("目标：全部整改")}, items.Precondition{v.Version}))(t)
		v = must(w.svc.Act(ctx, w.p(w.Member), v.ID, items.ActSubmit, "", nil))(t)
		if v.State != items.StatePendingApproval {
			t.Fatalf("resubmitted: %s", v.State)
		}
	})
}

func TestServiceReturnAndReassign(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		v := must(w.svc.Create(ctx, w.p(w.Sup), w.draft(items.SourceGroupMeeting)))(t)
		must(w.svc.Act(ctx, w.p(w.Sup), v.ID, items.ActSubmit, "", nil))(t)
		v = must(w.svc.Issue(ctx, w.p(w.Sup), v.ID, nil, "", nil))(t)
		asgs := must(w.svc.ListAssignments(ctx, w.p(w.HeadB), v.ID))(t)
		lead := asgs[0]
		wantStatus(t, ignore(w.svc.ReturnAssignment(ctx, w.p(w.HeadB), lead.ID, "", nil)), 422)
		wantStatus(t, ignore(w.svc.ReturnAssignment(ctx, w.p(w.MemberB), lead.ID, "不是我们的", nil)), 403)
		r := must(w.svc.ReturnAssignment(ctx, w.p(w.HeadB), lead.ID, "该事项属于财务部职责", []int{lead.Version}))(t)
		if r.State != items.AssignmentReturned || r.Reason != "该事项属于财务部职责" || r.ReturnedAt == nil {
			t.Fatalf("returned: %+v", r.Assignment)
		}
		// The lead's head still sees the item (history) but has nothing to do.
		got := must(w.svc.Get(ctx, w.p(w.HeadB), v.ID))(t)
		if got.State != items.StateIssued || slices.Contains(got.AllowedActions, "accept") {
			t.Fatalf("after return: %s %v", got.State, got.AllowedActions)
		}
		if !slices.Contains(must(w.svc.Get(ctx, w.p(w.Sup), v.ID))(t).AllowedActions, "reassign") {
			t.Fatal("the supervisor may reassign")
		}
		wantStatus(t, ignore(w.svc.AddAssignment(ctx, w.p(w.Member), v.ID, items.AssignmentInput{UnitID: w.DeptX, Role: items.RoleLead}, "", nil)), 404)
		wantStatus(t, ignore(w.svc.AddAssignment(ctx, w.p(w.MemberB), v.ID, items.AssignmentInput{UnitID: w.DeptX, Role: items.RoleLead}, "", nil)), 403)
		p := wantStatus(t, ignore(w.svc.AddAssignment(ctx, w.p(w.Sup), v.ID, items.AssignmentInput{UnitID: w.DeptC, Role: items.RoleLead}, "", nil)), 422)
		if p.Errors[0].Field != "unit_id" { // DeptC already holds a live (cooperating) assignment
			t.Fatalf("errors %+v", p.Errors)
		}
		n := must(w.svc.AddAssignment(ctx, w.p(w.Sup), v.ID, items.AssignmentInput{UnitID: w.DeptX, Role: items.RoleLead}, "改由人力资源部牵头", nil))(t)
		if n.State != items.AssignmentPending || n.Role != items.RoleLead {
			t.Fatalf("new lead: %+v", n.Assignment)
		}
		// A second live lead is refused.
		p = wantStatus(t, ignore(w.svc.AddAssignment(ctx, w.p(w.Sup), v.ID, items.AssignmentInput{UnitID: w.DeptA, Role: items.RoleLead}, "", nil)), 422)
		if p.Errors[0].Field != "role" {
			t.Fatalf("errors %+v", p.Errors)
		}
		got = must(w.svc.Get(ctx, w.p(w.Sup), v.ID))(t)
		if got.LeadUnitID == nil || *got.LeadUnitID != w.DeptX {
			t.Fatalf("lead unit %v, want DeptX", got.LeadUnitID)
		}
		// The new lead unit sees the item; its liaison names the responsible person
		// and accepts.
		env.AddLiaison(w.DeptX, w.Stranger)
		must(w.svc.Get(ctx, w.p(w.Stranger), v.ID))(t)
		n = must(w.svc.UpdateAssignment(ctx, w.p(w.Stranger), n.ID, &w.Stranger, []int{n.Version}))(t)
		if n.ResponsibleUserID == nil || *n.ResponsibleUserID != w.Stranger {
			t.Fatalf("responsible: %v", n.ResponsibleUserID)
		}
		p = wantStatus(t, ignore(w.svc.UpdateAssignment(ctx, w.p(w.Stranger), n.ID, &w.Member, nil)), 422)
		if p.Errors[0].Field != "responsible_user_id" {
			t.Fatalf("errors %+v", p.Errors)
		}
		must(w.svc.AcceptAssignment(ctx, w.p(w.Stranger), n.ID, nil))(t)
		if got := must(w.svc.Get(ctx, w.p(w.Sup), v.ID))(t); got.State != items.StateInProgress {
			t.Fatalf("after the new lead accepted: %s", got.State)
		}
	})
}

func TestServiceSubItemHandedToEnterprise(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		// A group item led by the enterprise itself.
		in := w.draft(items.SourceGroupMeeting)
		in.LeadUnitID, in.CooperatingUnitIDs = &w.Ent, []uuid.UUID{w.DeptB}
		parent := must(w.svc.Create(ctx, w.p(w.Sup), in))(t)
		must(w.svc.Act(ctx, w.p(w.Sup), parent.ID, items.ActSubmit, "", nil))(t)
		parent = must(w.svc.Issue(ctx, w.p(w.Sup), parent.ID, nil, "", nil))(t)
		// Everyone in the enterprise sees the group item given to it.
		must(w.svc.Get(ctx, w.p(w.EntMember), parent.ID))(t)
		wantStatus(t, ignore(w.svc.Get(ctx, w.p(w.Ent2Sup), parent.ID)), 404)

		// The group's supervision office hands a sub-item down to the enterprise.
		sub := items.ItemInput{Title: "华东公司隐患排查", Content: "所属电厂排查", Category: items.CategoryImportantMatter,
			Source: items.SourceOther, LeadUnitID: &w.EntDept, SupervisingLeaderID: &w.EntLeader,
			Deadline: today().AddDays(30), ParentID: &parent.ID, ScopeID: &w.Ent}
		// Units and leaders must be of the enterprise's scope.
		bad := sub
		bad.LeadUnitID, bad.SupervisingLeaderID = &w.DeptB, &w.Leader
		p := wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Sup), bad)), 422)
		if len(p.Errors) != 2 {
			t.Fatalf("errors %+v", p.Errors)
		}
		bad = sub
		bad.ScopeID = &w.EntDept
		wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Sup), bad)), 422)
		// A parent the caller cannot see is "no such item".
		wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Stranger), sub)), 422)
		// One they see but do not run: 403.
		wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.MemberB), sub)), 403)
		s := must(w.svc.Create(ctx, w.p(w.Sup), sub))(t)
		if s.ScopeID != w.Ent || s.ParentID == nil || *s.ParentID != parent.ID {
			t.Fatalf("sub-item: %+v", s.Item)
		}
		// The enterprise's supervision office runs it; the group's still sees it.
		must(w.svc.Act(ctx, w.p(w.EntSup), s.ID, items.ActSubmit, "", nil))(t)
		wantStatus(t, ignore(w.svc.Act(ctx, w.p(w.Leader), s.ID, items.ActApprove, "", nil)), 403)
		must(w.svc.Act(ctx, w.p(w.EntLeader), s.ID, items.ActApprove, "", nil))(t)
		wantStatus(t, ignore(w.svc.Issue(ctx, w.p(w.Sup), s.ID, nil, "", nil)), 403)
		s = must(w.svc.Issue(ctx, w.p(w.EntSup), s.ID, nil, "", nil))(t)
		if want := fmt.Sprintf("DB-华东-%d-0001", today().Year); s.Code == nil || *s.Code != want {
			t.Fatalf("enterprise code %v, want %s", s.Code, want)
		}
		must(w.svc.Get(ctx, w.p(w.Sup), s.ID))(t)
		wantStatus(t, ignore(w.svc.Get(ctx, w.p(w.Ent2Sup), s.ID)), 404)

		// The enterprise's supervision office may decompose the group item into its
		// own scope too.
		own := sub
		own.ScopeID, own.Title = nil, "华东公司自行分解"
		o := must(w.svc.Create(ctx, w.p(w.EntSup), own))(t)
		if o.ScopeID != w.Ent {
			t.Fatalf("decomposed by the enterprise into scope %s", o.ScopeID)
		}
		// Roll-up: the parent shows the average progress of its sub-items.
		must(w.svc.Update(ctx, w.p(w.EntSup), s.ID, items.ItemPatch{Progress: ptr(80)}, nil))(t)
		must(w.svc.Update(ctx, w.p(w.EntSup), o.ID, items.ItemPatch{Progress: ptr(30)}, nil))(t)
		pv := must(w.svc.Get(ctx, w.p(w.Sup), parent.ID))(t)
		if pv.ChildrenCount != 2 || pv.ChildrenProgress == nil || *pv.ChildrenProgress != 55 {
			t.Fatalf("roll-up: %d children, %v", pv.ChildrenCount, pv.ChildrenProgress)
		}
		kids := must(w.svc.List(ctx, w.p(w.Sup), items.Filter{ParentID: &parent.ID, Page: items.Page{Page: 1, Size: 20}}))(t)
		if kids.Total != 2 {
			t.Fatalf("the group supervisor lists %d sub-items", kids.Total)
		}
	})
}

func TestServiceValidation(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		for _, c := range []struct {
			name  string
			edit  func(*items.ItemInput)
			field string
		}{
			{"no title", func(in *items.ItemInput) { in.Title = " " }, "title"},
			{"no content", func(in *items.ItemInput) { in.Content = "" }, "content"},
			{"bad category", func(in *items.ItemInput) { in.Category = "x" }, "category"},
			{"bad urgency", func(in *items.ItemInput) { in.Urgency = "asap" }, "urgency"},
			{"bad cadence", func(in *items.ItemInput) { in.FeedbackCadence = "daily" }, "feedback_cadence"},
			{"bad meeting", func(in *items.ItemInput) { in.MeetingType = "party" }, "meeting_type"},
			{"past deadline", func(in *items.ItemInput) { in.Deadline = today().AddDays(-1) }, "deadline"},
			{"no deadline", func(in *items.ItemInput) { in.Deadline = civil.Date{} }, "deadline"},
			{"no lead", func(in *items.ItemInput) { in.LeadUnitID = nil }, "lead_unit_id"},
			{"unknown unit", func(in *items.ItemInput) { in.LeadUnitID = ptr(uuid.New()) }, "lead_unit_id"},
			{"unit of another scope", func(in *items.ItemInput) { in.LeadUnitID = &w.EntDept }, "lead_unit_id"},
			{"lead also cooperating", func(in *items.ItemInput) { in.CooperatingUnitIDs = []uuid.UUID{w.DeptB} }, "cooperating_unit_ids"},
			{"leader without role", func(in *items.ItemInput) { in.SupervisingLeaderID = &w.Member }, "supervising_leader_id"},
			{"leader of another scope", func(in *items.ItemInput) { in.SupervisingLeaderID = &w.EntLeader }, "supervising_leader_id"},
			{"assisting not leader", func(in *items.ItemInput) { in.AssistingLeaderIDs = []uuid.UUID{w.Sup} }, "assisting_leader_ids"},
			{"other scope without parent", func(in *items.ItemInput) { in.ScopeID = &w.Ent }, "scope_id"},
			{"unknown parent", func(in *items.ItemInput) { in.ParentID = ptr(uuid.New()) }, "parent_id"},
			{"foreign initiator unit", func(in *items.ItemInput) { in.InitiatorUnitID = &w.DeptX }, "initiator_unit_id"},
		} {
			in := w.draft(items.SourceOther)
			c.edit(&in)
			p := wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Member), in)), 422)
			if !slices.ContainsFunc(p.Errors, func(e problemField) bool { return e.Field == c.field }) {
				t.Errorf("%s: errors %+v, want one on %s", c.name, p.Errors, c.field)
			}
		}
		// An enterprise unit directly under the group may lead a group item.
		in := w.draft(items.SourceOther)
		in.LeadUnitID = &w.Ent
		must(w.svc.Create(ctx, w.p(w.Member), in))(t)
		// Admins and auditors do not create items.
		wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Admin), w.draft(items.SourceOther))), 403)
		wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.Auditor), w.draft(items.SourceOther))), 403)

		// Fields frozen by state.
		v, _ := w.running(t)
		for _, c := range []struct {
			patch items.ItemPatch
			field string
		}{
			{items.ItemPatch{Deadline: ptr(today().AddDays(90))}, "deadline"},
			{items.ItemPatch{LeadUnitID: &w.DeptX}, "lead_unit_id"},
			{items.ItemPatch{Source: ptr(items.SourceBoard)}, "source"},
			{items.ItemPatch{Progress: ptr(101)}, "progress"},
		} {
			p := wantStatus(t, ignore(w.svc.Update(ctx, w.p(w.Sup), v.ID, c.patch, nil)), 422)
			if p.Errors[0].Field != c.field {
				t.Errorf("patch %s: errors %+v", c.field, p.Errors)
			}
		}
		// Sending the current value is fine; the title still changes.
		v2 := must(w.svc.Update(ctx, w.p(w.Sup), v.ID, items.ItemPatch{Deadline: &v.Deadline, Title: ptr("新标题")}, nil))(t)
		if v2.Title != "新标题" || v2.Version != v.Version+1 {
			t.Fatalf("patched: %q v%d", v2.Title, v2.Version)
		}
		// The initiator may not edit after submit.
		wantStatus(t, ignore(w.svc.Update(ctx, w.p(w.Member), v.ID, items.ItemPatch{Title: ptr("x")}, nil)), 403)
		// Milestones: not past, not after the deadline.
		wantStatus(t, ignore(w.svc.CreateMilestone(ctx, w.p(w.HeadB), v.ID, items.MilestoneInput{Title: "x", DueDate: today().AddDays(-1)})), 422)
		wantStatus(t, ignore(w.svc.CreateMilestone(ctx, w.p(w.HeadB), v.ID, items.MilestoneInput{Title: "x", DueDate: v.Deadline.AddDays(1)})), 422)
		wantStatus(t, ignore(w.svc.CreateMilestone(ctx, w.p(w.MemberB), v.ID, items.MilestoneInput{Title: "x", DueDate: today()})), 403)
		must(w.svc.CreateMilestone(ctx, w.p(w.HeadB), v.ID, items.MilestoneInput{Title: "排查完成", DueDate: today().AddDays(5)}))(t)
	})
}
