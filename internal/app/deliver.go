package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/channels"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
	"github.com/duban/duban/internal/webhooks"
)

// mountDelivery wires what Duban sends out to other systems: the outgoing
// webhooks (a subscriber of every domain event, whose deliveries are jobs) and
// the group robots, both calling out through the guard that refuses internal
// addresses (DUBAN_OUTBOUND_ALLOW).
func (a *App) mountDelivery(authed httpserver.Router) {
	guard := outbound.New(a.Config.Outbound.AllowedNets(), a.Config.OutboundTimeout)
	hooks := webhooks.New(webhooks.Options{DB: a.DB, Clock: a.Config.Clock, Queue: a.Jobs.Queue, Outbox: a.outbox, Guard: guard, Log: a.Log,
		Item: a.webhookItem})
	a.Bus.Subscribe("webhooks", nil, hooks.Handle)
	hooks.RegisterJobs(a.Jobs.Worker)
	webhooks.Mount(authed, hooks)
	a.maintain("webhook delivery log", time.Hour, hooks.Prune)
	robots := channels.New(channels.Options{DB: a.DB, Clock: a.Config.Clock, Queue: a.Jobs.Queue, Guard: guard,
		PublicURL: a.Config.PublicURL, Log: a.Log})
	a.Notifications.OnTold(robots.Tell)
	robots.RegisterJobs(a.Jobs.Worker)
	channels.Mount(authed, robots)
}

// webhookItem is the item an event concerns as GET /items/{id} returns it, read
// as the system acting for the item's scope; nil when the item is gone.
func (a *App) webhookItem(ctx context.Context, itemID, scopeID uuid.UUID) (any, error) {
	sys, err := users.SystemUser(ctx, a.DB, a.Config.Clock.Now)
	if err != nil {
		return nil, err
	}
	v, err := a.Items.Get(ctx, users.SystemPrincipal(sys, scopeID), itemID)
	if problem.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := items.ToItemResponse(v)
	r.AllowedActions = []string{}
	return r, nil
}
