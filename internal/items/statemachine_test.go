package items

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

var update = flag.Bool("update", false, "rewrite the golden files of the decision matrix")

// TestTableRowsAreExclusive: for any action, state and facts at most one row applies,
// so the table reads the same in any order.
func TestTableRowsAreExclusive(t *testing.T) {
	var facts []Facts
	for _, c := range Categories {
		for _, src := range append(slices.Clone(MatterSources), DocumentSources...) {
			for _, role := range []string{"", RoleLead, RoleCooperating} {
				for _, failed := range []bool{false, true} {
					facts = append(facts, Facts{Category: c, Source: src, AssignmentRole: role, VerifyFailed: failed})
				}
			}
		}
	}
	for _, a := range Actions {
		for _, s := range States {
			for _, f := range facts {
				n := 0
				for _, row := range Table {
					if row.Action == a && slices.Contains(row.From, s) && (row.When == nil || row.When.Holds(f)) {
						n++
					}
				}
				if n > 1 {
					t.Fatalf("%s in %s with %+v: %d rows apply", a, s, f, n)
				}
			}
		}
	}
	for _, row := range Table {
		if !slices.Contains(Actions, row.Action) || row.Who == 0 || len(row.From) == 0 {
			t.Fatalf("bad row %+v", row)
		}
		if row.To != "" && !row.To.Valid() {
			t.Fatalf("row %s leads to unknown state %q", row.Action, row.To)
		}
	}
}

// TestLifecycleTargets spells out the lifecycle of DESIGN.md transition by transition.
func TestLifecycleTargets(t *testing.T) {
	matter := Facts{Category: CategoryImportantMatter, Source: SourceSpecialMeeting}
	board := Facts{Category: CategoryImportantMatter, Source: SourceBoard}
	doc := Facts{Category: CategoryDocument, Source: SourceSuperior}
	lead := Facts{Category: CategoryImportantMatter, Source: SourceOther, AssignmentRole: RoleLead}
	coop := Facts{Category: CategoryImportantMatter, Source: SourceOther, AssignmentRole: RoleCooperating}
	failed := Facts{VerifyFailed: true}
	cases := []struct {
		a    Action
		from State
		f    Facts
		rel  Rel
		to   State
	}{
		{ActSubmit, StateDraft, matter, RelInitiator, StatePendingApproval},
		{ActSubmit, StateDraft, board, RelInitiator, StateApproved},
		{ActSubmit, StateDraft, doc, RelSupervisor, StateApproved},
		{ActApprove, StatePendingApproval, matter, RelLeader, StateApproved},
		{ActReject, StatePendingApproval, matter, RelLeader, StateDraft},
		{ActIssue, StateApproved, matter, RelSupervisor, StateIssued},
		{ActAccept, StateIssued, lead, RelAssignee, StateInProgress},
		{ActAccept, StateIssued, coop, RelAssignee, StateIssued},
		{ActAccept, StateInProgress, coop, RelAssignee, StateInProgress},
		{ActReturn, StateIssued, lead, RelAssignee, StateIssued},
		{ActReassign, StateIssued, matter, RelSupervisor, StateIssued},
		{ActSuspend, StateInProgress, matter, RelSupervisor, StateSuspended},
		{ActResume, StateSuspended, matter, RelSupervisor, StateInProgress},
		{ActCancel, StatePendingApproval, matter, RelInitiator, StateCancelled},
		{ActCancel, StateInProgress, matter, RelSupervisor, StateCancelled},
		{ActCancel, StateCompletionRequested, matter, RelSupervisor, StateCancelled},
		{ActRequestCompletion, StateInProgress, matter, RelLead, StateCompletionRequested},
		{ActApproveCompletion, StateCompletionRequested, matter, RelLeader, StateClosed},
		{ActRejectCompletion, StateCompletionRequested, matter, RelSupervisor, StateInProgress},
		{ActArchive, StateClosed, matter, RelInitiator, StateArchived},
		{ActVerify, StateClosed, matter, RelSupervisor, StateClosed},
		{ActVerify, StateArchived, matter, RelSupervisor, StateArchived},
		{ActVerify, StateClosed, failed, RelSupervisor, StateInProgress},
		{ActVerify, StateArchived, failed, RelSupervisor, StateInProgress},
	}
	for _, c := range cases {
		tr, out := Check(c.a, c.from, c.f, c.rel)
		if out != Permitted {
			t.Errorf("%s from %s (%s): outcome %d, want permitted", c.a, c.from, c.rel, out)
			continue
		}
		if got := tr.Target(c.from); got != c.to {
			t.Errorf("%s from %s: to %s, want %s", c.a, c.from, got, c.to)
		}
	}
	// Not allowed by anyone.
	for _, c := range []struct {
		a    Action
		from State
		f    Facts
	}{
		{ActSubmit, StatePendingApproval, matter}, {ActApprove, StateDraft, matter}, {ActIssue, StatePendingApproval, matter},
		{ActAccept, StateInProgress, lead}, {ActReturn, StateInProgress, lead}, {ActSuspend, StateIssued, matter},
		{ActCancel, StateDraft, matter}, {ActCancel, StateClosed, matter}, {ActArchive, StateInProgress, matter},
		{ActDelete, StateApproved, matter}, {ActUpdate, StateClosed, matter}, {ActVerify, StateInProgress, matter},
	} {
		if _, out := Check(c.a, c.from, c.f, ^Rel(0)); out != NoTransition {
			t.Errorf("%s from %s: outcome %d, want no transition", c.a, c.from, out)
		}
	}
	// Documents are submitted by the supervision office only.
	if _, out := Check(ActSubmit, StateDraft, doc, RelInitiator); out != NotPermitted {
		t.Errorf("initiator submitting a document: outcome %d, want not permitted", out)
	}
}

