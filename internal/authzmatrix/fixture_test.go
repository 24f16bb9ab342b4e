package authzmatrix

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

// actor is a user who plays a role in the matrix, with their credentials.
type actor struct {
	name        string
	id          uuid.UUID
	unit, scope uuid.UUID
	// session is an access JWT of a login session.
	session string
	// readToken is a personal API token with scope read.
	readToken string
}

// fixture is the organisation every cell of one engine runs in:
//
//	集团公司 G (group, scope G)
//	├── 办公厅督办处 O (supervision office): admin1 (admin), sup (supervisor), auditor (auditor)
//	├── 规划发展部 A: heada (member, head of A), membera (member: the undertaker)
//	├── 安全环保部 B: headb (member, head of B)
//	├── leader (L1) and leader2 (L2) sit in G itself
//	└── 华东公司 E (enterprise, scope E)
//	    ├── 华东公司办公室 EO (its supervision office): entsup (supervisor)
//	    ├── 华东公司生产部 EA: enthead (member, head of EA)
//	    └── entleader (leader) sits in E itself
//
// Objects made by the helpers are unique per call unless they are shared on
// purpose (f.once, f.sharedItem).
type fixture struct {
	t     *testing.T
	env   *apitest.Env
	ctx   context.Context
	items *items.Service

	group, office, deptA, deptB uuid.UUID
	ent, entOffice, entDept     uuid.UUID
	leader2, headB, memberA     uuid.UUID
	entSup, entLeader, entHead  uuid.UUID
	actors                      map[role]*actor
	principals                  map[uuid.UUID]*access.Principal
	shared                      map[string]any
	reusable                    map[string]made
	seq                         int
}

func newFixture(t *testing.T, env *apitest.Env) *fixture {
	t.Helper()
	f := &fixture{t: t, env: env, ctx: context.Background(), items: env.App.Items,
		actors: map[role]*actor{}, principals: map[uuid.UUID]*access.Principal{}, shared: map[string]any{},
		reusable: map[string]made{}}
	f.group = env.Unit("集团公司", "group", nil, false)
	f.office = env.Unit("办公厅督办处", "department", &f.group, true)
	f.deptA = env.Unit("规划发展部", "department", &f.group, false)
	f.deptB = env.Unit("安全环保部", "department", &f.group, false)
	f.ent = env.Unit("华东公司", "enterprise", &f.group, false)
	f.entOffice = env.Unit("华东公司办公室", "department", &f.ent, true)
	f.entDept = env.Unit("华东公司生产部", "department", &f.ent, false)

	f.actors[admin] = f.newActor("admin1", f.office, access.RoleAdmin)
	f.actors[supervisor] = f.newActor("sup", f.office, access.RoleSupervisor)
	f.actors[leader] = f.newActor("leader", f.group, access.RoleLeader)
	f.actors[member] = f.newActor("heada", f.deptA, access.RoleMember)
	f.actors[undertaker] = f.newActor("membera", f.deptA, access.RoleMember)
	f.actors[auditor] = f.newActor("auditor", f.office, access.RoleAuditor)
	f.leader2 = env.User("leader2", f.group, access.RoleLeader)
	f.headB = env.User("headb", f.deptB, access.RoleMember)
	f.memberA = f.actors[undertaker].id
	f.entSup = env.User("entsup", f.entOffice, access.RoleSupervisor)
	f.entLeader = env.User("entleader", f.ent, access.RoleLeader)
	f.entHead = env.User("enthead", f.entDept, access.RoleMember)
	env.SetHead(f.deptA, f.actors[member].id)
	env.SetHead(f.deptB, f.headB)
	env.SetHead(f.entDept, f.entHead)
	return f
}

// failf aborts the current cell's setup; the cell is reported as failed.
func (f *fixture) failf(format string, args ...any) {
	panic(setupFailure{msg: fmt.Sprintf(format, args...)})
}

// must aborts the cell's setup on err.
func (f *fixture) must(err error, what string) {
	if err != nil {
		f.failf("%s: %v", what, err)
	}
}

// next returns a number unique in the fixture, for unique names.
func (f *fixture) next() int {
	f.seq++
	return f.seq
}

// newActor inserts a user with the role and opens a session and a read-only API
// token for them.
func (f *fixture) newActor(name string, unit uuid.UUID, r access.Role) *actor {
	id := f.env.User(name, unit, r)
	var scope []uuid.UUID
	if err := f.env.DB.Gorm().Table("org_units").Where("id = ?", unit).Pluck("scope_id", &scope).Error; err != nil || len(scope) != 1 {
		f.failf("scope of %s: %v", name, err)
	}
	return &actor{name: name, id: id, unit: unit, scope: scope[0], session: f.env.OpenSession(id), readToken: f.apiToken(id, "read")}
}

