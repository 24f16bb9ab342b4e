package seed

import (
	"github.com/google/uuid"

	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/verification"
)

// Keys of the demo items (ItemsResult.Items).
const (
	ItemDraft               = "draft"
	ItemPendingApproval     = "pending_approval"
	ItemPendingApproval2    = "pending_approval_leader2"
	ItemApproved            = "approved"
	ItemIssued              = "issued"
	ItemAssignmentReturned  = "assignment_returned"
	ItemMilestones          = "milestones"
	ItemOverdue             = "overdue"
	ItemMissedMilestone     = "missed_milestone"
	ItemExtended            = "extension_approved"
	ItemExtensionForwarded  = "extension_forwarded"
	ItemWarningCleared      = "warning_cleared"
	ItemSuspended           = "suspended"
	ItemCompletionRequested = "completion_requested"
	ItemCompletionForwarded = "completion_forwarded"
	ItemClosed              = "closed"
	ItemArchived            = "archived"
	ItemReopened            = "reopened"
	ItemCancelled           = "cancelled"
	ItemEastParent          = "east_parent"
	ItemEastSub             = "east_sub"
	ItemEastSubPending      = "east_sub_pending_approval"
	ItemSouthwestParent     = "southwest_parent"
	ItemSouthwestOwn        = "southwest_own"
)

// demoTitles are the demo items' titles by key (unique: an earlier run's items are
// found by them).
var demoTitles = map[string]string{
	ItemDraft:               "编制“十五五”发展规划纲要",
	ItemPendingApproval:     "推进数字化转型三年行动",
	ItemPendingApproval2:    "完善集团合规管理体系",
	ItemApproved:            "落实董事会关于压降“两金”占用的决议",
	ItemIssued:              "开展迎峰度夏安全隐患专项排查",
	ItemAssignmentReturned:  "完善安全生产费用提取使用制度",
	ItemMilestones:          "落实年度工作会议部署的重点项目",
	ItemOverdue:             "整改巡视反馈问题",
	ItemMissedMilestone:     "办理国资委关于开展安全生产大检查的通知",
	ItemExtended:            "推进新能源基地项目前期工作",
	ItemExtensionForwarded:  "推进集团安全生产信息化平台建设",
	ItemWarningCleared:      "完成董事会年度工作报告起草",
	ItemSuspended:           "推进总部办公楼改造",
	ItemCompletionRequested: "完成年度预算执行分析",
	ItemCompletionForwarded: "编制集团年度投资计划",
	ItemClosed:              "修订集团费用报销管理办法",
	ItemArchived:            "完成一季度经营分析报告",
	ItemReopened:            "治理所属电厂输煤系统安全隐患",
	ItemCancelled:           "筹备年中工作会议",
	ItemEastParent:          "所属企业开展设备可靠性提升行动",
	ItemEastSub:             "华东电力机组非计划停运治理",
	ItemEastSubPending:      "华东电力燃料成本管控专项行动",
	ItemSouthwestParent:     "所属企业开展安全生产标准化建设",
	ItemSouthwestOwn:        "西南能源迎峰度夏保供专项督办",
}

// Title is the title of the demo item with the given key ("" for no such key).
func Title(key string) string { return demoTitles[key] }

// Who acts in the story (usernames of demoUsers).
const (
	office    = "duban"  // 督办处处长: registers, issues, reviews, urges, verifies
	office2   = "duban2" // 督办处干事
	leader1   = "leader1"
	leader2   = "leader2"
	planHead  = "guihua.head"
	planLia   = "guihua.liaison"
	planStaff = "guihua.staff"
	finHead   = "caiwu.head"
	safeHead  = "anquan.head"
	boardHead = "dongban.head"
)

// run tells the demo's story, item by item, in one transaction.
func (d *demo) run() error {
	cal, err := d.cal.Calendar(d.ctx)
	if err != nil {
		return err
	}
	d.workdays, d.today = cal, d.items.Today()
	d.proposals()
	d.running()
	d.deadlines()
	d.closing()
	d.enterprises()
	return d.err
}