// matrix fixtures: one scope, its units and people, and a foreign scope.
var (
	mScope, mOther                 = uuid.MustParse("00000000-0000-0000-0000-00000000000a"), uuid.MustParse("00000000-0000-0000-0000-00000000000b")
	mOffice, mInitUnit, mLeadUnit  = uuid.MustParse("00000000-0000-0000-0001-000000000001"), uuid.MustParse("00000000-0000-0000-0001-000000000002"), uuid.MustParse("00000000-0000-0000-0001-000000000003")
	mCoopUnit, mOtherUnit          = uuid.MustParse("00000000-0000-0000-0001-000000000004"), uuid.MustParse("00000000-0000-0000-0001-000000000005")
	mInitiator, mLeader, mLeadHead = uuid.MustParse("00000000-0000-0000-0002-000000000001"), uuid.MustParse("00000000-0000-0000-0002-000000000002"), uuid.MustParse("00000000-0000-0000-0002-000000000003")
	mLeadAsg, mCoopAsg             = uuid.MustParse("00000000-0000-0000-0003-000000000001"), uuid.MustParse("00000000-0000-0000-0003-000000000002")
	mUserN                         = 100
)

type profile struct {
	name string
	p    *access.Principal
}

func mUser() uuid.UUID {
	mUserN++
	return uuid.MustParse(fmt.Sprintf("00000000-0000-0000-0009-%012d", mUserN))
}

func profiles() []profile {
	pr := func(user, unit, scope uuid.UUID, roles ...access.Role) *access.Principal {
		return &access.Principal{UserID: user, UnitID: unit, ScopeID: scope, Roles: roles}
	}
	readonly := pr(mUser(), mOffice, mScope, access.RoleSupervisor)
	readonly.TokenScopes = []string{access.ScopeRead}
	leadHead := pr(mLeadHead, mLeadUnit, mScope, access.RoleMember)
	leadHead.HeadOf = []uuid.UUID{mLeadUnit}
	coopLiaison := pr(mUser(), mCoopUnit, mScope, access.RoleMember)
	coopLiaison.LiaisonOf = []uuid.UUID{mCoopUnit}
	return []profile{
		{"supervisor", pr(mUser(), mOffice, mScope, access.RoleSupervisor)},
		{"leader", pr(mLeader, mOffice, mScope, access.RoleLeader)},
		{"other_leader", pr(mUser(), mOffice, mScope, access.RoleLeader)},
		{"initiator", pr(mInitiator, mInitUnit, mScope, access.RoleMember)},
		{"lead_head", leadHead},
		{"coop_liaison", coopLiaison},
		{"lead_member", pr(mUser(), mLeadUnit, mScope, access.RoleMember)},
		{"stranger", pr(mUser(), mOtherUnit, mScope, access.RoleMember)},
		{"auditor", pr(mUser(), mOtherUnit, mScope, access.RoleAuditor)},
		{"admin", pr(mUser(), mOffice, mScope, access.RoleAdmin)},
		{"foreign_super", pr(mUser(), mOther, mOther, access.RoleSupervisor)},
		{"readonly_super", readonly},
	}
}