// freshActor is a new user with the role in the unit of the role's actor (not
// head or liaison of anything).
func (f *fixture) freshActor(r role) *actor {
	base := f.actors[r]
	ar := access.Role(r)
	if r == undertaker {
		ar = access.RoleMember
	}
	return f.newActor(fmt.Sprintf("%s.fresh%d", base.name, f.next()), base.unit, ar)
}

// apiToken stores a personal API token of user with the scopes (comma-separated)
// and returns its secret.
func (f *fixture) apiToken(user uuid.UUID, scopes string) string {
	_, raw := f.apiTokenRow(user, scopes)
	return raw
}

// apiTokenRow stores a personal API token and returns its id and secret.
func (f *fixture) apiTokenRow(user uuid.UUID, scopes string) (uuid.UUID, string) {
	raw := "dbn_" + randomHex(24)
	id := uuid.Must(uuid.NewV7())
	err := f.env.DB.Gorm().Table("api_tokens").Create(map[string]any{
		"id": id, "user_id": user, "name": "matrix " + scopes, "prefix": raw[:8], "token_hash": sha256Hex(raw),
		"scopes": scopes, "created_at": time.Now().UTC().Truncate(time.Microsecond),
	}).Error
	if err != nil {
		f.failf("store API token: %v", err)
	}
	return id, raw
}

