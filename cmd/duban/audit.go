package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/integrity"
	"github.com/duban/duban/internal/migrations"
)

// errTampered makes `duban audit verify` exit 1 when a trail does not hold.
var errTampered = errors.New("the audit trails have been tampered with (see above)")

// auditCommand runs `duban audit verify` and `duban audit checkpoint`.
//
// verify checks, with the chain key (DUBAN_AUDIT_KEY or DATA_DIR/audit.key), each
// kind of trail and reports it: the hash chain of every item's timeline, the chain
// of the security log, and the checkpoints that make deletions (of items, events,
// the newest security events) detectable. Exit status 0 when everything holds, 1
// on tampering or failure.
//
// checkpoint takes a signed checkpoint now (the server's periodic job takes one
// every hour); cron may run it instead.
func auditCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || (args[0] != "verify" && args[0] != "checkpoint") {
		return usageError{"usage: duban audit verify | duban audit checkpoint"}
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
	if err := integrity.Seal(ctx, db); err != nil {
		return err
	}
	if args[0] == "checkpoint" {
		p, err := integrity.Checkpoint(ctx, db, time.Now(), logger)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "checkpoint %d: %d timeline events up to %s, security log at event %d\n",
			p.Seq, p.Events, p.Cutoff.Format(time.RFC3339), p.AuditSeq)
		return err
	}
	rep, err := integrity.Verify(ctx, db)
	if err != nil {
		return err
	}
	status := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "BROKEN"
	}
	t := rep.Timelines
	fmt.Fprintf(stdout, "item timelines: checked %d items, %d timeline events (%s): %s\n", t.Items, t.Events, db.Dialect(), status(t.OK()))
	for _, b := range t.Breaks {
		fmt.Fprintln(stdout, "BROKEN: "+b.String())
	}
	l := rep.Log
	fmt.Fprintf(stdout, "security log: checked %d events (head %d): %s\n", l.Events, l.Head, status(l.OK()))
	for _, b := range l.Breaks {
		fmt.Fprintln(stdout, "BROKEN: "+b.String())
	}
	d := rep.Deletions
	if d.Checkpoints == 0 {
		fmt.Fprintln(stdout, "deletions: no checkpoint yet (the server takes one every hour; or run duban audit checkpoint)")
	} else {
		fmt.Fprintf(stdout, "deletions: checked %d checkpoints: %s\n", d.Checkpoints, status(len(d.Breaks) == 0))
	}
	for _, b := range d.Breaks {
		fmt.Fprintln(stdout, "BROKEN: deletions: "+b)
	}
	fmt.Fprintf(stdout, "chain key fingerprint %s\n", rep.KeyFingerprint)
	if rep.OK() {
		_, err = fmt.Fprintln(stdout, "ok: every audit trail holds")
		return err
	}
	return errTampered
}
