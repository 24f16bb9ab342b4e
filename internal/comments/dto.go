package comments

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
)

// CreateCommentRequest is the body of POST /items/{id}/comments.
type CreateCommentRequest struct {
	// Kind: instruction (批示, company leaders), coordination (协调意见 or 协调会记录,
	// the supervision office) or comment (anyone who works on the item).
	Kind string `json:"kind" validate:"required,oneof=instruction comment coordination" enums:"instruction,comment,coordination" example:"instruction"`
	Body string `json:"body" validate:"required,max=10000" example:"请安全生产部牵头，6月底前完成全部整改，并将整改情况报公司。"`
	// AttachmentIDs are files uploaded for this item (POST /attachments) and not
	// yet attached elsewhere (a coordination meeting's minutes, say).
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name NewComment

// CommentResponse is a comment as read. Comments are records: never edited.
type CommentResponse struct {
	ID          uuid.UUID                        `json:"id" swaggertype:"string" format:"uuid"`
	ItemID      uuid.UUID                        `json:"item_id" swaggertype:"string" format:"uuid"`
	Kind        string                           `json:"kind" enums:"instruction,comment,coordination"`
	Body        string                           `json:"body"`
	AuthorID    uuid.UUID                        `json:"author_id" swaggertype:"string" format:"uuid"`
	CreatedAt   time.Time                        `json:"created_at"`
	Attachments []attachments.AttachmentResponse `json:"attachments"`
} // @name Comment

// CommentListResponse is a page of an item's comments.
type CommentListResponse struct {
	Data     []CommentResponse `json:"data"`
	Total    int64             `json:"total"`
	Page     int               `json:"page"`
	PageSize int               `json:"page_size"`
	// AllowedKinds are the kinds the caller may write on the item now.
	AllowedKinds []string `json:"allowed_kinds" example:"comment,instruction"`
} // @name CommentList

// ToResponse renders a comment.
func ToResponse(v *View) CommentResponse {
	files := make([]attachments.AttachmentResponse, len(v.Attachments))
	for i := range v.Attachments {
		files[i] = attachments.ToResponse(&v.Attachments[i])
	}
	c := &v.Comment
	return CommentResponse{ID: c.ID, ItemID: c.ItemID, Kind: string(c.Kind), Body: c.Body, AuthorID: c.AuthorID,
		CreatedAt: c.CreatedAt.UTC(), Attachments: files}
}