// refreshToken opens a login session of user straight in the database and returns
// its refresh token.
func (f *fixture) refreshToken(user uuid.UUID) string {
	raw := randomHex(32)
	now := time.Now().UTC().Truncate(time.Microsecond)
	err := f.env.DB.Gorm().Table("refresh_tokens").Create(map[string]any{
		"id": uuid.Must(uuid.NewV7()), "family_id": uuid.Must(uuid.NewV7()), "user_id": user, "token_hash": sha256Hex(raw),
		"expires_at": now.Add(time.Hour), "user_agent": "authzmatrix", "ip": "", "created_at": now,
	}).Error
	if err != nil {
		f.failf("store refresh token: %v", err)
	}
	return raw
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// once returns the value cached under key, making it with mk the first time: for
// read-only objects shared by the cells of GET rows.
func once[T any](f *fixture, key string, mk func() T) T {
	if v, ok := f.shared[key]; ok {
		return v.(T)
	}
	v := mk()
	f.shared[key] = v
	return v
}

// principal loads (once) the principal of a user, for service calls.
func (f *fixture) principal(user uuid.UUID) *access.Principal {
	if p, ok := f.principals[user]; ok {
		return p
	}
	p := f.env.Principal(user)
	f.principals[user] = p
	return p
}

// unitFor is the unit of the relation as seen from a: a's own unit, department B
// (another unit of the group's scope; department A for an actor who sits in B) or
// the enterprise's department EA.
func (f *fixture) unitFor(a *actor, rel relation) uuid.UUID {
	switch rel {
	case own:
		return a.unit
	case other:
		if a.unit == f.deptB {
			return f.deptA
		}
		return f.deptB
	}
	return f.entDept
}

// newUnit inserts an empty department under parent (a group or enterprise).
func (f *fixture) newUnit(parent uuid.UUID) uuid.UUID {
	return f.env.Unit(fmt.Sprintf("矩阵测试部门%d", f.next()), "department", &parent, false)
}

// newUser inserts a member of unit.
func (f *fixture) newUser(unit uuid.UUID) uuid.UUID {
	return f.env.User(fmt.Sprintf("matrix.user%d", f.next()), unit, access.RoleMember)
}

// party is who stands around an item of a relation.
type party struct {
	initiator  uuid.UUID // creates it: head of the lead unit
	lead       uuid.UUID // lead unit
	leader     uuid.UUID // supervising leader
	supervisor uuid.UUID // the supervision office of its scope
}

// partyOf returns the people of the item of a relation (see matrix_test.go).
func (f *fixture) partyOf(rel relation) party {
	switch rel {
	case own:
		return party{initiator: f.actors[member].id, lead: f.deptA, leader: f.actors[leader].id, supervisor: f.actors[supervisor].id}
	case other:
		return party{initiator: f.headB, lead: f.deptB, leader: f.leader2, supervisor: f.actors[supervisor].id}
	}
	return party{initiator: f.entHead, lead: f.entDept, leader: f.entLeader, supervisor: f.entSup}
}

// itemRef is an item made for a cell.
type itemRef struct {
	ID    uuid.UUID
	Title string
	// LeadAssignment is the lead unit's assignment once issued.
	LeadAssignment uuid.UUID
	party          party
}

func (it itemRef) path(suffix string) string { return "/api/v1/items/" + it.ID.String() + suffix }

// item makes a new item of the relation in the state. The initiator (the lead
// unit's head) creates it; it goes through the real service: submit (by the
// initiator; special_meeting, which the leader approves), approve (the leader), issue (the supervision office, default
// assignments), accept (the lead's head), suspend/cancel (the supervision office).
// completion_requested, closed and archived are written straight to the row after
// in_progress (cheaper than the completion flow, and the statuses under test
// depend on the state, not on how the item got there).
func (f *fixture) item(rel relation, state items.State) itemRef {
	pt := f.partyOf(rel)
	// special_meeting: the initiator may declare it (a board matter is declared only
	// by the board or supervision office), and the leader approves it.
	src := items.SourceSpecialMeeting
	lead, leaderID := pt.lead, pt.leader
	n := f.next()
	title := fmt.Sprintf("授权矩阵事项%d", n)
	v, err := f.items.Create(f.ctx, f.principal(pt.initiator), items.ItemInput{
		Title: title, Content: "按期完成并报送办理情况。", Requirements: "按节点反馈进展",
		Category: items.CategoryImportantMatter, Source: src, Method: "tracking", Urgency: "normal",
		FeedbackCadence: "monthly", LeadUnitID: &lead, SupervisingLeaderID: &leaderID,
		Deadline: f.items.Today().AddDays(60),
	})
	f.must(err, "create item")
	it := itemRef{ID: v.ID, Title: title, party: pt}
	if state == items.StateDraft {
		return it
	}
	_, err = f.items.Act(f.ctx, f.principal(pt.initiator), it.ID, items.ActSubmit, "", nil)
	f.must(err, "submit item")
	if state == items.StatePendingApproval {
		return it
	}
	_, err = f.items.Act(f.ctx, f.principal(pt.leader), it.ID, items.ActApprove, "", nil)
	f.must(err, "approve item")
	if state == items.StateCancelled {
		_, err = f.items.Act(f.ctx, f.principal(pt.supervisor), it.ID, items.ActCancel, "矩阵测试撤销", nil)
		f.must(err, "cancel item")
		return it
	}
	if state == items.StateApproved {
		return it
	}
	_, err = f.items.Issue(f.ctx, f.principal(pt.supervisor), it.ID, nil, "", nil)
	f.must(err, "issue item")
	asgs, err := f.items.ListAssignments(f.ctx, f.principal(pt.supervisor), it.ID)
	f.must(err, "list assignments")
	for _, a := range asgs {
		if a.Role == items.RoleLead {
			it.LeadAssignment = a.ID
		}
	}
	if state == items.StateIssued {
		return it
	}
	_, err = f.items.AcceptAssignment(f.ctx, f.principal(pt.initiator), it.LeadAssignment, nil)
	f.must(err, "accept assignment")
	switch state {
	case items.StateInProgress:
	case items.StateSuspended:
		_, err = f.items.Act(f.ctx, f.principal(pt.supervisor), it.ID, items.ActSuspend, "矩阵测试暂停", nil)
		f.must(err, "suspend item")
	case items.StateCompletionRequested, items.StateClosed, items.StateArchived:
		f.forceState(it.ID, state)
	default:
		f.failf("item: state %s not supported", state)
	}
	return it
}

// forceState writes a state straight to the item row.
func (f *fixture) forceState(id uuid.UUID, state items.State) {
	now := time.Now().UTC()
	cols := map[string]any{"state": string(state)}
	switch state {
	case items.StateClosed:
		cols["closed_at"] = now
	case items.StateArchived:
		cols["closed_at"], cols["archived_at"] = now, now
	}
	err := f.env.DB.Gorm().Table("items").Where("id = ?", id).Updates(cols).Error
	f.must(err, "force item state")
}

// sharedItem is an item of the relation in the state shared by every cell that
// asks for the same: for GET rows only.
func (f *fixture) sharedItem(rel relation, state items.State) itemRef {
	return once(f, fmt.Sprintf("item/%s/%s", rel, state), func() itemRef { return f.item(rel, state) })
}

// milestone adds a milestone to an item (as the supervision office of its scope)
// and returns its id.
func (f *fixture) milestone(it itemRef) uuid.UUID {
	m, err := f.items.CreateMilestone(f.ctx, f.principal(it.party.supervisor), it.ID, items.MilestoneInput{
		Title: fmt.Sprintf("节点%d", f.next()), DueDate: f.items.Today().AddDays(30),
	})
	f.must(err, "create milestone")
	return m.ID
}

// sessionOf returns (once) an access token of any user, for setups that go
// through HTTP.
func (f *fixture) sessionOf(user uuid.UUID) string {
	return once(f, "session/"+user.String(), func() string { return f.env.OpenSession(user) })
}
