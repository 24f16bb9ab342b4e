// Package attachments stores the files attached to items, feedback, completion
// requests and comments: upload with a size limit and a content-detected type
// allow-list, sha256, storage behind a small interface, and downloads whose
// visibility follows the item and the record the file belongs to (visibility.go).
package attachments

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// Attachment is a row of the attachments table.
type Attachment struct {
	ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID      uuid.UUID  `gorm:"type:uuid"`
	OwnerType   string     // "" until linked, then feedback, completion, comment, item...
	OwnerID     *uuid.UUID `gorm:"type:uuid"`
	Filename    string
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	StorageKey  string
	UploadedBy  uuid.UUID `gorm:"type:uuid"`
	CreatedAt   time.Time
}

// TableName pins the table.
func (Attachment) TableName() string { return "attachments" }

// ItemAccess answers for the item a file belongs to; the items package implements
// it so that the rules exist once.
type ItemAccess interface {
	// ReadItem returns nil when p may see the item, else its 404 problem.
	ReadItem(ctx context.Context, p *access.Principal, itemID uuid.UUID) error
	// AttachToItem returns nil when p may add files to the item, else 404 or 403.
	AttachToItem(ctx context.Context, p *access.Principal, itemID uuid.UUID) error
}