// proposals: items before issue — a draft, two waiting for their leaders' approval,
// one approved and waiting for the office.
func (d *demo) proposals() {
	// draft (立项建议) by the planning department's liaison.
	d.item(ItemDraft, planLia, items.ItemInput{Source: items.SourceSpecialMeeting, MeetingType: "special_topic",
		SourceRef: "规划专题会议纪要", Content: "组织编制集团“十五五”发展规划纲要，明确发展目标、重点任务和保障措施。",
		Requirements: "年底前形成纲要初稿报党组审议", LeadUnitID: d.unit("hq.planning"), CooperatingUnitIDs: d.unitList("hq.finance"),
		SupervisingLeaderID: d.user(leader1), Deadline: d.around(120), FeedbackCadence: "monthly", Tags: []string{"规划"}})

	// pending_approval: the source needs the supervising leader (leader1).
	id := d.item(ItemPendingApproval, planLia, items.ItemInput{Source: items.SourceOther,
		Content: "制定并推进集团数字化转型三年行动方案，建成统一的数据中台。", LeadUnitID: d.unit("hq.planning"),
		SupervisingLeaderID: d.user(leader1), Deadline: d.around(90), FeedbackCadence: "quarterly", Tags: []string{"数字化"}})
	d.act(planLia, id, items.ActSubmit, "")
	// pending_approval for leader2, proposed by the finance department's head.
	id = d.item(ItemPendingApproval2, finHead, items.ItemInput{Source: items.SourceSpecialMeeting, MeetingType: "special_topic",
		SourceRef: "合规管理专题会", Content: "建立覆盖总部和所属企业的合规管理体系，完善合规审查和风险预警机制。",
		LeadUnitID: d.unit("hq.finance"), SupervisingLeaderID: d.user(leader2), Deadline: d.around(100), FeedbackCadence: "monthly"})
	d.act(finHead, id, items.ActSubmit, "")

	// approved: a board decision skips approval and waits for the office to issue.
	id = d.item(ItemApproved, boardHead, items.ItemInput{Source: items.SourceBoard, MeetingType: "board",
		SourceRef: "第三届董事会第五次会议决议", Content: "落实董事会决议，压降应收账款和存货占用，年底前“两金”占用较年初下降10%。",
		LeadUnitID: d.unit("hq.finance"), CooperatingUnitIDs: d.unitList("hq.planning"), Deadline: d.around(75), Urgency: "urgent"})
	d.act(boardHead, id, items.ActSubmit, "")
}

// running: issued and in-progress items with assignments, feedback, urges,
// instructions and milestones.
func (d *demo) running() {
	// issued: the safety department has not accepted yet; the office urges it.
	id := d.item(ItemIssued, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "production_coordination",
		SourceRef: "生产经营工作碰头会", Content: "组织开展迎峰度夏安全隐患专项排查，重点排查防汛、防雷和设备过负荷隐患。",
		Requirements: "每周五前报送排查进展", LeadUnitID: d.unit("hq.safety"), CooperatingUnitIDs: d.unitList("hq.finance"),
		Deadline: d.around(30), Urgency: "very_urgent", FeedbackCadence: "weekly", Method: "on_site", Tags: []string{"安全生产"}})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "迎峰度夏在即，请各部门高度重视")
	d.urge(office, id, "hq.safety", "该事项已下发，请于今日内签收并组织开展隐患排查，每周五前报送进展。")

	// issued, the lead returned it: the office coordinates a new lead.
	id = d.item(ItemAssignmentReturned, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "gm_office",
		SourceRef: "总经理办公会纪要", Content: "修订安全生产费用提取和使用管理制度，规范费用计提、使用和监督。",
		LeadUnitID: d.unit("hq.finance"), Deadline: d.around(40)})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(finHead, id, "hq.finance", false, "该事项涉及安全生产投入标准，应由安全生产部牵头、财务部配合")
	d.write(office, id, comments.KindCoordination, "经与安全生产部、财务部协调，安全生产费用制度修订拟改由安全生产部牵头、财务部配合，待安全生产部确认后重新分派。")

	// in_progress with milestones (one done, one in two working days: blue), an
	// accepted report with a file, a cooperating unit's report waiting for review,
	// the next report drafted from the accepted one, an instruction and a reply.
	id = d.item(ItemMilestones, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "annual_work",
		SourceRef: "2026年工作会议报告", Content: "落实年度工作会议部署的18个重点项目，按节点完成前期、立项和开工。",
		Requirements: "按节点反馈进展，年底前全部开工", LeadUnitID: d.unit("hq.planning"), CooperatingUnitIDs: d.unitList("hq.safety"),
		SupervisingLeaderID: d.user(leader2), Deadline: d.around(60), FeedbackCadence: "milestones", Tags: []string{"重点项目"}})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(planHead, id, "hq.planning", true, "")
	d.answer(safeHead, id, "hq.safety", true, "")
	m1 := d.milestone(planLia, id, "完成项目清单梳理", d.today, true)
	d.milestone(planLia, id, "完成可研报告编制", d.workday(2), false)
	d.milestone(planLia, id, "完成立项审批", d.around(45), false)
	d.write(leader2, id, comments.KindInstruction, "重点项目是全年工作的重中之重。请规划发展部牵头倒排工期、挂图作战，安全生产部同步做好安全论证，每月向我报告一次进展。")
	d.write(planHead, id, comments.KindComment, "收到。已按批示建立重点项目周调度机制，每月形成进展报告。")
	list := d.upload(planLia, id, "重点项目清单.txt", projectList)
	accepted := d.report(planLia, id, "hq.planning", feedback.Input{Progress: 30, MilestoneID: &m1, Submit: true,
		AttachmentIDs: []uuid.UUID{list},
		Content:       "已完成年度重点项目清单梳理，共确定重点项目18项，其中续建项目11项、新开工项目7项，逐项明确了责任部门和时间节点（清单见附件）。",
		Problems:      "3个新开工项目前期手续尚未完成，可研编制进度偏慢。",
		NextSteps:     "两个工作日内完成全部可研报告编制，同步启动立项审批。"})
	d.review(office, accepted, true, "进展符合要求，请按节点推进可研报告编制。")
	d.report(safeHead, id, "hq.safety", feedback.Input{Progress: 40, MilestoneID: &m1, Submit: true,
		Content:   "已对18个重点项目开展安全条件论证，形成安全预评价意见12份。",
		NextSteps: "配合规划发展部完成其余6个项目的安全论证。"})
	d.report(planStaff, id, "hq.planning", feedback.Input{Progress: 45, BasedOnID: &accepted,
		Content:   "可研报告已完成12项，其余6项正在编制；3个新开工项目的前期手续已报地方政府审批。",
		Problems:  "2个项目的用地指标尚未落实。",
		NextSteps: "完成其余可研报告编制，启动立项审批。"})
}

