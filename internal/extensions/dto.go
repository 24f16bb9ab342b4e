package extensions

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// CreateExtensionRequest is the body of POST /items/{id}/extensions.
type CreateExtensionRequest struct {
	RequestedDeadline string `json:"requested_deadline" validate:"required,datetime=2006-01-02" format:"date" example:"2026-09-30"`
	Reason            string `json:"reason" validate:"required,max=5000" example:"设备到货延迟，需顺延一个月完成调试"`
	// Progress is the progress so far, in percent.
	Progress *int `json:"progress,omitempty" validate:"omitempty,gte=0,lte=100" example:"60"`
} // @name NewExtension

// SetDeadlineRequest is the body of POST /items/{id}/deadline.
type SetDeadlineRequest struct {
	Deadline string `json:"deadline" validate:"required,datetime=2006-01-02" format:"date" example:"2026-10-31"`
	// LeaderID is the leader who decided the new deadline (role leader in the item's scope).
	LeaderID     string `json:"leader_id" validate:"required,uuid" format:"uuid"`
	DecisionNote string `json:"decision_note" validate:"required,max=5000" example:"经主管领导同意，限10月底前办结"`
} // @name DeadlineSet

// ExtensionResponse is an extension request as read.
type ExtensionResponse struct {
	ID          uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	ItemID      uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	RequestedBy uuid.UUID `json:"requested_by" swaggertype:"string" format:"uuid"`
	// UnitID is the lead unit that asked.
	UnitID uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	// CurrentDeadline is the item's deadline when the request was made.
	CurrentDeadline   civil.Date `json:"current_deadline" swaggertype:"string" format:"date" example:"2026-08-31"`
	RequestedDeadline civil.Date `json:"requested_deadline" swaggertype:"string" format:"date" example:"2026-09-30"`
	Reason            string     `json:"reason"`
	Progress          *int       `json:"progress" example:"60"`
	State             string     `json:"state" enums:"requested,forwarded,approved,rejected" example:"requested"`
	ReviewedBy        *uuid.UUID `json:"reviewed_by" swaggertype:"string" format:"uuid"`
	ReviewedAt        *time.Time `json:"reviewed_at"`
	ReviewComment     string     `json:"review_comment"`
	DecidedBy         *uuid.UUID `json:"decided_by" swaggertype:"string" format:"uuid"`
	DecidedAt         *time.Time `json:"decided_at"`
	DecisionComment   string     `json:"decision_comment"`
	Version           int        `json:"version" example:"1"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	// AllowedActions: review (supervision office), approve and reject (supervising leader).
	AllowedActions []string `json:"allowed_actions" example:"review"`
} // @name Extension

// ExtensionListResponse lists an item's extension requests, newest first.
type ExtensionListResponse struct {
	Data  []ExtensionResponse `json:"data"`
	Total int                 `json:"total"`
	// AllowedActions on the item: request (an extension, now), set_deadline (supervision office, overdue item).
	AllowedActions []string `json:"allowed_actions" example:"request"`
} // @name ExtensionList

// DeadlineChangeResponse is one move of an item's deadline after issue.
type DeadlineChangeResponse struct {
	ID     uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	ItemID uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	// Kind: extension (an approved request) or office (set on an overdue item).
	Kind               string     `json:"kind" enums:"extension,office" example:"extension"`
	FromDeadline       civil.Date `json:"from_deadline" swaggertype:"string" format:"date"`
	ToDeadline         civil.Date `json:"to_deadline" swaggertype:"string" format:"date"`
	ExtensionRequestID *uuid.UUID `json:"extension_request_id" swaggertype:"string" format:"uuid"`
	LeaderID           *uuid.UUID `json:"leader_id" swaggertype:"string" format:"uuid"`
	DecisionNote       string     `json:"decision_note"`
	ChangedBy          uuid.UUID  `json:"changed_by" swaggertype:"string" format:"uuid"`
	CreatedAt          time.Time  `json:"created_at"`
} // @name DeadlineChange

// DeadlineChangeListResponse is the history of an item's deadline, oldest first.
type DeadlineChangeListResponse struct {
	Data  []DeadlineChangeResponse `json:"data"`
	Total int                      `json:"total"`
} // @name DeadlineChangeList

// ToExtensionResponse renders a request view.
func ToExtensionResponse(v *View) ExtensionResponse {
	r := &v.Request
	acts := v.AllowedActions
	if acts == nil {
		acts = []string{}
	}
	return ExtensionResponse{ID: r.ID, ItemID: r.ItemID, RequestedBy: r.RequestedBy, UnitID: r.UnitID,
		CurrentDeadline: r.CurrentDeadline, RequestedDeadline: r.RequestedDeadline, Reason: r.Reason, Progress: r.Progress,
		State: string(r.State), ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt, ReviewComment: r.ReviewComment,
		DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, DecisionComment: r.DecisionComment, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, AllowedActions: acts}
}

// ToDeadlineChangeResponse renders a deadline change.
func ToDeadlineChangeResponse(c *DeadlineChange) DeadlineChangeResponse {
	return DeadlineChangeResponse{ID: c.ID, ItemID: c.ItemID, Kind: c.Kind, FromDeadline: c.FromDeadline, ToDeadline: c.ToDeadline,
		ExtensionRequestID: c.ExtensionRequestID, LeaderID: c.LeaderID, DecisionNote: c.DecisionNote, ChangedBy: c.ChangedBy, CreatedAt: c.CreatedAt}
}
