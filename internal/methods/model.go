// Package methods records the other supervision methods of §13 besides written and
// telephone urging (issue 11, point 12):
//   - 联合督办 (joint supervision): departments named as the item's supervision team.
//     The team itself is a relation of the item (it changes who sees the item), so
//     package items keeps it (items.SetJointUnit); this package serves it.
//   - 现场督办 (on-site supervision, authorised by a leader): the record of a visit —
//     who went, where, when, the authorising leader (a leader of the item's
//     scope), the findings, and photos and files (attachments owned by the visit).
//   - 组织协调 (coordination): the record of a coordination meeting — when, where,
//     attendees (people and units), decisions and minutes (text and files). Each
//     decision may become a sub-item (the sub-item form, prefilled, then linked) or
//     a milestone of the item (one action).
//
// Records change nothing on the item row; each is written with its timeline entry
// and domain event through the items package's door, in one transaction.
package methods

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/civil"
)

// Owner types of the attachments claimed by the records.
const (
	OwnerVisit        = "visit"
	OwnerCoordination = "coordination"
)

// Timeline actions.
const (
	EvVisit          = "visit_record"
	EvCoordination   = "coordination_record"
	EvDecisionLinked = "coordination_decision_link"
)

// Actions offered in allowed_actions.
const (
	ActManageTeam         = "manage_joint_units"
	ActRecordVisit        = "record_visit"
	ActRecordCoordination = "record_coordination"
	ActMakeMilestone      = "make_milestone"
	ActMakeSubItem        = "make_sub_item"
)

// Attendee kinds.
const (
	AttendeeUser = "user"
	AttendeeUnit = "unit"
)

// Limits.
const (
	maxPlace     = 300
	maxText      = 20000
	maxDecision  = 2000
	maxDecisions = 50
	maxPeople    = 50
)

// Visit is a row of item_visits.
type Visit struct {
	ID           uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID       uuid.UUID  `gorm:"type:uuid"`
	VisitedOn    civil.Date `gorm:"type:varchar(10)"`
	Place        string
	AuthorisedBy uuid.UUID `gorm:"type:uuid"`
	Findings     string
	CreatedBy    uuid.UUID `gorm:"type:uuid"`
	CreatedAt    time.Time
}

// TableName pins the table.
func (Visit) TableName() string { return "item_visits" }

type visitPerson struct {
	VisitID uuid.UUID `gorm:"type:uuid;primaryKey"`
	UserID  uuid.UUID `gorm:"type:uuid;primaryKey"`
	Sort    int
}

func (visitPerson) TableName() string { return "item_visit_people" }

// Coordination is a row of item_coordinations.
type Coordination struct {
	ID        uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID    uuid.UUID  `gorm:"type:uuid"`
	HeldOn    civil.Date `gorm:"type:varchar(10)"`
	Place     string
	Minutes   string
	CreatedBy uuid.UUID `gorm:"type:uuid"`
	CreatedAt time.Time
}

// TableName pins the table.
func (Coordination) TableName() string { return "item_coordinations" }

type attendee struct {
	CoordinationID uuid.UUID `gorm:"type:uuid;primaryKey"`
	SubjectID      uuid.UUID `gorm:"type:uuid;primaryKey"`
	Kind           string
	Sort           int
}

func (attendee) TableName() string { return "item_coordination_attendees" }

// Decision is a row of item_coordination_decisions.
type Decision struct {
	ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
	CoordinationID uuid.UUID `gorm:"type:uuid"`
	ItemID         uuid.UUID `gorm:"type:uuid"`
	Sort           int
	Text           string
	SubItemID      *uuid.UUID `gorm:"type:uuid"`
	MilestoneID    *uuid.UUID `gorm:"type:uuid"`
}

// TableName pins the table.
func (Decision) TableName() string { return "item_coordination_decisions" }

// VisitView is a visit with its people and files.
type VisitView struct {
	Visit
	VisitorIDs  []uuid.UUID
	Attachments []attachments.Attachment
}

// CoordinationView is a meeting with its attendees, decisions and files.
type CoordinationView struct {
	Coordination
	AttendeeUserIDs []uuid.UUID
	AttendeeUnitIDs []uuid.UUID
	Decisions       []DecisionView
	Attachments     []attachments.Attachment
}

// DecisionView is a decision with what the caller may do with it.
type DecisionView struct {
	Decision
	AllowedActions []string
}

// Files links uploaded files to their owner; attachments.Service implements it.
type Files interface {
	Claim(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, ownerType string, ownerID uuid.UUID) error
	ListFor(ctx context.Context, ownerType string, ownerIDs []uuid.UUID) ([]attachments.Attachment, error)
}

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