// deadlines: an overdue item (red) urged and acknowledged, a missed milestone
// (yellow) with a returned report, an approved extension, one waiting for the
// leader, a cleared warning, a suspended item.
func (d *demo) deadlines() {
	// in_progress, overdue (red): weekly feedback, never reported, so it is overdue
	// too. Registered four weeks ago with a deadline three working days back.
	var id uuid.UUID
	d.past(28, func() {
		id = d.item(ItemOverdue, office, items.ItemInput{Source: items.SourcePartyGroup, MeetingType: "party_group",
			SourceRef: "党组巡视反馈意见", Content: "对照巡视反馈的财务管理问题逐项整改，建立整改台账，整改一项、销号一项。",
			LeadUnitID: d.unit("hq.finance"), SupervisingLeaderID: d.user(leader2), Deadline: d.workday(-3),
			FeedbackCadence: "weekly", Urgency: "urgent", Tags: []string{"巡视整改"}})
		d.act(office, id, items.ActSubmit, "")
		d.act(office, id, items.ActIssue, "")
		d.answer(finHead, id, "hq.finance", true, "")
	})
	d.write(leader2, id, comments.KindInstruction, "巡视整改是严肃的政治任务。请财务部立即倒排整改计划，逐项销号，整改完成前每周报告进展。")
	u := d.urge(office2, id, "hq.finance", "该事项已超过完成时限，请于3个工作日内报送整改进展及延误原因。")
	d.acknowledge(finHead, u)

	// a document (公文): the self-inspection milestone, due two working days ago,
	// was missed (yellow) and the late report was returned with the office's
	// comment. Registered three weeks ago.
	var self uuid.UUID
	d.past(21, func() {
		id = d.item(ItemMissedMilestone, office, items.ItemInput{Category: items.CategoryDocument, Source: items.SourceSuperior,
			SourceRef: "国资委〔2026〕12号", Content: "按国资委通知要求，组织总部和所属企业开展安全生产大检查，形成检查报告上报。",
			LeadUnitID: d.unit("hq.safety"), Deadline: d.around(20), Method: "tracking", FeedbackCadence: "milestones"})
		d.act(office, id, items.ActSubmit, "")
		d.act(office, id, items.ActIssue, "")
		d.answer(safeHead, id, "hq.safety", true, "")
		self = d.milestone(safeHead, id, "完成自查自纠", d.workday(-2), false)
		d.milestone(safeHead, id, "形成检查报告", d.around(15), false)
	})
	late := d.report(safeHead, id, "hq.safety", feedback.Input{Progress: 20, MilestoneID: &self, Submit: true,
		Content: "已印发集团安全生产大检查工作方案，所属企业正在开展自查。", NextSteps: "督促所属企业完成自查。"})
	d.review(office, late, false, "自查自纠节点已过，请补充各企业自查问题清单及整改佐证材料后重新报送。")

	// an extension approved by the supervising leader: the deadline moved, the
	// original deadline stays.
	id = d.item(ItemExtended, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "gm_office",
		SourceRef: "总经理办公会纪要", Content: "完成新能源基地项目的用地预审、环评和接入系统等前期工作。",
		LeadUnitID: d.unit("hq.planning"), SupervisingLeaderID: d.user(leader1), Deadline: d.around(20), FeedbackCadence: "monthly",
		Tags: []string{"新能源"}})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(planHead, id, "hq.planning", true, "")
	to := d.around(50)
	r := d.requestExtension(planLia, id, to, 45, "受国家用地预审政策调整影响，项目用地预审需重新报批，预计需增加一个月。")
	d.forwardExtension(office, r, "经核实，政策调整情况属实，建议同意延期。")
	d.approveExtension(leader1, r, "同意延期至"+to.String()+"。请规划发展部抓紧办理用地预审，确保新时限内完成。")

	// an extension forwarded by the office, waiting for leader1.
	id = d.item(ItemExtensionForwarded, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "monthly",
		SourceRef: "月度经营例会", Content: "建成集团安全生产信息化平台，实现重大危险源在线监测全覆盖。",
		LeadUnitID: d.unit("hq.safety"), CooperatingUnitIDs: d.unitList("hq.planning"), SupervisingLeaderID: d.user(leader1),
		Deadline: d.around(15), FeedbackCadence: "biweekly"})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(safeHead, id, "hq.safety", true, "")
	d.answer(planHead, id, "hq.planning", true, "")
	to = d.around(45)
	r = d.requestExtension(safeHead, id, to, 60, "平台核心设备供货延迟约一个月，已与供应商签订补充协议明确到货时间。")
	d.forwardExtension(office, r, "供货延迟属实，建议同意延期至"+to.String()+"。")

	// a blue light (deadline in two working days) cleared by the office (摘牌).
	id = d.item(ItemWarningCleared, office, items.ItemInput{Source: items.SourceBoard, MeetingType: "board",
		SourceRef: "董事会年度工作安排", Content: "起草董事会年度工作报告，提交年度股东会审议。",
		LeadUnitID: d.unit("hq.board"), SupervisingLeaderID: d.user(leader2), Deadline: d.workday(2)})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(boardHead, id, "hq.board", true, "")
	d.clearWarning(office, id, "报告初稿已完成，待董事长审定；时间安排受董事会会期影响，属客观原因，予以摘牌。")

	// suspended.
	id = d.item(ItemSuspended, office, items.ItemInput{Source: items.SourceLeaderActivity, SourceRef: "领导调研总部后勤工作时的要求",
		Content: "推进总部办公楼节能改造和办公环境提升。", LeadUnitID: d.unit("hq.planning"), Deadline: d.around(100)})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")
	d.answer(planHead, id, "hq.planning", true, "")
	d.act(office, id, items.ActSuspend, "改造方案待上级主管部门审批，审批后恢复办理。")

	// cancelled before issue.
	id = d.item(ItemCancelled, office, items.ItemInput{Source: items.SourceGroupMeeting, Content: "筹备集团年中工作会议。",
		LeadUnitID: d.unit("hq.planning"), Deadline: d.around(25)})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActCancel, "会议改期，另行安排。")
}

