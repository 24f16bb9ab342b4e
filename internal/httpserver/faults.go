package httpserver

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// StatusClientClosed is nginx's 499: the client went away before the answer was
// ready. Nothing is sent (nobody listens); the access log and the metrics record it
// so that load tests ending their connections do not show up as server errors.
const StatusClientClosed = 499

// CodeClientClosed is the problem code recorded for StatusClientClosed.
const CodeClientClosed = "client_closed_request"

// RetryAfterUnavailable is the Retry-After of a 503 for a database fault.
const RetryAfterUnavailable = 2

// unavailable is the 503 of a database that cannot serve; the cause is logged.
func unavailable(err error, f database.Fault) *problem.Problem {
	detail := "the service is temporarily unavailable; retry in a few seconds"
	switch f {
	case database.FaultTimeout:
		detail = "the request took too long; retry in a few seconds"
	case database.FaultBusy:
		detail = "the server is too busy right now; retry in a few seconds"
	}
	return problem.New(problem.KindUnavailable, problem.CodeUnavailable, detail).
		With("retry_after", RetryAfterUnavailable).Wrap(err)
}

// clientGone reports whether the request ended because its client disconnected.
func clientGone(c echo.Context, err error) bool {
	return errors.Is(c.Request().Context().Err(), context.Canceled) &&
		(errors.Is(err, context.Canceled) || database.IsUnavailable(err) || errors.As(err, new(*problem.Problem)))
}

// burstLog logs database faults once per burst: the first at ERROR, then nothing
// until quiet has passed without one, when the next is logged with the count of
// those left out. A database that is down for a minute under load gives a handful
// of lines, not one per request.
type burstLog struct {
	mu         sync.Mutex
	quiet      time.Duration
	last       time.Time // the last fault seen
	suppressed int
}

func (b *burstLog) log(ctx context.Context, logger *slog.Logger, p *problem.Problem, attrs ...any) {
	now := time.Now()
	b.mu.Lock()
	inBurst := !b.last.IsZero() && now.Sub(b.last) < b.quiet
	b.last = now
	if inBurst {
		b.suppressed++
		b.mu.Unlock()
		return
	}
	n := b.suppressed
	b.suppressed = 0
	b.mu.Unlock()
	attrs = append(attrs, "err", errors.Unwrap(p), "status", p.Status, "fault", string(database.Classify(p)))
	if n > 0 {
		attrs = append(attrs, "suppressed_since_last", n)
	}
	logger.ErrorContext(ctx, "database unavailable; answering 503 (further failures in this burst are not logged)", attrs...)
}
