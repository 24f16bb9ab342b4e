package events

import "github.com/google/uuid"

// The other supervision methods of §13 (issue 11, point 12): 联合督办 (a joint
// supervision team of departments on an item), 现场督办 (a visit on site) and 组织协调
// (a coordination meeting whose decisions become sub-items or milestones).

// JointUnitEvent is the payload of a change to an item's supervision team.
type JointUnitEvent struct {
	ItemHeader
	UnitID uuid.UUID `json:"unit_id"`
}

// VisitEvent is the payload of a recorded visit (现场督办).
type VisitEvent struct {
	ItemHeader
	VisitID      uuid.UUID   `json:"visit_id"`
	VisitedOn    string      `json:"visited_on"`
	Place        string      `json:"place"`
	AuthorisedBy uuid.UUID   `json:"authorised_by"`
	VisitorIDs   []uuid.UUID `json:"visitor_ids"`
}

// CoordinationEvent is the payload of a recorded coordination meeting (组织协调).
type CoordinationEvent struct {
	ItemHeader
	CoordinationID uuid.UUID `json:"coordination_id"`
	HeldOn         string    `json:"held_on"`
	Decisions      int       `json:"decisions"`
}

// DecisionEvent is the payload of a meeting's decision turned into a sub-item or
// a milestone.
type DecisionEvent struct {
	ItemHeader
	DecisionID  uuid.UUID  `json:"decision_id"`
	SubItemID   *uuid.UUID `json:"sub_item_id,omitempty"`
	MilestoneID *uuid.UUID `json:"milestone_id,omitempty"`
}

type (
	// JointUnitAdded: a department joined the item's supervision team.
	JointUnitAdded struct{ JointUnitEvent }
	// JointUnitRemoved: a department left the item's supervision team.
	JointUnitRemoved struct{ JointUnitEvent }
	// VisitRecorded: the record of a visit on site.
	VisitRecorded struct{ VisitEvent }
	// CoordinationRecorded: the record of a coordination meeting.
	CoordinationRecorded struct{ CoordinationEvent }
	// DecisionLinked: a coordination decision became a sub-item or a milestone.
	DecisionLinked struct{ DecisionEvent }
)

// Kinds of the supervision methods.
const (
	KindJointUnitAdded       Kind = "joint_unit.added"
	KindJointUnitRemoved     Kind = "joint_unit.removed"
	KindVisitRecorded        Kind = "visit.recorded"
	KindCoordinationRecorded Kind = "coordination.recorded"
	KindDecisionLinked       Kind = "coordination.decision_linked"
)

func (JointUnitAdded) Kind() Kind       { return KindJointUnitAdded }
func (JointUnitRemoved) Kind() Kind     { return KindJointUnitRemoved }
func (VisitRecorded) Kind() Kind        { return KindVisitRecorded }
func (CoordinationRecorded) Kind() Kind { return KindCoordinationRecorded }
func (DecisionLinked) Kind() Kind       { return KindDecisionLinked }

func init() {
	register(&JointUnitAdded{}, &JointUnitRemoved{}, &VisitRecorded{}, &CoordinationRecorded{}, &DecisionLinked{})
}
