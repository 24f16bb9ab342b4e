package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/config"
)

func serve(ctx context.Context, stdout, stderr io.Writer) error {
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
	return a.Run(ctx, func(addr net.Addr) {
		logger.Info("duban is ready", "addr", addr.String(), "database", string(a.DB.Dialect()), "version", version)
		fmt.Fprintf(stdout, "Duban is listening on %s (open http://localhost:%d)\n", addr, addr.(*net.TCPAddr).Port)
	})
}

func migrate(ctx context.Context, stdout, stderr io.Writer) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	logger := app.NewLogger(cfg, stderr)
	db, err := app.OpenDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := app.Migrate(ctx, db); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "migrations applied (%s)\n", db.Dialect())
	return err
}
