package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Faults: the errors that say the database cannot serve right now (the server is
// down or restarting, the network is cut, the disk is full, the database is read
// only, the work ran past its deadline, the embedded database is saturated). They
// are no bug of the request: the HTTP layer answers them 503 with Retry-After
// instead of 500, logs them once per burst, and readiness reports them.

// Fault is the kind of an unavailability, for logs and metrics.
type Fault string

const (
	FaultNone       Fault = ""
	FaultConnection Fault = "connection"
	FaultTimeout    Fault = "timeout"
	FaultDiskFull   Fault = "disk_full"
	FaultReadOnly   Fault = "read_only"
	FaultBusy       Fault = "busy"
	FaultShutdown   Fault = "shutdown"
)

// ErrOverloaded is returned when a write is shed because too many wait for the
// embedded database (shed.go).
var ErrOverloaded = errors.New("the database has too many writes waiting")

// IsUnavailable reports whether err means the database cannot serve now.
func IsUnavailable(err error) bool { return Classify(err) != FaultNone }

// Classify tells which kind of unavailability err is, or FaultNone.
func Classify(err error) Fault {
	if err == nil {
		return FaultNone
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pgFault(pg.Code)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return sqliteFault(se.Code())
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.Is(err, ErrOverloaded):
		return FaultBusy
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return FaultTimeout
	case errors.As(err, &ce), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &ne):
		return FaultConnection
	case errors.Is(err, syscall.ENOSPC):
		return FaultDiskFull
	case pgconn.SafeToRetry(err) && !errors.Is(err, context.Canceled):
		return FaultConnection
	case strings.Contains(err.Error(), "conn closed"), strings.Contains(err.Error(), "connection refused"),
		strings.Contains(err.Error(), "failed to receive message"):
		return FaultConnection
	}
	return FaultNone
}

func pgFault(code string) Fault {
	switch {
	case strings.HasPrefix(code, "08"): // connection exception
		return FaultConnection
	case code == "57P01", code == "57P02", code == "57P03": // shutdown, crash, starting up
		return FaultShutdown
	case code == "53100": // disk full
		return FaultDiskFull
	case strings.HasPrefix(code, "53"), code == "58030": // out of memory or connections; I/O error
		return FaultBusy
	case code == "25006": // read-only transaction (a standby, or default_transaction_read_only)
		return FaultReadOnly
	case code == "57014", code == "55P03": // statement or lock timeout
		return FaultTimeout
	case code == "40001", code == "40P01": // serialization failure, deadlock: a retry may pass
		return FaultBusy
	}
	return FaultNone
}

func sqliteFault(code int) Fault {
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return FaultBusy
	case sqlite3.SQLITE_FULL:
		return FaultDiskFull
	case sqlite3.SQLITE_READONLY:
		return FaultReadOnly
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_PROTOCOL:
		return FaultConnection
	}
	return FaultNone
}

// faultTracker remembers the last unavailability seen, for readiness.
type faultTracker struct {
	at   atomic.Int64 // unix nanoseconds, 0 for never
	kind atomic.Value // Fault
}

// NoteFault records err when it is an unavailability and says whether it was.
// The database records the errors of its own statements; the HTTP layer adds
// those it sees elsewhere (a transaction that could not begin).
func (db *DB) NoteFault(err error) bool {
	f := Classify(err)
	if f == FaultNone || errors.Is(err, context.Canceled) {
		return false
	}
	if db.faults != nil {
		db.faults.kind.Store(f)
		db.faults.at.Store(time.Now().UnixNano())
	}
	return true
}

// RecentFault returns an error naming the last unavailability when it happened
// within d, else nil: readiness stays down for a while after writes fail even when
// a ping still passes (a full disk, a read-only database).
func (db *DB) RecentFault(d time.Duration) error {
	if db.faults == nil {
		return nil
	}
	at := db.faults.at.Load()
	if at == 0 || time.Since(time.Unix(0, at)) > d {
		return nil
	}
	f, _ := db.faults.kind.Load().(Fault)
	return errors.New("the database failed recently (" + string(f) + ")")
}

// watchFaults makes every statement's unavailability count for RecentFault.
func (db *DB) watchFaults() {
	db.faults = &faultTracker{}
	note := func(tx *gorm.DB) {
		if tx.Error != nil && !errors.Is(tx.Error, gorm.ErrRecordNotFound) {
			db.NoteFault(tx.Error)
		}
	}
	cb := db.gdb.Callback()
	_ = cb.Create().After("gorm:create").Register("duban:faults", note)
	_ = cb.Query().After("gorm:query").Register("duban:faults", note)
	_ = cb.Update().After("gorm:update").Register("duban:faults", note)
	_ = cb.Delete().After("gorm:delete").Register("duban:faults", note)
	_ = cb.Row().After("gorm:row").Register("duban:faults", note)
	_ = cb.Raw().After("gorm:raw").Register("duban:faults", note)
}
