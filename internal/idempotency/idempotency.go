// Package idempotency makes a POST that carries an Idempotency-Key safe to retry:
// the first request with a key runs, its response is stored, and a repeat within the
// retention period (24 h) gets the stored response again, marked with the header
// Idempotent-Replayed: true, without running the handler a second time.
//
// A key belongs to one user and one method and path: the record's id is the hash of
// (user id, key, method, path). While the first request is still running, a repeat
// answers 409 idempotency_in_progress; a repeat whose body (or query) differs from
// the first answers 422 idempotency_key_reused. Server errors (5xx) and 429 are not
// stored: the key is released so that the client may retry it. Expired records are
// deleted lazily, at most once a minute per process.
//
// The reservation is committed on its own, outside the handler's transaction, so
// that concurrent repeats see it. When a process dies between the reservation and
// the stored response, the key stays "in progress" until its lease runs out
// (LeaseDuration), after which a repeat runs the request again.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Header names.
const (
	HeaderKey      = "Idempotency-Key"
	HeaderReplayed = "Idempotent-Replayed"
)

// Problem codes of this package. Clients switch on them; never rename one.
const (
	// CodeInProgress: the first request with this key is still running (409).
	CodeInProgress = "idempotency_in_progress"
	// CodeKeyReused: the key was used before with a different request body (422).
	CodeKeyReused = "idempotency_key_reused"
	// CodeKeyInvalid: the key is longer than MaxKeyLength or not printable ASCII (400).
	CodeKeyInvalid = "idempotency_key_invalid"
)

// Defaults.
const (
	MaxKeyLength = 255
	// Retention is how long a stored response is replayed.
	Retention = 24 * time.Hour
	// LeaseDuration is how long a reservation blocks repeats before it is taken
	// for abandoned (the server's write timeout is 5 minutes).
	LeaseDuration = 5 * time.Minute
	purgeInterval = time.Minute
)

// replayedHeaders are the response headers stored and replayed with the body.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag", echo.HeaderContentDisposition}

const (
	stateInProgress = "in_progress"
	stateDone       = "done"
)

// record is a row of idempotency_keys.
type record struct {
	ID          string    `gorm:"primaryKey"`
	UserID      uuid.UUID `gorm:"type:uuid"`
	Key         string
	Method      string
	Path        string
	State       string
	RequestHash string
	Status      int
	Headers     string
	Body        []byte
	LockedUntil time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (record) TableName() string { return "idempotency_keys" }

// Options tune a Store; zero values take the defaults.
type Options struct {
	Retention time.Duration
	Lease     time.Duration
	// Now is the clock (tests move it).
	Now    func() time.Time
	Logger *slog.Logger
}

// Store keeps the records of idempotent requests.
type Store struct {
	db        *database.DB
	retention time.Duration
	lease     time.Duration
	now       func() time.Time
	log       *slog.Logger
	lastPurge atomic.Int64 // unix nanoseconds
}

// New returns a store on db.
func New(db *database.DB, opts Options) *Store {
	s := &Store{db: db, retention: opts.Retention, lease: opts.Lease, now: opts.Now, log: opts.Logger}
	if s.retention <= 0 {
		s.retention = Retention
	}
	if s.lease <= 0 {
		s.lease = LeaseDuration
	}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Middleware is New(db, Options{}).Middleware: mount it after authentication.
func Middleware(db *database.DB) echo.MiddlewareFunc { return New(db, Options{}).Middleware }

// Middleware handles POSTs that carry an Idempotency-Key and passes everything else
// through. It needs the principal in the request context, so it must run after
// authentication; without a principal it passes the request through untouched.
func (s *Store) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodPost {
			return next(c)
		}
		key := req.Header.Get(HeaderKey)
		if key == "" {
			return next(c)
		}
		if err := checkKey(key); err != nil {
			return err
		}
		p := access.FromContext(req.Context())
		if p == nil {
			return next(c)
		}
		return s.handle(c, next, p.UserID, key)
	}
}

func checkKey(key string) error {
	if len(key) > MaxKeyLength {
		return problem.New(problem.KindBadRequest, CodeKeyInvalid,
			fmt.Sprintf("the Idempotency-Key header must be at most %d characters", MaxKeyLength))
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return problem.New(problem.KindBadRequest, CodeKeyInvalid,
				"the Idempotency-Key header must be printable ASCII, e.g. a UUID")
		}
	}
	return nil
}

