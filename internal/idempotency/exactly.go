package idempotency

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// errRollback ends the request's transaction without committing: the handler did
// not succeed, and nothing it wrote may stay.
var errRollback = errors.New("idempotency: handler failed; roll back")

// outcome is what the transaction decided.
type outcome struct {
	repeat *record // the key was taken: answer from this record
	status int
	stored bool
}

func (s *Store) handle(c echo.Context, next echo.HandlerFunc, user uuid.UUID, key string) error {
	req := c.Request()
	ctx := req.Context()
	s.maybePurge(context.WithoutCancel(ctx)) // before the transaction: SQLite has one writer
	path := req.URL.Path
	id := recordID(user, key, req.Method, path)
	if _, busy := s.inflight.LoadOrStore(id, struct{}{}); busy {
		return inProgress(c)
	}
	defer s.inflight.Delete(id)

	// The body is hashed while the handler reads it, and the rest of it before the
	// response is recorded (net/http may close the body once the answer starts).
	h := newRequestHash(req)
	body := req.Body
	if body != nil && body != http.NoBody {
		req.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(body, h), body}
	}
	res := c.Response()
	real := res.Writer
	rec := newRecorder(func() error {
		if req.Body == nil {
			return nil
		}
		_, err := io.Copy(io.Discard, req.Body)
		return err
	})
	defer func() {
		res.Writer = real
		c.SetRequest(req)
		if r := recover(); r != nil {
			// Nothing was sent or committed: let the panic's 500 be written.
			res.Committed, res.Status, res.Size = false, 0, 0
			panic(r)
		}
	}()

	var out outcome
	err := s.db.InTx(ctx, func(txctx context.Context) error {
		owned, existing, err := s.reserve(txctx, id, user, key, req.Method, path)
		if err != nil {
			return err
		}
		if !owned {
			out.repeat = existing
			return nil
		}
		// The handler's services join this transaction through the context, and
		// everything it writes goes to the recorder until the commit.
		c.SetRequest(req.WithContext(txctx))
		res.Writer = rec
		if herr := next(c); herr != nil {
			c.Error(herr) // render the error now, into the recorder
		}
		out.status = http.StatusOK // nothing written: net/http would send 200
		if res.Committed {
			out.status = res.Status
		}
		if rec.drainOnce() != nil || out.status >= 400 {
			return errRollback
		}
		if err := s.save(txctx, id, h, out.status, rec); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			s.beforeCommit()
		}
		out.stored = true
		return nil
	})
	res.Writer = real
	c.SetRequest(req)
	switch {
	case out.repeat != nil:
		return s.answerRepeat(c, out.repeat)
	case errors.Is(err, errRollback):
		// A final 4xx answer is kept for repeats, with its own reservation;
		// server errors and 429 leave the key free for a retry.
		if out.status < 500 && out.status != http.StatusTooManyRequests && rec.drainErr == nil {
			s.saveFailure(context.WithoutCancel(ctx), id, user, key, req.Method, path, h, out.status, rec)
		}
		return rec.flush(c)
	case err != nil:
		// Nothing was committed: the answer the handler made is void.
		res.Committed, res.Status, res.Size = false, 0, 0
		return err
	}
	return rec.flush(c)
}

// inProgress is the 409 of a repeat while the first request runs.
func inProgress(c echo.Context) error {
	c.Response().Header().Set("Retry-After", "1")
	return problem.Conflict(CodeInProgress, "a request with this Idempotency-Key is still being processed; retry later")
}

