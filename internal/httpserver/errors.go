package httpserver

import (
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

// errorHandler renders every failure as problem+json: problems from the domain,
// Echo's own errors (unknown route, wrong method, body too large) and anything else,
// which becomes a 500 whose cause goes to the log and never to the client.
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
		p := toProblem(err)
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
		if p.Status == http.StatusTooManyRequests || p.Status == http.StatusServiceUnavailable || p.Status == http.StatusInsufficientStorage {
			if s, ok := p.Extra["retry_after"].(int); ok {
				c.Response().Header().Set("Retry-After", strconv.Itoa(s))
			}
		}
		if err := WriteProblem(c, p); err != nil {
			logger.WarnContext(c.Request().Context(), "write error response", "err", err)
		}
	}
}

// WriteProblem sends p as application/problem+json (no body for HEAD).
func WriteProblem(c echo.Context, p *problem.Problem) error {
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	c.Response().Header().Set(echo.HeaderContentType, ContentTypeProblem)
	c.Response().WriteHeader(p.Status)
	return writeJSON(c.Response(), p)
}

func toProblem(err error) *problem.Problem {
	var p *problem.Problem
	if errors.As(err, &p) {
		if p.Status == http.StatusInternalServerError {
			if f := database.Classify(p.Unwrap()); f != database.FaultNone {
				return unavailable(p.Unwrap(), f)
			}
		}
		return p
	}
	if f := database.Classify(err); f != database.FaultNone {
		return unavailable(err, f)
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
		return problem.New(he.Code, problem.CodeNotFound, "no such resource or route")
	case http.StatusMethodNotAllowed:
		return problem.New(he.Code, problem.CodeMethodNotAllowed, "this method is not allowed on this resource")
	case http.StatusRequestEntityTooLarge:
		return problem.New(he.Code, problem.CodeTooLarge, "the request body is larger than the server accepts")
	case http.StatusUnsupportedMediaType:
		return problem.New(he.Code, problem.CodeUnsupportedMedia, detail)
	case http.StatusUnauthorized:
		return problem.Unauthorized(detail)
	case http.StatusForbidden:
		return problem.Forbidden(detail)
	case http.StatusBadRequest:
		return problem.BadRequest(detail)
	case http.StatusTooManyRequests:
		return problem.New(he.Code, problem.CodeRateLimited, detail)
	case http.StatusServiceUnavailable:
		return problem.New(he.Code, problem.CodeUnavailable, detail)
	}
	if he.Code >= 500 {
		return problem.Internal(he)
	}
	return problem.New(he.Code, "http_"+strconv.Itoa(he.Code), detail)
}
