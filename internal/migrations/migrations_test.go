package migrations_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/migrations"
)

func emptyDB(t *testing.T, d database.Dialect) *database.DB {
	if d == database.SQLite {
		return dbtest.OpenEmptySQLite(t)
	}
	return dbtest.NewEmptyPostgres(t)
}

func appliedIDs(t *testing.T, db *database.DB) []string {
	t.Helper()
	var ids []string
	if err := db.Gorm().Table(migrations.TableName).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatalf("read applied migrations: %v", err)
	}
	return ids
}

func TestMigrationsAreIdempotent(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := emptyDB(t, d)
			if ok, _ := migrations.Applied(ctx, db.Gorm()); ok {
				t.Fatal("empty database reported as migrated")
			}
			if err := migrations.Run(ctx, db.Gorm()); err != nil {
				t.Fatalf("first run: %v", err)
			}
			first := appliedIDs(t, db)
			if len(first) != len(migrations.All()) {
				t.Fatalf("applied %v, want %d migrations", first, len(migrations.All()))
			}
			// A second start is a no-op.
			if err := migrations.Run(ctx, db.Gorm()); err != nil {
				t.Fatalf("second run: %v", err)
			}
			if second := appliedIDs(t, db); len(second) != len(first) {
				t.Fatalf("second run changed the applied set: %v → %v", first, second)
			}
			if ok, err := migrations.Applied(ctx, db.Gorm()); !ok || err != nil {
				t.Fatalf("Applied = %v, %v", ok, err)
			}
		})
	}
}

// A failing migration leaves the database as it was: neither the failing migration
// nor the ones before it in the same run are applied.
func TestFailedMigrationLeavesDatabaseUnchanged(t *testing.T) {
	t.Parallel()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := emptyDB(t, d)
			type Probe struct{ ID int }
			list := []*gormigrate.Migration{
				{ID: "9001_probe", Migrate: func(tx *gorm.DB) error { return tx.Migrator().CreateTable(&Probe{}) }},
				{ID: "9002_broken", Migrate: func(tx *gorm.DB) error {
					if err := tx.Exec("CREATE TABLE half_done (id integer)").Error; err != nil {
						return err
					}
					return errors.New("deliberate failure")
				}},
			}
			err := migrations.RunList(ctx, db.Gorm(), list)
			if err == nil {
				t.Fatal("broken migration reported success")
			}
			for _, table := range []string{"probes", "half_done"} {
				if db.Gorm().Migrator().HasTable(table) {
					t.Errorf("table %s exists after a failed migration run", table)
				}
			}
			if db.Gorm().Migrator().HasTable(migrations.TableName) {
				var n int64
				db.Gorm().Table(migrations.TableName).Count(&n)
				if n != 0 {
					t.Errorf("%d migrations recorded after a failed run", n)
				}
			}
		})
	}
}

// TestFingerprint pins the hash of a fixed set of sources (computed independently,
// outside Go), and shows that every kind of edit to the real sources changes it while
// a second, independent reading of them gives the same value. Adding a migration
// needs no change here.
func TestFingerprint(t *testing.T) {
	t.Parallel()
	fixed := fstest.MapFS{
		"m0001_a.go": {Data: []byte("package migrations\n\nfunc a() {}\n")},
		"m0002_b.go": {Data: []byte("package migrations\n\nfunc b() {}\n")},
		"notes.txt":  {Data: []byte("ignored")},
	}
	if got := fingerprint(t, fixed); got != "1fa86a5ae2d919e2" {
		t.Errorf("fingerprint of the fixed sources %s, want 1fa86a5ae2d919e2", got)
	}

	// A copy of the embedded sources, read file by file.
	real := fstest.MapFS{}
	names, err := fs.Glob(migrations.Sources, "*.go")
	if err != nil || len(names) <= len(migrations.All()) {
		t.Fatalf("%d sources (%v) for %d migrations", len(names), err, len(migrations.All()))
	}
	for _, n := range names {
		b, err := fs.ReadFile(migrations.Sources, n)
		if err != nil {
			t.Fatal(err)
		}
		real[n] = &fstest.MapFile{Data: b}
	}
	base := migrations.Fingerprint()
	if got := fingerprint(t, real); got != base || len(base) != 16 {
		t.Fatalf("fingerprint of a copy %s, of the embedded sources %s", got, base)
	}

	edit := func(name string, change func(fstest.MapFS)) {
		t.Helper()
		m := fstest.MapFS{}
		for n, f := range real {
			m[n] = &fstest.MapFile{Data: slices.Clone(f.Data)}
		}
		change(m)
		if fingerprint(t, m) == base {
			t.Errorf("%s: fingerprint unchanged", name)
		}
	}
	last := names[len(names)-1]
	edit("one byte of a migration changed", func(m fstest.MapFS) { m[names[0]].Data[len(m[names[0]].Data)-1] ^= 1 })
	edit("a migration added", func(m fstest.MapFS) { m["m9999_new.go"] = &fstest.MapFile{Data: []byte("package migrations\n")} })
	edit("a migration removed", func(m fstest.MapFS) { delete(m, last) })
	edit("a migration renamed", func(m fstest.MapFS) { m["z"+last] = m[last]; delete(m, last) })
	edit("bytes moved from one file to the next", func(m fstest.MapFS) {
		a, b := m[names[0]], m[names[1]]
		b.Data = append([]byte{a.Data[len(a.Data)-1]}, b.Data...)
		a.Data = a.Data[:len(a.Data)-1]
	})
}

func fingerprint(t *testing.T, fsys fs.FS) string {
	t.Helper()
	fp, err := migrations.FingerprintOf(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}
