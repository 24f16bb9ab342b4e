// Package idempotency makes a POST that carries an Idempotency-Key safe to retry:
// the first request with a key runs, its response is stored, and a repeat within the
// retention period (24 h) gets the stored response again, marked with the header
// Idempotent-Replayed: true, without running the handler a second time.
//
// A key belongs to one user and one method and path: the record's id is the hash of
// (user id, key, method, path). While the first request is still running, a repeat
// answers 409 idempotency_in_progress; a repeat whose body (or query) differs from
// the first answers 422 idempotency_key_reused. Server errors (5xx) and 429 are not
// stored: the key stays free so that the client may retry it. Expired records are
// deleted lazily, at most once a minute per process, and by Purge.
//
// Exactly once, even across a crash: the key is reserved, the handler runs and its
// response is stored in one database transaction, the one the handler's services
// join (database.InTx), and the response is sent only after that transaction
// commits. A process that dies before the commit leaves nothing behind (neither the
// handler's writes nor the key), so the retry runs the request once; one that dies
// after it leaves the stored response, which the retry gets. A handler's 4xx
// answer rolls its writes back like any failed service call and is stored on its
// own afterwards.
//
// Responses that carry a secret (Cache-Control: no-store, e.g. a new API token) are
// never stored: the record keeps only that the request succeeded, and a repeat
// answers 409 idempotency_response_withheld instead of running again.
package idempotency

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

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
	// CodeWithheld: the first request with this key succeeded, but its response
	// carried a secret, which is never stored (409).
	CodeWithheld = "idempotency_response_withheld"
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
	// stateWithheld: done, but the response carried a secret and is not kept.
	stateWithheld = "withheld"
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
	// inflight holds the record ids this process is running now, so that a
	// concurrent repeat is answered at once instead of waiting for the database.
	inflight sync.Map
	// beforeCommit, set by tests, runs after the handler, before the commit: a
	// panic there stands for the process dying at that moment.
	beforeCommit func()
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
