package events

import "github.com/google/uuid"

// ItemRef is the item an event is about, as it stands after the change: who
// supervises and follows it (for the recipients of notifications) and where it
// belongs (for visibility).
type ItemRef struct {
	ID                  uuid.UUID   `json:"id"`
	ScopeID             uuid.UUID   `json:"scope_id"`
	ParentScopeID       *uuid.UUID  `json:"parent_scope_id,omitempty"`
	Code                string      `json:"code,omitempty"`
	Title               string      `json:"title"`
	State               string      `json:"state"`
	Category            string      `json:"category"`
	Source              string      `json:"source"`
	Urgency             string      `json:"urgency"`
	Deadline            string      `json:"deadline,omitempty"`
	InitiatorUserID     uuid.UUID   `json:"initiator_user_id"`
	InitiatorUnitID     uuid.UUID   `json:"initiator_unit_id"`
	SupervisingLeaderID *uuid.UUID  `json:"supervising_leader_id,omitempty"`
	AssistingLeaderIDs  []uuid.UUID `json:"assisting_leader_ids"`
	LeadUnitID          *uuid.UUID  `json:"lead_unit_id,omitempty"`
	// UnitIDs are the units with a live assignment (lead first), or before issue
	// the lead and cooperating units named on the item.
	UnitIDs []uuid.UUID `json:"unit_ids"`
	// ResponsibleUserIDs are the responsible persons (承办人) of live assignments.
	ResponsibleUserIDs []uuid.UUID `json:"responsible_user_ids,omitempty"`
}

// ItemHeader is embedded by every item event.
type ItemHeader struct {
	Item ItemRef `json:"item"`
}

// ItemRef implements ItemEvent.
func (h *ItemHeader) ItemRef() *ItemRef { return &h.Item }

// Transition is the payload of an item's change of state.
type Transition struct {
	ItemHeader
	From    string `json:"from"`
	To      string `json:"to"`
	Comment string `json:"comment,omitempty"`
}

// The item's lifecycle (statemachine.go in internal/items).
type (
	// ItemCreated: a draft (立项建议) was registered.
	ItemCreated struct{ Transition }
	// ItemUpdated: fields were edited; Changes lists them (from/to).
	ItemUpdated struct {
		ItemHeader
		Changes map[string]any `json:"changes"`
	}
	// ItemDeleted: a draft was deleted.
	ItemDeleted struct{ Transition }
	// ItemSubmitted: a draft went for approval (or straight to approved).
	ItemSubmitted struct{ Transition }
	// ItemApproved: the supervising leader approved it (立项).
	ItemApproved struct{ Transition }
	// ItemRejected: the supervising leader sent it back to draft.
	ItemRejected struct{ Transition }
	// ItemIssued: registered with its code and handed to its units (下达).
	ItemIssued struct{ Transition }
	// ItemSuspended and ItemResumed: the item's clock paused and restarted.
	ItemSuspended struct{ Transition }
	ItemResumed   struct{ Transition }
	// ItemCancelled: stopped for good, with a reason.
	ItemCancelled struct{ Transition }
	// ItemClosed: closing was approved (办结).
	ItemClosed struct{ Transition }
	// ItemArchived: filed (销号).
	ItemArchived struct{ Transition }
	// ItemReopened: a failed verification reopened it (反弹).
	ItemReopened struct{ Transition }
)

// Kinds of the item's lifecycle.
const (
	KindItemCreated   Kind = "item.created"
	KindItemUpdated   Kind = "item.updated"
	KindItemDeleted   Kind = "item.deleted"
	KindItemSubmitted Kind = "item.submitted"
	KindItemApproved  Kind = "item.approved"
	KindItemRejected  Kind = "item.rejected"
	KindItemIssued    Kind = "item.issued"
	KindItemSuspended Kind = "item.suspended"
	KindItemResumed   Kind = "item.resumed"
	KindItemCancelled Kind = "item.cancelled"
	KindItemClosed    Kind = "item.closed"
	KindItemArchived  Kind = "item.archived"
	KindItemReopened  Kind = "item.reopened"
)

func (ItemCreated) Kind() Kind   { return KindItemCreated }
func (ItemUpdated) Kind() Kind   { return KindItemUpdated }
func (ItemDeleted) Kind() Kind   { return KindItemDeleted }
func (ItemSubmitted) Kind() Kind { return KindItemSubmitted }
func (ItemApproved) Kind() Kind  { return KindItemApproved }
func (ItemRejected) Kind() Kind  { return KindItemRejected }
func (ItemIssued) Kind() Kind    { return KindItemIssued }
func (ItemSuspended) Kind() Kind { return KindItemSuspended }
func (ItemResumed) Kind() Kind   { return KindItemResumed }
func (ItemCancelled) Kind() Kind { return KindItemCancelled }
func (ItemClosed) Kind() Kind    { return KindItemClosed }
func (ItemArchived) Kind() Kind  { return KindItemArchived }
func (ItemReopened) Kind() Kind  { return KindItemReopened }

