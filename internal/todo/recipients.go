package todo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/users"
)

// Recipients answers who must act now on the item for group key: the active users
// whose to-do group key holds the item — the entry naming ref when ref is given
// (the assignment, feedback, urge or request of the groups in RefTypes), any entry
// of the item otherwise (a ref on a group without refs matches nothing). It runs the group's own query for each of the item's
// people (candidates), so a user is a recipient exactly when the item is in their
// to-do group. Sorted by user id. Reminders are sent to these.
func (s *Service) Recipients(ctx context.Context, key string, item uuid.UUID, ref *uuid.UUID) ([]uuid.UUID, error) {
	if !slices.Contains(Keys, key) {
		return nil, fmt.Errorf("todo: unknown group %q", key)
	}
	d, err := s.day(ctx)
	if err != nil {
		return nil, err
	}
	now := s.items.Now()
	ids, err := s.candidates(ctx, item, now)
	if err != nil {
		return nil, err
	}
	out := []uuid.UUID{}
	for _, id := range ids {
		p, err := users.LoadPrincipal(ctx, s.db, id)
		if errors.Is(err, users.ErrNoUser) {
			continue // deactivated meanwhile
		}
		if err != nil {
			return nil, err
		}
		// A deputy (代理) must act now for the principal they stand in for.
		access.ApplyDeputyships(p, now)
		rows, err := s.rows(ctx, p, key, d, 1, &target{item: item, ref: ref})
		if err != nil {
			return nil, fmt.Errorf("todo %s: %w", key, err)
		}
		if len(rows) > 0 {
			out = append(out, id)
		}
	}
	return out, nil
}

// candidates are the active users who may stand in a relation that some group
// asks for on the item: its initiator and the people of its initiator unit
// (drafts_returned), its supervising leader (approvals, forwarded requests),
// the supervisors of its scope (to_issue, feedback to review, requested requests,
// verifications, overdue), the members, heads and liaisons of the units it names —
// lead, cooperating, assigned, reporting, urged — (the units' groups, overdue) and
// the responsible persons of its assignments (feedback_to_write), and the deputies
// of running delegations (who act for any of these). Every group's
// query requires one of these relations, so asking only them misses no one.
func (s *Service) candidates(ctx context.Context, item uuid.UUID, now time.Time) ([]uuid.UUID, error) {
	const units = `SELECT i.lead_unit_id FROM items i WHERE i.id = @item
		UNION SELECT ii.initiator_unit_id FROM items ii WHERE ii.id = @item
		UNION SELECT cu.unit_id FROM item_cooperating_units cu WHERE cu.item_id = @item
		UNION SELECT a.unit_id FROM item_assignments a WHERE a.item_id = @item
		UNION SELECT f.unit_id FROM item_feedback f WHERE f.item_id = @item
		UNION SELECT ug.unit_id FROM item_urges ug WHERE ug.item_id = @item`
	q := `SELECT u.id FROM users u JOIN org_units ou ON ou.id = u.org_unit_id
		WHERE u.active = @active AND (
			u.id IN (SELECT i.supervising_leader_id FROM items i WHERE i.id = @item)
			OR u.id IN (SELECT i.initiator_user_id FROM items i WHERE i.id = @item)
			OR (ou.scope_id IN (SELECT i.scope_id FROM items i WHERE i.id = @item)
				AND u.id IN (SELECT r.user_id FROM user_roles r WHERE r.role = @supervisor))
			OR u.org_unit_id IN (` + units + `)
			OR u.id IN (SELECT hu.head_user_id FROM org_units hu WHERE hu.id IN (` + units + `))
			OR u.id IN (SELECT l.user_id FROM org_unit_liaisons l WHERE l.org_unit_id IN (` + units + `))
			OR u.id IN (SELECT ra.responsible_user_id FROM item_assignments ra WHERE ra.item_id = @item)
			OR u.id IN (SELECT d.deputy_id FROM delegations d WHERE d.ended_at IS NULL AND d.starts_at <= @now AND d.ends_at > @now))`
	var ids []uuid.UUID
	err := s.db.Conn(ctx).Raw(q, map[string]any{"item": item, "active": true, "supervisor": string(access.RoleSupervisor), "now": now}).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("todo: the item's people: %w", err)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return ids, nil
}
