package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// SeedDemo adds demo supervision items, one or more in every state, on top of the
// demo organisation of package seed (units by key: group, hq.supervision, hq.board,
// hq.planning, hq.finance, hq.safety, east, east.office, east.tech, ...; users by
// username: duban, leader1, guihua.liaison, ...). Every step goes through the
// service as the person who would take it, so the timelines are real; the steps
// whose endpoints come with the closing issue (request and approve completion,
// verify) follow the state machine directly. One item is made overdue and one
// milestone missed by moving their dates into the past afterwards (demo data only). It writes nothing when items
// exist already and returns how many items it made.
func SeedDemo(ctx context.Context, db *database.DB, cal *calendar.Service, log *audit.Log, units, people map[string]uuid.UUID) (int, error) {
	var n int64
	if err := db.Conn(ctx).Model(&Item{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count items: %w", err)
	}
	if n > 0 {
		return 0, nil
	}
	d := &demo{s: NewService(db, cal, log), ctx: ctx, units: units, people: people, today: cal.Today()}
	err := db.InTx(ctx, d.run)
	return d.made, err
}

type demo struct {
	s             *Service
	ctx           context.Context
	units, people map[string]uuid.UUID
	today         civil.Date
	made          int
	err           error
}

func (d *demo) unit(key string) *uuid.UUID {
	id, ok := d.units[key]
	if !ok && d.err == nil {
		d.err = fmt.Errorf("demo items: no unit %q", key)
	}
	return &id
}

func (d *demo) p(username string) *access.Principal {
	id, ok := d.people[username]
	if !ok {
		if d.err == nil {
			d.err = fmt.Errorf("demo items: no user %q", username)
		}
		return &access.Principal{}
	}
	p, err := users.LoadPrincipal(d.ctx, d.s.db, id)
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("demo items: user %s: %w", username, err)
	}
	return p
}

// item creates an item as the given user; steps then move it along.
func (d *demo) item(by string, in ItemInput) uuid.UUID {
	if d.err != nil {
		return uuid.Nil
	}
	if in.Content == "" {
		in.Content = in.Title
	}
	if in.Category == "" {
		in.Category = CategoryImportantMatter
	}
	v, err := d.s.Create(d.ctx, d.p(by), in)
	if err != nil {
		d.err = fmt.Errorf("demo item %q: %w", in.Title, err)
		return uuid.Nil
	}
	d.made++
	return v.ID
}

func (d *demo) act(by string, id uuid.UUID, a Action, comment string) {
	if d.err != nil {
		return
	}
	var err error
	switch a {
	case ActIssue:
		_, err = d.s.Issue(d.ctx, d.p(by), id, nil, comment, nil)
	case ActRequestCompletion, ActApproveCompletion, ActRejectCompletion, ActVerify:
		err = d.s.advance(d.ctx, d.p(by), id, a, comment)
	default:
		_, err = d.s.Act(d.ctx, d.p(by), id, a, comment, nil)
	}
	if err != nil {
		d.err = fmt.Errorf("demo %s by %s: %w", a, by, err)
	}
}

// answer accepts or returns the assignment of the unit.
func (d *demo) answer(by string, id uuid.UUID, unit string, accept bool, reason string) {
	if d.err != nil {
		return
	}
	asgs, err := d.s.ListAssignments(d.ctx, d.p(by), id)
	if err != nil {
		d.err = err
		return
	}
	for _, a := range asgs {
		if a.UnitID == *d.unit(unit) && a.State == AssignmentPending {
			if accept {
				_, err = d.s.AcceptAssignment(d.ctx, d.p(by), a.ID, nil)
			} else {
				_, err = d.s.ReturnAssignment(d.ctx, d.p(by), a.ID, reason, nil)
			}
			d.err = err
			return
		}
	}
	d.err = fmt.Errorf("demo: no pending assignment of %s", unit)
}

func (d *demo) milestone(by string, id uuid.UUID, title string, due civil.Date, done bool) {
	if d.err != nil {
		return
	}
	m, err := d.s.CreateMilestone(d.ctx, d.p(by), id, MilestoneInput{Title: title, DueDate: due})
	if err == nil && done {
		_, err = d.s.UpdateMilestone(d.ctx, d.p(by), m.ID, MilestonePatch{Done: ptrTo(true)}, nil)
	}
	d.err = err
}

func ptrTo[T any](v T) *T { return &v }

