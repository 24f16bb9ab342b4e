package items_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// world is a group with its supervision office, leaders and departments, and two
// enterprises with their own supervision offices.
type world struct {
	env *apitest.Env
	svc *items.Service
	ctx context.Context

	Group, Office, DeptA, DeptB, DeptC, DeptX uuid.UUID
	Ent, EntOffice, EntDept, Ent2             uuid.UUID

	Sup, Leader, Leader2, Member, HeadA, HeadB, LiaisonB, MemberB, HeadC, Stranger, Auditor, Admin uuid.UUID
	EntSup, EntLeader, EntHead, EntMember, Ent2Sup                                                 uuid.UUID
}

func newWorld(t *testing.T, env *apitest.Env) *world {
	t.Helper()
	w := &world{env: env, ctx: context.Background()}
	// The application's clock: a fake one when the test makes time pass.
	cal := calendar.NewService(env.DB, time.FixedZone("CST", 8*3600), env.App.Config.Clock)
	w.svc = items.NewService(env.DB, cal, audit.New(env.DB))
	w.Group = env.Unit("集团公司", "group", nil, false)
	w.Office = env.Unit("办公厅", "department", &w.Group, true)
	w.DeptA = env.Unit("规划发展部", "department", &w.Group, false)
	w.DeptB = env.Unit("安全环保部", "department", &w.Group, false)
	w.DeptC = env.Unit("财务部", "department", &w.Group, false)
	w.DeptX = env.Unit("人力资源部", "department", &w.Group, false)
	w.Ent = env.Unit("华东公司", "enterprise", &w.Group, false)
	w.EntOffice = env.Unit("华东公司办公室", "department", &w.Ent, true)
	w.EntDept = env.Unit("华东公司生产部", "department", &w.Ent, false)
	w.Ent2 = env.Unit("华北公司", "enterprise", &w.Group, false)
	setShort(t, env, w.Ent, "华东")

	w.Sup = env.User("sup", w.Office, access.RoleSupervisor)
	w.Leader = env.User("leader", w.Group, access.RoleLeader)
	w.Leader2 = env.User("leader2", w.Group, access.RoleLeader)
	w.Member = env.User("member", w.DeptA, access.RoleMember)
	w.HeadA = env.User("heada", w.DeptA, access.RoleMember)
	w.HeadB = env.User("headb", w.DeptB, access.RoleMember)
	w.LiaisonB = env.User("liaisonb", w.DeptB, access.RoleMember)
	w.MemberB = env.User("memberb", w.DeptB, access.RoleMember)
	w.HeadC = env.User("headc", w.DeptC, access.RoleMember)
	w.Stranger = env.User("stranger", w.DeptX, access.RoleMember)
	w.Auditor = env.User("auditor", w.Office, access.RoleAuditor)
	w.Admin = env.User("admin1", w.Office, access.RoleAdmin)
	w.EntSup = env.User("entsup", w.EntOffice, access.RoleSupervisor)
	w.EntLeader = env.User("entleader", w.Ent, access.RoleLeader)
	w.EntHead = env.User("enthead", w.EntDept, access.RoleMember)
	w.EntMember = env.User("entmember", w.EntDept, access.RoleMember)
	w.Ent2Sup = env.User("ent2sup", w.Ent2, access.RoleSupervisor)
	env.SetHead(w.DeptA, w.HeadA)
	env.SetHead(w.DeptB, w.HeadB)
	env.AddLiaison(w.DeptB, w.LiaisonB)
	env.SetHead(w.DeptC, w.HeadC)
	env.SetHead(w.EntDept, w.EntHead)
	env.SetHead(w.Ent, w.EntHead)
	return w
}

func setShort(t *testing.T, env *apitest.Env, unit uuid.UUID, short string) {
	t.Helper()
	if err := env.DB.Gorm().Table("org_units").Where("id = ?", unit).Update("short_name", short).Error; err != nil {
		t.Fatal(err)
	}
}

type problemField = problem.FieldError

func (w *world) p(user uuid.UUID) *access.Principal { return w.env.Principal(user) }

func today() civil.Date { return civil.Today(time.FixedZone("CST", 8*3600)) }

func ptr[T any](v T) *T { return &v }

// draft is a valid create input: special_meeting (needs approval), initiated in
// DeptA, led by DeptB with DeptC cooperating.
func (w *world) draft(src items.Source) items.ItemInput {
	return items.ItemInput{
		Title: "落实安全生产专题会议部署", Content: "开展隐患排查整治", Requirements: "6月底前完成",
		Category: items.CategoryImportantMatter, Source: src, LeadUnitID: &w.DeptB,
		CooperatingUnitIDs: []uuid.UUID{w.DeptC}, SupervisingLeaderID: &w.Leader,
		Deadline: today().AddDays(60), Tags: []string{"安全生产"},
	}
}

// must(f())(t) returns f's value, failing the test on its error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// status is the HTTP status an error would answer with (200 for nil).
func status(err error) int {
	return httpserver.StatusOf(err)
}

func wantStatus(t *testing.T, err error, want int) *problem.Problem {
	t.Helper()
	if got := status(err); got != want {
		t.Fatalf("status %d, want %d (err: %v)", got, want, err)
	}
	var p *problem.Problem
	errors.As(err, &p)
	return p
}

// running creates an item and brings it to in_progress: submitted by the member,
// approved by the leader, issued by the supervisor, accepted by the lead head.
func (w *world) running(t *testing.T) (*items.ItemView, []items.AssignmentView) {
	t.Helper()
	v := must(w.svc.Create(w.ctx, w.p(w.Member), w.draft(items.SourceSpecialMeeting)))(t)
	must(w.svc.Act(w.ctx, w.p(w.Member), v.ID, items.ActSubmit, "", nil))(t)
	must(w.svc.Act(w.ctx, w.p(w.Leader), v.ID, items.ActApprove, "", nil))(t)
	must(w.svc.Issue(w.ctx, w.p(w.Sup), v.ID, nil, "", nil))(t)
	asgs := must(w.svc.ListAssignments(w.ctx, w.p(w.Sup), v.ID))(t)
	must(w.svc.AcceptAssignment(w.ctx, w.p(w.HeadB), asgs[0].ID, nil))(t)
	v = must(w.svc.Get(w.ctx, w.p(w.Sup), v.ID))(t)
	return v, must(w.svc.ListAssignments(w.ctx, w.p(w.Sup), v.ID))(t)
}
