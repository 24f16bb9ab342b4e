package database

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Hub carries PostgreSQL notifications (LISTEN/NOTIFY) between the processes that
// share one database: a transaction that NOTIFYs delivers at commit (never on a
// rollback) to every process listening. One connection per process listens on
// every channel a subscriber asked for and fans the notifications out. On SQLite
// there is one process and no hub: the in-process wake-ups suffice.
//
// A subscriber gets a payload per notification, and "" after each (re)connection:
// notifications sent while the connection was down are lost, so a subscriber
// treats "" as "something may have changed" (drop a cache, look for work).
type Hub struct {
	url string
	log *slog.Logger

	mu   sync.Mutex
	subs map[string][]chan string
}

// NewHub returns the hub of db, or nil on SQLite.
func (db *DB) NewHub(log *slog.Logger) *Hub {
	if db.dialect != Postgres || db.url == "" {
		return nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{url: db.url, log: log.With("component", "listen"), subs: map[string][]chan string{}}
}

// Subscribe returns a channel receiving the payloads of channel (buffered; a slow
// subscriber misses payloads but never blocks the hub, and gets "" when it has
// missed some). Call before Run.
func (h *Hub) Subscribe(channel string) <-chan string {
	ch := make(chan string, 64)
	h.mu.Lock()
	h.subs[channel] = append(h.subs[channel], ch)
	h.mu.Unlock()
	return ch
}

// Run listens until ctx ends, reconnecting after a failure.
func (h *Hub) Run(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		h.log.WarnContext(ctx, "notification listener lost its connection; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (h *Hub) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, h.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	h.mu.Lock()
	channels := make([]string, 0, len(h.subs))
	for c := range h.subs {
		channels = append(channels, c)
	}
	h.mu.Unlock()
	for _, c := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c}.Sanitize()); err != nil {
			return err
		}
	}
	for _, c := range channels {
		h.deliver(c, "")
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.deliver(n.Channel, n.Payload)
	}
}

func (h *Hub) deliver(channel, payload string) {
	h.mu.Lock()
	subs := h.subs[channel]
	h.mu.Unlock()
	for _, ch := range subs {
		select {
		case ch <- payload:
		default:
			// Full: the subscriber is told something was missed.
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- "":
			default:
			}
		}
	}
}

// Notify sends payload on channel from the transaction of ctx (delivered at its
// commit); a no-op on SQLite.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.dialect != Postgres {
		return nil
	}
	return db.Conn(ctx).Exec("SELECT pg_notify(?, ?)", channel, payload).Error
}
