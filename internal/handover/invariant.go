package handover

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/review"
)

// Dangling lists what waits for someone who can no longer act: an open item whose
// supervising or assisting leader is inactive, a live assignment of an open item
// whose responsible person is inactive or outside the assigned unit, a pending
// extension or completion request whose decider is inactive, a unit whose head or
// liaison is inactive or outside the unit, a running delegation with an inactive
// party. Empty means the invariant holds; the tests check it after every
// deactivation and move.
func Dangling(ctx context.Context, db *database.DB, now time.Time) ([]string, error) {
	conn := db.Conn(ctx)
	open := make([]string, len(items.OpenStates))
	for i, st := range items.OpenStates {
		open[i] = string(st)
	}
	var out []string
	queries := []struct {
		what string
		sql  string
		args []any
	}{
		{"supervising leader inactive", `SELECT i.title FROM items i JOIN users u ON u.id = i.supervising_leader_id
			WHERE i.state IN ? AND u.active = ?`, []any{open, false}},
		{"assisting leader inactive", `SELECT i.title FROM items i JOIN item_assisting_leaders al ON al.item_id = i.id
			JOIN users u ON u.id = al.user_id WHERE i.state IN ? AND u.active = ?`, []any{open, false}},
		{"responsible person inactive or outside the unit", `SELECT i.title FROM items i JOIN item_assignments a ON a.item_id = i.id
			JOIN users u ON u.id = a.responsible_user_id JOIN org_units ou ON ou.id = u.org_unit_id
			WHERE i.state IN ? AND a.state <> ? AND (u.active = ? OR NOT (u.org_unit_id = a.unit_id OR ou.parent_id = a.unit_id OR ou.scope_id = a.unit_id))`,
			[]any{open, items.AssignmentReturned, false}},
		{"pending extension decided by an inactive leader", `SELECT i.title FROM extension_requests x JOIN items i ON i.id = x.item_id
			JOIN users u ON u.id = i.supervising_leader_id WHERE x.state IN ? AND u.active = ?`,
			[]any{[]string{string(review.Requested), string(review.Forwarded)}, false}},
		{"pending completion decided by an inactive leader", `SELECT i.title FROM completion_requests x JOIN items i ON i.id = x.item_id
			JOIN users u ON u.id = i.supervising_leader_id WHERE x.state IN ? AND u.active = ?`,
			[]any{[]string{string(review.Requested), string(review.Forwarded)}, false}},
		{"running delegation with an inactive party", `SELECT d.reason FROM delegations d JOIN users p ON p.id = d.principal_id
			JOIN users u ON u.id = d.deputy_id WHERE d.ended_at IS NULL AND d.ends_at > ? AND (p.active = ? OR u.active = ?)`,
			[]any{now, false, false}},
	}
	for _, q := range queries {
		var titles []string
		if err := conn.Raw(q.sql, q.args...).Scan(&titles).Error; err != nil {
			return nil, fmt.Errorf("check %s: %w", q.what, err)
		}
		for _, t := range titles {
			out = append(out, q.what+": "+t)
		}
	}
	var posts []struct {
		UnitID   uuid.UUID `gorm:"type:uuid"`
		Name     string
		UserUnit uuid.UUID `gorm:"type:uuid"`
		Active   bool
	}
	if err := conn.Raw(`SELECT ou.id AS unit_id, ou.name, u.org_unit_id AS user_unit, u.active FROM org_units ou JOIN users u ON u.id = ou.head_user_id
		UNION ALL SELECT ou.id, ou.name, u.org_unit_id, u.active FROM org_unit_liaisons l JOIN org_units ou ON ou.id = l.org_unit_id
		JOIN users u ON u.id = l.user_id`).Scan(&posts).Error; err != nil {
		return nil, fmt.Errorf("check posts: %w", err)
	}
	for _, p := range posts {
		if !p.Active {
			out = append(out, "head or liaison inactive: "+p.Name)
			continue
		}
		sub, err := org.Subtree(ctx, db, p.UnitID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(sub, p.UserUnit) {
			out = append(out, "head or liaison outside the unit: "+p.Name)
		}
	}
	return out, nil
}
