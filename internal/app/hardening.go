package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/integrity"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/ratelimit"
)

// readyFaultWindow is how long /readyz stays 503 after the database last failed
// a request (a full disk or a read-only database still answers pings).
const readyFaultWindow = 5 * time.Second

// isFileTransfer names the requests that move file contents (upload and
// download): they are bounded by the server's read and write timeouts, not by the
// API request deadline.
func isFileTransfer(c echo.Context) bool {
	r := c.Request()
	return (r.Method == http.MethodPost && r.URL.Path == attachments.UploadPath) ||
		(r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, attachments.UploadPath+"/") && strings.HasSuffix(r.URL.Path, "/content"))
}

// Maintenance is a cleanup run as a periodic job every Every: none of them is
// needed for correctness, each keeps a table or the disk from growing.
type Maintenance struct {
	Name  string
	Kind  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// maintain registers a cleanup as a periodic job (once per period across every
// process: jobs.Scheduler).
func (a *App) maintain(name string, every time.Duration, run func(ctx context.Context) error) {
	kind := "maintenance." + strings.ReplaceAll(name, " ", "_")
	a.Maintenance = append(a.Maintenance, Maintenance{Name: name, Kind: kind, Every: every, Run: run})
	a.Jobs.Worker.Handle(kind, func(ctx context.Context, _ *jobs.Job) error { return run(ctx) })
	a.Jobs.Scheduler.Add(jobs.Periodic{Name: kind, Kind: kind, Args: struct{}{}, Every: every})
}

// rateLimits puts the per-address limit on every API request and returns the
// per-user one, for the authenticated routes.
func (a *App) rateLimits() echo.MiddlewareFunc {
	userSpec, addrSpec := a.Config.RateLimits()
	store := ratelimit.NewStore(a.DB)
	byAddr := ratelimit.New("addr", addrSpec, store, a.Config.Clock, a.Log)
	byUser := ratelimit.New("user", userSpec, store, a.Config.Clock, a.Log)
	a.Server.Echo.Use(byAddr.ByAddress)
	a.maintain("rate limit counters", time.Hour, func(ctx context.Context) error {
		return errors.Join(byAddr.Prune(ctx), byUser.Prune(ctx))
	})
	return byUser.ByUser
}

// hardenAttachments sets the upload quotas, removes a deleted draft's files with
// it, and lists the cleanups of unlinked uploads and the audit checkpoints.
func (a *App) hardenAttachments(files *attachments.Service, itemsSvc *items.Service) {
	user, item := a.Config.UploadQuotas()
	files.UseQuotas(attachments.Quotas{User: user, Item: item, UnlinkedTTL: a.Config.UploadUnlinkedTTL, Clock: a.Config.Clock})
	itemsSvc.OnDelete(files.DropItem)
	a.maintain("unlinked uploads", time.Hour, func(ctx context.Context) error {
		_, err := files.PurgeUnlinked(ctx)
		return err
	})
	a.maintain("audit checkpoint", time.Hour, func(ctx context.Context) error {
		_, err := integrity.Checkpoint(ctx, a.DB, a.Config.Clock.Now(), a.Log)
		return err
	})
}
