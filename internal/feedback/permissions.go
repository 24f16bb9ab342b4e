package feedback

import (
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who does what (a caller who cannot see the item gets 404 for everything):
//   - read: everyone who sees the item reads its submitted, accepted and returned
//     feedback — the initiator, the supervising leader, the office, the other
//     units, auditors: one report serves every recipient. A draft is seen only by
//     the people of its unit (404 for everyone else).
//   - draft and edit (update): the people of a unit with a live (pending or
//     accepted) assignment — its members, its head and liaisons, the assignment's
//     responsible person — while the item runs (issued, in_progress, suspended)
//     and the feedback is a draft or was returned.
//   - submit: the head or a liaison of the feedback's unit, same states.
//   - accept, return: the supervision office of the item's scope, while the item
//     runs or waits for completion (completion_requested), once submitted.
//
// A read-only credential (or an auditor or admin, who only read items) may do none
// of the changes: 403. Checks run in the order of the rest of the API: 404 when
// not visible, 409 when the state does not allow the action at all, 403 when the
// caller may not take it.

// Units write and submit feedback while the item runs (items.State.Running): a
// suspended item still takes reports (the work is paused, not gone); from
// completion_requested on, the final report goes with the completion request.

// ReviewableStates are the item states in which the office reviews submitted
// feedback: while the item runs, and a report sent just before the completion
// request is still reviewed.
func ReviewableStates() []items.State {
	return append(items.RunningStates(), items.StateCompletionRequested)
}

// ofUnit reports whether p works for unit on the item: a member of the unit, its
// head or a liaison, or the responsible person of one of its assignments.
func ofUnit(p *access.Principal, unit uuid.UUID, asgs []items.Assignment) bool {
	if p == nil {
		return false
	}
	if p.UnitID == unit || p.IsHeadOrLiaison(unit) {
		return true
	}
	for _, a := range asgs {
		if a.UnitID == unit && a.ResponsibleUserID != nil && *a.ResponsibleUserID == p.UserID {
			return true
		}
	}
	return false
}

// canSee reports whether p, who sees the item, sees the feedback.
func canSee(p *access.Principal, f *Feedback, asgs []items.Assignment) bool {
	return f.State != StateDraft || ofUnit(p, f.UnitID, asgs)
}

// draftUnits are the units whose drafts p sees on the item.
func draftUnits(p *access.Principal, asgs []items.Assignment) []uuid.UUID {
	out := []uuid.UUID{}
	for _, a := range asgs {
		if ofUnit(p, a.UnitID, asgs) && !slices.Contains(out, a.UnitID) {
			out = append(out, a.UnitID)
		}
	}
	return out
}

// ActCreate is offered in the list's allowed_actions when p may write a new
// feedback on the item for at least one unit.
const ActCreate = "create"

// ListActions lists what p may do on the item's feedback list: create, and submit
// when what p writes may be submitted at once (submit: true), which only a head or
// liaison of an assigned unit may do.
func ListActions(p *access.Principal, it *items.Item, asgs []items.Assignment) []string {
	_, err := decideCreate(p, it, asgs, nil)
	ok := err == nil || problem.IsInvalid(err) // several units: still allowed
	submit := false
	for _, a := range asgs {
		submit = submit || (ok && p.IsHeadOrLiaison(a.UnitID))
	}
	return access.Actions(map[string]bool{ActCreate: ok, ActSubmit: submit})
}

// AllowedActions lists what p may do to the feedback now.
func AllowedActions(p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback) []string {
	checks := map[string]bool{}
	for _, a := range []string{ActUpdate, ActSubmit, ActAccept, ActReturn} {
		checks[a] = check(p, it, asgs, f, a) == permitted
	}
	return access.Actions(checks)
}

// outcome is the answer of check, before it becomes an error.
type outcome int

const (
	permitted outcome = iota
	readOnly
	wrongState
	wrongItemState
	notWho
	noAssignment
)

// check answers one action on a feedback that p sees.
func check(p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback, action string) outcome {
	if !items.Writes(p) {
		return readOnly
	}
	var fromOK, itemOK, who bool
	switch action {
	case ActUpdate, ActSubmit:
		fromOK = f.State.Open()
		itemOK = it.State.Running()
		if action == ActUpdate {
			who = ofUnit(p, f.UnitID, asgs)
		} else {
			who = p.IsHeadOrLiaison(f.UnitID)
		}
	case ActAccept, ActReturn:
		fromOK = f.State == StateSubmitted
		itemOK = slices.Contains(ReviewableStates(), it.State)
		who = items.IsSupervisor(p, it)
	}
	switch {
	case !fromOK:
		return wrongState
	case !itemOK:
		return wrongItemState
	case !who:
		return notWho
	case (action == ActUpdate || action == ActSubmit) && items.LiveAssignment(asgs, f.UnitID) == nil:
		return noAssignment
	}
	return permitted
}

// decide turns check's answer into the error to return: nil when permitted.
func decide(p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback, action string) error {
	switch check(p, it, asgs, f, action) {
	case readOnly:
		return problem.Forbidden("you may only read feedback")
	case wrongState:
		return problem.InvalidTransition(action, string(f.State), AllowedActions(p, it, asgs, f))
	case wrongItemState:
		return problem.InvalidTransition(action, string(it.State), AllowedActions(p, it, asgs, f)).With("item_state", string(it.State))
	case notWho:
		return problem.Forbidden(forbiddenText[action])
	case noAssignment:
		return problem.Conflict(CodeNoAssignment, "the unit's assignment on this item was returned; it no longer reports on it")
	}
	return nil
}

var forbiddenText = map[string]string{
	ActUpdate: "only the people of the reporting unit may edit its feedback",
	ActSubmit: "only the head or a liaison of the reporting unit may submit its feedback",
	ActAccept: "only the supervision office of the item's scope reviews feedback",
	ActReturn: "only the supervision office of the item's scope reviews feedback",
}

// decideCreate answers whether p may write a new feedback on the visible item now:
// 403 without the roles or credentials to write, 409 unless the item runs, then
// pickUnit's answer for the unit wanted (nil: the only one p works for). It
// returns the unit the feedback reports for.
func decideCreate(p *access.Principal, it *items.Item, asgs []items.Assignment, want *uuid.UUID) (uuid.UUID, error) {
	if !items.Writes(p) {
		return uuid.Nil, problem.Forbidden("you may only read feedback")
	}
	if !it.State.Running() {
		return uuid.Nil, problem.InvalidTransition("create_feedback", string(it.State), []string{}).With("item_state", string(it.State))
	}
	return pickUnit(p, asgs, want)
}

// CanCreate reports whether p may write a new feedback for unit on the item now
// (whether the unit already has one in the works is the service's 409).
func CanCreate(p *access.Principal, it *items.Item, asgs []items.Assignment, unit uuid.UUID) bool {
	_, err := decideCreate(p, it, asgs, &unit)
	return err == nil
}

// pickUnit chooses the unit a new feedback reports for: the one named, else the
// only assigned unit p works for (their own unit first when they work for several).
func pickUnit(p *access.Principal, asgs []items.Assignment, want *uuid.UUID) (uuid.UUID, error) {
	if want != nil {
		if items.LiveAssignment(asgs, *want) == nil {
			return uuid.Nil, problem.Field("unit_id", "assigned", "the unit has no live assignment on this item")
		}
		if !ofUnit(p, *want, asgs) {
			return uuid.Nil, problem.Forbidden("only the people of an assigned unit write its feedback")
		}
		return *want, nil
	}
	var mine []uuid.UUID
	for _, a := range asgs {
		if a.Live() && ofUnit(p, a.UnitID, asgs) && !slices.Contains(mine, a.UnitID) {
			mine = append(mine, a.UnitID)
		}
	}
	switch {
	case len(mine) == 0:
		return uuid.Nil, problem.Forbidden("only the people of a unit assigned to this item write its feedback")
	case len(mine) == 1:
		return mine[0], nil
	case slices.Contains(mine, p.UnitID):
		return p.UnitID, nil
	}
	return uuid.Nil, problem.Field("unit_id", "required", "you work for several assigned units; name the one this feedback is for")
}
