package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0009FeedbackDue adds item_assignments.next_feedback_due: when the unit's next
// feedback is due by the item's cadence (YYYY-MM-DD, like the other dates), kept by
// the feedback package whenever the item changes; the warning light turns yellow
// when it is missed and the to-do list reads it.
//
// Existing rows are left NULL: the rule (feedback/due.go) needs the calendar and
// live code a frozen migration may not call. The feedback package fills them on the
// item's next change and, at start-up, for every live assignment of an item with a
// feedback cadence whose date is still NULL (feedback.Service.Backfill).
func m0009FeedbackDue() *gormigrate.Migration {
	type ItemAssignment struct {
		NextFeedbackDue *string `gorm:"size:10"`
	}
	return &gormigrate.Migration{
		ID: "0009_feedback_due",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&ItemAssignment{}, "NextFeedbackDue"); err != nil {
				return err
			}
			return tx.Exec("CREATE INDEX idx_item_assignments_next_feedback_due ON item_assignments (next_feedback_due)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Exec("DROP INDEX IF EXISTS idx_item_assignments_next_feedback_due").Error; err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&ItemAssignment{}, "NextFeedbackDue")
		},
	}
}
