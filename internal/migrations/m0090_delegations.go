package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0090Delegations adds delegations (代理): a principal (a leader or a unit head)
// hands their decisions to a deputy for a period [starts_at, ends_at). ended_at is
// set when the delegation is ended early (by the principal, an admin, or because
// one of the two left); a delegation past ends_at is over by the clock alone, so no
// job has to close it. The index serves the per-request question "for whom does
// this person act now".
func m0090Delegations() *gormigrate.Migration {
	type Delegation struct {
		ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
		PrincipalID uuid.UUID  `gorm:"type:uuid;not null;index:idx_delegations_principal"`
		DeputyID    uuid.UUID  `gorm:"type:uuid;not null;index:idx_delegations_deputy,priority:1"`
		StartsAt    time.Time  `gorm:"not null"`
		EndsAt      time.Time  `gorm:"not null;index:idx_delegations_deputy,priority:2"`
		EndedAt     *time.Time `gorm:""`
		EndedBy     *uuid.UUID `gorm:"type:uuid"`
		Reason      string     `gorm:"size:500;not null;default:''"`
		CreatedBy   uuid.UUID  `gorm:"type:uuid;not null"`
		Version     int        `gorm:"not null;default:1"`
		CreatedAt   time.Time  `gorm:"not null"`
		UpdatedAt   time.Time  `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0090_delegations",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&Delegation{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable(&Delegation{})
		},
	}
}
