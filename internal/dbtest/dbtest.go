// Package dbtest gives each test its own fresh, migrated database on both engines
// Duban supports, so that tests run in parallel and never see what another left.
//
// PostgreSQL: a new database cloned from a migrated template (pgtestdb) on the server
// named by DUBAN_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432. When no
// server answers the PostgreSQL half is skipped, except under CI=true where it fails.
// SQLite: a file in the test's temp directory.
package dbtest

import (
	"context"
	"database/sql"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for pgtestdb's admin connection
	"github.com/peterldowns/pgtestdb"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	gormlogger "gorm.io/gorm/logger"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/migrations"
)

// DefaultPostgresURL is used when DUBAN_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Dialects lists the engines every database test runs on.
var Dialects = []database.Dialect{database.SQLite, database.Postgres}

// Each runs fn once per engine as parallel subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh migrated database of the given engine, closed and dropped when
// the test ends.
func New(t testing.TB, d database.Dialect) *database.DB {
	t.Helper()
	if d == database.SQLite {
		return NewSQLite(t)
	}
	return NewPostgres(t)
}

// NewSQLite returns a migrated SQLite database in a temp file.
func NewSQLite(t testing.TB) *database.DB {
	t.Helper()
	db := OpenEmptySQLite(t)
	if err := migrations.Run(context.Background(), db.Gorm()); err != nil {
		t.Fatalf("migrate SQLite: %v", err)
	}
	return db
}

// OpenEmptySQLite returns an unmigrated SQLite database in a temp file.
func OpenEmptySQLite(t testing.TB) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), database.Options{
		SQLitePath: filepath.Join(t.TempDir(), "duban.db"),
	})
	if err != nil {
		t.Fatalf("open SQLite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// NewPostgres returns a fresh migrated PostgreSQL database.
func NewPostgres(t testing.TB) *database.DB {
	t.Helper()
	conf := pgtestdb.Custom(t, AdminConfig(t), migrator{})
	return openPostgres(t, conf.URL())
}

// NewEmptyPostgres returns a fresh PostgreSQL database with no tables at all.
func NewEmptyPostgres(t testing.TB) *database.DB {
	t.Helper()
	conf := pgtestdb.Custom(t, AdminConfig(t), pgtestdb.NoopMigrator{})
	return openPostgres(t, conf.URL())
}

// PostgresURL returns the URL of a fresh migrated PostgreSQL database, for tests that
// start the real binary against it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, AdminConfig(t), migrator{}).URL()
}

// EmptyPostgresURL returns the URL of a fresh PostgreSQL database with no tables.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, AdminConfig(t), pgtestdb.NoopMigrator{}).URL()
}

func openPostgres(t testing.TB, u string) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), database.Options{URL: u})
	if err != nil {
		t.Fatalf("open PostgreSQL test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

var (
	reachOnce sync.Once
	reachErr  error
)

// AdminConfig is the pgtestdb connection to the server that hosts test databases. It
// skips the test when no server answers, or fails it under CI=true.
func AdminConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("DUBAN_TEST_DATABASE_URL")
	if raw == "" {
		raw = DefaultPostgresURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("DUBAN_TEST_DATABASE_URL: %v", err)
	}
	reachOnce.Do(func() {
		db, err := sql.Open("pgx", raw)
		if err != nil {
			reachErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		reachErr = db.PingContext(ctx)
	})
	if reachErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required under CI=true: %v", u.Redacted(), reachErr)
		}
		t.Skipf("PostgreSQL at %s not reachable (set DUBAN_TEST_DATABASE_URL or run `make test`): %v", u.Redacted(), reachErr)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, "5432"
	}
	pass, _ := u.User.Password()
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	dbname := u.Path
	if len(dbname) > 1 {
		dbname = dbname[1:]
	} else {
		dbname = "postgres"
	}
	return pgtestdb.Config{
		DriverName:                "pgx",
		Host:                      host,
		Port:                      port,
		User:                      u.User.Username(),
		Password:                  pass,
		Database:                  dbname,
		Options:                   q.Encode(),
		ForceTerminateConnections: true,
	}
}

// migrator builds the template database with Duban's own migrations; templates are
// keyed by the migrations' source so any change rebuilds them.
type migrator struct{}

func (migrator) Hash() (string, error) { return migrations.Fingerprint(), nil }

func (migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: db}), &gorm.Config{Logger: gormlogger.Discard})
	if err != nil {
		return err
	}
	return migrations.Run(ctx, gdb)
}
