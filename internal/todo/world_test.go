package todo_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/todo"
	"github.com/duban/duban/internal/urges"
	"github.com/duban/duban/internal/verification"
)

// world is a group company with an enterprise of its own scope and another
// enterprise, people of every role and relation, and items brought through their
// lives by the services on the application's fake clock, so that every state of
// every thing a to-do group looks at exists somewhere.
type world struct {
	t     *testing.T
	env   *apitest.Env
	ctx   context.Context
	start time.Time

	items *items.Service
	fb    *feedback.Service
	ur    *urges.Service
	ext   *extensions.Service
	cmp   *completion.Service
	ver   *verification.Service
	todo  *todo.Service
	com   *comments.Service
	cal   *calendar.Service

	Group, Office, DeptB, DeptB1, DeptC, DeptD, DeptX, Ent, EntOffice, EntDept, Ent2, Ent2Office uuid.UUID

	// users by name, and every item made.
	u   map[string]uuid.UUID
	all []uuid.UUID
}

// people of the world, each with what makes them interesting.
var cast = []struct {
	name, unit string
	roles      []access.Role
}{
	{"sup", "office", []access.Role{access.RoleSupervisor}},
	{"sup2", "office", []access.Role{access.RoleSupervisor}},                         // also a liaison of B
	{"supleader", "office", []access.Role{access.RoleSupervisor, access.RoleLeader}}, // both roles
	{"leader", "group", []access.Role{access.RoleLeader}},
	{"leader2", "group", []access.Role{access.RoleLeader}}, // also the head of D
	{"headb", "b", []access.Role{access.RoleMember}},
	{"liaisonb", "b", []access.Role{access.RoleMember}},
	{"memberb", "b", []access.Role{access.RoleMember}},
	{"memberb1", "b1", []access.Role{access.RoleMember}}, // B's sub-unit: a responsible person of B
	{"adminb", "b", []access.Role{access.RoleAdmin}},     // an admin who liaises for B: reads only
	{"headc", "c", []access.Role{access.RoleMember}},
	{"memberc", "c", []access.Role{access.RoleMember}},
	{"auditorc", "c", []access.Role{access.RoleAuditor}}, // an auditor who liaises for C
	{"memberd", "d", []access.Role{access.RoleMember}},
	{"stranger", "x", []access.Role{access.RoleMember}},
	{"auditor", "office", []access.Role{access.RoleAuditor}},
	{"admin", "office", []access.Role{access.RoleAdmin}},
	{"entsup", "entoffice", []access.Role{access.RoleSupervisor}},
	{"entleader", "ent", []access.Role{access.RoleLeader}},
	{"enthead", "entdept", []access.Role{access.RoleMember}}, // heads the enterprise and its department
	{"entliaison", "entdept", []access.Role{access.RoleMember}},
	{"entmember", "entdept", []access.Role{access.RoleMember}},
	{"ent2sup", "ent2office", []access.Role{access.RoleSupervisor}},
	{"ent2leader", "ent2office", []access.Role{access.RoleLeader}},
	{"gone", "c", []access.Role{access.RoleMember}}, // a liaison of C, deactivated
}

func newWorld(t *testing.T, env *apitest.Env) *world {
	t.Helper()
	w := &world{t: t, env: env, ctx: context.Background(), items: env.App.Items, u: map[string]uuid.UUID{}}
	loc := env.App.Config.Location
	// The world is made over sixty days that end today.
	w.start = civil.Today(loc).AddDays(-60).In(loc).Add(9 * time.Hour)
	env.Clock.Set(w.start)

	w.cal = calendar.NewService(env.DB, loc, env.App.Config.Clock)
	files := attachments.NewService(env.DB, attachments.LocalStorage{Dir: t.TempDir()}, w.items, 1<<20)
	// The same services the application wires, over its items service (feedback
	// keeps the assignments' due dates with it, as the application's does).
	w.fb = feedback.NewService(env.DB, w.items, files, w.cal)
	w.ur = urges.NewService(env.DB, w.items)
	w.ext = extensions.NewService(env.DB, w.items)
	w.cmp = completion.NewService(env.DB, w.items, files)
	w.ver = verification.NewService(env.DB, w.items, files)
	w.todo = todo.NewService(env.DB, w.items, w.fb, w.cal, nil)
	w.com = comments.NewService(env.DB, w.items, files)

	w.Group = env.Unit("集团公司", "group", nil, false)
	w.Office = env.Unit("办公厅督办处", "department", &w.Group, true)
	w.DeptB = env.Unit("安全生产部", "department", &w.Group, false)
	w.DeptB1 = env.Unit("安全生产部一科", "department", &w.DeptB, false)
	w.DeptC = env.Unit("财务部", "department", &w.Group, false)
	w.DeptD = env.Unit("规划发展部", "department", &w.Group, false)
	w.DeptX = env.Unit("人力资源部", "department", &w.Group, false)
	w.Ent = env.Unit("华东公司", "enterprise", &w.Group, false)
	w.EntOffice = env.Unit("华东公司办公室", "department", &w.Ent, true)
	w.EntDept = env.Unit("华东公司生产部", "department", &w.Ent, false)
	w.Ent2 = env.Unit("华北公司", "enterprise", &w.Group, false)
	w.Ent2Office = env.Unit("华北公司办公室", "department", &w.Ent2, true)
	units := map[string]uuid.UUID{"group": w.Group, "office": w.Office, "b": w.DeptB, "b1": w.DeptB1, "c": w.DeptC, "d": w.DeptD,
		"x": w.DeptX, "ent": w.Ent, "entoffice": w.EntOffice, "entdept": w.EntDept, "ent2office": w.Ent2Office}
	for _, c := range cast {
		w.u[c.name] = env.User(c.name, units[c.unit], c.roles...)
	}
	env.SetHead(w.DeptB, w.u["headb"])
	env.AddLiaison(w.DeptB, w.u["liaisonb"])
	env.AddLiaison(w.DeptB, w.u["sup2"])
	env.AddLiaison(w.DeptB, w.u["adminb"])
	env.SetHead(w.DeptC, w.u["headc"])
	env.AddLiaison(w.DeptC, w.u["auditorc"])
	env.AddLiaison(w.DeptC, w.u["gone"])
	env.SetHead(w.DeptD, w.u["leader2"])
	env.SetHead(w.Ent, w.u["enthead"])
	env.SetHead(w.EntDept, w.u["enthead"])
	env.AddLiaison(w.Ent, w.u["entliaison"])
	w.build()
	if err := env.DB.Gorm().Table("users").Where("id = ?", w.u["gone"]).Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	delete(w.u, "gone")
	return w
}

