package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0070OverdueRecord keeps "overdue against the original deadline" as a fact of
// the item (§14(d): an item given a new deadline after it ran late is still
// assessed against the original one): items.was_overdue and
// items.overdue_workdays (working days past the original deadline when the
// deadline was moved), set by package items whenever it moves the deadline of an
// overdue item, and never cleared by later deadlines.
//
// Existing rows: an item whose deadline the office set anew (deadline_changes
// kind 'office', only allowed on an overdue item) was overdue; its working days
// need the calendar, which a frozen migration may not call, so they stay 0.
// Closed and archived items get progress 100, as closing now sets.
//
// item_assignments.reassigned_at: when the supervision office assigned a unit
// after this assignment was returned (退回); a returned assignment without it
// waits for the office (has_returned_assignment, the to-do's
// returned_assignments). Existing returned assignments followed by a newer one
// count as reassigned then.
func m0070OverdueRecord() *gormigrate.Migration {
	type Item struct {
		WasOverdue      bool `gorm:"not null;default:false"`
		OverdueWorkdays int  `gorm:"not null;default:0"`
	}
	type ItemAssignment struct {
		ReassignedAt *time.Time
	}
	return &gormigrate.Migration{
		ID: "0070_overdue_record",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&ItemAssignment{}, "ReassignedAt"); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE item_assignments SET reassigned_at = returned_at WHERE state = 'returned' AND EXISTS
				(SELECT 1 FROM item_assignments nb WHERE nb.item_id = item_assignments.item_id AND nb.created_at > item_assignments.returned_at)`).Error; err != nil {
				return err
			}
			for _, col := range []string{"WasOverdue", "OverdueWorkdays"} {
				if err := tx.Migrator().AddColumn(&Item{}, col); err != nil {
					return err
				}
			}
			if err := tx.Exec("CREATE INDEX idx_items_was_overdue ON items (was_overdue)").Error; err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE items SET was_overdue = ? WHERE id IN (SELECT item_id FROM deadline_changes WHERE kind = 'office')`, true).Error; err != nil {
				return err
			}
			return tx.Exec(`UPDATE items SET progress = 100 WHERE state IN ('closed', 'archived')`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Exec("DROP INDEX IF EXISTS idx_items_was_overdue").Error; err != nil {
				return err
			}
			for _, col := range []string{"OverdueWorkdays", "WasOverdue"} {
				if err := tx.Migrator().DropColumn(&Item{}, col); err != nil {
					return err
				}
			}
			return tx.Migrator().DropColumn(&ItemAssignment{}, "ReassignedAt")
		},
	}
}
