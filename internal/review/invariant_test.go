package review_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/review"
)

// The invariant of issue 11: an item never gets stuck. In every reachable state of
// an item (each kind of source, with or without a supervising leader — items
// registered before one was required have none), of each of its assignments and of
// each open request on it, somebody has an allowed action that moves it on. The
// rules asked are the state machine's table (items.Decide, AllowedActions,
// AssignmentActions, the same as the golden decision matrix) and the review
// engine's steps (Engine.Actions).

type invReq struct{ review.Fields }

func (*invReq) TableName() string { return "invariant_requests" }

var (
	invScope, invOffice = uuid.New(), uuid.New()
	invInitUnit         = uuid.New()
	invLeadUnit         = uuid.New()
	invCoopUnit         = uuid.New()
	invLeader           = uuid.New()
)

// invPeople are everyone who may stand in a relation to the item.
func invPeople() map[string]*access.Principal {
	pr := func(unit uuid.UUID, roles ...access.Role) *access.Principal {
		return &access.Principal{UserID: uuid.New(), UnitID: unit, ScopeID: invScope, Roles: roles}
	}
	leader := pr(invOffice, access.RoleLeader)
	leader.UserID = invLeader
	leadHead := pr(invLeadUnit, access.RoleMember)
	leadHead.HeadOf = []uuid.UUID{invLeadUnit}
	coopHead := pr(invCoopUnit, access.RoleMember)
	coopHead.HeadOf = []uuid.UUID{invCoopUnit}
	return map[string]*access.Principal{
		"supervisor": pr(invOffice, access.RoleSupervisor), "leader": leader, "initiator": pr(invInitUnit, access.RoleMember),
		"lead_head": leadHead, "coop_head": coopHead, "admin": pr(invOffice, access.RoleAdmin),
	}
}

// invCase is one reachable situation of an item.
type invCase struct {
	name  string
	item  *items.Item
	asgs  []items.Assignment
	reqs  []review.State // open requests (completion or extension) on the item
	moves []string       // item actions that move it on in this state
}

func invCases() []invCase {
	var out []invCase
	kinds := []struct {
		cat items.Category
		src items.Source
	}{{items.CategoryImportantMatter, items.SourceBoard}, {items.CategoryImportantMatter, items.SourceSpecialMeeting},
		{items.CategoryDocument, items.SourceSuperior}}
	asg := func(unit uuid.UUID, role, state string) items.Assignment {
		return items.Assignment{ID: uuid.New(), UnitID: unit, Role: role, State: state}
	}
	for _, k := range kinds {
		for _, withLeader := range []bool{true, false} {
			mk := func(s items.State) *items.Item {
				it := &items.Item{ID: uuid.New(), ScopeID: invScope, Category: k.cat, Source: k.src, InitiatorUnitID: invInitUnit,
					InitiatorUserID: uuid.New(), LeadUnitID: &invLeadUnit, CooperatingUnitIDs: []uuid.UUID{invCoopUnit}, State: s}
				if withLeader {
					it.SupervisingLeaderID = &invLeader
				}
				return it
			}
			name := func(s string) string { return fmt.Sprintf("%s/%s/leader=%v/%s", k.cat, k.src, withLeader, s) }
			running := []items.Assignment{asg(invLeadUnit, items.RoleLead, items.AssignmentAccepted),
				asg(invCoopUnit, items.RoleCooperating, items.AssignmentPending)}
			out = append(out,
				invCase{name: name("pending_approval"), item: mk(items.StatePendingApproval), moves: []string{"approve", "reject"}},
				// approved: issue, which needs a leader; without one the office may name one (update).
				invCase{name: name("approved"), item: mk(items.StateApproved), moves: []string{"issue"}},
				invCase{name: name("issued"), item: mk(items.StateIssued), moves: []string{"accept"},
					asgs: []items.Assignment{asg(invLeadUnit, items.RoleLead, items.AssignmentPending), asg(invCoopUnit, items.RoleCooperating, items.AssignmentPending)}},
				invCase{name: name("issued, lead returned"), item: mk(items.StateIssued), moves: []string{"reassign"},
					asgs: []items.Assignment{asg(invLeadUnit, items.RoleLead, items.AssignmentReturned)}},
				invCase{name: name("in_progress"), item: mk(items.StateInProgress), moves: []string{"request_completion"}, asgs: running},
				invCase{name: name("in_progress, cooperating returned"), item: mk(items.StateInProgress), moves: []string{"reassign"},
					asgs: []items.Assignment{asg(invLeadUnit, items.RoleLead, items.AssignmentAccepted), asg(invCoopUnit, items.RoleCooperating, items.AssignmentReturned)}},
				invCase{name: name("in_progress, extension requested"), item: mk(items.StateInProgress), moves: []string{"request_completion"},
					asgs: running, reqs: []review.State{review.Requested}},
				invCase{name: name("in_progress, extension forwarded"), item: mk(items.StateInProgress), moves: []string{"request_completion"},
					asgs: running, reqs: []review.State{review.Forwarded}},
				invCase{name: name("suspended"), item: mk(items.StateSuspended), moves: []string{"resume"}, asgs: running},
				invCase{name: name("completion requested"), item: mk(items.StateCompletionRequested), asgs: running, reqs: []review.State{review.Requested}},
				invCase{name: name("completion forwarded"), item: mk(items.StateCompletionRequested), asgs: running, reqs: []review.State{review.Forwarded}},
				invCase{name: name("closed"), item: mk(items.StateClosed), moves: []string{"verify", "archive"}, asgs: running},
			)
		}
	}
	return out
}

