// Package database opens Duban's database (PostgreSQL or the embedded SQLite file),
// carries transactions in a context.Context, and classifies driver errors.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	// The pure-Go SQLite driver; it registers itself as "sqlite". No cgo is needed.
	_ "modernc.org/sqlite"
)

// Dialect names the database engine in use.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is the application's database handle. It is safe for concurrent use.
type DB struct {
	gdb     *gorm.DB
	dialect Dialect
	// url is the PostgreSQL URL, for the listener connection (Hub).
	url    string
	gate   *writeGate    // SQLite's write queue (shed.go); nil on PostgreSQL
	faults *faultTracker // the last unavailability (faults.go)
	key    chainKey      // the audit chains' key (chainkey.go)
}

// Options say which database to open.
type Options struct {
	// URL is a postgres:// URL; empty selects SQLite.
	URL string
	// SQLitePath is the SQLite file used when URL is empty.
	SQLitePath string
	Logger     *slog.Logger
	// ConnectTimeout and StatementTimeout bound PostgreSQL work (timeouts.go);
	// zero takes the defaults.
	ConnectTimeout, StatementTimeout time.Duration
}

// Open connects and checks that the database answers. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gcfg := &gorm.Config{
		// Silent while connecting: a failed connect is reported once, by our error.
		Logger:         gormlogger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		TranslateError: false,
	}
	var (
		gdb     *gorm.DB
		err     error
		dialect Dialect
	)
	if opts.URL != "" {
		dialect = Postgres
		gdb, err = gorm.Open(postgres.New(postgres.Config{DSN: withTimeouts(opts), OptionOpenDB: []stdlib.OptionOpenDB{registerUUID}}), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
	} else {
		dialect = SQLite
		if opts.SQLitePath == "" {
			return nil, errors.New("open SQLite: no file path given")
		}
		if err := os.MkdirAll(filepath.Dir(opts.SQLitePath), 0o750); err != nil {
			return nil, fmt.Errorf("open SQLite: create data directory: %w", err)
		}
		gdb, err = gorm.Open(sqlite.Dialector{DriverName: "sqlite", DSN: SQLiteDSN(opts.SQLitePath)}, gcfg)
		if err != nil {
			return nil, fmt.Errorf("open SQLite %s: %w", opts.SQLitePath, err)
		}
	}
	gdb.Logger = newGormLogger(logger)
	if err := registerCounting(gdb); err != nil {
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	if dialect == Postgres {
		sqlDB.SetMaxOpenConns(25)
		sqlDB.SetMaxIdleConns(10)
	} else {
		// One writer at a time is all SQLite allows; a small pool keeps readers going
		// while a write transaction waits on the busy timeout.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s: %w", dialect, err)
	}
	db := &DB{gdb: gdb, dialect: dialect, url: opts.URL}
	db.harden(opts)
	return db, nil
}

// SQLiteDSN is the connection string for the embedded database: WAL so readers do not
// block the writer, a busy timeout instead of instant "database is locked" errors,
// foreign keys enforced, and write locks taken at BEGIN so that two transactions
// never deadlock upgrading a read lock.
func SQLiteDSN(path string) string {
	return "file:" + uriPathEscaper.Replace(path) +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
}

// uriPathEscaper keeps a file name's % ? and # from being read as URI syntax (a
// test named "x#01" would otherwise open the file "x").
var uriPathEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Dialect tells which engine is in use.
func (db *DB) Dialect() Dialect { return db.dialect }

// Gorm gives the root handle; prefer Conn, which joins the caller's transaction.
func (db *DB) Gorm() *gorm.DB { return db.gdb }

// Close releases the connections.
func (db *DB) Close() error {
	sqlDB, err := db.gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

type txKey struct{}

// txState is what ctx carries inside a transaction: the GORM handle of the
// transaction and the functions to run once the outermost transaction commits.
type txState struct {
	tx          *gorm.DB
	afterCommit []func(context.Context)
}

// Conn returns the transaction carried by ctx, or the root handle bound to ctx.
func (db *DB) Conn(ctx context.Context) *gorm.DB {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx
	}
	return db.gdb.WithContext(ctx)
}

// InTx runs fn in a transaction carried by the context it passes on. When ctx already
// carries one, fn joins it, so services compose without knowing who began it. The
// functions registered with AfterCommit run once the outermost transaction has
// committed, and never when it rolls back.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*txState); ok {
		return fn(ctx)
	}
	release, err := db.admit(ctx)
	if err != nil {
		return err
	}
	defer release()
	st := &txState{}
	err = db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st.tx = tx
		return fn(context.WithValue(ctx, txKey{}, st))
	})
	if err != nil {
		return err
	}
	// The caller's context without the finished transaction: a hook that writes
	// opens its own.
	for _, f := range st.afterCommit {
		f(ctx)
	}
	return nil
}

// Attempt runs fn like InTx, except that an error from fn undoes what fn wrote even
// when ctx already carries a transaction: fn then runs in a savepoint of it. A dry
// run that writes and returns an error to discard its writes must use Attempt; with
// InTx it would join a caller's transaction (the idempotency store's, for one) whose
// commit keeps them. Hooks registered inside fn run after the outer commit only when
// fn succeeded.
func (db *DB) Attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	outer, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return db.InTx(ctx, fn)
	}
	inner := &txState{}
	err := outer.tx.Transaction(func(tx *gorm.DB) error {
		inner.tx = tx
		return fn(context.WithValue(ctx, txKey{}, inner))
	})
	if err != nil {
		return err
	}
	outer.afterCommit = append(outer.afterCommit, inner.afterCommit...)
	return nil
}

// InTransaction reports whether ctx carries a transaction.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}

// AfterCommit runs f once the transaction carried by ctx commits (never if it rolls
// back); outside a transaction f runs at once. Nothing that leaves the database
// (a message, a wake-up of another worker) may be sent from inside a transaction
// that may still roll back: it is sent from here.
func AfterCommit(ctx context.Context, f func(context.Context)) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.afterCommit = append(st.afterCommit, f)
		return
	}
	f(ctx)
}

// gormLogger sends GORM's errors and slow queries to slog; "record not found" is
// ordinary control flow and is not logged.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(l *slog.Logger) gormlogger.Interface {
	return &gormLogger{log: l.With("component", "database"), slow: 500 * time.Millisecond}
}

func (g *gormLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return g }
func (g *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	g.log.DebugContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled):
		sql, rows := fc()
		g.log.DebugContext(ctx, "query failed", "err", err, "sql", sql, "rows", rows, "elapsed", elapsed)
	case elapsed > g.slow:
		sql, rows := fc()
		g.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "elapsed", elapsed)
	}
}
