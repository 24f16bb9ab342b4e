package database

import (
	"net/url"
	"strconv"
	"time"
)

// Default PostgreSQL timeouts (DUBAN_DB_CONNECT_TIMEOUT, DUBAN_DB_STATEMENT_TIMEOUT).
const (
	DefaultConnectTimeout   = 5 * time.Second
	DefaultStatementTimeout = 10 * time.Second
)

// withTimeouts adds a connect timeout and a statement timeout to the PostgreSQL URL
// unless it sets them itself, so that a server that stops answering fails requests
// (503) instead of holding them until the network gives up. Each request also
// carries a deadline of its own (the HTTP layer's), which cancels the query.
func withTimeouts(opts Options) string {
	u, err := url.Parse(opts.URL)
	if err != nil {
		return opts.URL // the driver reports the bad URL
	}
	q := u.Query()
	connect, stmt := opts.ConnectTimeout, opts.StatementTimeout
	if connect <= 0 {
		connect = DefaultConnectTimeout
	}
	if stmt <= 0 {
		stmt = DefaultStatementTimeout
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", strconv.Itoa(max(1, int(connect.Round(time.Second)/time.Second))))
	}
	// Unknown parameters are run-time settings for pgx: sent at connection start.
	if q.Get("statement_timeout") == "" {
		q.Set("statement_timeout", strconv.FormatInt(stmt.Milliseconds(), 10))
	}
	// Plan every statement with its values: pgx prepares and caches statements,
	// and after five runs PostgreSQL may switch one to a generic plan, which for
	// a list's LIKE pattern or IN list is much worse (it cannot know that a
	// pattern's trigrams are selective, or how many units a list names).
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// harden sets up what Open adds to a plain connection: the write gate of SQLite
// and the fault tracking of both engines.
func (db *DB) harden(_ Options) {
	if db.dialect == SQLite {
		db.gate = newWriteGate()
	}
	db.watchFaults()
}
