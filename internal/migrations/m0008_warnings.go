package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0008Warnings creates item_warning_clears: a warning light cleared by the
// supervision office with a reason (摘牌). One row per item, the clearing in force;
// a later clearing replaces it (the timeline keeps every one). The light it cleared
// and the deadline it was cleared against are kept: the derived light shows green
// while the item's underlying light is no worse than the cleared one and the
// deadline is unchanged. The thresholds themselves live in app_settings (m0001).
func m0008Warnings() *gormigrate.Migration {
	type Item struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type ItemWarningClear struct {
		ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		// ClearedLight is blue, yellow or red: the light that was cleared.
		ClearedLight string `gorm:"size:8;not null"`
		// Deadline is the item's deadline (YYYY-MM-DD, like items.deadline) when
		// the light was cleared; a new deadline ends the clearing.
		Deadline  string    `gorm:"size:10;not null"`
		Reason    string    `gorm:"type:text;not null"`
		ClearedBy uuid.UUID `gorm:"type:uuid;not null"`
		ClearedAt time.Time `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0008_warnings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&ItemWarningClear{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("item_warning_clears") },
	}
}