// closing: completion requests at every stage, a 退办, closed, verified and
// archived, and one reopened by a failed verification (反弹).
func (d *demo) closing() {
	inProgress := func(key, lead, head, leader string, deadline int, content string) uuid.UUID {
		id := d.item(key, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "monthly",
			SourceRef: "月度经营例会", Content: content, LeadUnitID: d.unit(lead), SupervisingLeaderID: d.user(leader),
			Deadline: d.around(deadline)})
		d.act(office, id, items.ActSubmit, "")
		d.act(office, id, items.ActIssue, "")
		d.answer(head, id, lead, true, "")
		return id
	}

	// completion requested with a PDF report: waits for the office's review.
	id := inProgress(ItemCompletionRequested, "hq.finance", finHead, leader1, 15, "对年度预算执行情况开展分析，提出下一年度预算编制建议。")
	pdf := d.upload(finHead, id, "年度预算执行分析报告.pdf", budgetReport)
	d.requestCompletion(finHead, id, "已完成年度预算执行分析，形成分析报告并经部门会审，提出下一年度预算编制建议5条（报告见附件）。",
		completion.MaterialInput{Kind: completion.KindReport, AttachmentID: pdf})

	// completion forwarded by the office: waits for leader1.
	id = inProgress(ItemCompletionForwarded, "hq.planning", planHead, leader1, 25, "编制集团年度投资计划，报总经理办公会审议。")
	r := d.requestCompletion(planHead, id, "年度投资计划已编制完成，经总经理办公会审议通过并印发执行。")
	d.reviewCompletion(office2, r, true, "材料齐全，办理情况属实，建议同意办结。")

	// closed: the first request was sent back (退办), the second approved; not yet
	// verified.
	id = inProgress(ItemClosed, "hq.finance", finHead, leader1, 30, "修订集团费用报销管理办法，规范差旅和会议费用报销。")
	r = d.requestCompletion(finHead, id, "费用报销管理办法已修订完成。")
	d.reviewCompletion(office, r, false, "缺少办理情况说明和印发文件，请补充后重新申请办结。")
	r = d.requestCompletion(finHead, id, "费用报销管理办法已修订并经总经理办公会审议通过，已于本月印发执行；办理情况说明已补充。")
	d.reviewCompletion(office, r, true, "材料已补齐，建议同意办结。")
	d.approveCompletion(leader1, r, "同意办结。")

	// closed, verified by document review (passed), then archived (销号).
	id = inProgress(ItemArchived, "hq.finance", finHead, leader1, 15, "完成一季度经营分析报告，报集团领导并在月度经营会通报。")
	r = d.requestCompletion(finHead, id, "一季度经营分析报告已报送集团领导，并在月度经营会上通报。")
	d.reviewCompletion(office, r, true, "建议同意办结。")
	d.approveCompletion(leader1, r, "同意办结。")
	d.verify(office, id, verification.MethodDocumentReview, verification.ResultPassed,
		"查阅分析报告及月度经营会会议纪要，报告已按要求报送并通报，结果属实。")
	d.act(office, id, items.ActArchive, "材料已归档，予以销号。")

	// closed, then reopened by a failed on-site verification (反弹): in progress
	// again, reopened once, flagged.
	id = inProgress(ItemReopened, "hq.safety", safeHead, leader2, 30, "治理所属电厂输煤系统防护缺失、积粉等安全隐患。")
	r = d.requestCompletion(safeHead, id, "输煤系统隐患已完成整改，共整改问题15项。")
	d.reviewCompletion(office, r, true, "建议同意办结，办结后安排现场核查。")
	d.approveCompletion(leader2, r, "同意办结，请督办处组织现场核查。")
	record := d.upload(office, id, "现场核查记录.txt", inspectionRecord)
	d.verify(office, id, verification.MethodOnSite, verification.ResultFailed,
		"现场核查发现2号输煤皮带防护罩缺失、落煤管积粉问题反弹，整改不到位（核查记录见附件）。", record)
	d.write(leader2, id, comments.KindInstruction, "整改不彻底的问题要举一反三，查明原因，重新整改到位后由督办处再次现场核查。")
	d.write(safeHead, id, comments.KindComment, "已重新组织现场整改，预计两周内完成。")
}

