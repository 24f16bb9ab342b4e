// Package app wires Duban together: configuration, database, migrations, the domain
// services and the HTTP server. cmd/duban and the HTTP tests both build the product
// through it, so the tests exercise exactly what runs in production.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/duban/duban/api"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/bulletins"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/delegation"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/handover"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/idempotency"
	"github.com/duban/duban/internal/integrity"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/ledger"
	"github.com/duban/duban/internal/methods"
	"github.com/duban/duban/internal/migrations"
	"github.com/duban/duban/internal/notifications"
	"github.com/duban/duban/internal/officecontact"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/orgsync"
	"github.com/duban/duban/internal/reminders"
	"github.com/duban/duban/internal/sso"
	"github.com/duban/duban/internal/stats"
	"github.com/duban/duban/internal/svcaccounts"
	"github.com/duban/duban/internal/todo"
	"github.com/duban/duban/internal/urges"
	"github.com/duban/duban/internal/users"
	"github.com/duban/duban/internal/verification"
	"github.com/duban/duban/internal/warnings"
	"github.com/duban/duban/internal/webui"
)

// App is one running Duban: its database and its HTTP server.
type App struct {
	Config config.Config
	Log    *slog.Logger
	DB     *database.DB
	Server *httpserver.Server
	// Items is the items service, shared by the follow-up packages (and tests).
	Items *items.Service
	// Auth authenticates requests (and caches principals: auth/principals.go).
	Auth *auth.Service
	// Bus is where subscribers register for domain events; Dispatcher hands the
	// committed events of the outbox to them (internal/events).
	Bus        *events.Bus
	Dispatcher *events.Dispatcher
	// Hub carries PostgreSQL notifications between processes (nil on SQLite).
	Hub *database.Hub
	// Jobs is the background half: events, jobs and periodic jobs (workers.go).
	Jobs *Workers
	// outbox takes the domain events of changes made outside the items door.
	outbox *events.Outbox
	// Notifications tells people (in-app, live, e-mail): notify.go.
	Notifications *notifications.Service
	// background runs beside the HTTP server for as long as Run does.
	background []func(context.Context)
	// Bulletins is the bulletins service: its Published hook is where publishing
	// notifies the scope's units.
	Bulletins *bulletins.Service
	// Stats is the statistics service (its rollup: tests and the benchmark rebuild it).
	Stats *stats.Service
	// Maintenance lists the cleanups a periodic job should run (hardening.go).
	Maintenance []Maintenance
	// Reminders sends the automatic reminders (reminders.go).
	Reminders *reminders.Service
	// OfficeContact holds the supervision office's contact of each scope.
	OfficeContact *officecontact.Service
}