func matrixItem(s State, c Category, src Source) (*Item, []Assignment) {
	it := &Item{ID: uuid.MustParse("00000000-0000-0000-0004-000000000001"), ScopeID: mScope, Category: c, Source: src,
		InitiatorUnitID: mInitUnit, InitiatorUserID: mInitiator, SupervisingLeaderID: &mLeader, LeadUnitID: &mLeadUnit,
		CooperatingUnitIDs: []uuid.UUID{mCoopUnit}, State: s}
	var asgs []Assignment
	if s.Issued() {
		asgs = []Assignment{
			{ID: mLeadAsg, ItemID: it.ID, UnitID: mLeadUnit, Role: RoleLead, State: AssignmentPending},
			{ID: mCoopAsg, ItemID: it.ID, UnitID: mCoopUnit, Role: RoleCooperating, State: AssignmentPending},
		}
		if s != StateIssued { // the lead has accepted once the item runs
			asgs[0].State = AssignmentAccepted
		}
	}
	return it, asgs
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	return fmt.Sprint(httpserver.StatusOf(err))
}

// decisionMatrix renders every (state, action, profile) decision as a table.
func decisionMatrix(c Category, src Source) string {
	ps := profiles()
	var b strings.Builder
	fmt.Fprintf(&b, "# category=%s source=%s; cells: ok | 403 forbidden | 404 invisible | 409 invalid transition\n", c, src)
	fmt.Fprintf(&b, "%-21s %-18s", "state", "action")
	for _, p := range ps {
		fmt.Fprintf(&b, " %-14s", p.name)
	}
	b.WriteString("\n")
	for _, s := range States {
		for _, a := range Actions {
			fmt.Fprintf(&b, "%-21s %-18s", s, a)
			for _, p := range ps {
				it, asgs := matrixItem(s, c, src)
				var err error
				switch a {
				case ActAccept, ActReturn:
					asg := Assignment{ID: mLeadAsg, ItemID: it.ID, UnitID: mLeadUnit, Role: RoleLead, State: AssignmentPending}
					if len(asgs) > 0 {
						asg = asgs[0]
					}
					if p.name == "coop_liaison" {
						asg = Assignment{ID: mCoopAsg, ItemID: it.ID, UnitID: mCoopUnit, Role: RoleCooperating, State: AssignmentPending}
						if len(asgs) > 1 {
							asg = asgs[1]
						}
					}
					_, err = DecideAssignment(p.p, it, asgs, &asg, a)
				default:
					_, err = Decide(p.p, it, asgs, a, factsOf(it))
				}
				fmt.Fprintf(&b, " %-14s", outcome(err))
			}
			b.WriteString("\n")
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// TestDecisionMatrix checks every (state, action, role/relation) decision against
// reviewed golden files (testdata/decisions_*.golden; -update rewrites them).
func TestDecisionMatrix(t *testing.T) {
	for _, c := range []struct {
		name string
		cat  Category
		src  Source
	}{
		{"special_meeting", CategoryImportantMatter, SourceSpecialMeeting},
		{"board", CategoryImportantMatter, SourceBoard},
		{"document", CategoryDocument, SourceSuperior},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := decisionMatrix(c.cat, c.src)
			path := filepath.Join("testdata", "decisions_"+c.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestDecisionMatrix -update)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("decision matrix differs at line %d:\n got: %s\nwant: %s", i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("decision matrix differs in length")
			}
		})
	}
}

// TestInvalidTransitionNamesStateAndAllowed: a 409 carries the state and the
// caller's allowed actions.
func TestInvalidTransitionNamesStateAndAllowed(t *testing.T) {
	ps := profiles()
	initiator := ps[3].p
	it, _ := matrixItem(StateDraft, CategoryImportantMatter, SourceOther)
	_, err := Decide(initiator, it, nil, ActApprove, factsOf(it))
	p := problem.From(err)
	if !problem.IsConflict(err) || p.Code != problem.CodeInvalidTransition || p.Extra["state"] != "draft" {
		t.Fatalf("got %+v", p)
	}
	if got := p.Extra["allowed_actions"].([]string); !slices.Equal(got, []string{"add_sub_item", "delete", "manage_milestones", "submit", "update"}) {
		t.Fatalf("allowed_actions %v", got)
	}
}
