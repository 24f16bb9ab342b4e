package completion

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// MaterialRequest types one uploaded file of a completion request.
type MaterialRequest struct {
	// Kind: request 请示, report 报告, plan 方案, handling 办理情况.
	Kind         string `json:"kind" validate:"required,oneof=request report plan handling" enums:"request,report,plan,handling" example:"report"`
	AttachmentID string `json:"attachment_id" validate:"required,uuid" format:"uuid"`
} // @name CompletionMaterial

// CreateRequest is the body of POST /items/{id}/completion-requests.
type CreateRequest struct {
	Summary string `json:"summary" validate:"required,max=20000" example:"已完成全部隐患整改，整改率100%"`
	// AttachmentIDs are further files, uploaded first with POST /attachments.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
	// Materials are the typed files produced (请示、报告、方案、办理情况).
	Materials []MaterialRequest `json:"materials,omitempty" validate:"max=50,dive"`
	// ReuseAttachmentIDs name files already sent with this item's feedback (reports the
	// requester sees): they are attached to the request as well, without a new upload.
	ReuseAttachmentIDs []string `json:"reuse_attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name NewCompletionRequest

// MaterialResponse is a typed file of a request.
type MaterialResponse struct {
	Kind         string    `json:"kind" enums:"request,report,plan,handling" example:"report"`
	AttachmentID uuid.UUID `json:"attachment_id" swaggertype:"string" format:"uuid"`
} // @name CompletionMaterialRef

// CompletionResponse is a completion request as read.
type CompletionResponse struct {
	ID          uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	ItemID      uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	RequestedBy uuid.UUID `json:"requested_by" swaggertype:"string" format:"uuid"`
	// UnitID is the lead unit that asked.
	UnitID  uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	Summary string    `json:"summary"`
	State   string    `json:"state" enums:"requested,forwarded,approved,rejected" example:"requested"`
	// Materials are the typed files; AttachmentIDs the untyped ones; Attachments describes them all.
	Materials       []MaterialResponse               `json:"materials"`
	AttachmentIDs   []uuid.UUID                      `json:"attachment_ids" swaggertype:"array,string"`
	Attachments     []attachments.AttachmentResponse `json:"attachments"`
	ReviewedBy      *uuid.UUID                       `json:"reviewed_by" swaggertype:"string" format:"uuid"`
	ReviewedAt      *time.Time                       `json:"reviewed_at"`
	ReviewComment   string                           `json:"review_comment"`
	DecidedBy       *uuid.UUID                       `json:"decided_by" swaggertype:"string" format:"uuid"`
	DecidedAt       *time.Time                       `json:"decided_at"`
	DecisionComment string                           `json:"decision_comment"`
	Version         int                              `json:"version" example:"1"`
	CreatedAt       time.Time                        `json:"created_at"`
	UpdatedAt       time.Time                        `json:"updated_at"`
	// AllowedActions: review (supervision office), approve and reject (supervising leader).
	AllowedActions []string `json:"allowed_actions" example:"review"`
} // @name CompletionRequest

// CompletionListResponse lists an item's completion requests, newest first.
type CompletionListResponse struct {
	Data  []CompletionResponse `json:"data"`
	Total int                  `json:"total"`
	// AllowedActions on the item: request (completion, now).
	AllowedActions []string `json:"allowed_actions" example:"request"`
} // @name CompletionRequestList

// ToInput converts a validated create request.
func ToInput(r CreateRequest) (Input, error) {
	in := Input{Summary: r.Summary, Materials: []MaterialInput{}}
	var err error
	if in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", r.AttachmentIDs); err != nil {
		return in, err
	}
	if in.ReuseAttachmentIDs, err = httpserver.UUIDs("reuse_attachment_ids", r.ReuseAttachmentIDs); err != nil {
		return in, err
	}
	for _, m := range r.Materials {
		id, err := uuid.Parse(m.AttachmentID)
		if err != nil {
			return in, problem.Field("materials", "uuid", "attachment_id must be a UUID")
		}
		in.Materials = append(in.Materials, MaterialInput{Kind: m.Kind, AttachmentID: id})
	}
	return in, nil
}

// ToCompletionResponse renders a request view.
func ToCompletionResponse(v *View) CompletionResponse {
	r := &v.Request
	out := CompletionResponse{ID: r.ID, ItemID: r.ItemID, RequestedBy: r.RequestedBy, UnitID: r.UnitID, Summary: r.Summary,
		State: string(r.State), Materials: []MaterialResponse{}, AttachmentIDs: []uuid.UUID{},
		Attachments: []attachments.AttachmentResponse{}, ReviewedBy: r.ReviewedBy, ReviewedAt: r.ReviewedAt,
		ReviewComment: r.ReviewComment, DecidedBy: r.DecidedBy, DecidedAt: r.DecidedAt, DecisionComment: r.DecisionComment,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, AllowedActions: v.AllowedActions}
	if out.AllowedActions == nil {
		out.AllowedActions = []string{}
	}
	typed := map[uuid.UUID]bool{}
	for _, m := range v.Materials {
		typed[m.AttachmentID] = true
		out.Materials = append(out.Materials, MaterialResponse{Kind: m.Kind, AttachmentID: m.AttachmentID})
	}
	for i := range v.Attachments {
		a := &v.Attachments[i]
		out.Attachments = append(out.Attachments, attachments.ToResponse(a))
		if !typed[a.ID] {
			out.AttachmentIDs = append(out.AttachmentIDs, a.ID)
		}
	}
	return out
}