// passTo sets the clock to 09:00 of the day that many days after the start.
func (w *world) passTo(days int) {
	w.env.Clock.Set(w.start.AddDate(0, 0, days))
}

func (w *world) p(name string) *access.Principal {
	id, ok := w.u[name]
	if !ok {
		w.t.Fatalf("no user %s", name)
	}
	return w.env.Principal(id)
}

func (w *world) ok(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("unexpected error: %v", err)
	}
}

// item is what an item is made of.
type item struct {
	by       string
	src      items.Source
	lead     uuid.UUID
	coop     []uuid.UUID
	leader   string // the supervising leader's name
	days     int    // deadline, days from today
	cadence  string
	scope    *uuid.UUID
	parentID *uuid.UUID
}

func (w *world) create(title string, in item) uuid.UUID {
	w.t.Helper()
	cat := items.CategoryImportantMatter
	switch in.src {
	case items.SourceSuperior, items.SourceSubsidiary, items.SourceEmergency:
		cat = items.CategoryDocument
	}
	if in.cadence == "" {
		in.cadence = "monthly"
	}
	if in.days == 0 {
		in.days = 120
	}
	lead := in.lead
	ii := items.ItemInput{Title: title, Content: title + "：按期完成。", Category: cat, Source: in.src, LeadUnitID: &lead,
		CooperatingUnitIDs: in.coop, Deadline: w.items.Today().AddDays(in.days), FeedbackCadence: in.cadence,
		Method: "tracking", Urgency: "normal", ScopeID: in.scope, ParentID: in.parentID}
	if in.leader != "" {
		l := w.u[in.leader]
		ii.SupervisingLeaderID = &l
		if in.src == items.SourceLeaderInstruction {
			ii.InstructionText, ii.InstructionLeaderID, ii.InstructionDate = "请抓紧落实。", &l, w.items.Today()
		}
	}
	v, err := w.items.Create(w.ctx, w.p(in.by), ii)
	w.ok(err)
	w.all = append(w.all, v.ID)
	return v.ID
}

func (w *world) act(by string, id uuid.UUID, a items.Action, comment string) {
	w.t.Helper()
	_, err := w.items.Act(w.ctx, w.p(by), id, a, comment, nil)
	w.ok(err)
}

func (w *world) issue(by string, id uuid.UUID, asgs ...items.AssignmentInput) {
	w.t.Helper()
	_, err := w.items.Issue(w.ctx, w.p(by), id, asgs, "", nil)
	w.ok(err)
}

// asg is the live assignment of unit on the item.
func (w *world) asg(id, unit uuid.UUID) uuid.UUID {
	w.t.Helper()
	var out []uuid.UUID
	w.ok(w.env.DB.Gorm().Table("item_assignments").Where("item_id = ? AND unit_id = ? AND state <> ?", id, unit, items.AssignmentReturned).
		Pluck("id", &out).Error)
	if len(out) != 1 {
		w.t.Fatalf("%d live assignments of the unit", len(out))
	}
	return out[0]
}

func (w *world) accept(by string, id, unit uuid.UUID) {
	w.t.Helper()
	_, err := w.items.AcceptAssignment(w.ctx, w.p(by), w.asg(id, unit), nil)
	w.ok(err)
}

func (w *world) giveBack(by string, id, unit uuid.UUID) {
	w.t.Helper()
	_, err := w.items.ReturnAssignment(w.ctx, w.p(by), w.asg(id, unit), "不属于本部门职责", nil)
	w.ok(err)
}

