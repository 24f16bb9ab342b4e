package items

import (
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/problem"
)

// Visibility (who sees an item; everyone else gets 404):
//   - admin, auditor, supervisor and leader: every item of their scope, and the
//     sub-items that items of their scope handed down to an enterprise
//     (parent_scope_id). Admins and auditors only read.
//   - anyone: the items they initiated, and those whose initiator unit is their own
//     unit or one they head or liaise for;
//   - once submitted (not draft): items whose lead unit, cooperating units, joint
//     supervision team (联合督办) or assignments (any state) name one of those
//     units, or whose assignment names them as the responsible person;
//   - enterprise people: group items (another scope) that name their enterprise as
//     lead or cooperating unit or in an assignment.
//
// CanSee is the rule in Go; visibleSQL is the same rule as a WHERE clause for lists.
// A test keeps the two in step.

// privileged reports whether p's roles see the whole scope.
func privileged(p *access.Principal) bool {
	return p.HasAny(access.RoleAdmin, access.RoleAuditor, access.RoleSupervisor, access.RoleLeader)
}

// MyUnits are the units whose items concern p: their own and those they head or
// liaise for (visibility, feedback to write, overdue items they answer for).
func MyUnits(p *access.Principal) []uuid.UUID {
	out := []uuid.UUID{p.UnitID}
	for _, u := range LedUnits(p) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// LedUnits are the units p heads or liaises for (p.IsHeadOrLiaison): whose
// assignments they accept, whose feedback they submit, whose urges they
// acknowledge.
func LedUnits(p *access.Principal) []uuid.UUID {
	var out []uuid.UUID
	for _, u := range append(slices.Clone(p.HeadOf), p.LiaisonOf...) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// Writes reports whether p's credentials and roles allow changing anything on
// items and their follow-up (feedback, urges, comments): members, supervisors and
// leaders with write credentials. Admins and auditors only read items.
func Writes(p *access.Principal) bool {
	return p.CanWrite() && p.HasAny(access.RoleMember, access.RoleSupervisor, access.RoleLeader)
}

// AnswersFor reports whether p answers for the item's progress: the supervision
// office of its scope, or one of p's units (MyUnits) leads it, cooperates on it or
// holds a live assignment. An overdue item waits for them (the to-do's overdue
// group, and its reminders).
func AnswersFor(p *access.Principal, it *Item, asgs []Assignment) bool {
	if p == nil {
		return false
	}
	if Relations(p, it, nil)&RelSupervisor != 0 {
		return true
	}
	units := MyUnits(p)
	if it.LeadUnitID != nil && slices.Contains(units, *it.LeadUnitID) {
		return true
	}
	if slices.ContainsFunc(it.CooperatingUnitIDs, func(u uuid.UUID) bool { return slices.Contains(units, u) }) {
		return true
	}
	return slices.ContainsFunc(asgs, func(a Assignment) bool { return a.Live() && slices.Contains(units, a.UnitID) })
}

// CanSee reports whether p may see the item; asgs are all its assignments.
func CanSee(p *access.Principal, it *Item, asgs []Assignment) bool {
	if p == nil {
		return false
	}
	if privileged(p) && (it.ScopeID == p.ScopeID || (it.ParentScopeID != nil && *it.ParentScopeID == p.ScopeID)) {
		return true
	}
	units := MyUnits(p)
	if it.InitiatorUserID == p.UserID || slices.Contains(units, it.InitiatorUnitID) {
		return true
	}
	if it.State == StateDraft {
		return false
	}
	if it.SupervisingLeaderID != nil && slices.Contains(deputyLeaders(p), *it.SupervisingLeaderID) {
		return true // a deputy (代理) sees what the leader they stand in for decides
	}
	names := func(u uuid.UUID) bool { return slices.Contains(units, u) }
	if it.ScopeID != p.ScopeID {
		// An enterprise sees the group items given to the enterprise itself.
		units = append(units, p.ScopeID)
	}
	if it.LeadUnitID != nil && names(*it.LeadUnitID) {
		return true
	}
	if slices.ContainsFunc(it.CooperatingUnitIDs, names) || slices.ContainsFunc(it.JointUnitIDs, names) {
		return true
	}
	for _, a := range asgs {
		if names(a.UnitID) || (a.ResponsibleUserID != nil && *a.ResponsibleUserID == p.UserID) {
			return true
		}
	}
	return false
}

// visibleSQL is CanSee as a condition on the items table (aliased "items"), a
// disjunction whose subqueries are uncorrelated (PostgreSQL hashes each once), so
// the page query can walk an index in sort order and test each row cheaply. The
// subjects an item names (lead, cooperating and assignment units, responsible
// people) come from item_visibility (visibility.go): one index range per subject.
func visibleSQL(p *access.Principal) (string, []any) {
	var (
		or   []string
		args []any
	)
	if privileged(p) {
		or = append(or, "items.scope_id = ?", "items.parent_scope_id = ?")
		args = append(args, p.ScopeID, p.ScopeID)
	}
	units := MyUnits(p)
	or = append(or, "items.initiator_user_id = ?", "items.initiator_unit_id IN ?")
	args = append(args, p.UserID, units)
	// A deputy (代理) sees what the leaders they stand in for decide.
	if deps := deputyLeaders(p); len(deps) > 0 {
		or = append(or, "(items.state <> 'draft' AND items.supervising_leader_id IN ?)")
		args = append(args, deps)
	}
	// Units and people share item_visibility: the member's units and the member.
	subjects := append(slices.Clone(units), p.UserID)
	named := `items.id IN (SELECT v.item_id FROM item_visibility v WHERE v.subject_id IN ?)`
	args = append(args, subjects)
	if slices.Contains(units, p.ScopeID) {
		// The enterprise itself is already one of the subjects.
		or = append(or, "(items.state <> 'draft' AND "+named+")")
		return "(" + strings.Join(or, " OR ") + ")", args
	}
	// An enterprise sees the group items (another scope) that name the enterprise.
	enterprise := `items.scope_id <> ? AND items.id IN (SELECT v2.item_id FROM item_visibility v2 WHERE v2.subject_id = ?)`
	or = append(or, "(items.state <> 'draft' AND ("+named+" OR ("+enterprise+")))")
	args = append(args, p.ScopeID, p.ScopeID)
	return "(" + strings.Join(or, " OR ") + ")", args
}

// deputyLeaders are the leaders p stands in for under a running delegation.
func deputyLeaders(p *access.Principal) []uuid.UUID {
	var out []uuid.UUID
	for _, d := range p.Deputizing {
		if d.Leader {
			out = append(out, d.PrincipalID)
		}
	}
	return out
}

// Relations are p's relations to the item; a is the assignment acted on, if any.
func Relations(p *access.Principal, it *Item, a *Assignment) Rel {
	var r Rel
	if p == nil {
		return r
	}
	if p.Has(access.RoleSupervisor) && p.ScopeID == it.ScopeID {
		r |= RelSupervisor
	}
	// The supervising leader, or their deputy while a delegation (代理) runs.
	if it.SupervisingLeaderID != nil && p.ActsAsLeader(*it.SupervisingLeaderID) {
		r |= RelLeader
	}
	// An item without a supervising leader (registered before submit and issue
	// required one) is decided by the supervision office of its scope: approval,
	// extensions and closing would otherwise wait for nobody (issue 11).
	if it.SupervisingLeaderID == nil && r&RelSupervisor != 0 {
		r |= RelLeader
	}
	if it.InitiatorUserID == p.UserID || p.IsHeadOrLiaison(it.InitiatorUnitID) {
		r |= RelInitiator
	}
	if it.LeadUnitID != nil && p.IsHeadOrLiaison(*it.LeadUnitID) {
		r |= RelLead
	}
	if a != nil && p.IsHeadOrLiaison(a.UnitID) {
		r |= RelAssignee
	}
	return r
}

func factsOf(it *Item) Facts { return Facts{Category: it.Category, Source: it.Source} }

// CanCreate reports whether p may create items at all: members propose, supervisors
// register, leaders instruct; admins and auditors do not.
func CanCreate(p *access.Principal) bool { return Writes(p) }

// Decide answers whether p may take an item-level action: 404 when the item is not
// visible, 403 for a read-only credential or a caller without the relation, 409
// (naming the state and the caller's allowed actions) when the state does not allow
// the action at all.
func Decide(p *access.Principal, it *Item, asgs []Assignment, a Action, f Facts) (Transition, error) {
	if !CanSee(p, it, asgs) {
		return Transition{}, problem.NotFound("item")
	}
	if !p.CanWrite() {
		return Transition{}, problem.Forbidden("these credentials may only read")
	}
	t, out := Check(a, it.State, f, Relations(p, it, nil))
	switch out {
	case NoTransition:
		return t, problem.InvalidTransition(string(a), string(it.State), AllowedActions(p, it, asgs))
	case NotPermitted:
		return t, problem.Forbidden("you may not " + strings.ReplaceAll(string(a), "_", " ") + " this item")
	}
	return t, nil
}

// DecideAssignment answers accept and return on one assignment: 404 when the item
// is not visible, 409 when the assignment is no longer pending (naming its state) or
// the item's state does not allow it, 403 unless p heads or liaises for the unit.
func DecideAssignment(p *access.Principal, it *Item, asgs []Assignment, asg *Assignment, a Action) (Transition, error) {
	if !CanSee(p, it, asgs) {
		return Transition{}, problem.NotFound("assignment")
	}
	if !p.CanWrite() {
		return Transition{}, problem.Forbidden("these credentials may only read")
	}
	if asg.State != AssignmentPending {
		return Transition{}, problem.InvalidTransition(string(a), asg.State, AssignmentActions(p, it, asgs, asg))
	}
	f := factsOf(it)
	f.AssignmentRole = asg.Role
	t, out := Check(a, it.State, f, Relations(p, it, asg))
	switch out {
	case NoTransition:
		return t, problem.InvalidTransition(string(a), string(it.State), AllowedActions(p, it, asgs))
	case NotPermitted:
		return t, problem.Forbidden("only the head or a liaison of the assigned unit may " + string(a) + " this assignment")
	}
	return t, nil
}

// AllowedActions lists what p may do to the item now (`allowed_actions`).
func AllowedActions(p *access.Principal, it *Item, asgs []Assignment) []string {
	checks := map[string]bool{}
	if p == nil || !p.CanWrite() || !CanSee(p, it, asgs) {
		return []string{}
	}
	rel := Relations(p, it, nil)
	for _, a := range ExposedActions {
		switch a {
		case ActAccept, ActReturn:
			for i := range asgs {
				asg := &asgs[i]
				if asg.State != AssignmentPending {
					continue
				}
				f := factsOf(it)
				f.AssignmentRole = asg.Role
				if _, out := Check(a, it.State, f, Relations(p, it, asg)); out == Permitted {
					checks[string(a)] = true
				}
			}
		default:
			_, out := Check(a, it.State, factsOf(it), rel)
			checks[string(a)] = out == Permitted
		}
	}
	checks[string(ActAddSubItem)] = CanAddSubItem(p, it)
	return access.Actions(checks)
}

// CanAddSubItem mirrors what Create checks of a parent_id (分解): the caller may
// create items and sees the parent (checked by the caller of this), and the parent
// is still open. Where the sub-item lands (the parent's scope or the caller's own)
// is Create's business.
func CanAddSubItem(p *access.Principal, parent *Item) bool {
	return CanCreate(p) && parent.State != StateClosed && parent.State != StateArchived && parent.State != StateCancelled
}

// AssignmentActions lists what p may do to one assignment: accept and return while
// it is pending, update (the responsible person) while it is live.
func AssignmentActions(p *access.Principal, it *Item, asgs []Assignment, asg *Assignment) []string {
	checks := map[string]bool{}
	if p == nil || !p.CanWrite() || !CanSee(p, it, asgs) {
		return []string{}
	}
	if asg.State == AssignmentPending {
		f := factsOf(it)
		f.AssignmentRole = asg.Role
		rel := Relations(p, it, asg)
		for _, a := range []Action{ActAccept, ActReturn} {
			_, out := Check(a, it.State, f, rel)
			checks[string(a)] = out == Permitted
		}
	}
	checks["update"] = canUpdateAssignment(p, it, asg)
	return access.Actions(checks)
}

// canUpdateAssignment: the head or a liaison of the unit, or the supervision office,
// name the responsible person of a live assignment of a running item.
func canUpdateAssignment(p *access.Principal, it *Item, asg *Assignment) bool {
	if !asg.Live() || !it.State.Running() {
		return false
	}
	return p.IsHeadOrLiaison(asg.UnitID) || Relations(p, it, nil)&RelSupervisor != 0
}
