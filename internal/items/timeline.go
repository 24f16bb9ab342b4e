package items

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// The timeline: every change to an item appends an event in the change's own
// transaction. Events are chained per item: an event's hash is keyed (EventHash) over
// the previous event's hash and the event's canonical content, and the item row keeps
// the head of its chain (event_seq, last_event_hash). Editing an event breaks its
// hash, deleting one breaks the sequence or the link of the next, deleting the
// newest ones leaves the item's head pointing at a hash that no longer exists.
// VerifyChain finds all of these.

// Timeline actions besides the state machine's (which are recorded under their own
// names: submit, approve, issue, accept, ...).
const (
	EvCreate           = "create"
	EvAssignmentUpdate = "assignment_update"
	EvMilestoneCreate  = "milestone_create"
	EvMilestoneUpdate  = "milestone_update"
	EvMilestoneDelete  = "milestone_delete"
)

// change is one changed field in an event's changes.
type change struct {
	From any `json:"from,omitempty"`
	To   any `json:"to"`
}

// eventInput is what a service step records.
type eventInput struct {
	Action      string
	StateBefore State
	StateAfter  State
	// Changes is marshalled to JSON (maps have sorted keys, so the text is stable).
	Changes map[string]any
	Comment string
}

// appendEvent adds an event to the item's chain inside the transaction of ctx;
// record then moves the item's head to it (writeHead). The head is the one of it
// when it was loaded under the row lock of this transaction (locked); otherwise
// it is read again, locked on PostgreSQL so that concurrent appends queue up
// (SQLite's write transactions are serial anyway).
func (s *Service) appendEvent(ctx context.Context, it *Item, actor *uuid.UUID, in eventInput) (*Event, error) {
	if !it.locked {
		var head struct {
			EventSeq      int
			LastEventHash string
		}
		q := s.db.Conn(ctx).Table("items").Select("event_seq, last_event_hash").Where("id = ?", it.ID)
		if s.db.Dialect() == database.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&head).Error; err != nil {
			return nil, fmt.Errorf("read chain head: %w", err)
		}
		it.EventSeq, it.LastEventHash, it.locked = head.EventSeq, head.LastEventHash, true
	}
	changes := "{}"
	if len(in.Changes) > 0 {
		b, err := json.Marshal(in.Changes)
		if err != nil {
			return nil, fmt.Errorf("encode changes: %w", err)
		}
		changes = string(b)
	}
	ev := &Event{
		ID: newID(), ItemID: it.ID, Seq: it.EventSeq + 1, At: s.now(), ActorID: actor,
		Action: in.Action, StateBefore: string(in.StateBefore), StateAfter: string(in.StateAfter),
		Changes: changes, Comment: in.Comment, PrevHash: it.LastEventHash,
	}
	ev.Hash = EventHash(audit.ChainKeyOf(s.db), ev)
	if err := s.db.Conn(ctx).Create(ev).Error; err != nil {
		return nil, fmt.Errorf("append event: %w", err)
	}
	return ev, nil
}

// canonicalEvent is the hashed content of an event, in a fixed field order.
type canonicalEvent struct {
	ItemID      string `json:"item_id"`
	Seq         int    `json:"seq"`
	At          string `json:"at"`
	ActorID     string `json:"actor_id"`
	Action      string `json:"action"`
	StateBefore string `json:"state_before"`
	StateAfter  string `json:"state_after"`
	Changes     string `json:"changes"`
	Comment     string `json:"comment"`
}

// EventHash is HMAC-SHA256 under the chain key (audit.Seal) of prev_hash "\n" and
// the canonical JSON of the event, hex: without the key, which is kept outside the
// database, nobody who can write the database can recompute the chain. A nil key
// gives the unkeyed sha256 of databases without one (unit tests).
func EventHash(key []byte, ev *Event) string {
	c := canonicalEvent{
		ItemID: ev.ItemID.String(), Seq: ev.Seq, At: ev.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		Action: ev.Action, StateBefore: ev.StateBefore, StateAfter: ev.StateAfter, Changes: ev.Changes, Comment: ev.Comment,
	}
	if ev.ActorID != nil {
		c.ActorID = ev.ActorID.String()
	}
	b, _ := json.Marshal(c) // strings and ints only: cannot fail
	return audit.Seal(key, ev.PrevHash, b)
}

