package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// item_visibility (migration 0080) holds, for each item, the subjects it names:
// its lead unit, cooperating units, the units of its assignments (any state) and
// their responsible people. visibleSQL finds a member's items through it (one index
// range per subject) instead of subqueries over the assignments. Every write that
// changes one of those relations calls syncVisibility in its transaction: creating
// an item (replaceCooperating), a patch or a recorded change that sets
// lead_unit_id, inserting an assignment, changing its responsible person. Deleting
// an item cascades.

// visibilitySubjects are the rows an item should have, for the given item.
const visibilitySubjects = `SELECT lead_unit_id, id FROM items WHERE id = ? AND lead_unit_id IS NOT NULL
	UNION SELECT unit_id, item_id FROM item_cooperating_units WHERE item_id = ?
	UNION SELECT unit_id, item_id FROM item_assignments WHERE item_id = ?
	UNION SELECT responsible_user_id, item_id FROM item_assignments WHERE item_id = ? AND responsible_user_id IS NOT NULL`

// syncVisibility rewrites the item's item_visibility rows from its relations.
func (s *Service) syncVisibility(ctx context.Context, itemID uuid.UUID) error {
	conn := s.db.Conn(ctx)
	if err := conn.Exec(`DELETE FROM item_visibility WHERE item_id = ?`, itemID).Error; err != nil {
		return fmt.Errorf("clear item visibility: %w", err)
	}
	if err := conn.Exec(`INSERT INTO item_visibility (subject_id, item_id) `+visibilitySubjects,
		itemID, itemID, itemID, itemID).Error; err != nil {
		return fmt.Errorf("write item visibility: %w", err)
	}
	return nil
}
