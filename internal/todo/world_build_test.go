package todo_test

import (
	"github.com/google/uuid"

	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/items"
)

// build makes the items. Day 0 is sixty days ago; the world ends today.
func (w *world) build() {
	B, C, D, E := w.DeptB, w.DeptC, w.DeptD, w.Ent
	resp := func(unit uuid.UUID, role string, who string) items.AssignmentInput {
		r := w.u[who]
		return items.AssignmentInput{UnitID: unit, Role: role, ResponsibleUserID: &r}
	}

	// Before issue: drafts, waiting for approval, approved, rejected, cancelled.
	w.create("草稿（成员）", item{by: "memberb", src: items.SourceSpecialMeeting, lead: B, leader: "leader"})
	w.create("草稿（文件）", item{by: "sup", src: items.SourceSuperior, lead: C})
	w.create("草稿（领导批示）", item{by: "sup", src: items.SourceLeaderInstruction, lead: C, leader: "leader2"})
	pend := w.create("待审批（逾期）", item{by: "headb", src: items.SourceSpecialMeeting, lead: B, coop: []uuid.UUID{C}, leader: "leader", days: 30})
	w.act("headb", pend, items.ActSubmit, "")
	pend2 := w.create("待审批（双重角色领导）", item{by: "memberd", src: items.SourceOther, lead: D, leader: "supleader"})
	w.act("memberd", pend2, items.ActSubmit, "")
	appr := w.create("待下达（免审批）", item{by: "sup", src: items.SourceBoard, lead: C, leader: "leader2"})
	w.act("sup", appr, items.ActSubmit, "")
	appr2 := w.create("待下达（已审批）", item{by: "headb", src: items.SourceSpecialMeeting, lead: B, leader: "leader"})
	w.act("headb", appr2, items.ActSubmit, "")
	w.act("leader", appr2, items.ActApprove, "同意")
	rej := w.create("退回草稿", item{by: "headc", src: items.SourceSpecialMeeting, lead: C, leader: "leader"})
	w.act("headc", rej, items.ActSubmit, "")
	w.act("leader", rej, items.ActReject, "请补充依据")
	canc := w.create("立项后撤销", item{by: "sup", src: items.SourcePartyGroup, lead: B, leader: "leader"})
	w.act("sup", canc, items.ActSubmit, "")
	w.act("sup", canc, items.ActCancel, "不再督办")

	// Issued, nothing accepted yet: weekly reports fall due; B's responsible person
	// works in B's sub-unit.
	iss := w.create("已下达待接收", item{by: "sup", src: items.SourceBoard, lead: B, coop: []uuid.UUID{C}, leader: "leader", cadence: "weekly"})
	w.act("sup", iss, items.ActSubmit, "")
	w.issue("sup", iss, resp(B, items.RoleLead, "memberb1"), items.AssignmentInput{UnitID: C, Role: items.RoleCooperating})
	// The enterprise leads a group item; a person of its department is responsible.
	ent := w.create("企业牵头事项", item{by: "sup", src: items.SourceGroupMeeting, lead: E, coop: []uuid.UUID{D}, leader: "leader", cadence: "weekly"})
	w.act("sup", ent, items.ActSubmit, "")
	w.issue("sup", ent, resp(E, items.RoleLead, "entmember"), items.AssignmentInput{UnitID: D, Role: items.RoleCooperating})

	// In progress: every state of an assignment and of a report. C gives its
	// assignment back with a draft in the works; D is brought in and reports.
	prog := w.running("进行中（反馈各态）", item{lead: B, coop: []uuid.UUID{C}, leader: "leader", cadence: "weekly"}, "headb")
	w.report("headb", prog, B, true)
	w.review("sup", w.lastReport(prog, B), true)
	w.report("memberc", prog, C, false)
	w.giveBack("headc", prog, C)
	_, err := w.items.AddAssignment(w.ctx, w.p("sup"), prog, items.AssignmentInput{UnitID: D, Role: items.RoleCooperating}, "", nil)
	w.ok(err)
	// C gives back its part and the office has not reassigned it yet.
	back := w.running("配合单位退回待重新分派", item{lead: B, coop: []uuid.UUID{C}, leader: "leader"}, "headb")
	w.giveBack("headc", back, C)
	// Leaders' instructions (批示) that B has not yet answered by a report.
	_, err = w.com.Create(w.ctx, w.p("leader"), back, comments.Input{Kind: comments.KindInstruction, Body: "请抓紧落实"})
	w.ok(err)
	_, err = w.com.Create(w.ctx, w.p("leader2"), prog, comments.Input{Kind: comments.KindInstruction, Body: "按期报送进展"})
	w.ok(err)
	w.passTo(1)
	w.report("memberd", prog, D, false)
	w.submit("leader2", w.lastReport(prog, D))
	w.report("memberb", prog, B, false)

	// Returned report, urges acknowledged or not, the enterprise cooperating.
	urged := w.running("进行中（退回与催办）", item{src: items.SourceLeaderActivity, lead: C, coop: []uuid.UUID{B, E}, leader: "leader2"}, "headc")
	w.report("memberc", urged, C, false)
	w.submit("headc", w.lastReport(urged, C))
	w.review("sup", w.lastReport(urged, C), false)
	w.report("liaisonb", urged, B, true)
	w.review("sup2", w.lastReport(urged, B), true)
	w.urge("sup", urged, C)
	w.urge("sup", urged, E)
	w.ack("liaisonb", w.urge("sup", urged, B))

	// Suspended, overdue, with a report waiting for review and an urge.
	susp := w.running("已暂停（逾期）", item{src: items.SourcePartyGroup, lead: B, leader: "leader", days: 15}, "liaisonb")
	w.report("headb", susp, B, true)
	w.urge("sup", susp, B)
	w.act("sup", susp, items.ActSuspend, "等待上级批复")

	// Completion requested: by the lead's head (the office reviews); forwarded (the
	// leader decides); by a supervisor who liaises for the lead (not their own);
	// forwarded where the supervising leader made the request (nobody decides).
	creq := w.running("办结申请待审核", item{lead: B, coop: []uuid.UUID{C}, leader: "leader"}, "headb")
	w.accept("headc", creq, C)
	w.report("liaisonb", creq, B, true)
	w.report("memberc", creq, C, false)
	w.complete("headb", creq)
	cfwd := w.running("办结申请待领导审批", item{lead: B, leader: "leader"}, "headb")
	w.step("sup", false, w.complete("liaisonb", cfwd), "forward")
	cown := w.running("督办员本人申请办结", item{lead: B, leader: "supleader"}, "sup2")
	w.complete("sup2", cown)
	lown := w.create("领导本人申请办结", item{by: "sup", src: items.SourceOther, lead: D, leader: "leader2"})
	w.act("sup", lown, items.ActSubmit, "")
	w.act("leader2", lown, items.ActApprove, "")
	w.issue("sup", lown)
	w.accept("leader2", lown, D)
	w.step("sup", false, w.complete("leader2", lown), "forward")

	// Closed, unverified; closed and verified; archived unverified; reopened after
	// a failed verification; a completion rejected at review and by the leader.
	cl := w.running("已办结待核查", item{src: items.SourceGroupMeeting, lead: C, leader: "leader"}, "headc")
	w.closed(cl, "headc", "leader")
	ver := w.create("已核查", item{by: "sup", src: items.SourceSubsidiary, lead: B, leader: "leader"})
	w.act("sup", ver, items.ActSubmit, "")
	w.issue("sup", ver)
	w.accept("headb", ver, B)
	w.closed(ver, "headb", "leader")
	w.verify("sup", ver, true)
	arch := w.create("已归档", item{by: "sup", src: items.SourceEmergency, lead: C, leader: "leader"})
	w.act("sup", arch, items.ActSubmit, "")
	w.issue("sup", arch)
	w.accept("headc", arch, C)
	w.closed(arch, "headc", "leader")
	w.act("sup", arch, items.ActArchive, "")
	reop := w.running("核查不合格重新办理", item{lead: B, leader: "leader"}, "headb")
	w.closed(reop, "headb", "leader")
	w.verify("sup", reop, false)
	bounced := w.running("办结被退回", item{lead: C, leader: "leader"}, "headc")
	w.step("sup", false, w.complete("headc", bounced), "reject")
	w.step("leader", false, func() uuid.UUID {
		r := w.complete("headc", bounced)
		w.step("sup2", false, r, "forward")
		return r
	}(), "decline")

	// Extensions: requested, forwarded, approved and rejected, requested by a
	// supervisor (not their own to review), left open on a cancelled item and
	// forwarded on an item closed meanwhile.
	xreq := w.running("延期待审核", item{lead: B, leader: "leader"}, "headb")
	w.extend("headb", xreq, 200)
	xfwd := w.running("延期待领导审批", item{lead: C, leader: "leader2"}, "headc")
	w.step("sup", true, w.extend("headc", xfwd, 200), "forward")
	xdone := w.running("延期已决", item{lead: B, leader: "leader"}, "headb")
	x := w.extend("liaisonb", xdone, 200)
	w.step("sup", true, x, "forward")
	w.step("leader", true, x, "approve")
	w.step("sup", true, w.extend("headb", xdone, 300), "reject")
	x = w.extend("headb", xdone, 400)
	w.step("sup", true, x, "forward")
	w.step("leader", true, x, "decline")
	xown := w.running("督办员本人申请延期", item{lead: B, leader: "supleader"}, "headb")
	w.extend("sup2", xown, 200)
	xcanc := w.running("延期未决即撤销", item{lead: B, leader: "leader"}, "headb")
	w.extend("headb", xcanc, 200)
	w.act("sup", xcanc, items.ActCancel, "情况变化")
	xclosed := w.running("延期未决即办结", item{lead: C, leader: "leader"}, "headc")
	w.step("sup", true, w.extend("headc", xclosed, 200), "forward")
	w.closed(xclosed, "headc", "leader")

	// Overdue while in progress; a sub-item handed down to the enterprise, overdue
	// too; the enterprise's own item; the other enterprise's item to issue.
	late := w.running("逾期事项", item{lead: C, coop: []uuid.UUID{D}, leader: "leader", days: 10}, "headc")
	sub := w.create("下发企业子事项", item{by: "sup", src: items.SourceBoard, lead: w.EntDept, leader: "entleader", days: 20, scope: &w.Ent, parentID: &late})
	w.act("entsup", sub, items.ActSubmit, "")
	w.issue("entsup", sub)
	w.accept("enthead", sub, w.EntDept)
	own := w.create("企业自有事项", item{by: "entsup", src: items.SourceBoard, lead: w.EntDept, leader: "entleader", cadence: "weekly"})
	w.act("entsup", own, items.ActSubmit, "")
	w.issue("entsup", own)
	e2 := w.create("另一企业待下达", item{by: "ent2sup", src: items.SourceBoard, lead: w.Ent2Office, leader: "ent2leader"})
	w.act("ent2sup", e2, items.ActSubmit, "")

	// An item registered before a supervising leader was required (the column
	// cleared as old data has it): its forwarded completion request waits for the
	// supervision office, which decides in the leader's place (issue 11).
	legacy := w.running("无主管领导的历史事项", item{lead: B, leader: "leader"}, "headb")
	w.step("sup", false, w.complete("headb", legacy), "forward")
	w.ok(w.env.DB.Gorm().Table("items").Where("id = ?", legacy).Update("supervising_leader_id", nil).Error)

	// Reports falling due at different times: monthly from day 30 (due about
	// today), monthly from day 40 (not yet), weekly from day 58 (not yet), and by
	// a milestone due tomorrow.
	w.passTo(30)
	w.running("月报将到期", item{lead: D, leader: "leader2"}, "leader2")
	w.passTo(40)
	w.running("月报未到期", item{lead: B, leader: "leader"}, "headb")
	w.passTo(58)
	w.running("周报未到期", item{lead: C, leader: "leader", cadence: "weekly"}, "headc")
	ms := w.running("按节点反馈", item{lead: C, leader: "leader", cadence: "milestones"}, "headc")
	_, err = w.items.CreateMilestone(w.ctx, w.p("sup"), ms, items.MilestoneInput{Title: "节点一", DueDate: w.items.Today().AddDays(3)})
	w.ok(err)
	w.passTo(60)
}