// enterprises: group items led by the enterprises, sub-items handed down to one
// and decomposed by its own supervision office, and an enterprise's own item.
func (d *demo) enterprises() {
	// a group item led by 华东电力 (accepted), 安全生产部 cooperating (not yet).
	parent := d.item(ItemEastParent, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "production_coordination",
		SourceRef: "生产经营工作碰头会", Content: "所属企业开展设备可靠性提升行动，降低机组非计划停运次数。",
		LeadUnitID: d.unit("east"), CooperatingUnitIDs: d.unitList("hq.safety"), SupervisingLeaderID: d.user(leader1),
		Deadline: d.around(80)})
	d.act(office, parent, items.ActSubmit, "")
	d.act(office, parent, items.ActIssue, "")
	d.answer("huadong.leader", parent, "east", true, "")

	// its sub-item in 华东电力, by the enterprise's office: accepted, reported,
	// urged, instructed.
	sub := d.item(ItemEastSub, "huadong.duban", items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "gm_office",
		Content: "逐台分析机组非计划停运原因，一机一策落实治理措施。", LeadUnitID: d.unit("east.tech"),
		SupervisingLeaderID: d.user("huadong.leader"), Deadline: d.around(60), FeedbackCadence: "weekly",
		ParentID: &parent, ScopeID: d.unit("east")})
	d.act("huadong.duban", sub, items.ActSubmit, "")
	d.act("huadong.duban", sub, items.ActIssue, "")
	d.answer("huadong.tech", sub, "east.tech", true, "")
	d.write("huadong.leader", sub, comments.KindInstruction, "非停治理关系全年发电任务，请生产技术部一机一策，逐台落实治理措施。")
	d.report("huadong.tech", sub, "east.tech", feedback.Input{Progress: 25, Submit: true,
		Content:   "已完成近三年机组非停事件统计分析，梳理非停原因5类23项，制定治理措施清单。",
		NextSteps: "按措施清单逐台实施治理。"})
	d.urge("huadong.duban", sub, "east.tech", "请于本周五前报送非停原因分析报告。")

	// a second sub-item waiting for the enterprise leader's approval.
	sub = d.item(ItemEastSubPending, "huadong.duban", items.ItemInput{Source: items.SourceOther,
		Content: "开展燃料成本管控专项行动，降低标煤单价。", LeadUnitID: d.unit("east.finance"),
		SupervisingLeaderID: d.user("huadong.leader"), Deadline: d.around(70), ParentID: &parent, ScopeID: d.unit("east")})
	d.act("huadong.duban", sub, items.ActSubmit, "")

	// a group item given to 西南能源, waiting for it to accept.
	id := d.item(ItemSouthwestParent, office, items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "annual_work",
		SourceRef: "2026年工作会议报告", Content: "所属企业开展安全生产标准化建设，年底前全部达标。",
		LeadUnitID: d.unit("southwest"), SupervisingLeaderID: d.user(leader2), Deadline: d.around(90), FeedbackCadence: "monthly"})
	d.act(office, id, items.ActSubmit, "")
	d.act(office, id, items.ActIssue, "")

	// 西南能源's own item, issued by its office to its technical department.
	id = d.item(ItemSouthwestOwn, "xinan.duban", items.ItemInput{Source: items.SourceGroupMeeting, MeetingType: "production_coordination",
		Content: "做好迎峰度夏电力保供，确保机组稳发满发。", LeadUnitID: d.unit("southwest.tech"),
		SupervisingLeaderID: d.user("xinan.leader"), Deadline: d.around(30), FeedbackCadence: "weekly"})
	d.act("xinan.duban", id, items.ActSubmit, "")
	d.act("xinan.duban", id, items.ActIssue, "")
}

