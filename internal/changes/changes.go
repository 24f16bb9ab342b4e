// Package changes pages through the rows of a synced table in the order they were
// written, with an opaque cursor that neither skips nor repeats a change under
// concurrent writes (issue 15). README.md explains why.
package changes

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Cursor is a position in a table's change order: after the row (Seq, ID).
type Cursor struct {
	Seq int64
	ID  uuid.UUID
}

// String is the cursor as handed out: opaque to clients.
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + strconv.FormatInt(c.Seq, 10) + ":" + c.ID.String()))
}

// ParseCursor reads a cursor; the empty string is the start of the table.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	bad := problem.Field("cursor", "cursor", "must be a next_cursor from an earlier page, or empty to start")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return Cursor{}, bad
	}
	seq, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || seq < 0 {
		return Cursor{}, bad
	}
	id, err := uuid.Parse(parts[2])
	if err != nil {
		return Cursor{}, bad
	}
	return Cursor{Seq: seq, ID: id}, nil
}

// MaxIDs bounds ids= on a list.
const MaxIDs = 100

// Query is the sync part of a list's query: updated_since, ids, cursor and the page
// size.
type Query struct {
	// Sync: the caller asked for change order (a cursor, even empty, or
	// updated_since); otherwise the list keeps its offset paging.
	Sync         bool
	Cursor       Cursor
	UpdatedSince *time.Time
	IDs          []uuid.UUID
	Limit        int
}

// ParseQuery reads updated_since (RFC 3339), ids (comma separated, at most MaxIDs),
// cursor and page_size; bad values are 422s naming the parameter.
func ParseQuery(q url.Values) (Query, error) {
	var out Query
	var errs []problem.FieldError
	if q.Has("cursor") {
		out.Sync = true
		c, err := ParseCursor(q.Get("cursor"))
		if err != nil {
			return out, err
		}
		out.Cursor = c
	}
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "updated_since", Rule: "datetime",
				Message: "must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z"})
		} else {
			t = t.UTC()
			out.UpdatedSince, out.Sync = &t, true
		}
	}
	if v := q.Get("ids"); v != "" {
		for _, s := range strings.Split(v, ",") {
			id, err := uuid.Parse(strings.TrimSpace(s))
			if err != nil {
				errs = append(errs, problem.FieldError{Field: "ids", Rule: "uuid", Message: "must be UUIDs, comma separated"})
				break
			}
			out.IDs = append(out.IDs, id)
		}
		if len(out.IDs) > MaxIDs {
			errs = append(errs, problem.FieldError{Field: "ids", Rule: "max", Message: fmt.Sprintf("at most %d ids", MaxIDs)})
		}
	}
	pg, perrs := httpserver.ParsePage(q, httpserver.DefaultPageSize)
	errs = append(errs, perrs...)
	out.Limit = pg.Size
	if len(errs) > 0 {
		return out, problem.Invalid(errs...)
	}
	return out, nil
}

// Filter adds ids (on table's id) and updated_since (on the expression updated,
// the row's last change time).
func (q Query) Filter(db *gorm.DB, table, updated string) *gorm.DB {
	if len(q.IDs) > 0 {
		db = db.Where(table+".id IN ?", q.IDs)
	}
	if q.UpdatedSince != nil {
		db = db.Where(updated+" >= ?", *q.UpdatedSince)
	}
	return db
}

// Page narrows db (a query on table, already filtered for the reader) to the next
// page after the cursor in change order, with one row more than the limit so that
// the caller learns whether more follow (Next).
//
// On PostgreSQL only rows whose writing transaction ended before the statement's
// snapshot are handed out (change_seq below pgHorizon): a transaction of this
// database still running holds back every change after its own, which would
// otherwise be passed by the cursor before it commits. SQLite's writers take turns, so its
// counter is already in commit order.
func (q Query) Page(db *gorm.DB, dialect database.Dialect, table string) *gorm.DB {
	c := q.Cursor
	db = db.Where("("+table+".change_seq > ? OR ("+table+".change_seq = ? AND "+table+".id > ?))", c.Seq, c.Seq, c.ID)
	if dialect == database.Postgres {
		db = db.Where(table + ".change_seq < (" + pgHorizon + ")")
	}
	return db.Order(table + ".change_seq ASC").Order(table + ".id ASC").Limit(q.Limit + 1)
}

// pgHorizon is the first transaction id whose rows a page may not hand out yet: the
// statement snapshot's xmax, or the oldest transaction of this database still
// running in it, whichever is lower. Transactions of other databases of the server
// (shown holding their id's lock by a backend connected elsewhere) cannot write
// these rows and do not hold the page back; one that ended since the snapshot
// counts as ours, which only holds the page back until the next read. See
// README.md.
const pgHorizon = `SELECT LEAST(pg_snapshot_xmax(s.snap)::text::bigint,
	(SELECT min(x::text::bigint) FROM pg_snapshot_xip(s.snap) x
	 WHERE NOT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
		AND l.transactionid::text = (x::text::bigint & 4294967295)::text
		AND a.datid IS DISTINCT FROM (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))))
	FROM (SELECT pg_current_snapshot() AS snap) s`

// Row is what a page needs of each row: its place in the change order.
type Row struct {
	ID        uuid.UUID
	ChangeSeq int64
}

// Next trims the extra row Page asked for and says where the next page starts:
// after the last row handed out, or where the caller was when the page is empty.
func (q Query) Next(rows []Row) (kept []Row, next Cursor, hasMore bool) {
	hasMore = len(rows) > q.Limit
	if hasMore {
		rows = rows[:q.Limit]
	}
	next = q.Cursor
	if n := len(rows); n > 0 {
		next = Cursor{Seq: rows[n-1].ChangeSeq, ID: rows[n-1].ID}
	}
	return rows, next, hasMore
}
