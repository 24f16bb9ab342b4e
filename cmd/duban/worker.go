package main

import (
	"context"
	"fmt"
	"io"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/config"
)

// worker runs only the background work — domain events to their subscribers,
// jobs (reminders, notifications, deliveries), periodic jobs — on the configured
// database, until SIGTERM: a deployment scales the API and the workers apart.
func worker(ctx context.Context, stdout, stderr io.Writer) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	logger := app.NewLogger(cfg, stderr)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stdout, "Duban worker %s is running (%s)\n", a.Jobs.Worker.ID(), a.DB.Dialect())
	return a.RunWorkers(ctx)
}
