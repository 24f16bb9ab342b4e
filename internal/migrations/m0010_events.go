package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0010Events creates domain_events, the outbox of typed domain events (package
// events): written in the transaction of the change that causes them, handed to
// subscribers after commit by the dispatcher.
//
// seq orders the rows (an auto-increment key on both engines). The partial index
// covers the events still to dispatch, which is all the dispatcher reads. On
// PostgreSQL a statement trigger NOTIFYs duban_events, so that the dispatchers of
// other processes wake when a transaction that emitted commits (NOTIFY is
// delivered at commit, never for a rollback).
func m0010Events() *gormigrate.Migration {
	type DomainEvent struct {
		Seq           int64      `gorm:"primaryKey;autoIncrement"`
		ID            uuid.UUID  `gorm:"type:uuid;not null;uniqueIndex"`
		Kind          string     `gorm:"size:80;not null"`
		At            time.Time  `gorm:"not null"`
		ActorID       *uuid.UUID `gorm:"type:uuid"`
		ItemID        *uuid.UUID `gorm:"type:uuid;index"`
		ScopeID       *uuid.UUID `gorm:"type:uuid"`
		Payload       string     `gorm:"type:text;not null"`
		DispatchedAt  *time.Time
		Attempts      int `gorm:"not null;default:0"`
		NextAttemptAt *time.Time
		LastError     string `gorm:"type:text;not null;default:''"`
		FailedAt      *time.Time
	}
	return &gormigrate.Migration{
		ID: "0010_events",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&DomainEvent{}); err != nil {
				return err
			}
			if err := tx.Exec(`CREATE INDEX idx_domain_events_pending ON domain_events (seq)
				WHERE dispatched_at IS NULL AND failed_at IS NULL`).Error; err != nil {
				return err
			}
			if tx.Dialector.Name() != "postgres" {
				return nil
			}
			if err := tx.Exec(`CREATE FUNCTION duban_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN PERFORM pg_notify('duban_events', ''); RETURN NULL; END $$`).Error; err != nil {
				return err
			}
			return tx.Exec(`CREATE TRIGGER domain_events_notify AFTER INSERT ON domain_events
				FOR EACH STATEMENT EXECUTE FUNCTION duban_notify_events()`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				if err := tx.Exec(`DROP TRIGGER IF EXISTS domain_events_notify ON domain_events`).Error; err != nil {
					return err
				}
				if err := tx.Exec(`DROP FUNCTION IF EXISTS duban_notify_events()`).Error; err != nil {
					return err
				}
			}
			return tx.Migrator().DropTable(&DomainEvent{})
		},
	}
}
