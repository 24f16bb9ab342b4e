package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0050Reporting adds what reporting upward needs (issue 13): the indexes that let
// statistics count a period's items without scanning the table, bulletins (通报)
// with their yearly numbering per scope, and the published assessment snapshots.
//
// Statistics read the live tables through these indexes instead of keeping rollups:
// every figure is a range of issued_at, closed_at or created_at, or the open items
// (a partial index), so a request touches only the rows it counts, and nothing has
// to be kept in step with the items package's transactions.
func m0050Reporting() *gormigrate.Migration {
	type Bulletin struct {
		ID      uuid.UUID `gorm:"type:uuid;primaryKey"`
		ScopeID uuid.UUID `gorm:"type:uuid;not null;index:idx_bulletins_scope_created,priority:1"`
		// Kind is monthly, quarterly or special.
		Kind       string `gorm:"size:20;not null"`
		Period     string `gorm:"size:30;not null;default:''"`
		PeriodFrom string `gorm:"size:10;not null"`
		PeriodTo   string `gorm:"size:10;not null"`
		Title      string `gorm:"size:200;not null"`
		// State is draft or published.
		State string `gorm:"size:20;not null"`
		// Year and Number are given at publication (督办通报〔Year〕Number号).
		Year   *int
		Number *int
		DocNo  string `gorm:"size:60;not null;default:''"`
		// Sections are the office's texts (JSON); Data the figures and lists (JSON),
		// frozen at publication.
		Sections    string     `gorm:"type:text;not null;default:'{}'"`
		Data        string     `gorm:"type:text;not null;default:'{}'"`
		CreatedBy   uuid.UUID  `gorm:"type:uuid;not null"`
		UpdatedBy   uuid.UUID  `gorm:"type:uuid;not null"`
		PublishedBy *uuid.UUID `gorm:"type:uuid"`
		PublishedAt *time.Time
		Version     int       `gorm:"not null;default:1"`
		CreatedAt   time.Time `gorm:"not null;index:idx_bulletins_scope_created,priority:2"`
		UpdatedAt   time.Time `gorm:"not null"`
	}
	type BulletinSequence struct {
		ScopeID    uuid.UUID `gorm:"type:uuid;primaryKey"`
		Year       int       `gorm:"primaryKey;autoIncrement:false"`
		LastNumber int       `gorm:"not null;default:0"`
	}
	type AssessmentSnapshot struct {
		ID      uuid.UUID `gorm:"type:uuid;primaryKey"`
		ScopeID uuid.UUID `gorm:"type:uuid;not null;uniqueIndex:ux_assessment_snapshots_scope_period,priority:1"`
		Period  string    `gorm:"size:20;not null;uniqueIndex:ux_assessment_snapshots_scope_period,priority:2"`
		// Data is the whole result as computed at publication (JSON), rules included.
		Data        string    `gorm:"type:text;not null"`
		PublishedBy uuid.UUID `gorm:"type:uuid;not null"`
		PublishedAt time.Time `gorm:"not null"`
	}
	tables := []any{&Bulletin{}, &BulletinSequence{}, &AssessmentSnapshot{}}
	indexes := []string{
		`CREATE UNIQUE INDEX ux_bulletins_number ON bulletins (scope_id, year, number) WHERE number IS NOT NULL`,
		// Items issued or closed in a period, per scope and across scopes. The scope's
		// indexes carry every column the statistics read (unit, source, category,
		// dates), so that counting a period is an index-only scan, never the heap.
		`CREATE INDEX idx_items_scope_issued ON items (scope_id, issued_at, lead_unit_id, source, category, id)`,
		`CREATE INDEX idx_items_issued ON items (issued_at)`,
		`CREATE INDEX idx_items_scope_closed ON items (scope_id, closed_at, state, lead_unit_id, source, category, issued_at, original_deadline, id)`,
		`CREATE INDEX idx_items_closed ON items (closed_at)`,
		// The open items (in progress, overdue now): a small part of a long history,
		// again with what is counted.
		`CREATE INDEX idx_items_open_deadline ON items (scope_id, state, deadline, lead_unit_id, source, category, id) WHERE state IN ('pending_approval', 'approved', 'issued', 'in_progress', 'suspended', 'completion_requested')`,
		// Follow-up records of a period.
		`CREATE INDEX idx_item_urges_created ON item_urges (created_at)`,
		`CREATE INDEX idx_extension_requests_created ON extension_requests (created_at)`,
		`CREATE INDEX idx_verifications_created ON verifications (created_at)`,
		`CREATE INDEX idx_item_events_action_at ON item_events (action, at)`,
	}
	return &gormigrate.Migration{
		ID: "0050_reporting",
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
			for _, ix := range []string{"idx_items_scope_issued", "idx_items_issued", "idx_items_scope_closed", "idx_items_closed",
				"idx_items_open_deadline", "idx_item_urges_created", "idx_extension_requests_created", "idx_verifications_created",
				"idx_item_events_action_at"} {
				if err := tx.Exec("DROP INDEX IF EXISTS " + ix).Error; err != nil {
					return err
				}
			}
			for i := len(tables) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(tables[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