func (d *demo) run(ctx context.Context) error {
	d.ctx = ctx
	day := func(n int) civil.Date { return d.today.AddDays(n) }
	hq := func(lead string, coop ...string) (*uuid.UUID, []uuid.UUID) {
		var c []uuid.UUID
		for _, k := range coop {
			c = append(c, *d.unit(k))
		}
		return d.unit(lead), c
	}
	lead, coop := hq("hq.planning", "hq.finance")
	// draft: a proposal (立项建议) by the planning department's liaison.
	d.item("guihua.liaison", ItemInput{Title: "编制“十五五”发展规划纲要", Source: SourceSpecialMeeting, MeetingType: "special_topic",
		SourceRef: "规划专题会议纪要", LeadUnitID: lead, CooperatingUnitIDs: coop, SupervisingLeaderID: d.unit2("leader1"), Deadline: day(120),
		Requirements: "年底前形成纲要初稿报党组审议", FeedbackCadence: "monthly", Tags: []string{"规划"}})
	// pending_approval: needs the supervising leader.
	id := d.item("guihua.liaison", ItemInput{Title: "推进数字化转型三年行动", Source: SourceOther, LeadUnitID: lead,
		SupervisingLeaderID: d.unit2("leader1"), Deadline: day(90), FeedbackCadence: "quarterly"})
	d.act("guihua.liaison", id, ActSubmit, "")
	// approved: a board decision, no approval step; waits for the supervision office.
	lead, coop = hq("hq.finance", "hq.planning")
	id = d.item("dongban.head", ItemInput{Title: "落实董事会关于压降“两金”占用的决议", Source: SourceBoard, MeetingType: "board",
		SourceRef: "第三届董事会第五次会议决议", LeadUnitID: lead, CooperatingUnitIDs: coop, Deadline: day(75), Urgency: "urgent"})
	d.act("dongban.head", id, ActSubmit, "")
	// issued: waiting for the lead unit to accept.
	lead, coop = hq("hq.safety", "hq.finance")
	id = d.item("duban", ItemInput{Title: "开展迎峰度夏安全隐患专项排查", Source: SourceGroupMeeting, MeetingType: "production_coordination",
		SourceRef: "生产经营工作碰头会", LeadUnitID: lead, CooperatingUnitIDs: coop, Deadline: day(30), Urgency: "very_urgent",
		FeedbackCadence: "weekly", Method: "on_site", Tags: []string{"安全生产"}})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActIssue, "")
	// issued, the lead returned it: the supervision office must reassign.
	lead, _ = hq("hq.finance")
	id = d.item("duban", ItemInput{Title: "完善安全生产费用提取使用制度", Source: SourceGroupMeeting, LeadUnitID: lead, Deadline: day(40)})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActIssue, "")
	d.answer("caiwu.head", id, "hq.finance", false, "该事项应由安全生产部牵头，财务部配合")
	// in_progress with milestones, one done, one close (blue light).
	lead, coop = hq("hq.planning", "hq.safety")
	id = d.item("duban", ItemInput{Title: "落实年度工作会议部署的重点项目", Source: SourceGroupMeeting, MeetingType: "annual_work",
		SourceRef: "2026年工作会议报告", LeadUnitID: lead, CooperatingUnitIDs: coop, SupervisingLeaderID: d.unit2("leader2"),
		Deadline: day(60), FeedbackCadence: "milestones"})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActIssue, "")
	d.answer("guihua.head", id, "hq.planning", true, "")
	d.answer("anquan.head", id, "hq.safety", true, "")
	d.milestone("guihua.liaison", id, "完成项目清单梳理", day(0), true)
	d.milestone("guihua.liaison", id, "完成可研报告", day(2), false)
	d.milestone("guihua.liaison", id, "完成立项审批", day(45), false)
	// in_progress, overdue (red): its deadline is moved into the past below.
	overdue := d.item("duban", ItemInput{Title: "整改巡视反馈问题", Source: SourcePartyGroup, LeadUnitID: d.unit("hq.finance"), Deadline: day(10)})
	d.act("duban", overdue, ActSubmit, "")
	d.act("duban", overdue, ActIssue, "")
	d.answer("caiwu.head", overdue, "hq.finance", true, "")
	// a document (公文), registered directly.
	id = d.item("duban", ItemInput{Title: "办理国资委关于开展安全生产大检查的通知", Category: CategoryDocument, Source: SourceSuperior,
		SourceRef: "国资委〔2026〕12号", LeadUnitID: d.unit("hq.safety"), Deadline: day(20), Method: "tracking"})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActIssue, "")
	d.answer("anquan.head", id, "hq.safety", true, "")
	d.milestone("anquan.head", id, "完成自查自纠", day(5), false) // moved into the past below: yellow
	// suspended.
	id = d.item("duban", ItemInput{Title: "推进总部办公楼改造", Source: SourceLeaderActivity, LeadUnitID: d.unit("hq.planning"), Deadline: day(100)})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActIssue, "")
	d.answer("guihua.head", id, "hq.planning", true, "")
	d.act("duban", id, ActSuspend, "待上级审批后恢复")
	// completion_requested, closed, archived (the latter verified).
	for i, st := range []State{StateCompletionRequested, StateClosed, StateArchived} {
		id = d.item("duban", ItemInput{Title: []string{"完成年度预算执行分析", "修订督查督办管理办法", "完成一季度经营分析报告"}[i],
			Source: SourceGroupMeeting, MeetingType: "monthly", LeadUnitID: d.unit("hq.finance"), SupervisingLeaderID: d.unit2("leader1"), Deadline: day(15)})
		d.act("duban", id, ActSubmit, "")
		d.act("duban", id, ActIssue, "")
		d.answer("caiwu.head", id, "hq.finance", true, "")
		d.act("caiwu.head", id, ActRequestCompletion, "已完成，附报告")
		if st == StateCompletionRequested {
			continue
		}
		d.act("leader1", id, ActApproveCompletion, "同意办结")
		if st == StateArchived {
			d.act("duban", id, ActVerify, "回访核查，整改到位")
			d.act("duban", id, ActArchive, "")
		}
	}
	// cancelled.
	id = d.item("duban", ItemInput{Title: "筹备年中工作会议", Source: SourceGroupMeeting, LeadUnitID: d.unit("hq.planning"), Deadline: day(25)})
	d.act("duban", id, ActSubmit, "")
	d.act("duban", id, ActCancel, "会议改期，另行安排")
	// A group item led by an enterprise, and a sub-item handed down to it, issued by
	// the enterprise's own supervision office.
	parent := d.item("duban", ItemInput{Title: "所属企业开展设备可靠性提升行动", Source: SourceGroupMeeting,
		LeadUnitID: d.unit("east"), CooperatingUnitIDs: []uuid.UUID{*d.unit("hq.safety")}, Deadline: day(80)})
	d.act("duban", parent, ActSubmit, "")
	d.act("duban", parent, ActIssue, "")
	d.answer("huadong.leader", parent, "east", true, "")
	sub := d.item("duban", ItemInput{Title: "华东电力机组非停治理", Source: SourceGroupMeeting, LeadUnitID: d.unit("east.tech"),
		Deadline: day(60), ParentID: &parent, ScopeID: d.unit("east")})
	d.act("huadong.duban", sub, ActSubmit, "")
	d.act("huadong.duban", sub, ActIssue, "")
	d.answer("huadong.tech", sub, "east.tech", true, "")
	if d.err != nil {
		return d.err
	}
	if err := d.s.db.Conn(ctx).Table("item_milestones").Where("title = ?", "完成自查自纠").Update("due_date", day(-2)).Error; err != nil {
		return err
	}
	return d.s.db.Conn(ctx).Table("items").Where("id = ?", overdue).
		Updates(map[string]any{"deadline": day(-3), "original_deadline": day(-3)}).Error
}

