package feedback

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// visibleOwners answers for attachments.OwnerFilter: a feedback's files are seen by
// whoever sees the feedback (canSee), so a draft's files stay inside its unit, as
// the draft does, until it is submitted.
func (s *Service) visibleOwners(ctx context.Context, p *access.Principal, itemID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	_, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	var rows []Feedback
	if err := s.db.Conn(ctx).Select("id", "unit_id", "state").Where("item_id = ? AND id IN ?", itemID, ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load feedback of files: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = canSee(p, &rows[i], asgs)
	}
	return out, nil
}