// OpenDatabase opens the configured database (PostgreSQL or the SQLite file in the
// data directory) without migrating it.
func OpenDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (*database.DB, error) {
	db, err := database.Open(ctx, database.Options{
		URL:              cfg.DatabaseURL,
		SQLitePath:       filepath.Join(cfg.DataDir, "duban.db"),
		Logger:           logger,
		ConnectTimeout:   cfg.DBConnectTimeout,
		StatementTimeout: cfg.DBStatementTimeout,
	})
	if err != nil {
		return nil, err
	}
	db.ShedWrites(cfg.SQLiteWriteWait, cfg.SQLiteWriteQueue)
	if err := useChainKey(cfg, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate applies pending migrations, then seals the audit trails with the
// chain key (integrity.Seal) if that has not happened yet.
func Migrate(ctx context.Context, db *database.DB) error {
	if err := migrations.Run(ctx, db.Gorm()); err != nil {
		return err
	}
	if len(audit.ChainKeyOf(db)) == 0 {
		return nil // opened without the application's configuration (tests)
	}
	return integrity.Seal(ctx, db)
}

// New opens and migrates the database and builds the server. A failed migration stops
// here and leaves the database as it was.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	// Before touching the database: a start that cannot serve must not migrate.
	if cfg.UsesPostgres() && cfg.JWTSecret == "" {
		return nil, errJWTSecretRequired
	}
	db, err := OpenDatabase(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	a, err := Build(ctx, cfg, db, logger)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

// Build wires the services and routes on an open, migrated database.
func Build(ctx context.Context, cfg config.Config, db *database.DB, logger *slog.Logger) (*App, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		return nil, errors.New("configuration not validated: no time zone")
	}
	reg := prometheus.NewRegistry()
	httpserver.StandardCollectors(reg)
	sqlDB, err := db.Gorm().DB()
	if err != nil {
		return nil, fmt.Errorf("database handle: %w", err)
	}
	reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, "duban"))

	srv := httpserver.New(httpserver.Options{
		Logger:         logger,
		BodyLimit:      cfg.BodyLimit,
		CORSOrigins:    cfg.CORSOrigins,
		TrustedProxies: cfg.TrustedProxies,
		Registry:       reg,
		OpenAPIJSON:    api.OpenAPIJSON,
		OpenAPIYAML:    api.OpenAPIYAML,
		SPA:            webui.FS(),
		// Uploads carry files, not JSON: they are limited by DUBAN_UPLOAD_LIMIT instead
		// (imports by ledger.MaxFileBytes).
		BodyLimitSkipper: func(c echo.Context) bool {
			path := c.Request().URL.Path
			return c.Request().Method == http.MethodPost && (path == attachments.UploadPath || path == ledger.ImportPath || path == orgsync.ImportPath)
		},
		RequestTimeout: cfg.RequestTimeout,
		Transfers:      isFileTransfer,
		HSTSMaxAge:     cfg.HSTSMaxAge,
		MetricsToken:   cfg.MetricsToken,
		MetricsAddr:    cfg.MetricsAddr,
		OnFault:        db.NoteFault,
		Ready: func(ctx context.Context) error {
			if err := db.Ping(ctx); err != nil {
				return fmt.Errorf("database unreachable: %w", err)
			}
			if err := db.RecentFault(readyFaultWindow); err != nil {
				return err
			}
			ok, err := migrations.Applied(ctx, db.Gorm())
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("migrations not applied")
			}
			return nil
		},
	})
	a := &App{Config: cfg, Log: logger, DB: db, Server: srv}
	if ok, err := migrations.Applied(ctx, db.Gorm()); err == nil && ok {
		if err := sealChains(ctx, cfg, db); err != nil {
			return nil, err
		}
	}
	if err := a.routes(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// routes builds the domain services and mounts their handlers under /api/v1.
func (a *App) routes(ctx context.Context) error {
	secret, previous, err := jwtKeys(a.Config, a.Config.UsesPostgres() || a.DB.Dialect() == database.Postgres)
	if err != nil {
		return err
	}
	// Every change emits its domain events into the outbox in its own
	// transaction; the dispatcher is woken after the commit.
	outbox := events.NewOutbox(a.DB, a.Config.Clock)
	a.outbox = outbox
	a.Bus = events.NewBus()
	a.Dispatcher = events.NewDispatcher(a.DB, a.Bus, a.Config.Clock, a.Log)
	outbox.OnCommit(a.Dispatcher.Wake)
	a.Hub = a.DB.NewHub(a.Log)
	a.Jobs = newWorkers(a)
	auditLog := audit.New(a.DB)
	auditLog.UseClock(a.Config.Clock)
	auditLog.UseOutbox(outbox)
	users.SetHashCost(users.HashCost{Time: uint32(a.Config.PasswordHashTime), MemoryKiB: a.Config.PasswordHashKiB})
	if a.Config.BootstrapAdminPassword != "" {
		if err := users.Bootstrap(ctx, a.DB, auditLog, a.Config.BootstrapAdminPassword); err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
	}
	authSvc := auth.NewService(a.DB, auditLog, auth.Config{
		Secret:              secret,
		Issuer:              "duban",
		Audience:            "duban-api",
		AccessTTL:           a.Config.AccessTokenTTL,
		RefreshTTL:          a.Config.RefreshTokenTTL,
		SessionMaxAge:       a.Config.SessionMaxAge,
		MaxConcurrentHashes: a.Config.PasswordHashConcurrency,
		MaxAPITokenTTL:      a.Config.APITokenMaxTTL,
		Clock:               a.Config.Clock,
		CookieSecureAlways:  a.Config.CookieSecure == "always",
		TrustedOrigins:      a.Config.CORSOrigins,

		// Keys still accepted while one is rotated out (DUBAN_JWT_PREVIOUS_SECRETS).
		PreviousSecrets: previous,
	})
	// A change to people or the organisation drops the cached principals of every
	// process (auth/principals.go).
	auditLog.OnPeopleChange(authSvc.PeopleChanged)
	a.Auth = authSvc
	if a.Hub != nil {
		a.background = append(a.background, authSvc.ListenForPeopleChanges(a.Hub))
	}
	public := httpserver.NewRouter(a.Server.API)
	byUser := a.rateLimits()
	idem := idempotency.New(a.DB, idempotency.Options{Logger: a.Log, Now: a.Config.Clock.Now})
	a.maintain("idempotency keys", time.Hour, idem.Purge)
	a.maintain("sessions and login throttle", time.Hour, authSvc.Prune)
	authed := httpserver.NewRouter(a.Server.API, authSvc.Authenticate, byUser, idem.Middleware)
	auth.Mount(public, authed, authSvc)
	// Single sign-on (OIDC, LDAP) and the password-login switch.
	ssoSvc, err := sso.New(a.DB, auditLog, authSvc, a.Config.SSO, a.Config.Clock, a.Log)
	if err != nil {
		return fmt.Errorf("single sign-on: %w", err)
	}
	sso.Mount(public, ssoSvc)
	orgSvc := org.NewService(a.DB, auditLog)
	org.Mount(authed, orgSvc)
	usersSvc := users.NewService(a.DB, auditLog)
	users.Mount(authed, usersSvc)
	// Identities for integrators (issue 15): service accounts and every token.
	svcaccounts.Mount(authed, svcaccounts.New(a.DB, auditLog, authSvc), authSvc)
	// 代理: a leader or head hands their decisions to a deputy for a period.
	delegation.Mount(authed, delegation.NewService(a.DB, auditLog, a.Config.Clock))
	// One calendar service for every user of it: its snapshot cache is dropped on edit.
	calendarSvc := calendar.NewService(a.DB, a.Config.Location, a.Config.Clock)
	calendarSvc.UseAudit(auditLog)
	calendar.Mount(authed, calendarSvc)
	orgSvc.AddInUseCheck(items.InUseCheck(a.DB))
	itemsSvc := items.NewService(a.DB, calendarSvc, auditLog)
	itemsSvc.UseOutbox(outbox)
	a.Items = itemsSvc
	items.Mount(authed, itemsSvc)
	// A person deactivated or moved hands their posts over (through the items door).
	handoverSvc := handover.New(a.DB, itemsSvc, auditLog, a.Config.Clock)
	usersSvc.UseHandoff(handoverSvc.Handoff)
	handover.Mount(authed, handoverSvc)
	// Warning-light thresholds (admin settings); the items derive their lights with them.
	warningsSvc := warnings.NewService(a.DB, auditLog)
	warnings.Mount(authed, warningsSvc)
	itemsSvc.UseWarnings(warningsSvc)
	uploadLimit, err := config.ParseSize(a.Config.UploadLimit)
	if err != nil {
		return fmt.Errorf("DUBAN_UPLOAD_LIMIT: %w", err)
	}
	files, err := NewStorage(ctx, a.Config)
	if err != nil {
		return err
	}
	// The org import (Excel) and the directory sync.
	orgSync, err := orgsync.NewService(a.DB, auditLog, a.Config.Clock, a.Config.SSO)
	if err != nil {
		return fmt.Errorf("org sync: %w", err)
	}
	orgSync.UseHandoff(handoverSvc.Handoff)
	orgsync.Mount(authed, orgSync, uploadLimit)
	attachmentsSvc := attachments.NewService(a.DB, files, itemsSvc, uploadLimit)
	itemsSvc.UseFiles(attachmentsSvc)
	a.hardenAttachments(attachmentsSvc, itemsSvc)
	attachments.Mount(authed, attachmentsSvc)
	completion.Mount(authed, completion.NewService(a.DB, itemsSvc, attachmentsSvc))
	verification.Mount(authed, verification.NewService(a.DB, itemsSvc, attachmentsSvc))
	methods.Mount(authed, methods.NewService(a.DB, itemsSvc, attachmentsSvc))
	extensions.Mount(authed, extensions.NewService(a.DB, itemsSvc))
	feedbackSvc := feedback.NewService(a.DB, itemsSvc, attachmentsSvc, calendarSvc)
	feedback.Mount(authed, feedbackSvc)
	// Rows from before migration 0009 get their next feedback due date once (on a
	// migrated database: an unmigrated one only answers not ready).
	if ok, err := migrations.Applied(ctx, a.DB.Gorm()); err == nil && ok {
		if err := feedbackSvc.Backfill(ctx); err != nil {
			return err
		}
	}
	urgesSvc := urges.NewService(a.DB, itemsSvc)
	urges.Mount(authed, urgesSvc)
	comments.Mount(authed, comments.NewService(a.DB, itemsSvc, attachmentsSvc))
	// What waits for the caller; also who must act now, for notifications.
	todoSvc := todo.NewService(a.DB, itemsSvc, feedbackSvc, calendarSvc, warningsSvc)
	todo.Mount(authed, todoSvc)
	// Automatic reminders and escalation: a daily sweep, urges of kind auto.
	a.mountReminders(authed, calendarSvc, urgesSvc, todoSvc, auditLog)
	// The supervision office's contact, printed on the task notice.
	a.OfficeContact = officecontact.New(a.DB, auditLog, a.Config.Clock)
	officecontact.Mount(authed, a.OfficeContact)
	// Reporting upward (issue 13): statistics, bulletins, assessment, the ledger.
	a.reporting(authed, itemsSvc, calendarSvc, warningsSvc, auditLog)
	if err := a.mountNotifications(public, authed, todoSvc); err != nil {
		return err
	}
	a.mountDelivery(authed)
	return nil
}

// Run serves HTTP until ctx is cancelled, then shuts down gracefully.
func (a *App) Run(ctx context.Context, started func(net.Addr)) error {
	bg, stop := context.WithCancel(ctx)
	defer stop()
	a.startBackground(bg, a.Config.Workers == 1)
	return a.Server.Serve(ctx, a.Config.HTTPAddr, a.Config.ShutdownTimeout, started)
}

// RunWorkers runs only the background work (duban worker) until ctx ends.
func (a *App) RunWorkers(ctx context.Context) error {
	a.startBackground(ctx, true)
	<-ctx.Done()
	return nil
}

func (a *App) startBackground(ctx context.Context, workers bool) {
	for _, f := range a.background {
		go f(ctx)
	}
	if workers {
		a.Jobs.run(ctx)
	}
	if a.Hub != nil {
		// Last: every subscription is made by now (Build).
		go a.Hub.Run(ctx)
	}
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }
