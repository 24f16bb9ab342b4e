package items

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
)

// OnDelete registers f to run once an item's deletion (a draft's) has committed:
// the attachments service removes the draft's files. Register while wiring, before
// serving. A failing f is logged; the periodic cleanup catches what it left.
func (s *Service) OnDelete(f func(ctx context.Context, itemID uuid.UUID) error) {
	s.deleted = append(s.deleted, f)
}

func (s *Service) afterDelete(ctx context.Context, id uuid.UUID) {
	ctx = context.WithoutCancel(ctx)
	for _, f := range s.deleted {
		if err := f(ctx, id); err != nil {
			slog.Default().WarnContext(ctx, "after deleting an item", "item_id", id, "err", err)
		}
	}
}

// tombstone lists the timeline events of an item about to be deleted, as
// [at, hash] pairs: the deletion's audit event carries them, sealed in the
// security log's chain, so that the checkpoints taken while the item lived
// (package integrity) still add up once its events are gone.
func (s *Service) tombstone(ctx context.Context, id uuid.UUID) ([][2]string, error) {
	var evs []Event
	if err := s.db.Conn(ctx).Select("at, hash").Where("item_id = ?", id).Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("read the timeline of the deleted item: %w", err)
	}
	out := make([][2]string, len(evs))
	for i, ev := range evs {
		out[i] = [2]string{ev.At.UTC().Format(time.RFC3339Nano), ev.Hash}
	}
	return out, nil
}
