package app

import (
	"time"

	"github.com/duban/duban/internal/channels"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/webhooks"
)

// mountDelivery wires what Duban sends out to other systems: the outgoing
// webhooks (a subscriber of every domain event, whose deliveries are jobs) and
// the group robots, both calling out through the guard that refuses internal
// addresses (DUBAN_OUTBOUND_ALLOW).
func (a *App) mountDelivery(authed httpserver.Router) {
	guard := outbound.New(a.Config.Outbound.AllowedNets(), a.Config.OutboundTimeout)
	hooks := webhooks.New(webhooks.Options{DB: a.DB, Clock: a.Config.Clock, Queue: a.Jobs.Queue, Outbox: a.outbox, Guard: guard, Log: a.Log})
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
