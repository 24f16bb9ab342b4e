package migrations_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/migrations"
)

// Several processes starting at once on one fresh database: each has its own
// connection pool, all of them migrate at the same moment, every one succeeds and
// each migration is recorded exactly once. (cmd/duban's TestConcurrentMigrateProcesses
// does the same with real processes.)
func TestConcurrentMigrationsMigrateOnce(t *testing.T) {
	t.Parallel()
	const starters = 6
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			opts := database.Options{SQLitePath: filepath.Join(t.TempDir(), "duban.db")}
			if d == database.Postgres {
				opts = database.Options{URL: dbtest.EmptyPostgresURL(t)}
			}
			dbs := make([]*database.DB, starters)
			for i := range dbs {
				db, err := database.Open(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				dbs[i] = db
			}
			errs := make([]error, starters)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i, db := range dbs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-gate
					errs[i] = migrations.Run(context.Background(), db.Gorm())
				}()
			}
			close(gate)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("starter %d: %v", i, err)
				}
			}
			var rows []struct {
				ID string
				N  int
			}
			if err := dbs[0].Gorm().Raw("SELECT id, count(*) AS n FROM " + migrations.TableName + " GROUP BY id").Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(migrations.All()) {
				t.Fatalf("%d migrations recorded, want %d", len(rows), len(migrations.All()))
			}
			for _, r := range rows {
				if r.N != 1 {
					t.Errorf("migration %s recorded %d times", r.ID, r.N)
				}
			}
		})
	}
}
