// Package migrations holds Duban's versioned schema changes, one file per migration.
//
// Each migration declares its own frozen structs (never the live models of the domain
// packages), so that a migration written today still builds the same schema after the
// models change. A migration that has landed on main is never edited: add a new one.
package migrations

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// The sources are embedded so that test templates are rebuilt whenever any migration
// changes, not only when one is added.
//
//go:embed *.go
var sources embed.FS

// TableName is where applied migration IDs are recorded.
const TableName = "schema_migrations"

// All lists every migration in the order it runs.
func All() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		m0001Settings(),
		m0002Identity(),
		m0003Items(),
		m0004Calendar(),
		m0005Attachments(),
		m0006Followup(),
		m0007Closing(),
		m0008Warnings(),
		m0009FeedbackDue(),
		m0010Events(),
		m0011Jobs(),
		m0015Reminders(),
		m0020Notifications(),
		m0025Webhooks(),
		m0026Channels(),
		m0030LoginHardening(),
		m0031RateLimits(),
		m0032AuditChain(),
		m0040Directory(),
		m0050Reporting(),
		m0070OverdueRecord(),
		m0080ItemVisibility(),
		m0081ItemSearch(),
		m0082ItemListOrder(),
		m0090Delegations(),
		m0100StatsRollup(),
		m0110ServiceAccounts(),
		m0120ChangeSeq(),
		m0130ItemDocuments(),
		m0140SupervisionMethods(),
	}
}

// Latest is the ID of the newest migration.
func Latest() string {
	all := All()
	return all[len(all)-1].ID
}

// Run applies every pending migration in one transaction: when one fails, none of the
// pending ones is applied and the database stays as it was.
func Run(ctx context.Context, db *gorm.DB) error {
	return RunList(ctx, db, All())
}

// lockKey is the PostgreSQL advisory lock every migrating process takes ("dubanmig"
// in ASCII), so that processes starting at once migrate one after the other.
const lockKey int64 = 0x647562616e6d6967

// RunList applies the given migrations; tests use it to inject a failing one.
//
// Everything happens in one transaction that first takes the migration lock: on
// PostgreSQL a transaction-scoped advisory lock, on SQLite the write lock that BEGIN
// IMMEDIATE takes (database.SQLiteDSN). A second process starting at the same time
// waits, then finds the migrations applied and does nothing; without the lock both
// would try to create the same tables and one would fail its start.
func RunList(ctx context.Context, db *gorm.DB, list []*gormigrate.Migration) error {
	if len(list) == 0 {
		return errors.New("no migrations")
	}
	opts := *gormigrate.DefaultOptions
	opts.TableName = TableName
	opts.IDColumnSize = 64
	// The transaction is ours (below), so gormigrate must not open another.
	opts.UseTransaction = false
	opts.ValidateUnknownMigrations = true
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", lockKey).Error; err != nil {
				return fmt.Errorf("take the migration lock: %w", err)
			}
		}
		return gormigrate.New(tx, &opts, list).Migrate()
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Applied reports whether the newest migration has been applied.
func Applied(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Table(TableName).Where("id = ?", Latest()).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("read %s: %w", TableName, err)
	}
	return n == 1, nil
}

// Fingerprint is a hash of every migration's source; test database templates are
// keyed by it, so that any edit to a migration rebuilds them.
func Fingerprint() string {
	fp, err := fingerprintOf(sources)
	if err != nil {
		panic(err) // the sources are embedded: this cannot fail at run time
	}
	return fp
}

// fingerprintOf hashes the .go files of fsys in name order. Each name and body is
// length-prefixed, so that moving bytes from one file to the next changes the hash.
func fingerprintOf(fsys fs.FS) (string, error) {
	names, err := fs.Glob(fsys, "*.go")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%d:%s%d:", len(n), n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
