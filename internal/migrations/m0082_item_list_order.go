package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0082ItemListOrder adds the open items in deadline order (issue 16): light=red
// and overdue=true (open, deadline before today) sorted by deadline, as the office
// reads them, walk this index from today backwards and stop after a page, instead
// of sorting every overdue item of the scope. The order is the list's own
// (deadline DESC NULLS LAST, id DESC; read backwards for ascending).
//
// And the initiators by scope: a list's count starts from the items its reader
// initiated outside their own scope (items.candidatesSQL), two ranges of these.
func m0082ItemListOrder() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0082_item_list_order",
		Migrate: func(tx *gorm.DB) error {
			open := `CREATE INDEX idx_items_open_by_deadline ON items (deadline DESC NULLS LAST, id DESC)
				WHERE state IN ('pending_approval', 'approved', 'issued', 'in_progress', 'suspended', 'completion_requested')`
			if tx.Dialector.Name() != "postgres" {
				// SQLite sorts NULLs last descending and takes no NULLS LAST in an
				// index; nor can it use a partial index when the list's states are
				// bound parameters: it gets the whole order (open items still come
				// first among the recent deadlines a page needs).
				open = `CREATE INDEX idx_items_open_by_deadline ON items (deadline DESC, id DESC)`
			}
			for _, s := range []string{
				open,
				`CREATE INDEX idx_items_initiator_user_scope ON items (initiator_user_id, scope_id)`,
				`CREATE INDEX idx_items_initiator_unit_scope ON items (initiator_unit_id, scope_id)`,
			} {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, ix := range []string{"idx_items_open_by_deadline", "idx_items_initiator_user_scope", "idx_items_initiator_unit_scope"} {
				if err := tx.Exec("DROP INDEX IF EXISTS " + ix).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
