package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0005Attachments creates the metadata of uploaded files. The bytes live in the
// configured storage under storage_key, never under the user's filename.
func m0005Attachments() *gormigrate.Migration {
	type Attachment struct {
		ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
		ItemID      uuid.UUID  `gorm:"type:uuid;not null;index"`
		OwnerType   string     `gorm:"size:32;not null;default:''"`
		OwnerID     *uuid.UUID `gorm:"type:uuid;index"`
		Filename    string     `gorm:"size:255;not null"`
		ContentType string     `gorm:"size:127;not null"`
		Size        int64      `gorm:"not null"`
		SHA256      string     `gorm:"size:64;not null"`
		StorageKey  string     `gorm:"size:200;not null;uniqueIndex"`
		UploadedBy  uuid.UUID  `gorm:"type:uuid;not null"`
		CreatedAt   time.Time  `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0005_attachments",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&Attachment{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("attachments") },
	}
}
