package idempotency_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/idempotency"
	"github.com/duban/duban/internal/problem"
)

// clock is a movable test clock.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

// harness is the real HTTP edge (problem+json errors, panics recovered) with test
// routes behind a fake authentication and the idempotency middleware.
type harness struct {
	t     *testing.T
	db    *database.DB
	url   string
	clock *clock
	store *idempotency.Store
	calls atomic.Int64
	// gate, when set, blocks the slow route until closed.
	gate     chan struct{}
	entered  chan struct{}
	failNext atomic.Int64 // fail the next N calls of /things with a 500
	panics   atomic.Int64
}

const userHeader = "X-Test-User"

func fakeAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := uuid.Parse(c.Request().Header.Get(userHeader))
		if err != nil {
			return problem.Unauthorized("no test user")
		}
		ctx := access.WithPrincipal(c.Request().Context(), &access.Principal{UserID: id})
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

type thing struct {
	ID    string `json:"id"`
	Title string `json:"title" validate:"required,max=20"`
}

func newHarness(t *testing.T, db *database.DB) *harness {
	h := &harness{t: t, db: db, clock: &clock{}}
	h.clock.t.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	h.store = idempotency.New(db, idempotency.Options{Now: h.clock.now})
	srv := httpserver.New(httpserver.Options{})
	r := httpserver.NewRouter(srv.API, fakeAuth, h.store.Middleware)
	r.POST("/things", func(c echo.Context) error {
		h.calls.Add(1)
		if h.failNext.Load() > 0 {
			h.failNext.Add(-1)
			return problem.Internal(errors.New("the handler failed"))
		}
		in, err := httpserver.Bind[thing](c)
		if err != nil {
			return err
		}
		in.ID = uuid.NewString()
		c.Response().Header().Set(echo.HeaderLocation, "/api/v1/things/"+in.ID)
		c.Response().Header().Set("ETag", `"1"`)
		c.Response().Header().Set("X-Not-Replayed", "x")
		return c.JSON(http.StatusCreated, in)
	})
	r.POST("/things/:id/touch", func(c echo.Context) error {
		h.calls.Add(1)
		return c.NoContent(http.StatusNoContent)
	})
	r.POST("/slow", func(c echo.Context) error {
		h.calls.Add(1)
		h.entered <- struct{}{}
		<-h.gate
		return c.JSON(http.StatusOK, map[string]string{"done": "yes"})
	})
	r.POST("/panic", func(c echo.Context) error {
		h.calls.Add(1)
		if h.panics.Add(1) == 1 {
			panic("boom")
		}
		return c.JSON(http.StatusOK, map[string]string{"ok": "second time"})
	})
	r.GET("/things", func(c echo.Context) error {
		h.calls.Add(1)
		return c.JSON(http.StatusOK, []thing{})
	})
	ts := httptest.NewServer(srv.Echo)
	t.Cleanup(ts.Close)
	h.url = ts.URL + httpserver.APIPrefix
	return h
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) problemCode(t *testing.T) string {
	t.Helper()
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("not a problem: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	var p struct{ Code string }
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		t.Fatal(err)
	}
	return p.Code
}

