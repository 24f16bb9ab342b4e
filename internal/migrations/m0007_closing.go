package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0007Closing creates extension requests, deadline changes, completion requests with their materials, and verifications.
//
// Dates (deadlines) are varchar(10) YYYY-MM-DD like the items' (m0003). A partial
// unique index keeps one open extension request and one open completion request per
// item on both engines, so that two concurrent requests cannot both be open.
func m0007Closing() *gormigrate.Migration {
	type OrgUnit struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type User struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type Item struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type Attachment struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	// ExtensionRequest (延期申请): requested by the lead unit before the deadline,
	// reviewed by the supervision office, decided by the supervising leader.
	type ExtensionRequest struct {
		ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID      uuid.UUID `gorm:"type:uuid;not null;index"`
		Item        *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		RequestedBy uuid.UUID `gorm:"type:uuid;not null;index"`
		Requester   *User     `gorm:"foreignKey:RequestedBy;constraint:OnDelete:RESTRICT"`
		UnitID      uuid.UUID `gorm:"type:uuid;not null"`
		Unit        *OrgUnit  `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		// CurrentDeadline is the item's deadline when the request was made.
		CurrentDeadline   string `gorm:"size:10;not null"`
		RequestedDeadline string `gorm:"size:10;not null"`
		Reason            string `gorm:"type:text;not null"`
		Progress          *int
		State             string     `gorm:"size:20;not null;index"`
		ReviewedBy        *uuid.UUID `gorm:"type:uuid"`
		Reviewer          *User      `gorm:"foreignKey:ReviewedBy;constraint:OnDelete:RESTRICT"`
		ReviewedAt        *time.Time
		ReviewComment     string     `gorm:"type:text;not null;default:''"`
		DecidedBy         *uuid.UUID `gorm:"type:uuid"`
		Decider           *User      `gorm:"foreignKey:DecidedBy;constraint:OnDelete:RESTRICT"`
		DecidedAt         *time.Time
		DecisionComment   string    `gorm:"type:text;not null;default:''"`
		Version           int       `gorm:"not null;default:1"`
		CreatedAt         time.Time `gorm:"not null"`
		UpdatedAt         time.Time `gorm:"not null"`
	}
	// DeadlineChange is the history of an item's deadline after issue: an approved
	// extension or a deadline set by the supervision office on a leader's decision.
	type DeadlineChange struct {
		ID                 uuid.UUID         `gorm:"type:uuid;primaryKey"`
		ItemID             uuid.UUID         `gorm:"type:uuid;not null;index"`
		Item               *Item             `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		Kind               string            `gorm:"size:20;not null"`
		FromDeadline       string            `gorm:"size:10;not null"`
		ToDeadline         string            `gorm:"size:10;not null"`
		ExtensionRequestID *uuid.UUID        `gorm:"type:uuid;index"`
		ExtensionRequest   *ExtensionRequest `gorm:"foreignKey:ExtensionRequestID;constraint:OnDelete:RESTRICT"`
		LeaderID           *uuid.UUID        `gorm:"type:uuid"`
		Leader             *User             `gorm:"foreignKey:LeaderID;constraint:OnDelete:RESTRICT"`
		DecisionNote       string            `gorm:"type:text;not null;default:''"`
		ChangedBy          uuid.UUID         `gorm:"type:uuid;not null"`
		Changer            *User             `gorm:"foreignKey:ChangedBy;constraint:OnDelete:RESTRICT"`
		CreatedAt          time.Time         `gorm:"not null"`
	}
	// CompletionRequest (办结申请): by the lead unit with a summary and typed
	// materials; reviewed by the supervision office (退办), approved by the
	// supervising leader.
	type CompletionRequest struct {
		ID              uuid.UUID  `gorm:"type:uuid;primaryKey"`
		ItemID          uuid.UUID  `gorm:"type:uuid;not null;index"`
		Item            *Item      `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		RequestedBy     uuid.UUID  `gorm:"type:uuid;not null;index"`
		Requester       *User      `gorm:"foreignKey:RequestedBy;constraint:OnDelete:RESTRICT"`
		UnitID          uuid.UUID  `gorm:"type:uuid;not null"`
		Unit            *OrgUnit   `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		Summary         string     `gorm:"type:text;not null"`
		State           string     `gorm:"size:20;not null;index"`
		ReviewedBy      *uuid.UUID `gorm:"type:uuid"`
		Reviewer        *User      `gorm:"foreignKey:ReviewedBy;constraint:OnDelete:RESTRICT"`
		ReviewedAt      *time.Time
		ReviewComment   string     `gorm:"type:text;not null;default:''"`
		DecidedBy       *uuid.UUID `gorm:"type:uuid"`
		Decider         *User      `gorm:"foreignKey:DecidedBy;constraint:OnDelete:RESTRICT"`
		DecidedAt       *time.Time
		DecisionComment string    `gorm:"type:text;not null;default:''"`
		Version         int       `gorm:"not null;default:1"`
		CreatedAt       time.Time `gorm:"not null"`
		UpdatedAt       time.Time `gorm:"not null"`
	}
	// CompletionMaterial types a file of a completion request: 请示 (request), 报告
	// (report), 方案 (plan), 办理情况 (handling).
	type CompletionMaterial struct {
		CompletionRequestID uuid.UUID          `gorm:"type:uuid;primaryKey"`
		CompletionRequest   *CompletionRequest `gorm:"foreignKey:CompletionRequestID;constraint:OnDelete:CASCADE"`
		AttachmentID        uuid.UUID          `gorm:"type:uuid;primaryKey;index"`
		Attachment          *Attachment        `gorm:"foreignKey:AttachmentID;constraint:OnDelete:RESTRICT"`
		Kind                string             `gorm:"size:20;not null"`
		Sort                int                `gorm:"not null;default:0"`
	}
	// Verification (结果核查, §13): a check of a closed item; failed reopens it.
	type Verification struct {
		ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID      uuid.UUID `gorm:"type:uuid;not null;index"`
		Item        *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		Method      string    `gorm:"size:20;not null"`
		Findings    string    `gorm:"type:text;not null"`
		Result      string    `gorm:"size:10;not null;index"`
		StateBefore string    `gorm:"size:30;not null"`
		VerifiedBy  uuid.UUID `gorm:"type:uuid;not null"`
		Verifier    *User     `gorm:"foreignKey:VerifiedBy;constraint:OnDelete:RESTRICT"`
		CreatedAt   time.Time `gorm:"not null"`
	}
	tables := []any{&ExtensionRequest{}, &DeadlineChange{}, &CompletionRequest{}, &CompletionMaterial{}, &Verification{}}
	indexes := []string{
		`CREATE UNIQUE INDEX ux_extension_requests_open ON extension_requests (item_id) WHERE state IN ('requested', 'forwarded')`,
		`CREATE UNIQUE INDEX ux_completion_requests_open ON completion_requests (item_id) WHERE state IN ('requested', 'forwarded')`,
	}
	return &gormigrate.Migration{
		ID: "0007_closing",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(tables...); err != nil {
				return err
			}
			for _, s := range indexes {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(tables) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(tables[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
