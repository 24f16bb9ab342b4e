package app

import (
	"context"

	"github.com/duban/duban/internal/calfeed"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/mailer"
	"github.com/duban/duban/internal/notifications"
	"github.com/duban/duban/internal/todo"
)

// mountNotifications wires what reaches people: the notifications subscriber of
// the domain events (recipients by the to-do list's rules), its e-mail jobs, the
// live streams (woken across processes through the hub), and the calendar feed.
func (a *App) mountNotifications(public, authed httpserver.Router, todoSvc *todo.Service) error {
	var mail notifications.Mailer
	if s := a.Config.SMTP; s.Enabled() {
		m, err := mailer.New(mailer.Config{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password, From: s.From, TLS: s.TLS})
		if err != nil {
			return err
		}
		mail = m
	}
	svc := notifications.New(notifications.Options{DB: a.DB, Clock: a.Config.Clock, Loc: a.Config.Location, Queue: a.Jobs.Queue,
		ActNow: todoSvc, Mailer: mail, PublicURL: a.Config.PublicURL, Log: a.Log})
	a.Notifications = svc
	a.Bus.Subscribe("notifications", notifications.EventKinds, svc.Handle)
	svc.RegisterJobs(a.Jobs.Worker)
	var woken <-chan string
	if a.Hub != nil {
		woken = a.Hub.Subscribe(notifications.Channel)
	}
	a.background = append(a.background, func(ctx context.Context) { svc.Streams.Listen(ctx, woken) })
	notifications.Mount(authed, svc, a.Config.Timezone)
	calfeed.Mount(public, authed, calfeed.NewService(a.DB, a.Config.Clock, a.Config.Location, a.Config.PublicURL))
	return nil
}
