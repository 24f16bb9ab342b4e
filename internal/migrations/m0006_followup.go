package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0006Followup creates feedback, urges and comments (instructions, coordination
// records) on items. Every row hangs off an item (deleted with it: only drafts are
// ever deleted, and none of these exist before issue) and, for feedback and urges,
// off the org unit it concerns. User ids carry no foreign key, like the timeline's
// actor: these are records and must outlive later changes to users.
func m0006Followup() *gormigrate.Migration {
	type OrgUnit struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type Item struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type ItemFeedback struct {
		ID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID uuid.UUID `gorm:"type:uuid;not null;index:idx_item_feedback_item_created,priority:1;index:idx_item_feedback_item_unit,priority:1"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		UnitID uuid.UUID `gorm:"type:uuid;not null;index:idx_item_feedback_item_unit,priority:2;index"`
		Unit   *OrgUnit  `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		// Progress is the unit's own estimate, 0–100.
		Progress    int        `gorm:"not null"`
		Content     string     `gorm:"type:text;not null"`
		Problems    string     `gorm:"type:text;not null;default:''"`
		NextSteps   string     `gorm:"type:text;not null;default:''"`
		MilestoneID *uuid.UUID `gorm:"type:uuid"`
		// BasedOnID is the earlier feedback this one was copied forward from.
		BasedOnID     *uuid.UUID `gorm:"type:uuid"`
		State         string     `gorm:"size:16;not null"`
		CreatedBy     uuid.UUID  `gorm:"type:uuid;not null"`
		UpdatedBy     uuid.UUID  `gorm:"type:uuid;not null"`
		SubmittedAt   *time.Time
		SubmittedBy   *uuid.UUID `gorm:"type:uuid"`
		ReviewedAt    *time.Time
		ReviewedBy    *uuid.UUID `gorm:"type:uuid"`
		ReviewComment string     `gorm:"type:text;not null;default:''"`
		Version       int        `gorm:"not null;default:1"`
		CreatedAt     time.Time  `gorm:"not null;index:idx_item_feedback_item_created,priority:2"`
		UpdatedAt     time.Time  `gorm:"not null"`
	}
	type ItemUrge struct {
		ID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID uuid.UUID `gorm:"type:uuid;not null;index:idx_item_urges_item_unit,priority:1"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		UnitID uuid.UUID `gorm:"type:uuid;not null;index:idx_item_urges_item_unit,priority:2;index:idx_item_urges_unit_ack,priority:1"`
		Unit   *OrgUnit  `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		// Kind is manual (the supervision office) or auto (a reminder job).
		Kind    string `gorm:"size:16;not null"`
		Message string `gorm:"type:text;not null"`
		// CreatedBy is null for automatic urges.
		CreatedBy      *uuid.UUID `gorm:"type:uuid"`
		CreatedAt      time.Time  `gorm:"not null"`
		AcknowledgedAt *time.Time `gorm:"index:idx_item_urges_unit_ack,priority:2"`
		AcknowledgedBy *uuid.UUID `gorm:"type:uuid"`
		Version        int        `gorm:"not null;default:1"`
	}
	type ItemComment struct {
		ID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID uuid.UUID `gorm:"type:uuid;not null;index:idx_item_comments_item_created,priority:1"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		// Kind is instruction (批示), comment, or coordination (协调意见, 协调会记录).
		Kind      string    `gorm:"size:16;not null"`
		Body      string    `gorm:"type:text;not null"`
		AuthorID  uuid.UUID `gorm:"type:uuid;not null;index"`
		CreatedAt time.Time `gorm:"not null;index:idx_item_comments_item_created,priority:2"`
	}
	// Table names are given: GORM would call the first one item_feedbacks.
	tables := []struct {
		name  string
		model any
	}{{"item_feedback", &ItemFeedback{}}, {"item_urges", &ItemUrge{}}, {"item_comments", &ItemComment{}}}
	// A unit keeps at most one feedback in the works (draft or returned) per item:
	// a second one would be typed twice; the unit edits the one it has.
	indexes := []string{
		`CREATE UNIQUE INDEX ux_item_feedback_open ON item_feedback (item_id, unit_id) WHERE state IN ('draft', 'returned')`,
	}
	return &gormigrate.Migration{
		ID: "0006_followup",
		Migrate: func(tx *gorm.DB) error {
			for _, t := range tables {
				if err := tx.Table(t.name).Migrator().CreateTable(t.model); err != nil {
					return err
				}
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
				if err := tx.Migrator().DropTable(tables[i].name); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
