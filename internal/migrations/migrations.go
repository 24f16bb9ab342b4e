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
		m0030LoginHardening(),
		m0031RateLimits(),
		m0032AuditChain(),
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

// RunList applies the given migrations; tests use it to inject a failing one.
func RunList(ctx context.Context, db *gorm.DB, list []*gormigrate.Migration) error {
	if len(list) == 0 {
		return errors.New("no migrations")
	}
	opts := *gormigrate.DefaultOptions
	opts.TableName = TableName
	opts.IDColumnSize = 64
	opts.UseTransaction = true
	opts.ValidateUnknownMigrations = true
	m := gormigrate.New(db.WithContext(ctx), &opts, list)
	if err := m.Migrate(); err != nil {
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
// keyed by it.
func Fingerprint() string {
	h := sha256.New()
	names, _ := fs.Glob(sources, "*.go")
	sort.Strings(names)
	for _, n := range names {
		b, _ := sources.ReadFile(n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
