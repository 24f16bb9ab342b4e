package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// system is the principal of command-line administration: an admin without a user
// (audit events carry no actor).
var system = &access.Principal{Username: "cli", Roles: []access.Role{access.RoleAdmin}}

const usersUsage = `Usage: duban users create --username U --role R [--role R2 ...] --unit ID|NAME
                          [--display-name N] [--email E] [--phone P] [--title T] --password-stdin
       duban users set-password --username U --password-stdin

create makes a user and prints its id. set-password resets a user's password (for an
admin who is locked out, say) and ends their sessions. The password is read from the
first line of standard input, never from the command line, and the user must change
it at the next login. Roles: admin, supervisor, leader, member, auditor. --unit takes
the unit's id or its exact name when that is unique.
`

func usersCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "create":
		return usersCreate(ctx, args[1:], stdin, stdout, stderr)
	case len(args) > 0 && args[0] == "set-password":
		return usersSetPassword(ctx, args[1:], stdin, stdout, stderr)
	}
	fmt.Fprint(stderr, usersUsage)
	if len(args) == 0 {
		return usageError{"users: say what to do: create or set-password"}
	}
	return usageError{fmt.Sprintf("users: unknown subcommand %q", args[0])}
}

func usersSetPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("users set-password", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	username := fs.String("username", "", "login name")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); err != nil || *username == "" || !*fromStdin || fs.NArg() > 0 {
		fmt.Fprint(stderr, usersUsage)
		return usageError{"users set-password: pass --username and --password-stdin"}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	db, err := openMigrated(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	var ids []uuid.UUID
	if err := db.Conn(ctx).Model(&users.User{}).Where("username = ?", *username).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("no user is named %q", *username)
	}
	svc := users.NewService(db, audit.New(db))
	if _, err := svc.Update(ctx, system, ids[0], users.Changes{Password: &password}); err != nil {
		return explain(err)
	}
	_, err = fmt.Fprintf(stdout, "password of %s reset; it must be changed at the next login\n", *username)
	return err
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func usersCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		roles                                    listFlag
		username, display, unit, email, phone, t string
		fromStdin                                bool
	)
	fs.StringVar(&username, "username", "", "login name")
	fs.StringVar(&display, "display-name", "", "name shown to others (default: the username)")
	fs.StringVar(&unit, "unit", "", "org unit id or exact name")
	fs.StringVar(&email, "email", "", "email address")
	fs.StringVar(&phone, "phone", "", "phone number")
	fs.StringVar(&t, "title", "", "job title")
	fs.Var(&roles, "role", "role (repeat for several)")
	fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); err != nil {
		fmt.Fprint(stderr, usersUsage)
		return usageError{"users create: " + err.Error()}
	}
	var missing []string
	if username == "" {
		missing = append(missing, "--username")
	}
	if len(roles) == 0 {
		missing = append(missing, "--role")
	}
	if unit == "" {
		missing = append(missing, "--unit")
	}
	if !fromStdin {
		missing = append(missing, "--password-stdin (the password is read from standard input only)")
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("users create: unexpected argument %q", fs.Arg(0))}
	}
	if len(missing) > 0 {
		fmt.Fprint(stderr, usersUsage)
		return usageError{"users create: missing " + strings.Join(missing, ", ")}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if display == "" {
		display = username
	}

	db, err := openMigrated(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	unitID, err := resolveUnit(ctx, db, unit)
	if err != nil {
		return err
	}
	svc := users.NewService(db, audit.New(db))
	a, err := svc.Create(ctx, system, users.NewUser{Username: username, DisplayName: display, Password: password,
		OrgUnitID: unitID, Roles: roles, Email: email, Phone: phone, Title: t})
	if err != nil {
		return explain(err)
	}
	_, err = fmt.Fprintln(stdout, a.ID)
	return err
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"users: standard input holds no password"}
	}
	return line, nil
}

// openMigrated opens the configured database and applies pending migrations.
func openMigrated(ctx context.Context, stderr io.Writer) (*database.DB, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	db, err := app.OpenDatabase(ctx, cfg, app.NewLogger(cfg, stderr))
	if err != nil {
		return nil, err
	}
	if err := app.Migrate(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// resolveUnit takes a unit id, or a unit name that only one unit has.
func resolveUnit(ctx context.Context, db *database.DB, s string) (uuid.UUID, error) {
	if id, err := uuid.Parse(s); err == nil {
		return id, nil // an unknown id is reported by the service, on org_unit_id
	}
	var ids []uuid.UUID
	if err := db.Conn(ctx).Model(&org.Unit{}).Where("name = ? OR short_name = ?", s, s).Pluck("id", &ids).Error; err != nil {
		return uuid.Nil, err
	}
	switch len(ids) {
	case 0:
		return uuid.Nil, fmt.Errorf("no org unit is named %q", s)
	case 1:
		return ids[0], nil
	}
	return uuid.Nil, fmt.Errorf("%d org units are named %q; pass the id instead", len(ids), s)
}

// explain turns a problem into a message naming the fields at fault.
func explain(err error) error {
	var p *problem.Problem
	if !errors.As(err, &p) || problem.IsInternal(p) || p.Kind == problem.KindUnavailable {
		return err
	}
	if len(p.Errors) == 0 {
		return errors.New(p.Detail)
	}
	parts := make([]string, len(p.Errors))
	for i, fe := range p.Errors {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return errors.New(strings.Join(parts, "; "))
}
