package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/migrations"
)

// errTampered makes `duban audit verify` exit 1 when a timeline does not hold.
var errTampered = errors.New("the timelines of supervision items have been tampered with (see above)")

// auditCommand runs `duban audit verify`: it walks the hash chain of every item's
// timeline and reports each item whose chain breaks (an event edited, inserted or
// removed). Exit status 0 when every chain holds, 1 on tampering or failure.
func auditCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return usageError{"usage: duban audit verify"}
	}
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
	if ok, err := migrations.Applied(ctx, db.Gorm()); err != nil || !ok {
		return errors.New("the database is not migrated; run duban migrate first")
	}
	rep, err := items.VerifyChain(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked %d items, %d timeline events (%s)\n", rep.Items, rep.Events, db.Dialect())
	if rep.OK() {
		_, err = fmt.Fprintln(stdout, "ok: every timeline's hash chain holds")
		return err
	}
	for _, b := range rep.Breaks {
		fmt.Fprintln(stdout, "BROKEN:", b.String())
	}
	return errTampered
}
