package reminders

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// SendOnce sends the reminder of kind on item to unit for day straight, as a
// retried or duplicated job would (bypassing the queue's unique key).
func (s *Service) SendOnce(ctx context.Context, kind Kind, item, unit uuid.UUID, day, date civil.Date) (bool, error) {
	return s.send(ctx, sendArgs{Kind: kind, Item: item, Unit: unit, Day: day, Date: date})
}
