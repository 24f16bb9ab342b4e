// Command duban runs the Duban supervision system (督办系统).
//
//	duban [serve]     start the HTTP server (migrates first)
//	duban worker      run only the background work (events, jobs, periodic jobs)
//	duban migrate     apply pending database migrations and exit
//	duban users create --username U --role R --unit ID --password-stdin
//	                  create a user (the password is read from standard input)
//	duban users set-password --username U --password-stdin
//	                  reset a user's password
//	duban seed --demo fill an empty database with a demo organisation
//	duban storage migrate --to s3|local
//	                  copy attachments between the data directory and S3
//	duban org sync [--dry-run]
//	                  bring units and people in step with the LDAP directory
//	duban version     print the version
//
// Configuration comes from the environment; see README.md.
//
//	@title						Duban API · 督办系统接口
//	@version					1.0
//	@description				Supervision and follow-up (督查督办) for group companies: items, assignments, feedback, urging, extensions, closing, verification. Errors are RFC 9457 application/problem+json with a stable `code`.
//	@BasePath					/api/v1
//	@tag.name			assessment
//	@tag.description	Unit assessment (考核): points by rule, scores and grades per period, publishing and the workbook
//	@tag.name			attachments
//	@tag.description	Files: upload, describe and download attachments of items, feedback, completion requests and comments
//	@tag.name			auth
//	@tag.description	Logging in and out (password, LDAP, OIDC), sessions, refresh, personal API tokens
//	@tag.name			bulletins
//	@tag.description	Bulletins (通报): monthly, quarterly and special reports on items, drafted and published
//	@tag.name			calendar
//	@tag.description	The working-day calendar (holidays and working weekends) deadlines are counted on
//	@tag.name			calendar-feed
//	@tag.description	The personal iCalendar feed of deadlines and its token
//	@tag.name			comments
//	@tag.description	Instructions, comments and coordination notes on an item
//	@tag.name			completion
//	@tag.description	Completion requests (办结申请): request, review by the supervision office, decision by the leader
//	@tag.name			extensions
//	@tag.description	Extension requests (延期申请) and deadline changes, including deadlines set by a leader
//	@tag.name			feedback
//	@tag.description	Progress feedback (反馈) of the units on their items: drafts, submission, acceptance and return
//	@tag.name			items
//	@tag.description	Supervision items (督办事项): create, approve, issue, assign, follow, close and archive; milestones, sub-items, timeline
//	@tag.name			ledger
//	@tag.description	The items ledger (台账): export to CSV and Excel, import from the template
//	@tag.name			meta
//	@tag.description	The API itself: its OpenAPI document
//	@tag.name			notifications
//	@tag.description	In-app notifications, their live stream and the user's notification settings
//	@tag.name			org
//	@tag.description	Organisation import and directory sync
//	@tag.name			org-units
//	@tag.description	Organisation units: groups, enterprises and departments
//	@tag.name			service-accounts
//	@tag.description	Identities for integrators: service accounts (non-person principals acting through API tokens), their tokens, every token of every principal and what each account did (admins)
//	@tag.name			settings
//	@tag.description	Admin settings: warning-light thresholds, source routes and other policies
//	@tag.name			statistics
//	@tag.description	Key figures, trends and per-unit statistics
//	@tag.name			todo
//	@tag.description	The caller's to-do list (待办)
//	@tag.name			urges
//	@tag.description	Urging (催办) of units on their items, manual and automatic
//	@tag.name			users
//	@tag.description	People: accounts, roles, units; the caller's own profile
//	@tag.name			verification
//	@tag.description	Verification (核查) of closed items: checks and their results
//	@tag.name			methods
//	@tag.description	The other supervision methods of §13: the joint supervision team (联合督办), visits on site (现场督办) and coordination meetings (组织协调)
//	@tag.name			webhooks
//	@tag.description	Outgoing webhooks for integrators: subscriptions, signed deliveries (Standard Webhooks), the delivery log, redelivery and ping
//	@tag.name			delegations
//	@tag.description	Delegation (代理): a leader or head lets a named deputy act on their approvals and decisions for a period
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by an access JWT or a personal API token.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process exit, so tests can call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, stdout, stderr)
	case "worker":
		err = worker(ctx, stdout, stderr)
	case "migrate":
		err = migrate(ctx, stdout, stderr)
	case "users":
		err = usersCommand(ctx, args, stdin, stdout, stderr)
	case "seed":
		err = seedCommand(ctx, args, stdout, stderr)
	case "audit":
		err = auditCommand(ctx, args, stdout, stderr)
	case "storage":
		err = storageCommand(ctx, args, stdout, stderr)
	case "org":
		err = orgCommand(ctx, args, stdout, stderr)
	case "version", "--version", "-v":
		_, err = fmt.Fprintln(stdout, "duban", version)
	case "help", "--help", "-h":
		usage(stdout)
	default:
		usage(stderr)
		fmt.Fprintf(stderr, "duban: unknown command %q\n", cmd)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "duban:", err)
			return 2
		}
		fmt.Fprintln(stderr, "duban:", oneLine(err))
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: duban [command]

Commands:
  serve      start the HTTP server (default; applies pending migrations first)
  worker     run only the background work (events, jobs, reminders, deliveries)
  migrate    apply pending database migrations and exit
  users      users create --username U --role R [--role R2] --unit ID|NAME
             [--display-name N] [--email E] [--phone P] [--title T] --password-stdin
             create a user; the password is read from standard input
             users set-password --username U --password-stdin: reset a password
  seed       seed --demo: fill an empty database with a demo organisation
  audit      audit verify: check the item timelines, the security log and the checkpoints
             that reveal deletions (exit 1 on tampering); audit checkpoint: take one now
  storage    storage migrate --to s3|local [--delete-source]: copy attachments between
             the data directory and the S3 bucket, verifying each sha256
  org        org sync [--dry-run]: bring units and people in step with the LDAP directory
  version    print the version

Configuration is read from DUBAN_* environment variables; see README.md.
`)
}

// oneLine keeps startup failures to a single line an operator can read.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
