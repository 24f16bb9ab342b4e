package idempotency_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/idempotency"
)

// Issue 14 §13: a process that dies after the handler's work and before its reply
// is stored must not make the retry run the request a second time. Before the fix
// the reservation, the handler's writes and the stored reply were three commits:
// a kill -9 between the second and the third left the key stuck for the lease (5
// minutes) and then ran the request again (6–11 doubles in the outside test).
// Now they are one transaction: the crash rolls everything back, the retry runs
// once, and a repeat after it replays.
func TestCrashBeforeTheReplyIsStoredRunsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		if err := db.Gorm().Exec("CREATE TABLE notes (id VARCHAR(36) PRIMARY KEY)").Error; err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, db)
		// A second edge on the same database with a route that writes through the
		// services' transaction (database.InTx joins the request's).
		srv := httpserver.New(httpserver.Options{})
		r := httpserver.NewRouter(srv.API, fakeAuth, h.store.Middleware)
		r.POST("/notes", func(c echo.Context) error {
			id := uuid.NewString()
			err := db.InTx(c.Request().Context(), func(ctx context.Context) error {
				return db.Conn(ctx).Exec("INSERT INTO notes (id) VALUES (?)", id).Error
			})
			if err != nil {
				return err
			}
			return c.JSON(http.StatusCreated, map[string]string{"id": id})
		})
		ts := httptest.NewServer(srv.Echo)
		defer ts.Close()
		h.url = ts.URL + httpserver.APIPrefix
		notes := func() int64 {
			var n int64
			if err := db.Gorm().Table("notes").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}

		u := uuid.New()
		idempotency.CrashBeforeCommit(h.store, func() { panic("the process dies here") })
		if res := h.do("POST", "/notes", u, "crash-1", `{}`); res.status != 500 {
			t.Fatalf("crashing request: %d %s", res.status, res.body)
		}
		if n := notes(); n != 0 {
			t.Fatalf("%d notes after the crash, want 0: the handler's work outlived its reply", n)
		}
		if n := h.rows(); n != 0 {
			t.Fatalf("%d idempotency records after the crash, want 0 (a stuck key)", n)
		}
		idempotency.CrashBeforeCommit(h.store, nil)
		// The retry, at once (no lease to wait for), runs the request once.
		first := h.do("POST", "/notes", u, "crash-1", `{}`)
		if first.status != 201 || first.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("retry: %d %s", first.status, first.body)
		}
		again := h.do("POST", "/notes", u, "crash-1", `{}`)
		if again.status != 201 || again.header.Get(idempotency.HeaderReplayed) != "true" || again.body != first.body {
			t.Fatalf("repeat after the retry: %d %v %s", again.status, again.header, again.body)
		}
		if n := notes(); n != 1 {
			t.Fatalf("%d notes, want exactly 1", n)
		}
	})
}
