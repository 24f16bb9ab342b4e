package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0020Notifications creates what reaches people (package notifications): the
// in-app notifications, one per recipient per domain event (unique on user and
// event, so a dispatch tried again adds nothing); each user's counter, which
// numbers their notifications in commit order (the stream's event ids); the
// per-user settings (channels per kind, digest, quiet hours, language); and the
// calendar feed's tokens (package calfeed), stored as SHA-256 hashes.
func m0020Notifications() *gormigrate.Migration {
	type Notification struct {
		ID         uuid.UUID  `gorm:"type:uuid;primaryKey"`
		UserID     uuid.UUID  `gorm:"type:uuid;not null"`
		Seq        int64      `gorm:"not null"`
		EventID    uuid.UUID  `gorm:"type:uuid;not null"`
		EventKind  string     `gorm:"size:80;not null"`
		Kind       string     `gorm:"size:40;not null"`
		ItemID     *uuid.UUID `gorm:"type:uuid"`
		ObjectType string     `gorm:"size:40;not null;default:''"`
		ObjectID   *uuid.UUID `gorm:"type:uuid"`
		Link       string     `gorm:"size:500;not null;default:''"`
		ActorID    *uuid.UUID `gorm:"type:uuid"`
		TitleZh    string     `gorm:"size:600;not null"`
		TitleEn    string     `gorm:"size:600;not null"`
		BodyZh     string     `gorm:"type:text;not null"`
		BodyEn     string     `gorm:"type:text;not null"`
		InApp      bool       `gorm:"not null;default:true"`
		EmailState string     `gorm:"size:20;not null;default:''"`
		EmailedAt  *time.Time
		ReadAt     *time.Time
		CreatedAt  time.Time `gorm:"not null"`
	}
	type NotificationCounter struct {
		UserID  uuid.UUID `gorm:"type:uuid;primaryKey"`
		LastSeq int64     `gorm:"not null;default:0"`
	}
	type NotificationSetting struct {
		UserID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		Language   string    `gorm:"size:10;not null"`
		Channels   string    `gorm:"type:text;not null"`
		Digest     bool      `gorm:"not null;default:false"`
		DigestTime string    `gorm:"size:5;not null"`
		QuietStart string    `gorm:"size:5;not null;default:''"`
		QuietEnd   string    `gorm:"size:5;not null;default:''"`
		Version    int       `gorm:"not null"`
		UpdatedAt  time.Time `gorm:"not null"`
	}
	type CalendarToken struct {
		UserID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		TokenHash  string    `gorm:"size:64;not null"`
		CreatedAt  time.Time `gorm:"not null"`
		LastUsedAt *time.Time
	}
	return &gormigrate.Migration{
		ID: "0020_notifications",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&Notification{}, &NotificationCounter{}, &NotificationSetting{}, &CalendarToken{}); err != nil {
				return err
			}
			for _, q := range []string{
				`CREATE UNIQUE INDEX idx_notifications_user_event ON notifications (user_id, event_id)`,
				`CREATE UNIQUE INDEX idx_notifications_user_seq ON notifications (user_id, seq)`,
				`CREATE INDEX idx_notifications_unread ON notifications (user_id) WHERE read_at IS NULL AND in_app`,
				`CREATE INDEX idx_notifications_digest ON notifications (user_id) WHERE email_state = 'digest'`,
				`CREATE UNIQUE INDEX idx_calendar_tokens_hash ON calendar_tokens (token_hash)`,
			} {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable(&Notification{}, &NotificationCounter{}, &NotificationSetting{}, &CalendarToken{})
		},
	}
}
