package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0025Webhooks creates the outgoing webhooks (package webhooks): the
// subscriptions of a URL to event types, with the signing secret (kept to sign,
// never returned after creation) and the state of a failing target; and the
// deliveries, one per subscription and event (its id derived from both, so that
// a dispatch tried again adds nothing), with the message id every retry reuses,
// the body as first built, and the last attempt's outcome — the delivery log.
func m0025Webhooks() *gormigrate.Migration {
	type Webhook struct {
		ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
		URL            string    `gorm:"size:2000;not null"`
		Description    string    `gorm:"size:200;not null;default:''"`
		EventTypes     string    `gorm:"type:text;not null"`
		Secret         string    `gorm:"size:120;not null"`
		Enabled        bool      `gorm:"not null"`
		FailingSince   *time.Time
		DisabledAt     *time.Time
		DisabledReason string    `gorm:"size:500;not null;default:''"`
		CreatedBy      uuid.UUID `gorm:"type:uuid;not null"`
		CreatedAt      time.Time `gorm:"not null"`
		UpdatedAt      time.Time `gorm:"not null"`
		Version        int       `gorm:"not null"`
	}
	type WebhookDelivery struct {
		ID              uuid.UUID  `gorm:"type:uuid;primaryKey"`
		WebhookID       uuid.UUID  `gorm:"type:uuid;not null"`
		MessageID       string     `gorm:"size:64;not null"`
		EventID         *uuid.UUID `gorm:"type:uuid"`
		EventType       string     `gorm:"size:80;not null"`
		Trigger         string     `gorm:"size:20;not null"`
		Payload         string     `gorm:"type:text;not null"`
		State           string     `gorm:"size:20;not null"`
		Attempts        int        `gorm:"not null;default:0"`
		CreatedAt       time.Time  `gorm:"not null"`
		LastAttemptAt   *time.Time
		NextAttemptAt   *time.Time
		ResponseStatus  int    `gorm:"not null;default:0"`
		LatencyMS       int64  `gorm:"column:latency_ms;not null;default:0"`
		ResponseExcerpt string `gorm:"type:text;not null;default:''"`
		Error           string `gorm:"size:1000;not null;default:''"`
		DeliveredAt     *time.Time
	}
	return &gormigrate.Migration{
		ID: "0025_webhooks",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&Webhook{}, &WebhookDelivery{}); err != nil {
				return err
			}
			return tx.Exec(`CREATE INDEX idx_webhook_deliveries_log ON webhook_deliveries (webhook_id, created_at)`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable(&WebhookDelivery{}, &Webhook{})
		},
	}
}