func TestNoItemGetsStuck(t *testing.T) {
	t.Parallel()
	people := invPeople()
	eng := review.New[*invReq](nil, nil, review.Kind[*invReq]{What: "request"})
	for _, c := range invCases() {
		t.Run(c.name, func(t *testing.T) {
			var moved []string
			for who, p := range people {
				allowed := items.AllowedActions(p, c.item, c.asgs)
				for _, a := range c.moves {
					if !slices.Contains(allowed, a) {
						continue
					}
					// Issue needs a supervising leader: the office names one first.
					if a == "issue" && c.item.SupervisingLeaderID == nil && !slices.Contains(allowed, "update") {
						continue
					}
					moved = append(moved, who+":"+a)
				}
			}
			if len(c.moves) > 0 && len(moved) == 0 {
				t.Errorf("nobody may %v", c.moves)
			}
			// Every pending assignment of a running item: its unit accepts or returns
			// it (once completion is requested or the item closed, the item moves on
			// through its request or its verification instead).
			for i := range c.asgs {
				a := &c.asgs[i]
				if a.State != items.AssignmentPending || !c.item.State.Running() {
					continue
				}
				if !anyone(people, func(p *access.Principal) bool {
					return len(without(items.AssignmentActions(p, c.item, c.asgs, a), "update")) > 0
				}) {
					t.Errorf("nobody may accept or return the %s assignment", a.Role)
				}
			}
			// Every open request: the office reviews it, the deciding leader (or, with
			// none, the office) approves or rejects it. The requester is the lead's head.
			for _, st := range c.reqs {
				r := &invReq{review.Fields{ID: uuid.New(), ItemID: c.item.ID, RequestedBy: people["lead_head"].UserID, UnitID: invLeadUnit, State: st}}
				want := review.ActReview
				if st == review.Forwarded {
					want = review.ActApprove
				}
				if !anyone(people, func(p *access.Principal) bool { return slices.Contains(eng.Actions(p, c.item, c.asgs, r), want) }) {
					t.Errorf("nobody may %s the %s request", want, st)
				}
			}
		})
	}
}

func anyone(people map[string]*access.Principal, ok func(*access.Principal) bool) bool {
	for _, p := range people {
		if ok(p) {
			return true
		}
	}
	return false
}

func without(s []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(s), func(v string) bool { return v == drop })
}
