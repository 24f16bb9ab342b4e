package changes_test

import (
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
)

// TestCursorUnderInterleavedWrites: a transaction that starts before a page is
// read and commits after it is not passed by the cursor, on either engine.
//
// T1 changes item a and stays open; then b changes (on PostgreSQL committed at
// once by another transaction; on SQLite, whose writers take turns, it waits for
// T1). A page read meanwhile must not hand out b past a's pending change: with
// (updated_at, id) or a plain sequence the cursor would move past b, and a, whose
// number is lower, would never be seen. After T1 commits the kept cursor gives a
// and b, each once, and then nothing.
func TestCursorUnderInterleavedWrites(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		a := f.W.ItemInProgress("安全生产专项整治", 30)
		b := f.W.ItemInProgress("财务预算执行", 40)
		sup := f.As("sup")
		_, cur := settle(t, sup, "/api/v1/items", "", is(a.String(), b.String()))

		t1 := env.DB.Gorm().Begin()
		if t1.Error != nil {
			t.Fatal(t1.Error)
		}
		defer t1.Rollback()
		if err := t1.Exec("UPDATE items SET title = ? WHERE id = ?", "安全生产专项整治（修订）", a).Error; err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		write := func() {
			done <- env.DB.Gorm().Exec("UPDATE items SET title = ? WHERE id = ?", "财务预算执行（修订）", b).Error
		}
		pg := env.DB.Dialect() == database.Postgres
		if pg {
			write()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		} else {
			go write()
		}

		// While T1 runs: b (committed on PostgreSQL) is held back behind a.
		got, next := walk(t, sup, "/api/v1/items", cur)
		if len(got) != 0 {
			t.Fatalf("page during T1 hands out %v (a's change still pending)", got)
		}
		if err := t1.Commit().Error; err != nil {
			t.Fatal(err)
		}
		if !pg {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		got, next = settle(t, sup, "/api/v1/items", next, is(a.String(), b.String()))
		if !slices.Equal(got, []string{a.String(), b.String()}) {
			t.Fatalf("after T1 commits: %v, want a then b", got)
		}
		if got, _ = walk(t, sup, "/api/v1/items", next); len(got) != 0 {
			t.Fatalf("repeated: %v", got)
		}
	})
}