// unit2 looks a user up as an id pointer (leaders are users, not units).
func (d *demo) unit2(username string) *uuid.UUID {
	id, ok := d.people[username]
	if !ok && d.err == nil {
		d.err = fmt.Errorf("demo items: no user %q", username)
	}
	return &id
}

// advance takes a state-machine action that has no endpoint yet (completion and
// verification come with the closing issue): the same rules, the same timeline.
func (s *Service) advance(ctx context.Context, p *access.Principal, id uuid.UUID, a Action, comment string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if !p.CanWrite() || !CanSee(p, it, asgs) {
			return problem.NotFound("item")
		}
		t, out := Check(a, it.State, factsOf(it), Relations(p, it, nil))
		switch out {
		case NoTransition:
			return problem.InvalidTransition(string(a), string(it.State), AllowedActions(p, it, asgs))
		case NotPermitted:
			return problem.Forbidden("you may not " + string(a) + " this item")
		}
		to := t.Target(it.State)
		cols := map[string]any{"state": string(to)}
		switch {
		case to == StateClosed:
			cols["closed_at"] = now()
		case a == ActVerify && to == it.State:
			cols["verified"] = true
		case a == ActVerify:
			cols["verified"], cols["flagged"], cols["reopened_count"] = false, true, it.ReopenedCount+1
		}
		before := it.State
		if err := s.updateItem(ctx, it, cols); err != nil {
			return conflict(err)
		}
		_, err = s.appendEvent(ctx, id, &p.UserID, eventInput{Action: string(a), StateBefore: before, StateAfter: to, Comment: comment})
		return err
	})
}
