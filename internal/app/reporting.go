package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/assessment"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/bulletins"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/ledger"
	"github.com/duban/duban/internal/stats"
	"github.com/duban/duban/internal/warnings"
)

// reporting mounts statistics, bulletins, assessment and the ledger (issue 13).
func (a *App) reporting(r httpserver.Router, itemsSvc *items.Service, cal *calendar.Service, warn *warnings.Service, log *audit.Log) {
	statsSvc := stats.NewService(a.DB, cal, warn, a.Config.Clock, a.Config.Location)
	// Every change of an item brings the statistics rollup in step, in its transaction.
	itemsSvc.UseStatsKeeper(statsSvc)
	a.Stats = statsSvc
	// A rollup built with another basis (the upgrade that adds it, a changed
	// holiday calendar) is rebuilt by a background job; the statistics answer from
	// the live tables meanwhile. Each process asks once at start.
	statsSvc.RegisterJobs(a.Jobs.Worker, a.Jobs.Queue)
	a.background = append(a.background, func(ctx context.Context) {
		if err := statsSvc.AskIfStale(ctx); err != nil {
			a.Log.WarnContext(ctx, "statistics rollup: could not ask for a rebuild", "err", err)
		}
	})
	stats.Mount(r, statsSvc)
	ledger.Mount(r, ledger.NewService(a.DB, itemsSvc, a.Config.Location, a.Config.Clock))
	// Publishing a bulletin emits bulletin.published in its transaction: the scope's
	// units are notified from there.
	bulletinsSvc := bulletins.NewService(a.DB, statsSvc, itemsSvc, cal, a.Config.Clock, a.Config.Location)
	bulletinsSvc.Published = func(ctx context.Context, v *bulletins.View) error {
		var actor *uuid.UUID
		if v.PublishedBy != nil {
			actor = v.PublishedBy
		}
		return a.outbox.Emit(ctx, actor, &events.BulletinPublished{BulletinID: v.ID, ScopeID: v.ScopeID, Title: v.Title,
			DocNo: v.DocNo, Period: v.Period})
	}
	a.Bulletins = bulletinsSvc
	bulletins.Mount(r, bulletinsSvc)
	assessment.Mount(r, assessment.NewService(a.DB, cal, log, a.Config.Clock, a.Config.Location))
}
