package items

import (
	"slices"
	"strings"
)

// This file is the lifecycle of an item as data: states, actions, and one row per
// (action, from-states, condition) saying who may take it and where it leads. It
// knows nothing of HTTP or the database; permissions.go combines it with visibility
// and the caller's relations to the item, the service applies the effects.

// State of an item (API.md: these names are a contract).
type State string

const (
	StateDraft               State = "draft"
	StatePendingApproval     State = "pending_approval"
	StateApproved            State = "approved"
	StateIssued              State = "issued"
	StateInProgress          State = "in_progress"
	StateSuspended           State = "suspended"
	StateCompletionRequested State = "completion_requested"
	StateClosed              State = "closed"
	StateArchived            State = "archived"
	StateCancelled           State = "cancelled"
)

// States lists every state in lifecycle order.
var States = []State{StateDraft, StatePendingApproval, StateApproved, StateIssued, StateInProgress,
	StateSuspended, StateCompletionRequested, StateClosed, StateArchived, StateCancelled}

// Valid reports whether s names a state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Open reports whether the item is live: submitted and not yet closed, archived or
// cancelled. Open items are the ones that can be overdue and carry a warning light.
func (s State) Open() bool {
	switch s {
	case StatePendingApproval, StateApproved, StateIssued, StateInProgress, StateSuspended, StateCompletionRequested:
		return true
	}
	return false
}

// OpenStates are the states for which State.Open is true.
var OpenStates = []State{StatePendingApproval, StateApproved, StateIssued, StateInProgress, StateSuspended, StateCompletionRequested}

// Issued reports whether the item has been registered (has a code and assignments).
func (s State) Issued() bool {
	switch s {
	case StateDraft, StatePendingApproval, StateApproved:
		return false
	}
	return true
}

// Action is something a caller does to an item.
type Action string

const (
	ActUpdate            Action = "update"
	ActDelete            Action = "delete"
	ActSubmit            Action = "submit"
	ActApprove           Action = "approve"
	ActReject            Action = "reject"
	ActIssue             Action = "issue"
	ActAccept            Action = "accept"
	ActReturn            Action = "return"
	ActReassign          Action = "reassign"
	ActSuspend           Action = "suspend"
	ActResume            Action = "resume"
	ActCancel            Action = "cancel"
	ActArchive           Action = "archive"
	ActRequestCompletion Action = "request_completion"
	ActApproveCompletion Action = "approve_completion"
	ActRejectCompletion  Action = "reject_completion"
	ActVerify            Action = "verify"
	// ActMilestones is adding, editing and removing milestones.
	ActMilestones Action = "manage_milestones"
	// ActAddSubItem is offered in allowed_actions only: the sub-item is created by
	// POST /items with parent_id, which checks the same (CanAddSubItem).
	ActAddSubItem Action = "add_sub_item"
	// ActMoveDeadline moves the current deadline of an issued, open item: an
	// extension approved by the supervising leader, or a new deadline the
	// supervision office sets on a leader's decision (internal/extensions decides
	// which; original_deadline never moves).
	ActMoveDeadline Action = "move_deadline"
	// ActSetProgress sets the item's progress from the lead unit's accepted report
	// (internal/feedback).
	ActSetProgress Action = "set_progress"
)

// Actions lists every action of the table.
var Actions = []Action{ActUpdate, ActDelete, ActSubmit, ActApprove, ActReject, ActIssue, ActAccept,
	ActReturn, ActReassign, ActSuspend, ActResume, ActCancel, ActArchive, ActRequestCompletion,
	ActApproveCompletion, ActRejectCompletion, ActVerify, ActMilestones, ActMoveDeadline, ActSetProgress}

// ExposedActions are the actions offered in `allowed_actions`: those with an
// endpoint. request_completion, approve_completion and reject_completion are taken
// through the completion requests (internal/completion), verify through the
// verifications (internal/verification).
var ExposedActions = []Action{ActUpdate, ActDelete, ActSubmit, ActApprove, ActReject, ActIssue,
	ActAccept, ActReturn, ActReassign, ActSuspend, ActResume, ActCancel, ActArchive, ActMilestones,
	ActRequestCompletion, ActApproveCompletion, ActRejectCompletion, ActVerify}

// Rel is the set of relations a caller has to an item; rules say which relations
// may take an action.
type Rel uint8

const (
	// RelSupervisor: role supervisor in the item's scope (the supervision office).
	RelSupervisor Rel = 1 << iota
	// RelLeader: role leader and the item's supervising leader (主管领导).
	RelLeader
	// RelInitiator: the user who created the item, or the head or a liaison of the
	// initiator unit.
	RelInitiator
	// RelLead: head or liaison of the lead unit (牵头部门).
	RelLead
	// RelAssignee: head or liaison of the unit of the assignment acted on (accept,
	// return).
	RelAssignee
)

