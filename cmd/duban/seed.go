package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/seed"
)

const seedUsage = `Usage: duban seed --demo

Fills an empty database (or one holding only the bootstrap root unit and admin)
with a demo group company: HQ departments, two enterprises with their departments,
heads, liaisons, one user per role, and supervision items in every state with
their feedback, urges, instructions, extensions, completion requests,
verifications and a few files (stored under DUBAN_DATA_DIR/files, where the server
keeps uploads) — each made through the services as the user who would act. It
prints the logins and what each demo user finds waiting. Running it again changes
nothing.
`

func seedCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	demo := fs.Bool("demo", false, "create the demo organisation")
	if err := fs.Parse(args); err != nil || !*demo || fs.NArg() > 0 {
		fmt.Fprint(stderr, seedUsage)
		return usageError{"seed: pass --demo"}
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := app.NewStorage(ctx, cfg)
	if err != nil {
		return err
	}
	log := audit.New(db)
	res, err := seed.Demo(ctx, db, log)
	if err != nil {
		return err
	}
	made, err := seed.DemoItems(ctx, db, log, res, seed.ItemOptions{
		Calendar: calendar.NewService(db, cfg.Location, cfg.Clock),
		// Where the server keeps uploads (internal/app), so that it serves the demo's files.
		Files: files,
	})
	if err != nil {
		return err
	}
	switch n := made.Made; {
	case res.AlreadySeeded && made.AlreadySeeded:
		fmt.Fprintln(stdout, "already seeded: the demo organisation and items exist; nothing changed.")
	case res.AlreadySeeded:
		fmt.Fprintf(stdout, "the demo organisation exists; added %s.\n", describeMade(n))
	case made.AlreadySeeded:
		fmt.Fprintf(stdout, "seeded the demo organisation: %d units, %d users (the database already had supervision items, so no demo items were added).\n",
			len(res.Units), len(res.Users))
	default:
		fmt.Fprintf(stdout, "seeded the demo organisation: %d units, %d users, %s.\n", len(res.Units), len(res.Users), describeMade(n))
	}
	fmt.Fprintln(stdout)
	rows := [][]string{{"USERNAME", "PASSWORD", "ROLES", "NAME", "UNIT", "POSTS"}}
	for _, a := range res.Accounts {
		rows = append(rows, []string{a.Username, a.Password, strings.Join(a.Roles, ","), a.DisplayName, a.Unit, a.Posts})
	}
	if err := printTable(stdout, rows); err != nil {
		return err
	}
	if len(made.Items) == 0 {
		return nil
	}
	fmt.Fprintln(stdout)
	rows = [][]string{{"LOG IN AS", "TO SEE"}}
	for _, g := range seed.Tour {
		rows = append(rows, []string{g.Username, g.Sees})
	}
	return printTable(stdout, rows)
}

// describeMade says what the demo items run wrote.
func describeMade(n seed.Counts) string {
	return fmt.Sprintf("%d supervision items with %d feedback, %d urges, %d instructions and comments, %d extension requests, "+
		"%d completion requests, %d verifications and %d files", n.Items, n.Feedback, n.Urges, n.Comments, n.Extensions,
		n.CompletionRequests, n.Verifications, n.Attachments)
}

// printTable aligns columns by their width on a terminal, where Chinese characters
// take two cells (text/tabwriter counts them as one).
func printTable(w io.Writer, rows [][]string) error {
	widths := map[int]int{}
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], cellWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cellWidth(cell)+2))
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
			r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
