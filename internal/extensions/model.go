// Package extensions handles an item's deadline after issue: extension requests
// (延期申请) by the lead unit before the deadline — reviewed by the supervision office,
// decided by the supervising leader — and the new deadline the supervision office
// sets on an overdue item on a leader's decision (rule d of §14: "报领导明确办理时限").
//
// Both move the item's `deadline` and never `original_deadline`, through the items
// door (items.Service.MoveDeadline: optimistic lock, timeline event, deadline.moved),
// and both leave a row in deadline_changes so the deadline's history is kept. The
// request's two review steps are internal/review's engine. Rules are plain Go
// (permissions.go); only handlers.go and routes know HTTP.
package extensions

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/review"
)

// State of an extension request: requested → forwarded (by the supervision office)
// → approved | rejected (by the supervising leader); or rejected at review. The two
// steps are internal/review's.
type State = review.State

const (
	StateRequested = review.Requested
	StateForwarded = review.Forwarded
	StateApproved  = review.Approved
	StateRejected  = review.Rejected
)

// Actions on an extension request, as listed in its allowed_actions.
const (
	ActReview  = review.ActReview
	ActApprove = review.ActApprove
	ActReject  = review.ActReject
)

// Actions on an item offered by this package (allowed_actions of the lists).
const (
	ActRequest     = "request"
	ActSetDeadline = "set_deadline"
)

// Review decisions of the supervision office.
const (
	DecisionForward = review.DecisionForward
	DecisionReject  = review.DecisionReject
)

// Problem codes of this package. Never rename one.
const (
	// CodeDeadlinePassed: an extension is requested after the deadline (409); only the
	// supervision office can then have a leader set a new one.
	CodeDeadlinePassed = "deadline_passed"
	// CodeExtensionPending: the item already has an open extension request (409).
	CodeExtensionPending = "extension_pending"
	// CodeNotOverdue: the supervision office sets a deadline only on an overdue item (409).
	CodeNotOverdue = "not_overdue"
	// CodeChanged: the request changed while this one ran (409).
	CodeChanged = "extension_changed"
)

// Timeline actions.
const (
	EvRequest     = "extension_request"
	EvForward     = "extension_forward"
	EvReject      = "extension_reject"
	EvApprove     = "extension_approve"
	EvDeadlineSet = "deadline_set"
)

// Kinds of deadline changes.
const (
	KindExtension = "extension"
	KindOffice    = "office"
)

// Request is a row of extension_requests: the review's columns and what was asked.
type Request struct {
	review.Fields
	CurrentDeadline   civil.Date
	RequestedDeadline civil.Date
	Reason            string
	Progress          *int
}

// ref names the request in its events.
func (r *Request) ref() events.RequestRef {
	ref := r.Ref()
	ref.RequestedDeadline = r.RequestedDeadline.String()
	return ref
}

// TableName pins the table.
func (Request) TableName() string { return "extension_requests" }

// DeadlineChange is a row of deadline_changes: one move of an item's deadline after
// issue.
type DeadlineChange struct {
	ID                 uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID             uuid.UUID `gorm:"type:uuid"`
	Kind               string
	FromDeadline       civil.Date
	ToDeadline         civil.Date
	ExtensionRequestID *uuid.UUID `gorm:"type:uuid"`
	LeaderID           *uuid.UUID `gorm:"type:uuid"`
	DecisionNote       string
	ChangedBy          uuid.UUID `gorm:"type:uuid"`
	CreatedAt          time.Time
}

// TableName pins the table.
func (DeadlineChange) TableName() string { return "deadline_changes" }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
