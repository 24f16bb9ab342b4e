package database

import (
	"context"
	"sync/atomic"
	"time"
)

// Load shedding for the embedded database. SQLite runs one write transaction at a
// time; the others wait in its busy handler, which polls with growing sleeps: under
// many concurrent writers the waits are unfair and long (seconds, up to the busy
// timeout). The write gate queues write transactions in the process instead, one at
// a time and in order, and refuses a transaction that would wait longer than
// maxWait, or that finds more than maxQueue others waiting, with ErrOverloaded
// (answered 503 with Retry-After) well before the busy timeout.
//
// PostgreSQL needs no gate: it runs transactions concurrently.

// Default shedding limits (DUBAN_SQLITE_WRITE_WAIT, DUBAN_SQLITE_WRITE_QUEUE).
const (
	DefaultWriteWait  = 2 * time.Second
	DefaultWriteQueue = 128
)

type writeGate struct {
	slot     chan struct{}
	maxWait  atomic.Int64 // nanoseconds
	maxQueue atomic.Int64
	waiting  atomic.Int64
	shed     atomic.Int64
}

func newWriteGate() *writeGate {
	g := &writeGate{slot: make(chan struct{}, 1)}
	g.maxWait.Store(int64(DefaultWriteWait))
	g.maxQueue.Store(DefaultWriteQueue)
	return g
}

// ShedWrites sets how long a write transaction may wait for its turn on the
// embedded database and how many may wait; PostgreSQL ignores it.
func (db *DB) ShedWrites(maxWait time.Duration, maxQueue int) {
	if db.gate == nil {
		return
	}
	if maxWait > 0 {
		db.gate.maxWait.Store(int64(maxWait))
	}
	if maxQueue > 0 {
		db.gate.maxQueue.Store(int64(maxQueue))
	}
}

// Shed is how many write transactions were refused so far.
func (db *DB) Shed() int64 {
	if db.gate == nil {
		return 0
	}
	return db.gate.shed.Load()
}

// admit waits for the turn of a write transaction; call the returned function when
// the transaction has ended.
func (db *DB) admit(ctx context.Context) (func(), error) {
	g := db.gate
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slot <- struct{}{}:
		return g.release, nil
	default:
	}
	if g.waiting.Add(1) > g.maxQueue.Load() {
		g.waiting.Add(-1)
		g.shed.Add(1)
		return nil, ErrOverloaded
	}
	defer g.waiting.Add(-1)
	wait := time.Duration(g.maxWait.Load())
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		wait = time.Until(dl)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
		return g.release, nil
	case <-t.C:
		g.shed.Add(1)
		return nil, ErrOverloaded
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *writeGate) release() { <-g.slot }
