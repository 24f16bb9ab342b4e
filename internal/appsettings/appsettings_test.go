package appsettings_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duban/duban/internal/appsettings"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
)

// TestSwap: the first write creates the row, a write from the text read replaces
// it, and a write from a text that is no longer stored (a concurrent change, or
// a second "first" change) is refused with ErrChanged and leaves the row alone.
func TestSwap(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
		if v, _, err := appsettings.Read(ctx, db, "test:a"); err != nil || v != "" {
			t.Fatalf("unset: %q %v", v, err)
		}
		steps := []struct {
			name, old, next string
			want            error
			stored          string
		}{
			{"first write", "", `{"v":1}`, nil, `{"v":1}`},
			{"a second first write", "", `{"v":9}`, appsettings.ErrChanged, `{"v":1}`},
			{"from the text read", `{"v":1}`, `{"v":2}`, nil, `{"v":2}`},
			{"from a stale text", `{"v":1}`, `{"v":3}`, appsettings.ErrChanged, `{"v":2}`},
		}
		for _, s := range steps {
			err := appsettings.Swap(ctx, db, "test:a", s.old, s.next, at)
			if !errors.Is(err, s.want) && !(err == nil && s.want == nil) {
				t.Fatalf("%s: err %v, want %v", s.name, err, s.want)
			}
			v, _, err := appsettings.Read(ctx, db, "test:a")
			if err != nil || v != s.stored {
				t.Fatalf("%s: stored %q (%v), want %q", s.name, v, err, s.stored)
			}
		}
		if err := appsettings.Swap(ctx, db, "test:b", "", "x", at); err != nil {
			t.Fatal(err)
		}
		if err := appsettings.Swap(ctx, db, "other", "", "y", at); err != nil {
			t.Fatal(err)
		}
		rows, err := appsettings.List(ctx, db, "test:")
		if err != nil || len(rows) != 2 || rows[0].Key != "test:a" || rows[1].Key != "test:b" {
			t.Fatalf("list: %+v %v", rows, err)
		}
	})
}
