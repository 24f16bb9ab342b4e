package apitest

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
)

// World is a small group company for follow-up tests: the group with its
// supervision office, two leaders, a lead department B (head, liaison, an
// undertaker), a cooperating department C (head), an unrelated department X, an
// auditor and an admin.
type World struct {
	env *Env

	Group, Office, DeptB, DeptC, DeptX uuid.UUID

	Sup, Leader, Leader2, HeadB, LiaisonB, MemberB, HeadC, MemberC, Stranger, Auditor, Admin uuid.UUID
}

// NewWorld inserts the World's units and users. Every user's password is
// TestPassword; log in with env.Login("headb") and so on.
func NewWorld(env *Env) *World {
	env.T.Helper()
	w := &World{env: env}
	w.Group = env.Unit("集团公司", "group", nil, false)
	w.Office = env.Unit("办公厅督办处", "department", &w.Group, true)
	w.DeptB = env.Unit("安全生产部", "department", &w.Group, false)
	w.DeptC = env.Unit("财务部", "department", &w.Group, false)
	w.DeptX = env.Unit("人力资源部", "department", &w.Group, false)
	w.Sup = env.User("sup", w.Office, access.RoleSupervisor)
	w.Leader = env.User("leader", w.Group, access.RoleLeader)
	w.Leader2 = env.User("leader2", w.Group, access.RoleLeader)
	w.HeadB = env.User("headb", w.DeptB, access.RoleMember)
	w.LiaisonB = env.User("liaisonb", w.DeptB, access.RoleMember)
	w.MemberB = env.User("memberb", w.DeptB, access.RoleMember)
	w.HeadC = env.User("headc", w.DeptC, access.RoleMember)
	w.MemberC = env.User("memberc", w.DeptC, access.RoleMember)
	w.Stranger = env.User("stranger", w.DeptX, access.RoleMember)
	w.Auditor = env.User("auditor", w.Office, access.RoleAuditor)
	w.Admin = env.User("admin1", w.Office, access.RoleAdmin)
	env.SetHead(w.DeptB, w.HeadB)
	env.AddLiaison(w.DeptB, w.LiaisonB)
	env.SetHead(w.DeptC, w.HeadC)
	return w
}

// ItemInProgress registers an item (source board, so no approval step) led by
// department B with C cooperating and Leader supervising, issues it, and has B's
// head accept it: the item is in_progress. daysToDeadline sets its deadline.
func (w *World) ItemInProgress(title string, daysToDeadline int) uuid.UUID {
	t := w.env.T
	t.Helper()
	svc := w.env.App.Items
	ctx := context.Background()
	sup := w.env.Principal(w.Sup)
	lead, coop, leader := w.DeptB, w.DeptC, w.Leader
	v, err := svc.Create(ctx, sup, items.ItemInput{
		Title: title, Content: title + "：按期完成并报送办理情况。", Requirements: "按节点反馈进展",
		Category: items.CategoryImportantMatter, Source: "board", Method: "tracking", Urgency: "normal",
		FeedbackCadence: "monthly", LeadUnitID: &lead, CooperatingUnitIDs: []uuid.UUID{coop},
		SupervisingLeaderID: &leader, Deadline: svc.Today().AddDays(daysToDeadline),
	})
	if err != nil {
		t.Fatalf("create item: %v", err)
	}
	id := v.ID
	if _, err := svc.Act(ctx, sup, id, items.ActSubmit, "", nil); err != nil {
		t.Fatalf("submit item: %v", err)
	}
	if _, err := svc.Issue(ctx, sup, id, nil, "", nil); err != nil {
		t.Fatalf("issue item: %v", err)
	}
	asgs, err := svc.ListAssignments(ctx, sup, id)
	if err != nil {
		t.Fatalf("list assignments: %v", err)
	}
	for _, a := range asgs {
		if a.UnitID == w.DeptB {
			if _, err := svc.AcceptAssignment(ctx, w.env.Principal(w.HeadB), a.ID, nil); err != nil {
				t.Fatalf("accept assignment: %v", err)
			}
		}
	}
	return id
}
