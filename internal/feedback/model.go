// Package feedback holds progress reports (反馈) of the units assigned to an item.
//
// A unit drafts a report (progress %, what was done, problems, next steps, the
// milestone it reports on, attachments); its head or a liaison submits it; the
// supervision office of the item's scope accepts it or returns it with a comment the
// unit sees, after which the unit edits and resubmits the same report. One report
// serves every recipient: the initiator, the supervising leader and the office read
// the same record (drafts stay with the unit). The item's progress follows the last
// accepted report of its lead unit.
//
// Rules are plain Go (permissions.go, due.go, service.go); only handlers.go and
// routes.go know HTTP. Every change to the item and its timeline goes through the
// items package's follow-up door (items.Service.Load, Change, Record) inside the
// same transaction as the feedback row.
package feedback

import (
	"time"

	"github.com/google/uuid"
)

// State of a feedback.
type State string

const (
	// StateDraft: the unit's working copy, seen only by the unit.
	StateDraft State = "draft"
	// StateSubmitted: sent by the unit's head or a liaison, waiting for review.
	StateSubmitted State = "submitted"
	// StateAccepted: the supervision office accepted it.
	StateAccepted State = "accepted"
	// StateReturned: the supervision office returned it with a comment; the unit
	// edits it and submits it again.
	StateReturned State = "returned"
)

// States lists every state.
var States = []State{StateDraft, StateSubmitted, StateAccepted, StateReturned}

// Open reports whether the unit may still edit the feedback.
func (s State) Open() bool { return s == StateDraft || s == StateReturned }

// Reported reports whether the feedback counts as the unit having reported: it was
// submitted and not sent back.
func (s State) Reported() bool { return s == StateSubmitted || s == StateAccepted }

// Actions offered in allowed_actions.
const (
	ActUpdate = "update"
	ActSubmit = "submit"
	ActAccept = "accept"
	ActReturn = "return"
)

// Timeline actions appended to the item's events. Drafts are not recorded: they
// are the unit's own until submitted.
const (
	EvSubmitted = "feedback_submitted"
	EvAccepted  = "feedback_accepted"
	EvReturned  = "feedback_returned"
)

// OwnerType is what the attachments of a feedback are claimed as.
const OwnerType = "feedback"

// Problem codes of this package besides the common ones. Never rename one.
const (
	// CodeOpenExists: the unit already has a feedback in the works (draft or
	// returned) on the item; edit that one (409, with feedback_id).
	CodeOpenExists = "feedback_open_exists"
	// CodeChanged: the feedback changed while the request ran (409).
	CodeChanged = "feedback_changed"
	// CodeNoAssignment: the unit's assignment was returned meanwhile (409).
	CodeNoAssignment = "assignment_not_live"
)

// Feedback is a row of item_feedback.
type Feedback struct {
	ID            uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID        uuid.UUID  `gorm:"type:uuid"`
	UnitID        uuid.UUID  `gorm:"type:uuid"`
	Progress      int        //
	Content       string     //
	Problems      string     //
	NextSteps     string     //
	MilestoneID   *uuid.UUID `gorm:"type:uuid"`
	BasedOnID     *uuid.UUID `gorm:"type:uuid"`
	State         State      //
	CreatedBy     uuid.UUID  `gorm:"type:uuid"`
	UpdatedBy     uuid.UUID  `gorm:"type:uuid"`
	SubmittedAt   *time.Time //
	SubmittedBy   *uuid.UUID `gorm:"type:uuid"`
	ReviewedAt    *time.Time //
	ReviewedBy    *uuid.UUID `gorm:"type:uuid"`
	ReviewComment string     //
	Version       int        //
	CreatedAt     time.Time  //
	UpdatedAt     time.Time  //
}

// TableName pins the table.
func (Feedback) TableName() string { return "item_feedback" }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
