// Package apitest runs the real Duban application (every route and middleware) on a
// fresh test database behind a real HTTP listener, and gives tests a small client.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Env is one running application under test.
type Env struct {
	T      testing.TB
	App    *app.App
	DB     *database.DB
	URL    string
	Client *http.Client
	// Token, when set, is sent as the bearer token of every request.
	Token string
	// Clock is the application's clock when the test runs on a fake one
	// (EachClocked); nil otherwise.
	Clock *clock.Fake
	// counter, while set, counts the statements of the requests served.
	counter *atomic.Pointer[database.QueryCounter]
}

// Config returns a valid configuration for tests; options may change it.
func Config(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{
		"DUBAN_DATA_DIR":   t.TempDir(),
		"DUBAN_JWT_SECRET": "test-secret-test-secret-test-secret-0123",
		"DUBAN_LOG_LEVEL":  "error",
	})
	if err != nil {
		t.Fatalf("test configuration: %v", err)
	}
	// Tests hash at the cheapest cost (the environment cannot ask for less than
	// the production default), and run without the general rate limits, which
	// tests of their own turn on.
	cfg.PasswordHashTime, cfg.PasswordHashKiB = int(users.TestHashCost.Time), users.TestHashCost.MemoryKiB
	cfg.RateLimit, cfg.RateLimitAddr = "off", "off"
	return cfg
}

// Start builds the application on db and serves it on a loopback port. setup, when
// given, runs before the listener opens (to add test-only routes, say).
func Start(t testing.TB, db *database.DB, cfg config.Config, setup ...func(*app.App)) *Env {
	t.Helper()
	a, err := app.Build(context.Background(), cfg, db, nil)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	for _, f := range setup {
		f(a)
	}
	counter := &atomic.Pointer[database.QueryCounter]{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := counter.Load(); c != nil {
			r = r.WithContext(database.WithQueryCounter(r.Context(), c))
		}
		a.Server.Echo.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	env := &Env{T: t, App: a, DB: db, URL: srv.URL, Client: srv.Client(), counter: counter}
	env.Clock, _ = cfg.Clock.(*clock.Fake)
	return env
}

// Each runs fn against a fresh application on SQLite and on PostgreSQL, in parallel.
func Each(t *testing.T, fn func(t *testing.T, env *Env)) {
	t.Helper()
	EachConfig(t, nil, fn)
}

// EachConfig is Each with the configuration changed by configure (when not nil),
// once per engine: a test that moves time puts a fresh clock.Fake in cfg.Clock.
func EachConfig(t *testing.T, configure func(cfg *config.Config), fn func(t *testing.T, env *Env)) {
	t.Helper()
	cfg := Config(t)
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			c := cfg
			c.DataDir = t.TempDir()
			if configure != nil {
				configure(&c)
			}
			fn(t, Start(t, dbtest.New(t, d), c))
		})
	}
}

// EachClocked is Each on a fake clock standing at the real time when the test
// starts: the test makes time pass with env.Clock (Advance, Set), never by sleeping
// or editing rows.
func EachClocked(t *testing.T, fn func(t *testing.T, env *Env)) {
	t.Helper()
	cfg := Config(t)
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			c := cfg
			c.DataDir = t.TempDir()
			c.Clock = clock.NewFake(time.Now())
			fn(t, Start(t, dbtest.New(t, d), c))
		})
	}
}

// Queries runs fn and returns how many statements the requests it sent ran on
// the server (BEGIN and COMMIT aside). Requests must not overlap with others.
func (e *Env) Queries(fn func()) int64 {
	e.T.Helper()
	return e.QueryLog(fn).N()
}

// QueryLog runs fn and returns the counter of the statements its requests ran.
func (e *Env) QueryLog(fn func()) *database.QueryCounter {
	e.T.Helper()
	c := &database.QueryCounter{}
	e.counter.Store(c)
	defer e.counter.Store(nil)
	fn()
	return c
}

// Response is a finished HTTP exchange.
type Response struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request. body may be nil, a string or []byte (sent as is), or any value
// (sent as JSON). headers are name/value pairs.
func (e *Env) Do(method, path string, body any, headers ...string) *Response {
	e.T.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, ct = strings.NewReader(b), "application/json"
	case []byte:
		r, ct = bytes.NewReader(b), "application/json"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.T.Fatalf("encode body: %v", err)
		}
		r, ct = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		e.T.Fatalf("new request: %v", err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if e.Token != "" {
		req.Header.Set("Authorization", "Bearer "+e.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Send(req)
}

// Send sends a prepared request.
func (e *Env) Send(req *http.Request) *Response {
	e.T.Helper()
	// The body is kept to validate the request against the document afterwards.
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			e.T.Fatalf("read request body: %v", err)
		}
		_ = req.Body.Close()
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.T.Fatalf("read body: %v", err)
	}
	if msg := checkExchange(req, reqBody, resp.StatusCode, resp.Header, b); msg != "" {
		e.T.Errorf("%s", msg)
	}
	return &Response{t: e.T, Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// As returns a copy of the environment that sends token.
func (e *Env) As(token string) *Env {
	c := *e
	c.Token = token
	return &c
}

// Expect fails the test unless the status is want; it returns the response.
func (r *Response) Expect(want int) *Response {
	r.t.Helper()
	if r.Status != want {
		r.t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Body)
	}
	return r
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.JSON(&m)
	return m
}

// Problem checks that the response is a problem+json with the given status and code,
// and returns it.
func (r *Response) Problem(status int, code string) map[string]any {
	r.t.Helper()
	r.Expect(status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("content type %q, want application/problem+json; body: %s", ct, r.Body)
	}
	m := r.Map()
	if m["code"] != code {
		r.t.Fatalf("problem code %v, want %s; body: %s", m["code"], code, r.Body)
	}
	if int(m["status"].(float64)) != status {
		r.t.Fatalf("problem status member %v, want %d", m["status"], status)
	}
	if m["type"] != problem.TypeBase+code || m["title"] == "" {
		r.t.Fatalf("problem type/title wrong: %s", r.Body)
	}
	return m
}