// recordID is the primary key of (user, key, method, path).
func recordID(user uuid.UUID, key, method, path string) string {
	h := sha256.New()
	for _, part := range []string{user.String(), key, method, path} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// newRequestHash starts the fingerprint of a request: its query, then its body.
func newRequestHash(req *http.Request) hash.Hash {
	h := sha256.New()
	h.Write([]byte(req.URL.RawQuery))
	h.Write([]byte{0})
	return h
}

// hashBody reads the rest of the request body into the fingerprint.
func hashBody(h hash.Hash, body io.Reader) error {
	if body == nil {
		return nil
	}
	_, err := io.Copy(h, body)
	return err
}

func (s *Store) handle(c echo.Context, next echo.HandlerFunc, user uuid.UUID, key string) error {
	req := c.Request()
	ctx := req.Context()
	bg := context.WithoutCancel(ctx)
	s.maybePurge(bg)
	path := req.URL.Path
	id := recordID(user, key, req.Method, path)

	owned, existing, err := s.reserve(ctx, id, user, key, req.Method, path)
	if err != nil {
		return err
	}
	if !owned {
		return s.answerRepeat(c, existing)
	}

	// First request: hash the body while the handler reads it, and the rest of it
	// before the response starts (net/http may close the body once the response
	// headers are out); capture the response.
	h := newRequestHash(req)
	body := req.Body
	if body != nil && body != http.NoBody {
		req.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(body, h), body}
	}
	rec := &recorder{ResponseWriter: c.Response().Writer, drain: func() error {
		if req.Body == nil {
			return nil
		}
		_, err := io.Copy(io.Discard, req.Body) // through the tee into h
		return err
	}}
	c.Response().Writer = rec
	released := false
	defer func() {
		if r := recover(); r != nil {
			c.Response().Writer = rec.ResponseWriter
			if !released {
				s.release(bg, id)
			}
			panic(r)
		}
	}()

	herr := next(c)
	if herr != nil {
		// Render the error now, through the recorder, so that it is stored like
		// any other response (Echo would render it only after this middleware).
		c.Error(herr)
	}
	c.Response().Writer = rec.ResponseWriter
	status := c.Response().Status
	if !c.Response().Committed {
		status = http.StatusOK // nothing written: net/http would send 200 with no body
	}

	bodyErr := rec.drainOnce()
	if status >= 500 || status == http.StatusTooManyRequests || bodyErr != nil {
		released = true
		s.release(bg, id)
		return nil
	}
	headers := map[string]string{}
	for _, name := range replayedHeaders {
		if v := c.Response().Header().Get(name); v != "" {
			headers[name] = v
		}
	}
	hb, _ := json.Marshal(headers)
	res := s.db.Gorm().WithContext(bg).Model(&record{}).Where("id = ? AND state = ?", id, stateInProgress).
		Updates(map[string]any{
			"state": stateDone, "request_hash": hex.EncodeToString(h.Sum(nil)),
			"status": status, "headers": string(hb), "body": rec.buf.Bytes(),
		})
	if res.Error != nil {
		// The response went out; only its replay is lost. Release the key so that a
		// retry is not stuck behind an in-progress record until the lease ends.
		s.log.ErrorContext(bg, "store idempotent response", "err", res.Error)
		s.release(bg, id)
	}
	released = true
	return nil
}

