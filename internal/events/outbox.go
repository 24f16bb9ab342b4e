package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
)

// Row is a row of domain_events, the outbox.
type Row struct {
	Seq     int64      `gorm:"primaryKey;autoIncrement"`
	ID      uuid.UUID  `gorm:"type:uuid"`
	Kind    string     //
	At      time.Time  //
	ActorID *uuid.UUID `gorm:"type:uuid"`
	ItemID  *uuid.UUID `gorm:"type:uuid"`
	ScopeID *uuid.UUID `gorm:"type:uuid"`
	Payload string
	// DispatchedAt is set once every subscriber has handled the event.
	DispatchedAt *time.Time
	// Attempts counts failed dispatches; NextAttemptAt holds the event back after
	// one.
	Attempts      int
	NextAttemptAt *time.Time
	LastError     string
	// FailedAt is set when the dispatch gave up (DispatchedAt stays empty).
	FailedAt *time.Time
}

// TableName pins the table.
func (Row) TableName() string { return "domain_events" }

// Outbox writes events into the transaction of the change that causes them.
type Outbox struct {
	db    *database.DB
	clock clock.Clock
	// wake, when set, is called after the emitting transaction commits (the
	// in-process dispatcher starts at once instead of at its next poll).
	wake func()
}

// NewOutbox returns the outbox of db.
func NewOutbox(db *database.DB, c clock.Clock) *Outbox {
	return &Outbox{db: db, clock: clock.Or(c)}
}

// OnCommit sets the function called after a transaction that emitted commits.
func (o *Outbox) OnCommit(wake func()) { o.wake = wake }

// Emit records ev in the transaction carried by ctx (a single INSERT), on behalf
// of actor (nil: the system). Called outside a transaction it commits at once.
func (o *Outbox) Emit(ctx context.Context, actor *uuid.UUID, ev Event) error {
	if o == nil {
		return nil
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", ev.Kind(), err)
	}
	row := Row{ID: uuid.Must(uuid.NewV7()), Kind: string(ev.Kind()), At: o.clock.Now(), ActorID: actor, Payload: string(b)}
	if ie, ok := ev.(ItemEvent); ok {
		ref := ie.ItemRef()
		if ref.ID != uuid.Nil {
			id, scope := ref.ID, ref.ScopeID
			row.ItemID, row.ScopeID = &id, &scope
		}
	}
	if err := o.db.Conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("emit %s: %w", ev.Kind(), err)
	}
	if o.wake != nil {
		database.AfterCommit(ctx, func(context.Context) { o.wake() })
	}
	return nil
}

// envelope decodes a row.
func (r *Row) envelope() (Envelope, error) {
	ev, err := Decode(Kind(r.Kind), []byte(r.Payload))
	if err != nil {
		return Envelope{}, err
	}
	return Envelope{Seq: r.Seq, ID: r.ID, Kind: Kind(r.Kind), At: r.At, ActorID: r.ActorID, ItemID: r.ItemID,
		ScopeID: r.ScopeID, Event: ev, Payload: json.RawMessage(r.Payload)}, nil
}