// AssignmentRef names one unit's part in an item.
type AssignmentRef struct {
	ID                uuid.UUID  `json:"id"`
	UnitID            uuid.UUID  `json:"unit_id"`
	Role              string     `json:"role"`
	ResponsibleUserID *uuid.UUID `json:"responsible_user_id,omitempty"`
}

// AssignmentEvent is the payload of a change to an assignment.
type AssignmentEvent struct {
	ItemHeader
	Assignment AssignmentRef `json:"assignment"`
	Reason     string        `json:"reason,omitempty"`
}

type (
	// AssignmentAccepted: the unit signed for the item (签收).
	AssignmentAccepted struct{ AssignmentEvent }
	// AssignmentReturned: the unit disputed it (退回); the office must reassign.
	AssignmentReturned struct{ AssignmentEvent }
	// AssignmentAdded: the office assigned a unit to a running item (reassign).
	AssignmentAdded struct{ AssignmentEvent }
	// AssignmentUpdated: the responsible person (承办人) was named or changed.
	AssignmentUpdated struct{ AssignmentEvent }
)

// Kinds of assignments.
const (
	KindAssignmentAccepted Kind = "assignment.accepted"
	KindAssignmentReturned Kind = "assignment.returned"
	KindAssignmentAdded    Kind = "assignment.added"
	KindAssignmentUpdated  Kind = "assignment.updated"
)

func (AssignmentAccepted) Kind() Kind { return KindAssignmentAccepted }
func (AssignmentReturned) Kind() Kind { return KindAssignmentReturned }
func (AssignmentAdded) Kind() Kind    { return KindAssignmentAdded }
func (AssignmentUpdated) Kind() Kind  { return KindAssignmentUpdated }

// MilestoneEvent is the payload of a change to a milestone (节点).
type MilestoneEvent struct {
	ItemHeader
	MilestoneID uuid.UUID `json:"milestone_id"`
	Title       string    `json:"title"`
	DueDate     string    `json:"due_date"`
	Done        bool      `json:"done"`
}

type (
	MilestoneCreated struct{ MilestoneEvent }
	MilestoneUpdated struct{ MilestoneEvent }
	MilestoneDeleted struct{ MilestoneEvent }
)

// Kinds of milestones.
const (
	KindMilestoneCreated Kind = "milestone.created"
	KindMilestoneUpdated Kind = "milestone.updated"
	KindMilestoneDeleted Kind = "milestone.deleted"
)

func (MilestoneCreated) Kind() Kind { return KindMilestoneCreated }
func (MilestoneUpdated) Kind() Kind { return KindMilestoneUpdated }
func (MilestoneDeleted) Kind() Kind { return KindMilestoneDeleted }

// DeadlineMoved: the item's current deadline changed after issue — by an approved
// extension (Cause "extension") or set by the supervision office on a leader's
// decision after the item became overdue (Cause "office"). The original deadline
// never moves.
type DeadlineMoved struct {
	ItemHeader
	From     string     `json:"from"`
	To       string     `json:"to"`
	Cause    string     `json:"cause"`
	LeaderID *uuid.UUID `json:"leader_id,omitempty"`
	Note     string     `json:"note,omitempty"`
}

// WarningCleared: the supervision office cleared a warning light (摘牌).
type WarningCleared struct {
	ItemHeader
	Light  string `json:"light"`
	Reason string `json:"reason"`
}

// ProgressChanged: the item's progress moved (an accepted report of the lead
// unit, or an edit by the supervision office).
type ProgressChanged struct {
	ItemHeader
	From int `json:"from"`
	To   int `json:"to"`
}

// Kinds of deadlines, lights and progress.
const (
	KindDeadlineMoved   Kind = "deadline.moved"
	KindWarningCleared  Kind = "warning.cleared"
	KindProgressChanged Kind = "item.progress_changed"
)

func (DeadlineMoved) Kind() Kind   { return KindDeadlineMoved }
func (WarningCleared) Kind() Kind  { return KindWarningCleared }
func (ProgressChanged) Kind() Kind { return KindProgressChanged }

func init() {
	register(&ItemCreated{}, &ItemUpdated{}, &ItemDeleted{}, &ItemSubmitted{}, &ItemApproved{}, &ItemRejected{},
		&ItemIssued{}, &ItemSuspended{}, &ItemResumed{}, &ItemCancelled{}, &ItemClosed{}, &ItemArchived{}, &ItemReopened{},
		&AssignmentAccepted{}, &AssignmentReturned{}, &AssignmentAdded{}, &AssignmentUpdated{},
		&MilestoneCreated{}, &MilestoneUpdated{}, &MilestoneDeleted{},
		&DeadlineMoved{}, &WarningCleared{}, &ProgressChanged{})
}
