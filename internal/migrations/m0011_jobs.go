package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0011Jobs creates the durable job queue (package jobs), the leases of leader
// election (the scheduler of periodic jobs), and marks the system user: the named
// principal background work acts as (users.is_system; it never logs in and is not
// listed).
//
// The queue is read by "due" (state, run_at); unique_key is unique where set, so a
// job asked for twice under one key is inserted once. On PostgreSQL a statement
// trigger NOTIFYs duban_jobs so that the workers of other processes wake at the
// commit.
func m0011Jobs() *gormigrate.Migration {
	type Job struct {
		ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
		Kind        string    `gorm:"size:80;not null"`
		Args        string    `gorm:"type:text;not null"`
		UniqueKey   *string   `gorm:"size:300"`
		State       string    `gorm:"size:20;not null"`
		Attempts    int       `gorm:"not null;default:0"`
		MaxAttempts int       `gorm:"not null"`
		RunAt       time.Time `gorm:"not null"`
		LockedBy    string    `gorm:"size:200;not null;default:''"`
		LockedUntil *time.Time
		LastError   string    `gorm:"type:text;not null;default:''"`
		CreatedAt   time.Time `gorm:"not null"`
		FinishedAt  *time.Time
	}
	type Lease struct {
		Name      string    `gorm:"size:100;primaryKey"`
		Holder    string    `gorm:"size:200;not null"`
		ExpiresAt time.Time `gorm:"not null"`
	}
	type User struct {
		IsSystem bool `gorm:"not null;default:false"`
	}
	return &gormigrate.Migration{
		ID: "0011_jobs",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&Job{}, &Lease{}); err != nil {
				return err
			}
			for _, q := range []string{
				`CREATE UNIQUE INDEX idx_jobs_unique_key ON jobs (unique_key) WHERE unique_key IS NOT NULL`,
				`CREATE INDEX idx_jobs_due ON jobs (state, run_at)`,
				`CREATE INDEX idx_jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL`,
			} {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			if err := tx.Migrator().AddColumn(&User{}, "IsSystem"); err != nil {
				return err
			}
			if tx.Dialector.Name() != "postgres" {
				return nil
			}
			if err := tx.Exec(`CREATE FUNCTION duban_notify_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN PERFORM pg_notify('duban_jobs', ''); RETURN NULL; END $$`).Error; err != nil {
				return err
			}
			return tx.Exec(`CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
				FOR EACH STATEMENT EXECUTE FUNCTION duban_notify_jobs()`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				if err := tx.Exec(`DROP TRIGGER IF EXISTS jobs_notify ON jobs`).Error; err != nil {
					return err
				}
				if err := tx.Exec(`DROP FUNCTION IF EXISTS duban_notify_jobs()`).Error; err != nil {
					return err
				}
			}
			if err := tx.Migrator().DropColumn(&User{}, "IsSystem"); err != nil {
				return err
			}
			return tx.Migrator().DropTable(&Job{}, &Lease{})
		},
	}
}
