package migrations_test

import (
	"context"
	"errors"
	"testing"

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

func TestFingerprintIsStable(t *testing.T) {
	t.Parallel()
	if migrations.Fingerprint() != migrations.Fingerprint() || len(migrations.Fingerprint()) != 16 {
		t.Fatal("fingerprint unstable")
	}
}