// Stop is one line of the demo's tour: whom to log in as and what they find.
type Stop struct{ Username, Sees string }

// Tour says what the main demo users find waiting for them (GET /me/todo) and where
// to look; `duban seed --demo` prints it under the logins.
var Tour = []Stop{
	{leader1, "approve 推进数字化转型三年行动; decide the extension forwarded on 推进集团安全生产信息化平台建设 and the completion of 编制集团年度投资计划"},
	{leader2, "approve 完善集团合规管理体系; leader2's instructions (批示) on the overdue and the reopened items"},
	{office + ", " + office2, "review the safety department's report and the completion request of 完成年度预算执行分析; verify the closed 修订集团费用报销管理办法; the overdue 整改巡视反馈问题 (red); every light, one cleared (摘牌)"},
	{planHead + ", " + planLia, "submit the report guihua.staff drafted on 落实年度工作会议部署的重点项目; an approved extension; a completion waiting for leader1"},
	{safeHead, "accept 开展迎峰度夏安全隐患专项排查 (urged) and the cooperation on 所属企业开展设备可靠性提升行动; resubmit the returned report; the reopened item (反弹, flagged)"},
	{finHead, "accept the cooperation on 开展迎峰度夏安全隐患专项排查; the overdue 整改巡视反馈问题 and its overdue weekly report; a 退办 then an approval on 修订集团费用报销管理办法"},
	{"huadong.duban", "review 华东电力机组非计划停运治理's report (a sub-item handed down to 华东电力); huadong.leader approves a second sub-item, huadong.tech has an urge"},
	{"xinan.leader, xinan.duban", "accept the group item given to 西南能源; xinan.tech accepts an item from 西南能源's own office"},
	{"auditor", "every item and timeline, read-only (the two backdated dates show as demo_backdate events)"},
}
