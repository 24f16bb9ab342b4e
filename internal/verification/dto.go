package verification

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/httpserver"
)

// CreateRequest is the body of POST /items/{id}/verifications.
type CreateRequest struct {
	Method   string `json:"method" validate:"required,oneof=document_review on_site return_visit" enums:"document_review,on_site,return_visit" example:"return_visit"`
	Findings string `json:"findings" validate:"required,max=20000" example:"回访确认整改措施已落实，未出现反弹"`
	Result   string `json:"result" validate:"required,oneof=passed failed" enums:"passed,failed" example:"passed"`
	// AttachmentIDs are evidence files, uploaded first with POST /attachments.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name NewVerification

// VerificationResponse is a verification as read.
type VerificationResponse struct {
	ID       uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	ItemID   uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	Method   string    `json:"method" enums:"document_review,on_site,return_visit" example:"return_visit"`
	Findings string    `json:"findings"`
	Result   string    `json:"result" enums:"passed,failed" example:"passed"`
	// StateBefore is the item's state when it was verified (closed or archived).
	StateBefore string                           `json:"state_before" example:"closed"`
	VerifiedBy  uuid.UUID                        `json:"verified_by" swaggertype:"string" format:"uuid"`
	CreatedAt   time.Time                        `json:"created_at"`
	Attachments []attachments.AttachmentResponse `json:"attachments"`
} // @name Verification

// VerificationListResponse lists an item's verifications, newest first.
type VerificationListResponse struct {
	Data  []VerificationResponse `json:"data"`
	Total int                    `json:"total"`
	// AllowedActions on the item: create (a verification, now).
	AllowedActions []string `json:"allowed_actions" example:"create"`
} // @name VerificationList

// ToInput converts a validated create request.
func ToInput(r CreateRequest) (Input, error) {
	in := Input{Method: r.Method, Findings: r.Findings, Result: r.Result}
	var err error
	in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", r.AttachmentIDs)
	return in, err
}

// ToVerificationResponse renders a verification.
func ToVerificationResponse(v *View) VerificationResponse {
	out := VerificationResponse{ID: v.ID, ItemID: v.ItemID, Method: v.Method, Findings: v.Findings, Result: v.Result,
		StateBefore: v.StateBefore, VerifiedBy: v.VerifiedBy, CreatedAt: v.CreatedAt, Attachments: []attachments.AttachmentResponse{}}
	for i := range v.Attachments {
		out.Attachments = append(out.Attachments, attachments.ToResponse(&v.Attachments[i]))
	}
	return out
}
