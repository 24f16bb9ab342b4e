package httpserver

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/duban/duban/internal/problem"
)

// MaxRequestIDLength bounds a caller's X-Request-ID: it is echoed, logged and
// stored with audit events.
const MaxRequestIDLength = 64

// validRequestID accepts what request ids look like (UUIDs, ULIDs, trace ids):
// letters, digits and . _ : - only, at most MaxRequestIDLength.
func validRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// requestID gives each request a time-ordered id, or keeps a well-formed one the
// caller sent (anything else is replaced, never reflected), and echoes it in
// X-Request-ID.
func requestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !validRequestID(id) {
				id = uuid.Must(uuid.NewV7()).String()
				c.Request().Header.Set(echo.HeaderXRequestID, id)
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			c.Set("request_id", id)
			return next(c)
		}
	}
}

// cleanInput refuses API requests whose query or path carries a NUL character or
// bytes that are not UTF-8: PostgreSQL cannot store or compare either, and they
// have no business in a search word or a tag. JSON bodies are checked by Bind.
func cleanInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if !strings.HasPrefix(req.URL.Path, APIPrefix) {
			return next(c)
		}
		if bad := badText(req.URL.Path); bad != "" {
			return problem.BadRequest("the path " + bad)
		}
		if req.URL.RawQuery != "" {
			q, err := url.ParseQuery(req.URL.RawQuery)
			if err != nil {
				return problem.BadRequest("the query string is malformed")
			}
			for name, vals := range q {
				if bad := badText(name); bad != "" {
					return problem.BadRequest("a query parameter name " + bad)
				}
				for _, v := range vals {
					if bad := badText(v); bad != "" {
						return problem.BadRequest("the query parameter " + name + " " + bad)
					}
				}
			}
		}
		return next(c)
	}
}

// badText says what is wrong with s for the database ("" when nothing).
func badText(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL character"
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	}
	return ""
}

// deadline bounds an API request: its context is cancelled after d, the database
// work in it fails and the request is answered 503. File transfers (skipped) keep
// the server's read and write timeouts only.
func deadline(d time.Duration, skip middleware.Skipper) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if d <= 0 || !strings.HasPrefix(req.URL.Path, APIPrefix) || (skip != nil && skip(c)) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(req.Context(), d)
			// The error (or panic) is rendered outside: with the request as it
			// came, whose context ends only when the client goes away.
			defer func() { cancel(); c.SetRequest(req) }()
			c.SetRequest(req.WithContext(ctx))
			return next(c)
		}
	}
}

// metricsGuard requires "Authorization: Bearer <token>" on /metrics when a token
// is configured.
func metricsGuard(token string, h echo.HandlerFunc) echo.HandlerFunc {
	if token == "" {
		return h
	}
	return func(c echo.Context) error {
		got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="duban-metrics"`)
			return problem.Unauthorized("/metrics needs the metrics token (DUBAN_METRICS_TOKEN)")
		}
		return h(c)
	}
}

// metricsHandler is the separate listener's handler when /metrics has an address
// of its own.
func metricsHandler(token string, h http.Handler) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/metrics", metricsGuard(token, echo.WrapHandler(h)))
	return e
}

// serveMetrics starts the /metrics listener of MetricsAddr; stop closes it.
func (s *Server) serveMetrics() (stop func(), err error) {
	ln, err := net.Listen("tcp", s.metricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w", s.metricsAddr, err)
	}
	srv := &http.Server{Handler: s.metrics, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	s.log.Info("metrics listening", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

// MetricsHandler is the handler of the separate metrics listener (nil when
// /metrics is served with the API); tests call it directly.
func (s *Server) MetricsHandler() http.Handler { return s.metrics }

// warnBroadProxies logs a warning for each trusted proxy range wider than a /24
// (IPv4) or a /64 (IPv6): every client inside a trusted range can write
// X-Forwarded-For and pose as any address (dodging the per-address limits,
// forging the addresses of the security log). Only the proxy's own address
// should be trusted.
func warnBroadProxies(logger *slog.Logger, trusted []string) int {
	n := 0
	for _, cidr := range trusted {
		_, ipnet, err := net.ParseCIDR(strings.TrimSpace(cidr))
		if err != nil {
			continue
		}
		ones, bits := ipnet.Mask.Size()
		if (bits == 32 && ones < 24) || (bits == 128 && ones < 64) {
			logger.Warn("DUBAN_TRUSTED_PROXIES trusts a whole network: any client in it can forge X-Forwarded-For; list only the proxy's own address (e.g. 172.18.0.5/32)",
				"range", ipnet.String())
			n++
		}
	}
	return n
}