// reserve inserts an in-progress record for id in the transaction of ctx. owned is
// true when this request holds the key now; otherwise existing is the record found.
// A concurrent first request in another process holds the row until it commits; on
// PostgreSQL the insert waits for it a moment only, then answers 409.
func (s *Store) reserve(ctx context.Context, id string, user uuid.UUID, key, method, path string) (owned bool, existing *record, err error) {
	conn := s.db.Conn(ctx)
	pg := s.db.Dialect() == database.Postgres
	for attempt := 0; attempt < 3; attempt++ {
		now := s.now()
		row := record{
			ID: id, UserID: user, Key: key, Method: method, Path: path, State: stateInProgress,
			Headers: "{}", LockedUntil: now.Add(s.lease), CreatedAt: now, ExpiresAt: now.Add(s.retention),
		}
		if pg {
			if err := conn.Exec("SET LOCAL lock_timeout = '1s'").Error; err != nil {
				return false, nil, fmt.Errorf("reserve idempotency key: %w", err)
			}
		}
		res := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			var pe *pgconn.PgError
			if errors.As(res.Error, &pe) && pe.Code == "55P03" {
				return false, nil, problem.Conflict(CodeInProgress,
					"a request with this Idempotency-Key is still being processed; retry later").With("retry_after", 1)
			}
			return false, nil, fmt.Errorf("reserve idempotency key: %w", res.Error)
		}
		if pg {
			if err := conn.Exec("SET LOCAL lock_timeout TO DEFAULT").Error; err != nil {
				return false, nil, fmt.Errorf("reserve idempotency key: %w", err)
			}
		}
		if res.RowsAffected == 1 {
			return true, nil, nil
		}
		var cur record
		err := conn.Where("id = ?", id).Take(&cur).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // purged meanwhile: try again
		}
		if err != nil {
			return false, nil, fmt.Errorf("read idempotency key: %w", err)
		}
		switch {
		case !now.Before(cur.ExpiresAt):
			if err := conn.Where("id = ? AND expires_at = ?", id, cur.ExpiresAt).Delete(&record{}).Error; err != nil {
				return false, nil, fmt.Errorf("drop expired idempotency key: %w", err)
			}
			continue
		case cur.State == stateInProgress && !now.Before(cur.LockedUntil):
			// A reservation committed on its own by an older version that died
			// before answering: take it over.
			res := conn.Model(&record{}).
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

// save stores the handler's response in the record, in the transaction of ctx.
func (s *Store) save(ctx context.Context, id string, h hash.Hash, status int, rec *recorder) error {
	state, headers, body := stateDone, "{}", rec.buf.Bytes()
	if withheld(rec.header) {
		state, body = stateWithheld, nil
	} else {
		kept := map[string]string{}
		for _, name := range replayedHeaders {
			if v := rec.header.Get(name); v != "" {
				kept[name] = v
			}
		}
		b, _ := json.Marshal(kept)
		headers = string(b)
	}
	res := s.db.Conn(ctx).Model(&record{}).Where("id = ? AND state = ?", id, stateInProgress).
		Updates(map[string]any{
			"state": state, "request_hash": hex.EncodeToString(h.Sum(nil)),
			"status": status, "headers": headers, "body": body,
		})
	if res.Error != nil {
		return fmt.Errorf("store idempotent response: %w", res.Error)
	}
	return nil
}

// saveFailure keeps a 4xx answer, whose transaction was rolled back, for repeats.
// Best effort: without it a repeat runs again and gets the same answer.
func (s *Store) saveFailure(ctx context.Context, id string, user uuid.UUID, key, method, path string, h hash.Hash, status int, rec *recorder) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		owned, _, err := s.reserve(ctx, id, user, key, method, path)
		if err != nil || !owned {
			return err
		}
		return s.save(ctx, id, h, status, rec)
	})
	if err != nil {
		s.log.WarnContext(ctx, "store idempotent error response", "err", err)
	}
}

// withheld reports whether a response says it must not be kept (a secret in it).
func withheld(h http.Header) bool {
	return strings.Contains(strings.ToLower(h.Get(echo.HeaderCacheControl)), "no-store")
}

// answerRepeat answers a request whose key is taken: 409 while the first runs, the
// stored response when the body matches, else 422.
func (s *Store) answerRepeat(c echo.Context, cur *record) error {
	if cur.State == stateInProgress {
		return inProgress(c)
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
	if cur.State == stateWithheld {
		return problem.Conflict(CodeWithheld,
			"the request with this Idempotency-Key succeeded, but its answer held a secret that is never stored; look the result up instead").
			With("first_status", cur.Status)
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

// Purge deletes the expired records. A periodic job should call it (hourly); the
// middleware also does, at most once a minute, when keyed requests come in.
func (s *Store) Purge(ctx context.Context) error {
	return s.db.Conn(ctx).Where("expires_at <= ?", s.now()).Delete(&record{}).Error
}

// recorder keeps the whole response (status, headers, body) until the transaction
// has committed; nothing reaches the client before. Before the first byte it runs
// drain once (to finish hashing the request).
type recorder struct {
	header   http.Header
	status   int
	buf      bytes.Buffer
	drain    func() error
	drained  bool
	drainErr error
}

func newRecorder(drain func() error) *recorder {
	return &recorder{header: http.Header{}, drain: drain}
}

func (r *recorder) drainOnce() error {
	if !r.drained {
		r.drained = true
		r.drainErr = r.drain()
	}
	return r.drainErr
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	_ = r.drainOnce()
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	_ = r.drainOnce()
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// flush sends the recorded response.
func (r *recorder) flush(c echo.Context) error {
	w := c.Response().Writer
	for k, v := range r.header {
		w.Header()[k] = v
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.buf.Len() > 0 {
		_, err := w.Write(r.buf.Bytes())
		return err
	}
	return nil
}
