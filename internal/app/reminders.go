package app

import (
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/reminders"
	"github.com/duban/duban/internal/todo"
	"github.com/duban/duban/internal/urges"
)

// mountReminders wires the automatic reminders (催办催报): their rules per scope
// (GET/PUT /settings/reminders), the daily sweep as a periodic job and the send
// jobs, which urge through the urges service as the system; whom a reminder is
// for comes from the to-do list's rules.
func (a *App) mountReminders(authed httpserver.Router, cal *calendar.Service, urgesSvc *urges.Service, todoSvc *todo.Service, log *audit.Log) {
	svc := reminders.New(reminders.Options{DB: a.DB, Cal: cal, Urges: urgesSvc, ActNow: todoSvc, Queue: a.Jobs.Queue,
		Audit: log, Clock: a.Config.Clock, Log: a.Log})
	a.Reminders = svc
	svc.Register(a.Jobs.Worker, a.Jobs.Scheduler)
	reminders.Mount(authed, svc)
}