func (h *harness) do(method, path string, user uuid.UUID, key, body string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(userHeader, user.String())
	if key != "" {
		req.Header.Set(idempotency.HeaderKey, key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

func (h *harness) rows() int64 {
	var n int64
	if err := h.db.Gorm().Table("idempotency_keys").Count(&n).Error; err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestReplay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		alice, bob := uuid.New(), uuid.New()
		body := `{"title":"督办一号"}`

		first := h.do("POST", "/things", alice, "k-1", body)
		if first.status != 201 || first.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("first: %d %v %s", first.status, first.header, first.body)
		}
		second := h.do("POST", "/things", alice, "k-1", body)
		if second.status != 201 || second.body != first.body || second.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("replay: %d %v %s (first %s)", second.status, second.header, second.body, first.body)
		}
		for _, name := range []string{"Location", "ETag", "Content-Type"} {
			if second.header.Get(name) != first.header.Get(name) {
				t.Errorf("replayed %s = %q, want %q", name, second.header.Get(name), first.header.Get(name))
			}
		}
		if second.header.Get("X-Not-Replayed") != "" {
			t.Error("a header outside the stored set was replayed")
		}
		if h.calls.Load() != 1 {
			t.Fatalf("handler ran %d times, want 1", h.calls.Load())
		}
		// The same JSON with other whitespace is another body: refused.
		reused := h.do("POST", "/things", alice, "k-1", `{"title": "督办二号"}`)
		if reused.status != 422 || reused.problemCode(t) != idempotency.CodeKeyReused {
			t.Fatalf("reused key: %d %s", reused.status, reused.body)
		}
		// Another user's key of the same name is theirs.
		if r := h.do("POST", "/things", bob, "k-1", body); r.status != 201 || r.body == first.body || r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("other user: %d %s", r.status, r.body)
		}
		// The same key on another path is another request.
		id := uuid.NewString()
		if r := h.do("POST", "/things/"+id+"/touch", alice, "k-1", ""); r.status != 204 {
			t.Fatalf("other path: %d %s", r.status, r.body)
		}
		if r := h.do("POST", "/things/"+id+"/touch", alice, "k-1", ""); r.status != 204 || r.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("other path replay: %d %v", r.status, r.header)
		}
		if h.calls.Load() != 3 {
			t.Fatalf("handler ran %d times, want 3", h.calls.Load())
		}
		// A query string is part of the request.
		if r := h.do("POST", "/things?x=1", alice, "k-1", body); r.status != 422 {
			t.Fatalf("other query: %d %s", r.status, r.body)
		}
		// Without a key every POST runs; GETs ignore the header.
		h.do("POST", "/things", alice, "", body)
		h.do("POST", "/things", alice, "", body)
		h.do("GET", "/things", alice, "k-1", "")
		h.do("GET", "/things", alice, "k-1", "")
		if h.calls.Load() != 7 {
			t.Fatalf("handler ran %d times, want 7", h.calls.Load())
		}
	})
}

func TestErrorsAreStoredButServerErrorsAreNot(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		u := uuid.New()
		// A validation failure is a final answer: replayed.
		bad := `{"title":""}`
		first := h.do("POST", "/things", u, "bad", bad)
		if first.status != 422 || first.problemCode(t) != problem.CodeValidation {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		again := h.do("POST", "/things", u, "bad", bad)
		if again.status != 422 || again.body != first.body || again.header.Get(idempotency.HeaderReplayed) != "true" ||
			!strings.HasPrefix(again.header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("replayed error: %d %v %s", again.status, again.header, again.body)
		}
		if h.calls.Load() != 1 {
			t.Fatalf("calls %d", h.calls.Load())
		}
		// A 500 releases the key: the retry runs and its answer is kept.
		h.failNext.Store(1)
		body := `{"title":"retry me"}`
		if r := h.do("POST", "/things", u, "flaky", body); r.status != 500 {
			t.Fatalf("failing call: %d %s", r.status, r.body)
		}
		ok := h.do("POST", "/things", u, "flaky", body)
		if ok.status != 201 || ok.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("retry after 500: %d %s", ok.status, ok.body)
		}
		if r := h.do("POST", "/things", u, "flaky", body); r.body != ok.body || r.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("replay after retry: %d %s", r.status, r.body)
		}
		if h.calls.Load() != 3 {
			t.Fatalf("calls %d, want 3", h.calls.Load())
		}
		// A panic releases the key too.
		if r := h.do("POST", "/panic", u, "p", ""); r.status != 500 {
			t.Fatalf("panic: %d", r.status)
		}
		if r := h.do("POST", "/panic", u, "p", ""); r.status != 200 || r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("after panic: %d %s", r.status, r.body)
		}
	})
}

func TestKeyValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, dbtest.NewSQLite(t))
	u := uuid.New()
	body := `{"title":"x"}`
	if r := h.do("POST", "/things", u, strings.Repeat("k", 256), body); r.status != 400 || r.problemCode(t) != idempotency.CodeKeyInvalid {
		t.Fatalf("256 characters: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/things", u, strings.Repeat("k", 255), body); r.status != 201 {
		t.Fatalf("255 characters: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest("POST", h.url+"/things", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(userHeader, u.String())
	req.Header.Set(idempotency.HeaderKey, "schlüssel")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("non-ASCII key: %d", res.StatusCode)
	}
	if h.calls.Load() != 1 {
		t.Fatalf("calls %d", h.calls.Load())
	}
}

func TestConcurrentDuplicateIsRefusedWhileInProgress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		h.gate, h.entered = make(chan struct{}), make(chan struct{}, 1)
		u := uuid.New()
		var wg sync.WaitGroup
		var first response
		wg.Add(1)
		go func() {
			defer wg.Done()
			first = h.do("POST", "/slow", u, "slow-1", `{}`)
		}()
		<-h.entered
		dup := h.do("POST", "/slow", u, "slow-1", `{}`)
		if dup.status != 409 || dup.problemCode(t) != idempotency.CodeInProgress || dup.header.Get("Retry-After") == "" {
			t.Fatalf("duplicate in progress: %d %v %s", dup.status, dup.header, dup.body)
		}
		close(h.gate)
		wg.Wait()
		if first.status != 200 {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		if r := h.do("POST", "/slow", u, "slow-1", `{}`); r.status != 200 || r.header.Get(idempotency.HeaderReplayed) != "true" || r.body != first.body {
			t.Fatalf("after: %d %s", r.status, r.body)
		}
		if h.calls.Load() != 1 {
			t.Fatalf("calls %d", h.calls.Load())
		}
	})
}

func TestExpiryAndAbandonedReservations(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		u := uuid.New()
		body := `{"title":"x"}`
		first := h.do("POST", "/things", u, "day", body)
		h.clock.advance(23 * time.Hour)
		if r := h.do("POST", "/things", u, "day", body); r.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatal("not replayed within 24 h")
		}
		h.clock.advance(2 * time.Hour)
		again := h.do("POST", "/things", u, "day", body)
		if again.status != 201 || again.header.Get(idempotency.HeaderReplayed) != "" || again.body == first.body {
			t.Fatalf("after 25 h: %d %v %s", again.status, again.header, again.body)
		}
		// A reservation whose process died blocks repeats until its lease ends.
		h.gate, h.entered = make(chan struct{}), make(chan struct{}, 1)
		res := h.db.Gorm().Exec(`INSERT INTO idempotency_keys (id, user_id, key, method, path, state, request_hash, status, headers, locked_until, created_at, expires_at)
			VALUES (?, ?, 'orphan', 'POST', '/api/v1/things', 'in_progress', '', 0, '{}', ?, ?, ?)`,
			idempotency.RecordID(u, "orphan", "POST", "/api/v1/things"), u, h.clock.now().Add(time.Minute), h.clock.now(), h.clock.now().Add(24*time.Hour))
		if res.Error != nil {
			t.Fatal(res.Error)
		}
		if r := h.do("POST", "/things", u, "orphan", body); r.status != 409 {
			t.Fatalf("orphan within lease: %d %s", r.status, r.body)
		}
		h.clock.advance(2 * time.Minute)
		if r := h.do("POST", "/things", u, "orphan", body); r.status != 201 || r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("orphan after lease: %d %s", r.status, r.body)
		}
		if r := h.do("POST", "/things", u, "orphan", body); r.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("taken-over key not replayed: %d %s", r.status, r.body)
		}
	})
}

func TestPurge(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		u := uuid.New()
		for _, k := range []string{"a", "b", "c"} {
			h.do("POST", "/things", u, k, `{"title":"x"}`)
		}
		h.clock.advance(12 * time.Hour)
		h.do("POST", "/things", u, "d", `{"title":"x"}`)
		if n := h.rows(); n != 4 {
			t.Fatalf("%d rows, want 4", n)
		}
		h.clock.advance(13 * time.Hour)
		// The next keyed request purges lazily: a, b and c are gone, d and e stay.
		h.do("POST", "/things", u, "e", `{"title":"x"}`)
		if n := h.rows(); n != 2 {
			t.Fatalf("%d rows after purge, want 2", n)
		}
	})
}