// reserve inserts an in-progress record for id. owned is true when this request
// holds the key now; otherwise existing is the record found.
func (s *Store) reserve(ctx context.Context, id string, user uuid.UUID, key, method, path string) (owned bool, existing *record, err error) {
	for attempt := 0; attempt < 3; attempt++ {
		now := s.now()
		row := record{
			ID: id, UserID: user, Key: key, Method: method, Path: path, State: stateInProgress,
			Headers: "{}", LockedUntil: now.Add(s.lease), CreatedAt: now, ExpiresAt: now.Add(s.retention),
		}
		res := s.db.Gorm().WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return false, nil, fmt.Errorf("reserve idempotency key: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return true, nil, nil
		}
		var cur record
		err := s.db.Gorm().WithContext(ctx).Where("id = ?", id).Take(&cur).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // released or purged meanwhile: try again
		}
		if err != nil {
			return false, nil, fmt.Errorf("read idempotency key: %w", err)
		}
		switch {
		case !now.Before(cur.ExpiresAt):
			// Expired: drop it (only if it is still that record) and start afresh.
			if err := s.db.Gorm().WithContext(ctx).Where("id = ? AND expires_at = ?", id, cur.ExpiresAt).
				Delete(&record{}).Error; err != nil {
				return false, nil, fmt.Errorf("drop expired idempotency key: %w", err)
			}
			continue
		case cur.State == stateInProgress && !now.Before(cur.LockedUntil):
			// Abandoned (the process that held it died): take it over, unless
			// another repeat does so first.
			res := s.db.Gorm().WithContext(ctx).Model(&record{}).
				Where("id = ? AND state = ? AND locked_until = ?", id, stateInProgress, cur.LockedUntil).
				Updates(map[string]any{"locked_until": now.Add(s.lease), "created_at": now, "expires_at": now.Add(s.retention)})
			if res.Error != nil {
				return false, nil, fmt.Errorf("take over idempotency key: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				return true, nil, nil
			}
			continue
		}
		return false, &cur, nil
	}
	return false, nil, problem.Conflict(CodeInProgress, "a request with this Idempotency-Key is being processed; retry later")
}

// answerRepeat answers a request whose key is taken: 409 while the first runs, the
// stored response when the body matches, else 422.
func (s *Store) answerRepeat(c echo.Context, cur *record) error {
	if cur.State != stateDone {
		c.Response().Header().Set("Retry-After", "1")
		return problem.Conflict(CodeInProgress,
			"a request with this Idempotency-Key is still being processed; retry later")
	}
	req := c.Request()
	h := newRequestHash(req)
	if err := hashBody(h, req.Body); err != nil {
		return err // too large, or the client went away
	}
	if hex.EncodeToString(h.Sum(nil)) != cur.RequestHash {
		return problem.New(problem.KindInvalid, CodeKeyReused,
			"this Idempotency-Key was used for a different request; use a new key for a new request")
	}
	var headers map[string]string
	_ = json.Unmarshal([]byte(cur.Headers), &headers)
	hdr := c.Response().Header()
	for k, v := range headers {
		hdr.Set(k, v)
	}
	hdr.Set(HeaderReplayed, "true")
	c.Response().WriteHeader(cur.Status)
	if len(cur.Body) > 0 {
		_, err := c.Response().Write(cur.Body)
		return err
	}
	return nil
}

// release deletes an in-progress reservation so the key may be used again.
func (s *Store) release(ctx context.Context, id string) {
	if err := s.db.Gorm().WithContext(ctx).Where("id = ? AND state = ?", id, stateInProgress).
		Delete(&record{}).Error; err != nil {
		s.log.ErrorContext(ctx, "release idempotency key", "err", err)
	}
}

// maybePurge deletes expired records, at most once per purgeInterval per process.
func (s *Store) maybePurge(ctx context.Context) {
	now := s.now()
	last := s.lastPurge.Load()
	if now.UnixNano()-last < int64(purgeInterval) || !s.lastPurge.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if err := s.Purge(ctx); err != nil {
		s.log.WarnContext(ctx, "purge idempotency keys", "err", err)
	}
}

// Purge deletes the expired records.
func (s *Store) Purge(ctx context.Context) error {
	return s.db.Gorm().WithContext(ctx).Where("expires_at <= ?", s.now()).Delete(&record{}).Error
}

// recorder passes the response through and keeps a copy of the body. Before the
// first byte of the response it runs drain once (to finish hashing the request).
type recorder struct {
	http.ResponseWriter
	buf      bytes.Buffer
	drain    func() error
	drained  bool
	drainErr error
}

func (r *recorder) drainOnce() error {
	if !r.drained {
		r.drained = true
		r.drainErr = r.drain()
	}
	return r.drainErr
}

func (r *recorder) WriteHeader(code int) {
	_ = r.drainOnce()
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	_ = r.drainOnce()
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

// Flush keeps streaming responses working.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
