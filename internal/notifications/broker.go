package notifications

import (
	"context"
	"sync"

	"github.com/google/uuid"
)

// Broker fans wake-ups out to this process's live streams: a stream registers
// for its user and is woken whenever something may have changed for them (a
// notification committed, one read), by this process or — through PostgreSQL's
// NOTIFY on Channel — another. A woken stream reads what is new from the
// database, so a wake-up carries nothing and duplicates are harmless.
type Broker struct {
	mu     sync.Mutex
	subs   map[uuid.UUID]map[chan struct{}]struct{}
	closed chan struct{}
	once   sync.Once
}

// NewBroker returns a broker without streams.
func NewBroker() *Broker {
	return &Broker{subs: map[uuid.UUID]map[chan struct{}]struct{}{}, closed: make(chan struct{})}
}

// subscribe registers a stream of user; cancel unregisters it.
func (b *Broker) subscribe(user uuid.UUID) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	if b.subs[user] == nil {
		b.subs[user] = map[chan struct{}]struct{}{}
	}
	b.subs[user][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs[user], ch)
		if len(b.subs[user]) == 0 {
			delete(b.subs, user)
		}
		b.mu.Unlock()
	}
}

func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Wake wakes the streams of user.
func (b *Broker) Wake(user uuid.UUID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[user] {
		poke(ch)
	}
}

// WakeAll wakes every stream (after the listener reconnected: it may have
// missed notifications).
func (b *Broker) WakeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.subs {
		for ch := range m {
			poke(ch)
		}
	}
}

// Streams counts the open streams.
func (b *Broker) Streams() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.subs {
		n += len(m)
	}
	return n
}

// Close ends every stream (the server shuts down: open streams must not hold
// the graceful shutdown up).
func (b *Broker) Close() { b.once.Do(func() { close(b.closed) }) }

// Listen feeds the broker from the hub's channel until ctx ends, then closes it.
// payloads are user ids; "" (the listener reconnected) wakes everyone.
func (b *Broker) Listen(ctx context.Context, payloads <-chan string) {
	defer b.Close()
	if payloads == nil {
		<-ctx.Done()
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-payloads:
			if id, err := uuid.Parse(p); err == nil {
				b.Wake(id)
			} else {
				b.WakeAll()
			}
		}
	}
}
