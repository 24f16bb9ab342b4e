package feedback

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/civil"
)

// CreateFeedbackRequest is the body of POST /items/{id}/feedback.
type CreateFeedbackRequest struct {
	// UnitID is the reporting unit; it defaults to the only assigned unit the
	// caller works for (their own unit first), 422 when that is ambiguous.
	UnitID string `json:"unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Progress is the unit's estimate of the work done, 0–100.
	Progress *int   `json:"progress" validate:"required,gte=0,lte=100" minimum:"0" maximum:"100" example:"40"`
	Content  string `json:"content" validate:"required,max=20000" example:"已完成所属企业隐患排查，共发现问题12项，已整改8项。"`
	Problems string `json:"problems,omitempty" validate:"max=20000" example:"2项整改需采购设备，周期较长"`
	// NextSteps: 下一步工作计划.
	NextSteps string `json:"next_steps,omitempty" validate:"max=20000" example:"5月底前完成剩余整改"`
	// MilestoneID is the milestone (节点) reported on; it must be the item's.
	MilestoneID string `json:"milestone_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// AttachmentIDs are files uploaded for this item (POST /attachments) and not
	// yet attached elsewhere.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
	// BasedOnID is the earlier feedback of the unit the text was copied from (as
	// GET /items/{id}/feedback/draft returns it).
	BasedOnID string `json:"based_on_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Submit submits the feedback at once (the unit's head or a liaison only).
	Submit bool `json:"submit,omitempty"`
} // @name NewFeedback

// UpdateFeedbackRequest is the body of PATCH /feedback/{id}: absent fields stay.
type UpdateFeedbackRequest struct {
	Progress  *int    `json:"progress,omitempty" validate:"omitempty,gte=0,lte=100" minimum:"0" maximum:"100"`
	Content   *string `json:"content,omitempty" validate:"omitempty,max=20000"`
	Problems  *string `json:"problems,omitempty" validate:"omitempty,max=20000"`
	NextSteps *string `json:"next_steps,omitempty" validate:"omitempty,max=20000"`
	// MilestoneID sets the milestone; an empty string removes it.
	MilestoneID *string `json:"milestone_id,omitempty" format:"uuid"`
	// AttachmentIDs are added to the feedback's files.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name UpdateFeedback

// AcceptFeedbackRequest is the optional body of POST /feedback/{id}/accept.
type AcceptFeedbackRequest struct {
	Comment string `json:"comment,omitempty" validate:"max=5000" example:"进展符合要求"`
} // @name FeedbackAccept

// ReturnFeedbackRequest is the body of POST /feedback/{id}/return.
type ReturnFeedbackRequest struct {
	// Comment tells the unit what to change; it sees it on the feedback.
	Comment string `json:"comment" validate:"required,max=5000" example:"请补充整改完成情况的佐证材料"`
} // @name FeedbackReturn

// FeedbackResponse is a feedback as read.
type FeedbackResponse struct {
	ID          uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	ItemID      uuid.UUID  `json:"item_id" swaggertype:"string" format:"uuid"`
	UnitID      uuid.UUID  `json:"unit_id" swaggertype:"string" format:"uuid"`
	Progress    int        `json:"progress" example:"40"`
	Content     string     `json:"content"`
	Problems    string     `json:"problems"`
	NextSteps   string     `json:"next_steps"`
	MilestoneID *uuid.UUID `json:"milestone_id" swaggertype:"string" format:"uuid"`
	BasedOnID   *uuid.UUID `json:"based_on_id" swaggertype:"string" format:"uuid"`
	// State: draft (seen by the unit only) → submitted → accepted | returned; a
	// returned one is edited and submitted again.
	State       string     `json:"state" enums:"draft,submitted,accepted,returned"`
	CreatedBy   uuid.UUID  `json:"created_by" swaggertype:"string" format:"uuid"`
	UpdatedBy   uuid.UUID  `json:"updated_by" swaggertype:"string" format:"uuid"`
	SubmittedAt *time.Time `json:"submitted_at"`
	SubmittedBy *uuid.UUID `json:"submitted_by" swaggertype:"string" format:"uuid"`
	ReviewedAt  *time.Time `json:"reviewed_at"`
	ReviewedBy  *uuid.UUID `json:"reviewed_by" swaggertype:"string" format:"uuid"`
	// ReviewComment is the supervision office's comment of the latest review.
	ReviewComment string                           `json:"review_comment"`
	Attachments   []attachments.AttachmentResponse `json:"attachments"`
	// AllowedActions: update, submit, accept, return.
	AllowedActions []string  `json:"allowed_actions"`
	Version        int       `json:"version" example:"2"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
} // @name Feedback

