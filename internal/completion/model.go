// Package completion handles closing an item (办结, §14 rule f): the lead unit
// requests it with a summary and the materials produced — 请示 (request), 报告
// (report), 方案 (plan), 办理情况 (handling) — the supervision office reviews it
// (forward, or 退办 with a reason: the item goes back to in_progress), and the
// supervising leader approves (the item is closed) or rejects it (back to
// in_progress).
//
// The item's side is the items state machine (request_completion,
// approve_completion, reject_completion) through the items door; the request's two
// steps are internal/review's engine, and this package says what each step does to
// the item. Archive (销号) is items' POST /items/{id}/archive.
package completion

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/review"
)

// State of a completion request: requested → forwarded (by the supervision office)
// → approved | rejected (by the supervising leader); or rejected at review (退办).
// The two steps are internal/review's.
type State = review.State

const (
	StateRequested = review.Requested
	StateForwarded = review.Forwarded
	StateApproved  = review.Approved
	StateRejected  = review.Rejected
)

// Actions on a completion request (its allowed_actions).
const (
	ActReview  = review.ActReview
	ActApprove = review.ActApprove
	ActReject  = review.ActReject
	// ActRequest is offered on the list: the caller may request completion now.
	ActRequest = "request"
)

// Review decisions of the supervision office.
const (
	DecisionForward = review.DecisionForward
	DecisionReject  = review.DecisionReject
)

// Material kinds (§14 rule f: 请示、报告、方案、办理情况).
const (
	KindRequest  = "request"
	KindReport   = "report"
	KindPlan     = "plan"
	KindHandling = "handling"
)

// Kinds lists the material kinds.
var Kinds = []string{KindRequest, KindReport, KindPlan, KindHandling}

// OwnerType marks the attachments claimed by a completion request.
const OwnerType = "completion_request"

// Problem codes of this package. Never rename one.
const (
	// CodeChanged: the request changed while this one ran (409).
	CodeChanged = "completion_request_changed"
	// CodePending: the item already has an open completion request (409).
	CodePending = "completion_pending"
)

// EvForward is the timeline action of the office forwarding a request to the
// leader; the other steps are recorded under the state machine's actions.
const EvForward = "completion_forward"

// Request is a row of completion_requests: the review's columns and the summary.
type Request struct {
	review.Fields
	Summary string
}

// TableName pins the table.
func (Request) TableName() string { return "completion_requests" }

// Material is a row of completion_materials: a typed file of a request.
type Material struct {
	CompletionRequestID uuid.UUID `gorm:"type:uuid;primaryKey"`
	AttachmentID        uuid.UUID `gorm:"type:uuid;primaryKey"`
	Kind                string
	Sort                int
}

// TableName pins the table.
func (Material) TableName() string { return "completion_materials" }

// Files links uploaded files to their owner; attachments.Service implements it.
type Files interface {
	Claim(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, ownerType string, ownerID uuid.UUID) error
	ListFor(ctx context.Context, ownerType string, ownerIDs []uuid.UUID) ([]attachments.Attachment, error)
	Reuse(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, fromOwnerType, ownerType string, ownerID uuid.UUID) ([]uuid.UUID, error)
}

// feedbackOwner is the feedback package's attachment owner type (not imported: the
// feedback package is a sibling, not a dependency).
const feedbackOwner = "feedback"

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