// ChainBreak is one place where a chain does not hold.
type ChainBreak struct {
	ItemID uuid.UUID `json:"item_id"`
	Code   string    `json:"code,omitempty"`
	// Seq is the event at fault (0 when the fault is the item's head).
	Seq    int    `json:"seq"`
	Reason string `json:"reason"`
}

func (b ChainBreak) String() string {
	code := b.Code
	if code == "" {
		code = "(no code)"
	}
	return fmt.Sprintf("item %s %s, event %d: %s", b.ItemID, code, b.Seq, b.Reason)
}

// ChainReport is the result of VerifyChain.
type ChainReport struct {
	Items  int          `json:"items"`
	Events int          `json:"events"`
	Breaks []ChainBreak `json:"breaks"`
}

// OK reports whether every chain holds.
func (r *ChainReport) OK() bool { return len(r.Breaks) == 0 }

// maxBreaks bounds the report; the first break per item is enough to act on.
const maxBreaks = 100

// VerifyChain walks every item's timeline and reports where the hash chains break
// (an edited, inserted or deleted event, or one sealed without the chain key), at
// most one break per item and maxBreaks in all. Whole items deleted behind the
// application's back are found by the checkpoints (package integrity).
func VerifyChain(ctx context.Context, db *database.DB) (*ChainReport, error) {
	key := audit.ChainKeyOf(db)
	rep := &ChainReport{Breaks: []ChainBreak{}}
	type head struct {
		ID            uuid.UUID `gorm:"type:uuid"`
		Code          *string
		EventSeq      int
		LastEventHash string
	}
	const batch = 500
	var after *uuid.UUID
	for {
		var heads []head
		q := db.Conn(ctx).Table("items").Select("id, code, event_seq, last_event_hash").Order("id").Limit(batch)
		if after != nil {
			q = q.Where("id > ?", *after)
		}
		if err := q.Find(&heads).Error; err != nil {
			return nil, fmt.Errorf("read items: %w", err)
		}
		if len(heads) == 0 {
			return rep, nil
		}
		ids := make([]uuid.UUID, len(heads))
		for i, h := range heads {
			ids[i] = h.ID
		}
		var events []Event
		if err := db.Conn(ctx).Where("item_id IN ?", ids).Order("item_id, seq").Find(&events).Error; err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		byItem := map[uuid.UUID][]Event{}
		for _, ev := range events {
			byItem[ev.ItemID] = append(byItem[ev.ItemID], ev)
		}
		for _, h := range heads {
			rep.Items++
			evs := byItem[h.ID]
			rep.Events += len(evs)
			if b := verifyItemChain(key, h.EventSeq, h.LastEventHash, evs); b != nil {
				b.ItemID = h.ID
				if h.Code != nil {
					b.Code = *h.Code
				}
				if len(rep.Breaks) < maxBreaks {
					rep.Breaks = append(rep.Breaks, *b)
				}
			}
		}
		last := heads[len(heads)-1].ID
		after = &last
	}
}

// verifyItemChain checks one item's events (ordered by seq) against its head.
func verifyItemChain(key []byte, headSeq int, headHash string, evs []Event) *ChainBreak {
	prev := ""
	for i := range evs {
		ev := &evs[i]
		switch {
		case ev.Seq != i+1:
			return &ChainBreak{Seq: i + 1, Reason: fmt.Sprintf("event %d is missing (next found is %d)", i+1, ev.Seq)}
		case ev.PrevHash != prev:
			return &ChainBreak{Seq: ev.Seq, Reason: "prev_hash does not match the previous event's hash (an event was removed or replaced)"}
		case EventHash(key, ev) != ev.Hash:
			return &ChainBreak{Seq: ev.Seq, Reason: "the event's content does not match its hash (edited, or sealed without the chain key)"}
		}
		prev = ev.Hash
	}
	if len(evs) > headSeq && headSeq > 0 && evs[headSeq-1].Hash == headHash {
		// Heads are read before events: events appended meanwhile are fine as long
		// as the head read is one of the chain's links.
		return nil
	}
	if len(evs) != headSeq || prev != headHash {
		return &ChainBreak{Seq: 0, Reason: fmt.Sprintf("the item's chain head (%d events) does not match the %d events found (events removed at the end, or the head edited)", headSeq, len(evs))}
	}
	return nil
}
