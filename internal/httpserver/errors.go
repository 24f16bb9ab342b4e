package httpserver

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// ContentTypeProblem is the media type of every error response.
const ContentTypeProblem = "application/problem+json"

// statusOf is the one place where a business failure becomes an HTTP status.
var statusOf = [...]int{
	problem.KindBadRequest:           http.StatusBadRequest,
	problem.KindUnauthenticated:      http.StatusUnauthorized,
	problem.KindForbidden:            http.StatusForbidden,
	problem.KindNotFound:             http.StatusNotFound,
	problem.KindConflict:             http.StatusConflict,
	problem.KindPreconditionFailed:   http.StatusPreconditionFailed,
	problem.KindInvalid:              http.StatusUnprocessableEntity,
	problem.KindTooLarge:             http.StatusRequestEntityTooLarge,
	problem.KindUnsupportedMedia:     http.StatusUnsupportedMediaType,
	problem.KindRateLimited:          http.StatusTooManyRequests,
	problem.KindUnavailable:          http.StatusServiceUnavailable,
	problem.KindInternal:             http.StatusInternalServerError,
	problem.KindInsufficientStorage:  http.StatusInsufficientStorage,
	problem.KindPreconditionRequired: http.StatusPreconditionRequired,
}

// KindStatus is the HTTP status of a kind of failure (500 for one without a status).
func KindStatus(k problem.Kind) int {
	if int(k) < len(statusOf) && statusOf[k] != 0 {
		return statusOf[k]
	}
	return http.StatusInternalServerError
}

// StatusOf is the HTTP status a client gets for err: 200 for nil.
func StatusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return Render(err).Status
}

// Render turns any error into the problem sent to the client, with its status and
// title filled in: problems from the domain, Echo's own errors (unknown route, wrong
// method, body too large), a request that ran out of time, and anything else, which
// becomes an internal error. The domain's problem is copied, never changed.
func Render(err error) *problem.Problem {
	var p *problem.Problem
	if errors.As(err, &p) {
		if p.Kind == problem.KindInternal || p.Kind == 0 {
			// An internal error caused by a database that cannot serve is an outage
			// of the moment, not a bug: 503.
			if f := database.Classify(p.Unwrap()); f != database.FaultNone {
				return Render(unavailable(p.Unwrap(), f))
			}
		}
		cp := *p
		p = &cp
	} else {
		p = fromOther(err)
	}
	if p.Status == 0 {
		p.Status = KindStatus(p.Kind)
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	return p
}

// errorHandler renders every failure as problem+json; an internal error's cause goes
// to the log and never to the client. A database that cannot serve answers 503 with
// Retry-After, logged once per burst and reported to onFault (the readiness probe).
func errorHandler(logger *slog.Logger, onFault func(error) bool) echo.HTTPErrorHandler {
	bursts := &burstLog{quiet: 10 * time.Second}
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if clientGone(c, err) {
			// Nobody reads the answer: record it for the access log and metrics only.
			c.Response().Status = StatusClientClosed
			return
		}
		p := Render(err)
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		if p.Instance == "" {
			p.Instance = c.Request().URL.Path
		}
		attrs := []any{"code", p.Code, "method", c.Request().Method, "path", c.Request().URL.Path, "request_id", p.RequestID}
		switch {
		case p.Status == http.StatusServiceUnavailable && database.IsUnavailable(p):
			if onFault != nil {
				onFault(p)
			}
			bursts.log(c.Request().Context(), logger, p, attrs...)
		case p.Status >= 500 && p.Status != http.StatusServiceUnavailable:
			logger.ErrorContext(c.Request().Context(), "request failed",
				append(attrs, "err", errors.Unwrap(p), "status", p.Status)...)
		}
		if p.Kind == problem.KindRateLimited || p.Kind == problem.KindUnavailable || p.Kind == problem.KindInsufficientStorage {
			if s, ok := p.Extra["retry_after"].(int); ok {
				c.Response().Header().Set("Retry-After", strconv.Itoa(s))
			}
		}
		if err := WriteProblem(c, p); err != nil {
			logger.WarnContext(c.Request().Context(), "write error response", "err", err)
		}
	}
}

// WriteProblem sends p as application/problem+json (no body for HEAD), in the
// language of the request's Accept-Language.
func WriteProblem(c echo.Context, p *problem.Problem) error {
	if p.Status == 0 || p.Title == "" {
		p = Render(p)
	}
	p = localize(c, p)
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	c.Response().Header().Set(echo.HeaderContentType, ContentTypeProblem)
	c.Response().WriteHeader(p.Status)
	return writeJSON(c.Response(), p)
}

func fromOther(err error) *problem.Problem {
	if f := database.Classify(err); f != database.FaultNone {
		return unavailable(err, f)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem.Unavailable("the request took too long")
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fromEcho(he)
	}
	return problem.Internal(err)
}

// fromEcho maps Echo's errors onto problems with stable codes.
func fromEcho(he *echo.HTTPError) *problem.Problem {
	detail := http.StatusText(he.Code)
	if m, ok := he.Message.(string); ok && m != "" {
		detail = m
	}
	switch he.Code {
	case http.StatusNotFound:
		return problem.New(problem.KindNotFound, problem.CodeNotFound, "no such resource or route")
	case http.StatusRequestEntityTooLarge:
		return problem.TooLarge("the request body is larger than the server accepts")
	case http.StatusUnsupportedMediaType:
		return problem.UnsupportedMedia(detail)
	case http.StatusUnauthorized:
		return problem.Unauthorized(detail)
	case http.StatusForbidden:
		return problem.Forbidden(detail)
	case http.StatusBadRequest:
		return problem.BadRequest(detail)
	case http.StatusTooManyRequests:
		return problem.New(problem.KindRateLimited, problem.CodeRateLimited, detail)
	case http.StatusServiceUnavailable:
		return problem.Unavailable(detail)
	}
	if he.Code >= 500 {
		return problem.Internal(he)
	}
	// A transport status with no business kind (405, 406, ...): only the edge sets
	// Status itself.
	code := "http_" + strconv.Itoa(he.Code)
	if he.Code == http.StatusMethodNotAllowed {
		code, detail = problem.CodeMethodNotAllowed, "this method is not allowed on this resource"
	}
	p := problem.New(problem.KindBadRequest, code, detail)
	p.Status = he.Code
	return p
}
