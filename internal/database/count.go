package database

import (
	"context"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// QueryCounter counts the statements run on behalf of one context: the cost of a
// request in queries, which tests assert (counts, not times). Transactions' BEGIN
// and COMMIT are not counted.
type QueryCounter struct {
	n   atomic.Int64
	mu  sync.Mutex
	sql []string
}

// N is the number of statements counted so far.
func (c *QueryCounter) N() int64 { return c.n.Load() }

// SQL lists the statements counted (without their values), in order.
func (c *QueryCounter) SQL() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.sql...)
}

type counterKey struct{}

// WithQueryCounter returns ctx carrying c: every statement run with ctx (or a
// transaction begun with it) is counted.
func WithQueryCounter(ctx context.Context, c *QueryCounter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// registerCounting adds the callbacks that count statements.
func registerCounting(gdb *gorm.DB) error {
	count := func(db *gorm.DB) {
		if db.Statement == nil || db.Statement.Context == nil {
			return
		}
		if c, ok := db.Statement.Context.Value(counterKey{}).(*QueryCounter); ok {
			c.n.Add(1)
			c.mu.Lock()
			c.sql = append(c.sql, db.Statement.SQL.String())
			c.mu.Unlock()
		}
	}
	cb := gdb.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("duban:count", count),
		cb.Create().After("gorm:create").Register("duban:count", count),
		cb.Update().After("gorm:update").Register("duban:count", count),
		cb.Delete().After("gorm:delete").Register("duban:count", count),
		cb.Row().After("gorm:row").Register("duban:count", count),
		cb.Raw().After("gorm:raw").Register("duban:count", count),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
