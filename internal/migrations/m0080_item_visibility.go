package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0080ItemVisibility adds item_visibility (issue 16): one row per item and each
// subject the item names — its lead unit, its cooperating units, the unit of each
// of its assignments (any state) and each assignment's responsible person. Lists
// find a member's items with one index range per subject instead of testing every
// row against subqueries over the assignments (whose OR responsible_user_id forced
// a scan of every assignment). Package items keeps the rows in the transaction
// that changes those relations; deleting an item cascades.
//
// Units and users share the table: both are UUIDs, so a subject is either.
func m0080ItemVisibility() *gormigrate.Migration {
	stmts := []string{
		`CREATE TABLE item_visibility (
			subject_id uuid NOT NULL,
			item_id uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
			PRIMARY KEY (subject_id, item_id))`,
		`CREATE INDEX idx_item_visibility_item ON item_visibility (item_id)`,
		`INSERT INTO item_visibility (subject_id, item_id)
			SELECT lead_unit_id, id FROM items WHERE lead_unit_id IS NOT NULL
			UNION SELECT unit_id, item_id FROM item_cooperating_units
			UNION SELECT unit_id, item_id FROM item_assignments
			UNION SELECT responsible_user_id, item_id FROM item_assignments WHERE responsible_user_id IS NOT NULL`,
	}
	return &gormigrate.Migration{
		ID: "0080_item_visibility",
		Migrate: func(tx *gorm.DB) error {
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("item_visibility") },
	}
}
