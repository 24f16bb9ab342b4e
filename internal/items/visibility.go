package items

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// item_visibility (migration 0080) holds, for each item, the subjects it names:
// its lead unit, cooperating units, the units of its assignments (any state) and
// their responsible people, and the departments of its joint supervision team
// (joint.go). visibleSQL finds a member's items through it (one index
// range per subject) instead of subqueries over the assignments. Every write that
// changes one of those relations calls syncVisibility in its transaction: creating
// an item (replaceCooperating), a patch or a recorded change that sets
// lead_unit_id, inserting an assignment, changing its responsible person, adding or removing a joint team department. Deleting
// an item cascades.

// visibilitySubjects are the rows an item should have, for the given item.
const visibilitySubjects = `SELECT lead_unit_id, id FROM items WHERE id = ? AND lead_unit_id IS NOT NULL
	UNION SELECT unit_id, item_id FROM item_cooperating_units WHERE item_id = ?
	UNION SELECT unit_id, item_id FROM item_assignments WHERE item_id = ?
	UNION SELECT responsible_user_id, item_id FROM item_assignments WHERE item_id = ? AND responsible_user_id IS NOT NULL
	UNION SELECT unit_id, item_id FROM item_joint_units WHERE item_id = ?`

// syncVisibility rewrites the item's item_visibility rows from its relations.
func (s *Service) syncVisibility(ctx context.Context, itemID uuid.UUID) error {
	conn := s.db.Conn(ctx)
	if err := conn.Exec(`DELETE FROM item_visibility WHERE item_id = ?`, itemID).Error; err != nil {
		return fmt.Errorf("clear item visibility: %w", err)
	}
	if err := conn.Exec(`INSERT INTO item_visibility (subject_id, item_id) `+visibilitySubjects,
		itemID, itemID, itemID, itemID, itemID).Error; err != nil {
		return fmt.Errorf("write item visibility: %w", err)
	}
	return nil
}

// candidatesSQL is a superset of the items p sees (outside their scope when
// outside), as a union of index ranges: the items p or p's units initiated, those
// handed down from p's scope, and those item_visibility names for p. Counting the
// visible items as "id IN (candidates) AND the visibility" lets the database start
// from these few rows instead of testing the visibility of every row of the table
// (a member's count scanned all items; a supervisor's all other scopes' items).
func candidatesSQL(p *access.Principal, outside bool) (string, []any) {
	units := MyUnits(p)
	subjects := append(slices.Clone(units), p.UserID)
	if !slices.Contains(units, p.ScopeID) {
		subjects = append(subjects, p.ScopeID)
	}
	if !outside {
		return `SELECT c1.id FROM items c1 WHERE c1.initiator_user_id = ?
			UNION SELECT c2.id FROM items c2 WHERE c2.initiator_unit_id IN ?
			UNION SELECT cv.item_id FROM item_visibility cv WHERE cv.subject_id IN ?`, []any{p.UserID, units, subjects}
	}
	// Two ranges of the (initiator, scope) indexes skip p's own scope.
	return `SELECT c0.id FROM items c0 WHERE c0.parent_scope_id = ?
		UNION SELECT c1.id FROM items c1 WHERE c1.initiator_user_id = ? AND (c1.scope_id < ? OR c1.scope_id > ?)
		UNION SELECT c2.id FROM items c2 WHERE c2.initiator_unit_id IN ? AND (c2.scope_id < ? OR c2.scope_id > ?)
		UNION SELECT cv.item_id FROM item_visibility cv WHERE cv.subject_id IN ?`,
		[]any{p.ScopeID, p.UserID, p.ScopeID, p.ScopeID, units, p.ScopeID, p.ScopeID, subjects}
}
