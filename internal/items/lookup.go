package items

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// Lookups for packages that query across items (the to-do list): the visibility
// rule as SQL and the derived fields of many items at once.

// VisibleSQL is the visibility rule (CanSee) as a condition on the items table,
// which the query must name "items".
func VisibleSQL(p *access.Principal) (string, []any) { return visibleSQL(p) }

// RunningStates are the states in which an item is worked on (issued,
// in_progress, suspended): units accept cooperating assignments, write and submit
// feedback, request extensions.
func RunningStates() []State { return append([]State(nil), running...) }

// Running reports whether s is one of RunningStates.
func (s State) Running() bool { return slices.Contains(running, s) }

// FeedbackDueStates are the states in which feedback falls due (feedback/due.go):
// a suspended item's clock is paused, and nothing is due once completion is
// requested.
func FeedbackDueStates() []State { return append([]State(nil), feedbackStates...) }

// Views returns the items of ids that p may see, as p sees them (derived fields,
// clearings, allowed actions), keyed by id; ids not visible are left out. A few
// batched queries whatever the number of ids.
func (s *Service) Views(ctx context.Context, p *access.Principal, ids []uuid.UUID) (map[uuid.UUID]ItemView, error) {
	out := map[uuid.UUID]ItemView{}
	if p == nil || len(ids) == 0 {
		return out, nil
	}
	vis, args := visibleSQL(p)
	var rows []*Item
	if err := s.db.Conn(ctx).Table("items").Where("items.id IN ?", ids).Where(vis, args...).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load items: %w", err)
	}
	if err := s.loadRefs(ctx, rows); err != nil {
		return nil, err
	}
	vs, err := s.views(ctx, p, rows, nil)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.ID] = v
	}
	return out, nil
}