func (w *world) report(by string, id, unit uuid.UUID, submit bool) uuid.UUID {
	w.t.Helper()
	v, err := w.fb.Create(w.ctx, w.p(by), id, feedback.Input{UnitID: &unit, Progress: 30, Content: "按计划推进", Submit: submit})
	w.ok(err)
	return v.ID
}

func (w *world) submit(by string, fb uuid.UUID) {
	w.t.Helper()
	_, err := w.fb.Submit(w.ctx, w.p(by), fb, nil)
	w.ok(err)
}

func (w *world) review(by string, fb uuid.UUID, accept bool) {
	w.t.Helper()
	var err error
	if accept {
		_, err = w.fb.Accept(w.ctx, w.p(by), fb, "", nil)
	} else {
		_, err = w.fb.Return(w.ctx, w.p(by), fb, "请补充佐证材料", nil)
	}
	w.ok(err)
}

func (w *world) urge(by string, id, unit uuid.UUID) uuid.UUID {
	w.t.Helper()
	v, err := w.ur.Send(w.ctx, w.p(by), id, unit, "请抓紧办理", urges.KindManual)
	w.ok(err)
	return v.ID
}

func (w *world) ack(by string, urge uuid.UUID) {
	w.t.Helper()
	_, err := w.ur.Acknowledge(w.ctx, w.p(by), urge, nil)
	w.ok(err)
}

// extend requests an extension by days from today.
func (w *world) extend(by string, id uuid.UUID, days int) uuid.UUID {
	w.t.Helper()
	v, err := w.ext.Create(w.ctx, w.p(by), id, extensions.Input{RequestedDeadline: w.items.Today().AddDays(days), Reason: "设备到货延迟"}, nil)
	w.ok(err)
	return v.ID
}

func (w *world) complete(by string, id uuid.UUID) uuid.UUID {
	w.t.Helper()
	v, err := w.cmp.Create(w.ctx, w.p(by), id, completion.Input{Summary: "已全部完成"}, nil)
	w.ok(err)
	return v.ID
}

// step takes a review step on an extension (ext) or completion request: forward,
// reject (at review, by the office), approve, or decline (the leader's reject).
func (w *world) step(by string, ext bool, id uuid.UUID, step string) {
	w.t.Helper()
	p := w.p(by)
	var err error
	switch {
	case ext && step == "forward":
		_, err = w.ext.Review(w.ctx, p, id, "forward", "", nil)
	case ext && step == "reject":
		_, err = w.ext.Review(w.ctx, p, id, "reject", "理由不充分", nil)
	case ext && step == "approve":
		_, err = w.ext.Approve(w.ctx, p, id, "", nil)
	case ext && step == "decline":
		_, err = w.ext.Reject(w.ctx, p, id, "不同意", nil)
	case step == "forward":
		_, err = w.cmp.Review(w.ctx, p, id, "forward", "", nil)
	case step == "reject":
		_, err = w.cmp.Review(w.ctx, p, id, "reject", "材料不全", nil)
	case step == "approve":
		_, err = w.cmp.Approve(w.ctx, p, id, "", nil)
	case step == "decline":
		_, err = w.cmp.Reject(w.ctx, p, id, "尚未完成", nil)
	}
	w.ok(err)
}

func (w *world) verify(by string, id uuid.UUID, passed bool) {
	w.t.Helper()
	result := "failed"
	if passed {
		result = "passed"
	}
	_, err := w.ver.Create(w.ctx, w.p(by), id, verification.Input{Method: "return_visit", Findings: "核查", Result: result}, nil)
	w.ok(err)
}

// running makes an item of the office (board: no approval) led by lead, issues it
// and has lead's head accept it.
func (w *world) running(title string, in item, head string) uuid.UUID {
	w.t.Helper()
	if in.by == "" {
		in.by = "sup"
	}
	if in.src == "" {
		in.src = items.SourceBoard
	}
	id := w.create(title, in)
	w.act(in.by, id, items.ActSubmit, "")
	w.issue(in.by, id)
	w.accept(head, id, in.lead)
	return id
}

// closed brings a running item through its completion request to closed.
func (w *world) closed(id uuid.UUID, by, leader string) {
	w.t.Helper()
	r := w.complete(by, id)
	w.step("sup", false, r, "forward")
	w.step(leader, false, r, "approve")
}

// lastReport is the unit's newest report on the item.
func (w *world) lastReport(id, unit uuid.UUID) uuid.UUID {
	w.t.Helper()
	var out []uuid.UUID
	w.ok(w.env.DB.Gorm().Table("item_feedback").Where("item_id = ? AND unit_id = ?", id, unit).Order("created_at DESC").Order("id DESC").
		Limit(1).Pluck("id", &out).Error)
	if len(out) == 0 {
		w.t.Fatalf("no report of the unit")
	}
	return out[0]
}

// status is the HTTP status an error would answer with (200 for nil).
func status(err error) int {
	if err == nil {
		return 200
	}
	return httpserver.StatusOf(err)
}