var relNames = []struct {
	r    Rel
	name string
}{{RelSupervisor, "supervisor"}, {RelLeader, "supervising_leader"}, {RelInitiator, "initiator"},
	{RelLead, "lead_unit"}, {RelAssignee, "assignee_unit"}}

// String lists the relations, e.g. "initiator|supervisor".
func (r Rel) String() string {
	var names []string
	for _, n := range relNames {
		if r&n.r != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// Facts are what the rows' conditions look at besides the state.
type Facts struct {
	Category Category
	Source   Source
	// AssignmentRole is the role of the assignment accepted or returned.
	AssignmentRole string
	// VerifyFailed is the result of a verification (反弹 when true).
	VerifyFailed bool
}

// Cond is a named condition on the facts; nil always holds.
type Cond struct {
	Name  string
	Holds func(Facts) bool
}

var (
	condNeedsApproval = &Cond{"important matter whose source needs the supervising leader's approval (special_meeting, other)",
		func(f Facts) bool { return f.Category != CategoryDocument && !f.Source.SkipsApproval() }}
	condSkipsApproval = &Cond{"important matter whose source skips approval (board, party_group, leader_activity, group_meeting)",
		func(f Facts) bool { return f.Category != CategoryDocument && f.Source.SkipsApproval() }}
	condDocument   = &Cond{"document, registered directly by the supervision office", func(f Facts) bool { return f.Category == CategoryDocument }}
	condLead       = &Cond{"the lead unit's assignment", func(f Facts) bool { return f.AssignmentRole == RoleLead }}
	condCooperator = &Cond{"a cooperating unit's assignment", func(f Facts) bool { return f.AssignmentRole == RoleCooperating }}
	condPassed     = &Cond{"verification passed", func(f Facts) bool { return !f.VerifyFailed }}
	condFailed     = &Cond{"verification failed (反弹)", func(f Facts) bool { return f.VerifyFailed }}
)

// Transition is one row of the table.
type Transition struct {
	Action Action
	From   []State
	// To is the state after the action; empty means the state does not change.
	To State
	// Who may take it: any of these relations.
	Who  Rel
	When *Cond
	// Needs describes what the request must carry (checked by the service, 422).
	Needs string
	// Effect describes what happens besides the state change; Apply is that
	// effect as code (nil: nothing but the state).
	Effect string
	Apply  Effect
}

var (
	beforeIssue = []State{StatePendingApproval, StateApproved}
	running     = []State{StateIssued, StateInProgress, StateSuspended}
	// issuedOpen are the states of an issued item that is not finished.
	issuedOpen = []State{StateIssued, StateInProgress, StateSuspended, StateCompletionRequested}
)

// Table is the lifecycle. Rows of one action are exclusive for any state and facts.
var Table = []Transition{
	{Action: ActUpdate, From: []State{StateDraft}, Who: RelInitiator | RelSupervisor,
		Effect: "edits fields; version+1"},
	{Action: ActUpdate, From: append(slices.Clone(beforeIssue), running...), Who: RelSupervisor,
		Effect: "edits fields; after issue the lead/cooperating units and the deadline change only through assignments and the deadline endpoint"},
	{Action: ActDelete, From: []State{StateDraft}, Who: RelInitiator | RelSupervisor,
		Effect: "removes the draft and its timeline (recorded in the audit log)"},

	{Action: ActSubmit, From: []State{StateDraft}, To: StatePendingApproval, Who: RelInitiator | RelSupervisor, When: condNeedsApproval,
		Needs: "lead_unit_id, supervising_leader_id, deadline not in the past", Effect: "submitted_at", Apply: submitted},
	{Action: ActSubmit, From: []State{StateDraft}, To: StateApproved, Who: RelInitiator | RelSupervisor, When: condSkipsApproval,
		Needs: "lead_unit_id, deadline not in the past", Effect: "submitted_at, approved_at", Apply: submittedApproved},
	{Action: ActSubmit, From: []State{StateDraft}, To: StateApproved, Who: RelSupervisor, When: condDocument,
		Needs: "lead_unit_id, deadline not in the past", Effect: "submitted_at, approved_at", Apply: submittedApproved},
	{Action: ActApprove, From: []State{StatePendingApproval}, To: StateApproved, Who: RelLeader,
		Effect: "approved_at", Apply: approved},
	{Action: ActReject, From: []State{StatePendingApproval}, To: StateDraft, Who: RelLeader,
		Needs: "comment", Effect: "submitted_at cleared", Apply: unsubmitted},
	{Action: ActIssue, From: []State{StateApproved}, To: StateIssued, Who: RelSupervisor,
		Needs:  "assignments (default: lead and cooperating units), deadline not in the past",
		Effect: "gives the code, fixes original_deadline, creates the assignments", Apply: issued},

	{Action: ActAccept, From: []State{StateIssued}, To: StateInProgress, Who: RelAssignee, When: condLead,
		Effect: "assignment accepted; the clock of the lead unit starts (accepted_at)", Apply: accepted},
	{Action: ActAccept, From: running, Who: RelAssignee, When: condCooperator,
		Effect: "assignment accepted"},
	{Action: ActReturn, From: []State{StateIssued}, Who: RelAssignee, When: condLead,
		Needs: "reason", Effect: "assignment returned; the supervision office reassigns"},
	{Action: ActReturn, From: running, Who: RelAssignee, When: condCooperator,
		Needs: "reason", Effect: "assignment returned; the supervision office reassigns"},
	{Action: ActReassign, From: running, Who: RelSupervisor,
		Needs: "unit_id, role", Effect: "adds an assignment (a new lead only when none is live)"},

	{Action: ActSuspend, From: []State{StateInProgress}, To: StateSuspended, Who: RelSupervisor,
		Effect: "suspend_reason = comment", Apply: suspended},
	{Action: ActResume, From: []State{StateSuspended}, To: StateInProgress, Who: RelSupervisor,
		Effect: "suspend_reason cleared", Apply: resumed},
	{Action: ActCancel, From: beforeIssue, To: StateCancelled, Who: RelInitiator | RelSupervisor,
		Needs: "comment", Effect: "cancel_reason = comment, cancelled_at", Apply: cancelled},
	{Action: ActCancel, From: issuedOpen, To: StateCancelled,
		Who: RelSupervisor, Needs: "comment", Effect: "cancel_reason = comment, cancelled_at", Apply: cancelled},

	{Action: ActRequestCompletion, From: []State{StateInProgress}, To: StateCompletionRequested, Who: RelLead,
		Needs: "summary and materials"},
	{Action: ActApproveCompletion, From: []State{StateCompletionRequested}, To: StateClosed, Who: RelLeader,
		Needs: "the supervision office's review", Effect: "closed_at, progress = 100", Apply: closed},
	{Action: ActRejectCompletion, From: []State{StateCompletionRequested}, To: StateInProgress, Who: RelSupervisor | RelLeader,
		Needs: "comment (退办 reason)"},
	{Action: ActArchive, From: []State{StateClosed}, To: StateArchived, Who: RelInitiator | RelSupervisor,
		Effect: "archived_at (销号)", Apply: archived},
	{Action: ActVerify, From: []State{StateClosed, StateArchived}, Who: RelSupervisor, When: condPassed,
		Effect: "verified = true", Apply: verified},
	{Action: ActVerify, From: []State{StateClosed, StateArchived}, To: StateInProgress, Who: RelSupervisor, When: condFailed,
		Effect: "reopened (反弹): reopened_count+1, flagged, verified = false, closed_at and archived_at cleared", Apply: reopened},

	{Action: ActMilestones, From: []State{StateDraft}, Who: RelInitiator | RelSupervisor},
	{Action: ActMilestones, From: beforeIssue, Who: RelSupervisor},
	{Action: ActMilestones, From: running, Who: RelSupervisor | RelLead},

	{Action: ActMoveDeadline, From: issuedOpen, Who: RelSupervisor | RelLeader,
		Needs:  "the extension's approval or the office's decision (internal/extensions)",
		Effect: "deadline = the new deadline (original_deadline stays)", Apply: movedDeadline},
	{Action: ActSetProgress, From: issuedOpen, Who: RelSupervisor,
		Needs: "an accepted report of the lead unit (internal/feedback)", Effect: "progress", Apply: progressed},
}

// Outcome is the state machine's answer, before visibility.
type Outcome int

const (
	// NoTransition: the action cannot be taken in this state (409).
	NoTransition Outcome = iota
	// NotPermitted: it can, but not by this caller (403).
	NotPermitted
	// Permitted: go ahead.
	Permitted
)

// Find returns the row for the action in the state under the facts.
func Find(a Action, s State, f Facts) (Transition, bool) {
	for _, t := range Table {
		if t.Action == a && slices.Contains(t.From, s) && (t.When == nil || t.When.Holds(f)) {
			return t, true
		}
	}
	return Transition{}, false
}

// Check decides an action for a caller with the relations rel.
func Check(a Action, s State, f Facts, rel Rel) (Transition, Outcome) {
	t, ok := Find(a, s, f)
	switch {
	case !ok:
		return t, NoTransition
	case rel&t.Who == 0:
		return t, NotPermitted
	}
	return t, Permitted
}

// Target is the state after t is taken in s.
func (t Transition) Target(s State) State {
	if t.To == "" {
		return s
	}
	return t.To
}
