// Package httpserver is Duban's HTTP edge: the Echo instance, its middleware, the
// problem+json error handler, body binding and validation, service endpoints
// (health, readiness, metrics, API documents) and graceful shutdown.
//
// Only this package and the handler files of the domain packages import Echo; moving
// to another Echo major version touches this layer only.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/duban/duban/internal/problem"
)

// Options configure the server.
type Options struct {
	Logger      *slog.Logger
	BodyLimit   string
	CORSOrigins []string
	// TrustedProxies are CIDR ranges whose X-Forwarded-For is believed.
	TrustedProxies []string
	// Ready answers whether the server can take traffic (database reachable,
	// migrations applied); nil means always.
	Ready func(ctx context.Context) error
	// Registry collects the metrics served at /metrics.
	Registry *prometheus.Registry
	// OpenAPIJSON and OpenAPIYAML are the published documents.
	OpenAPIJSON, OpenAPIYAML []byte
	// SPA is the built single-page app; nil when the binary was built without it.
	SPA fs.FS
	// BodyLimitSkipper lets upload routes apply their own, larger limit.
	BodyLimitSkipper middleware.Skipper
	// RequestTimeout is the deadline of API requests except those Transfers
	// names (uploads and downloads); zero means none.
	RequestTimeout time.Duration
	Transfers      middleware.Skipper
	// HSTSMaxAge is sent as Strict-Transport-Security on requests that came over
	// TLS; zero sends none.
	HSTSMaxAge time.Duration
	// MetricsToken, when set, is required as the bearer token of /metrics.
	// MetricsAddr, when set, moves /metrics to a listener of its own.
	MetricsToken, MetricsAddr string
	// OnFault hears of every database fault answered 503 (readiness uses it).
	OnFault func(error) bool
}

// Server is the Echo instance plus the group under which /api/v1 routes are mounted.
type Server struct {
	Echo *echo.Echo
	API  *echo.Group
	log  *slog.Logger
	// metrics is /metrics on a listener of its own (MetricsAddr), or nil.
	metrics     http.Handler
	metricsAddr string
}

// APIPrefix is the base path of the versioned API.
const APIPrefix = "/api/v1"

// New builds the server with every middleware and the service endpoints.
func New(opts Options) *Server {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(logger, opts.OnFault)
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	warnBroadProxies(logger, opts.TrustedProxies)

	m := newMetrics(reg)
	e.Use(requestID())
	e.Use(requestMeta())
	e.Use(accessLog(logger))
	e.Use(recoverPanics(logger))
	e.Use(m.middleware())
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ReferrerPolicy:        "strict-origin-when-cross-origin",
		HSTSMaxAge:            int(opts.HSTSMaxAge / time.Second),
		HSTSExcludeSubdomains: true,
		ContentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
	}))
	if len(opts.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: opts.CORSOrigins,
			AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
			AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "Idempotency-Key", "Accept-Language", echo.HeaderXRequestID, echo.HeaderXRequestedWith},
			// The SPA of another origin refreshes with the session cookie (auth).
			AllowCredentials: true,
			ExposeHeaders:    []string{echo.HeaderXRequestID, "ETag", "Location", "Retry-After", echo.HeaderContentDisposition, "Idempotent-Replayed"},
			MaxAge:           600,
		}))
	}
	limit := opts.BodyLimit
	if limit == "" {
		limit = "2M"
	}
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: limit, Skipper: opts.BodyLimitSkipper}))
	e.Use(cleanInput, deadline(opts.RequestTimeout, opts.Transfers))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{
		Level: 5,
		Skipper: func(c echo.Context) bool {
			return c.Path() == "/metrics" || c.Request().Header.Get(echo.HeaderAccept) == "text/event-stream"
		},
	}))

	s := &Server{Echo: e, log: logger, metricsAddr: opts.MetricsAddr}
	// Load balancers probe with HEAD as often as with GET.
	e.Match([]string{http.MethodGet, http.MethodHead}, "/healthz", s.healthz)
	e.Match([]string{http.MethodGet, http.MethodHead}, "/readyz", s.readyz(opts.Ready))
	prom := promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	if opts.MetricsAddr != "" {
		s.metrics = metricsHandler(opts.MetricsToken, prom)
	} else {
		e.GET("/metrics", metricsGuard(opts.MetricsToken, echo.WrapHandler(prom)))
	}
	s.API = e.Group(APIPrefix)
	mountDocs(e, opts.OpenAPIJSON, opts.OpenAPIYAML)
	if opts.SPA != nil {
		mountSPA(e, opts.SPA)
	}
	return s
}

// ipExtractor takes the client address from the connection, or from X-Forwarded-For
// when the request came through one of the trusted proxies. Ranges are validated by
// the config package; a bad one here is skipped.
func ipExtractor(trusted []string) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		if _, n, err := net.ParseCIDR(strings.TrimSpace(cidr)); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// StandardCollectors registers the Go runtime and process collectors.
func StandardCollectors(reg *prometheus.Registry) {
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Status is the body of the health endpoints.
type Status struct {
	Status string `json:"status" example:"ok"`
} // @name Status

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Status{Status: "ok"})
}

func (s *Server) readyz(ready func(context.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ready != nil {
			ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
			defer cancel()
			if err := ready(ctx); err != nil {
				s.log.WarnContext(ctx, "not ready", "err", err)
				return problem.Unavailable("not ready: " + err.Error())
			}
		}
		return c.JSON(http.StatusOK, Status{Status: "ready"})
	}
}

// Serve listens on addr until ctx is cancelled, then stops taking connections and
// lets in-flight requests finish for at most grace. started, when not nil, receives
// the bound address once the listener is open.
func (s *Server) Serve(ctx context.Context, addr string, grace time.Duration, started func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if started != nil {
		started(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if s.metrics != nil {
		stop, err := s.serveMetrics()
		if err != nil {
			_ = srv.Close()
			return err
		}
		defer stop()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down; waiting for in-flight requests", "grace", grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
