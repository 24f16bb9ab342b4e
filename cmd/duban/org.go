package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/orgsync"
)

const orgUsage = `Usage: duban org sync [--dry-run]

sync reads the units and people from the LDAP directory (DUBAN_LDAP_URL,
DUBAN_LDAP_UNIT_BASE_DN, DUBAN_LDAP_USER_BASE_DN, ...; see README.md) and applies
the differences: new units and people are created, changed ones updated, people
who left the directory are deactivated (never deleted). Entries the rules refuse
are skipped and listed. --dry-run prints the report and changes nothing.
`

func orgCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sync" {
		fmt.Fprint(stderr, orgUsage)
		if len(args) == 0 {
			return usageError{"org: say what to do: sync"}
		}
		return usageError{fmt.Sprintf("org: unknown subcommand %q", args[0])}
	}
	fs := flag.NewFlagSet("org sync", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dryRun := fs.Bool("dry-run", false, "report only")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		fmt.Fprint(stderr, orgUsage)
		return usageError{"org sync: the only flag is --dry-run"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if !cfg.SSO.LDAP.SyncEnabled() {
		return fmt.Errorf("org sync needs the directory: set DUBAN_LDAP_URL and DUBAN_LDAP_UNIT_BASE_DN")
	}
	db, err := openMigrated(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := orgsync.NewService(db, audit.New(db), cfg.Clock, cfg.SSO)
	if err != nil {
		return err
	}
	rep, err := svc.SyncLDAP(ctx, *dryRun)
	if err != nil {
		return explain(err)
	}
	printReport(stdout, rep)
	return nil
}

// printReport writes a sync report for a person.
func printReport(w io.Writer, r *orgsync.Report) {
	switch {
	case r.DryRun:
		fmt.Fprintln(w, "dry run: nothing was changed")
	case r.Applied:
		fmt.Fprintln(w, "applied")
	default:
		fmt.Fprintln(w, "nothing to change")
	}
	fmt.Fprintf(w, "units:  %d created, %d updated, %d unchanged\n", r.Units.Created, r.Units.Updated, r.Units.Unchanged)
	fmt.Fprintf(w, "people: %d created, %d updated, %d deactivated, %d reactivated, %d unchanged\n",
		r.Users.Created, r.Users.Updated, r.Users.Deactivated, r.Users.Reactivated, r.Users.Unchanged)
	if len(r.Changes) > 0 {
		fmt.Fprintln(w, "\nCHANGES")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range r.Changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", c.Action, c.Entity, c.Name, c.Key, c.Fields)
		}
		_ = tw.Flush()
	}
	if len(r.Errors) > 0 {
		fmt.Fprintln(w, "\nSKIPPED")
		for _, e := range r.Errors {
			fmt.Fprintf(w, "%s #%d %s %s: %s\n", e.Sheet, e.Row, e.Field, e.Value, e.Message)
		}
	}
	for _, m := range r.Warnings {
		fmt.Fprintln(w, "warning:", m)
	}
}