// FeedbackDueResponse is when one assigned unit reports next.
type FeedbackDueResponse struct {
	UnitID uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	Role   string    `json:"role" enums:"lead,cooperating"`
	// NextDue is null when nothing is due (cadence none, no open milestone, item
	// not issued or in progress).
	NextDue        *civil.Date `json:"next_due" swaggertype:"string" format:"date" example:"2026-05-31"`
	Overdue        bool        `json:"overdue"`
	LastReportedAt *time.Time  `json:"last_reported_at"`
} // @name FeedbackDue

// FeedbackListResponse is a page of an item's feedback and the units' due dates.
type FeedbackListResponse struct {
	Data     []FeedbackResponse    `json:"data"`
	Total    int64                 `json:"total" example:"3"`
	Page     int                   `json:"page" example:"1"`
	PageSize int                   `json:"page_size" example:"20"`
	Due      []FeedbackDueResponse `json:"due"`
	// AllowedActions: create, when the caller may write a new feedback on the item;
	// submit, when it may also be submitted at once (a head or liaison of the unit).
	AllowedActions []string `json:"allowed_actions" example:"create,submit"`
} // @name FeedbackList

// FeedbackDraftResponse is a new feedback prefilled from the unit's previous one.
type FeedbackDraftResponse struct {
	UnitID    uuid.UUID  `json:"unit_id" swaggertype:"string" format:"uuid"`
	BasedOnID *uuid.UUID `json:"based_on_id" swaggertype:"string" format:"uuid"`
	// OpenFeedbackID is the unit's feedback already in the works (draft or
	// returned): edit that one rather than starting another (POST answers 409).
	OpenFeedbackID *uuid.UUID  `json:"open_feedback_id" swaggertype:"string" format:"uuid"`
	Progress       int         `json:"progress"`
	Content        string      `json:"content"`
	Problems       string      `json:"problems"`
	NextSteps      string      `json:"next_steps"`
	MilestoneID    *uuid.UUID  `json:"milestone_id" swaggertype:"string" format:"uuid"`
	NextDue        *civil.Date `json:"next_due" swaggertype:"string" format:"date"`
	Overdue        bool        `json:"overdue"`
	LastReportedAt *time.Time  `json:"last_reported_at"`
} // @name FeedbackDraft

// ToResponse renders a feedback view.
func ToResponse(v *View) FeedbackResponse {
	f := &v.Feedback
	files := make([]attachments.AttachmentResponse, len(v.Attachments))
	for i := range v.Attachments {
		files[i] = attachments.ToResponse(&v.Attachments[i])
	}
	actions := v.AllowedActions
	if actions == nil {
		actions = []string{}
	}
	return FeedbackResponse{
		ID: f.ID, ItemID: f.ItemID, UnitID: f.UnitID, Progress: f.Progress, Content: f.Content, Problems: f.Problems,
		NextSteps: f.NextSteps, MilestoneID: f.MilestoneID, BasedOnID: f.BasedOnID, State: string(f.State),
		CreatedBy: f.CreatedBy, UpdatedBy: f.UpdatedBy, SubmittedAt: f.SubmittedAt, SubmittedBy: f.SubmittedBy,
		ReviewedAt: f.ReviewedAt, ReviewedBy: f.ReviewedBy, ReviewComment: f.ReviewComment, Attachments: files,
		AllowedActions: actions, Version: f.Version, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(),
	}
}

// ToDueResponse renders a unit's due date.
func ToDueResponse(d Due) FeedbackDueResponse {
	return FeedbackDueResponse{UnitID: d.UnitID, Role: d.Role, NextDue: d.NextDue, Overdue: d.Overdue, LastReportedAt: d.LastReportedAt}
}

// ToDraftResponse renders a copy-forward template.
func ToDraftResponse(t *Template) FeedbackDraftResponse {
	return FeedbackDraftResponse{
		UnitID: t.UnitID, BasedOnID: t.BasedOnID, OpenFeedbackID: t.OpenFeedbackID, Progress: t.Progress,
		Content: t.Content, Problems: t.Problems, NextSteps: t.NextSteps, MilestoneID: t.MilestoneID,
		NextDue: t.NextDue, Overdue: t.Overdue, LastReportedAt: t.LastReportedAt,
	}
}
