package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0026Channels creates the group robots (package channels): a WeCom, DingTalk
// or Feishu robot of a unit or a scope, told the notifications of its people.
// The target URL (WeCom's and Feishu's carry their key) and the signing secret
// are kept to send, never returned; the last send's outcome is shown instead.
func m0026Channels() *gormigrate.Migration {
	type NotificationChannel struct {
		ID         uuid.UUID  `gorm:"type:uuid;primaryKey"`
		Name       string     `gorm:"size:100;not null"`
		Platform   string     `gorm:"size:20;not null"`
		URL        string     `gorm:"size:2000;not null"`
		Secret     string     `gorm:"size:200;not null;default:''"`
		UnitID     *uuid.UUID `gorm:"type:uuid"`
		ScopeID    *uuid.UUID `gorm:"type:uuid"`
		Kinds      string     `gorm:"type:text;not null"`
		MsgType    string     `gorm:"size:20;not null"`
		Enabled    bool       `gorm:"not null"`
		LastSentAt *time.Time
		LastStatus int       `gorm:"not null;default:0"`
		LastError  string    `gorm:"size:1000;not null;default:''"`
		CreatedBy  uuid.UUID `gorm:"type:uuid;not null"`
		CreatedAt  time.Time `gorm:"not null"`
		UpdatedAt  time.Time `gorm:"not null"`
		Version    int       `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0026_channels",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&NotificationChannel{}); err != nil {
				return err
			}
			for _, q := range []string{
				`CREATE INDEX idx_notification_channels_unit ON notification_channels (unit_id)`,
				`CREATE INDEX idx_notification_channels_scope ON notification_channels (scope_id)`,
			} {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable(&NotificationChannel{}) },
	}
}
