package notifications

import (
	"context"

	"github.com/google/uuid"
)

// Told is what one event told whom, handed to the listeners registered with
// OnTold (the group robots of internal/channels) inside the dispatch's
// transaction: the people are those this package chose (active, the actor left
// out, before each one's channel settings), so that no other package keeps a
// second copy of who is told.
type Told struct {
	EventID   uuid.UUID
	EventKind string
	Kind      Kind
	Users     []uuid.UUID
	ItemID    *uuid.UUID
	TitleZh   string
	BodyZh    string
	TitleEn   string
	BodyEn    string
	// Link is the web app's path to the object.
	Link string
}

// TellFunc listens to what is told; it may only write to the database (its
// error rolls the dispatch back, to be tried again: it must be idempotent by
// EventID).
type TellFunc func(ctx context.Context, t Told) error

// OnTold registers f; call at start-up, before the dispatcher runs.
func (s *Service) OnTold(f TellFunc) { s.told = append(s.told, f) }

func (s *Service) tell(ctx context.Context, t Told) error {
	for _, f := range s.told {
		if err := f(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
