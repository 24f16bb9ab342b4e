// Package events is the catalogue of what happens in Duban — typed domain events —
// and the outbox that carries them from the change that caused them to the
// subscribers that react (notifications, reminders' bookkeeping, webhooks,
// statistics upkeep).
//
// An event is emitted from the one place its change happens (the items door for
// everything about an item, the audit log for people, organisation and security),
// into the domain_events table inside the change's own transaction: a change that
// rolls back emits nothing, one that commits emits exactly its events, in order.
// The Dispatcher hands committed events to the subscribers registered on the Bus
// (internal/app wires them), at least once; subscribers only write to the database
// (a notification row, a delivery job), so a failure rolls their work back with the
// dispatch and the event is tried again. Nothing leaves the process from inside a
// transaction that may still roll back.
package events

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Kind names an event type, e.g. "item.submitted". Kinds are a contract (webhook
// subscriptions and notification settings name them): never rename one.
type Kind string

// Event is one typed thing that happened.
type Event interface {
	Kind() Kind
}

// ItemEvent is an event about a supervision item: the items door fills in the
// item's reference when it records the event.
type ItemEvent interface {
	Event
	ItemRef() *ItemRef
}

// Envelope is a committed event as the dispatcher hands it to subscribers.
type Envelope struct {
	// Seq orders the events of one database (gaps are possible).
	Seq int64
	// ID is unique; receivers deduplicate by it (webhook-id, notification keys).
	ID      uuid.UUID
	Kind    Kind
	At      time.Time
	ActorID *uuid.UUID
	ItemID  *uuid.UUID
	ScopeID *uuid.UUID
	// Event is the decoded payload (a pointer to the catalogue's type), or
	// *Unknown when the kind is not in this build's catalogue.
	Event Event
	// Payload is the event as stored (JSON).
	Payload json.RawMessage
}

// Unknown is an event whose kind this build does not know (written by a newer
// version): subscribers see its raw payload.
type Unknown struct {
	K   Kind
	Raw json.RawMessage
}

// Kind implements Event.
func (u *Unknown) Kind() Kind { return u.K }

var registry = map[Kind]reflect.Type{}

// register adds types of the catalogue: each instance's Kind must be constant for
// its type (the audit types are registered per kind by registerKind).
func register(evs ...Event) {
	for _, ev := range evs {
		registerKind(ev.Kind(), ev)
	}
}

func registerKind(k Kind, ev Event) {
	t := reflect.TypeOf(ev)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, dup := registry[k]; dup {
		panic(fmt.Sprintf("events: kind %s registered twice", k))
	}
	registry[k] = t
}

// Kinds lists every kind of the catalogue, sorted.
func Kinds() []Kind {
	out := make([]Kind, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Known reports whether k is in the catalogue.
func Known(k Kind) bool {
	_, ok := registry[k]
	return ok
}

// Decode turns a stored payload back into its catalogue type.
func Decode(k Kind, payload []byte) (Event, error) {
	t, ok := registry[k]
	if !ok {
		// Audit-born kinds are open-ended: their family's type decodes them.
		fam := FromAudit(Audited{Action: string(k)})
		if fam == nil {
			return &Unknown{K: k, Raw: append(json.RawMessage(nil), payload...)}, nil
		}
		t = reflect.TypeOf(fam).Elem()
	}
	v := reflect.New(t)
	if err := json.Unmarshal(payload, v.Interface()); err != nil {
		return nil, fmt.Errorf("decode event %s: %w", k, err)
	}
	ev, ok := v.Interface().(Event)
	if !ok {
		return nil, fmt.Errorf("decode event %s: %s is not an event", k, t)
	}
	if a, ok := ev.(interface{ setKind(Kind) }); ok {
		a.setKind(k)
	}
	return ev, nil
}
