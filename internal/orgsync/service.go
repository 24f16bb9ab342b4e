package orgsync

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/directory"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Problem codes and audit actions of this package.
const (
	// CodeImportInvalid: the workbook has errors; nothing was imported (422). The
	// problem's `report` member lists them by row and column.
	CodeImportInvalid = "import_invalid"
	// CodeNotWorkbook: the upload is not an .xlsx workbook with the sheets (422).
	CodeNotWorkbook = "not_a_workbook"
	// CodeSyncNotConfigured: the directory sync is not configured (404).
	CodeSyncNotConfigured = "sync_not_configured"

	ActionImported = "org.imported"
	ActionSynced   = "org.synced"
)

// Service imports and syncs the organisation.
type Service struct {
	db    *database.DB
	audit *audit.Log
	clock clock.Clock
	sso   config.SSO
	dir   *directory.Client
	// handoff hands over the posts of the people the import or the sync
	// deactivates or moves (package handover), with the default successors.
	handoff users.Handoff
}

// UseHandoff plugs in the handover of a departing person's posts.
func (s *Service) UseHandoff(h users.Handoff) { s.handoff = h }

// NewService returns the service; the directory sync is available when
// DUBAN_LDAP_URL and DUBAN_LDAP_UNIT_BASE_DN are set.
func NewService(db *database.DB, log *audit.Log, clk clock.Clock, sso config.SSO) (*Service, error) {
	s := &Service{db: db, audit: log, clock: clock.Or(clk), sso: sso}
	if sso.LDAP.SyncEnabled() {
		d, err := directory.New(sso.LDAP)
		if err != nil {
			return nil, err
		}
		s.dir = d
	}
	return s, nil
}

// CanImport answers whether p may import the organisation: admins with
// credentials that allow writing.
func CanImport(p *access.Principal) access.Decision {
	if p == nil {
		return access.Invisible
	}
	return access.Only(p.Has(access.RoleAdmin) && p.CanWrite())
}

// CanReadTemplate answers whether p may download the template (admins).
func CanReadTemplate(p *access.Principal) access.Decision {
	if p == nil {
		return access.Invisible
	}
	return access.Only(p.Has(access.RoleAdmin))
}

// ImportOptions are the choices of an import.
type ImportOptions struct {
	DryRun bool
	// DeactivateMissing deactivates people an earlier import created whom this
	// file no longer lists.
	DeactivateMissing bool
}

// Import reads a workbook and applies it, all or nothing. With errors the report
// lists them and nothing changes; a dry run reports what would change.
func (s *Service) Import(ctx context.Context, p *access.Principal, r io.Reader, opts ImportOptions) (*Report, error) {
	if err := CanImport(p).Err("organisation", "import"); err != nil {
		return nil, err
	}
	d, readErrs, err := ReadWorkbook(r)
	if err != nil {
		return nil, problem.New(problem.KindInvalid, CodeNotWorkbook, err.Error())
	}
	d.DeactivateMissing = opts.DeactivateMissing
	d.Protected = s.protected()
	return s.run(ctx, p, d, opts.DryRun, readErrs, false)
}

// SyncLDAP reads the units and people from the directory and applies the
// differences: new units and people are created, changed ones updated, people who
// left deactivated (never deleted). Entries the rules refuse (a department under a
// department, a taken username, ...) are skipped and listed in the report's
// errors; the rest is applied. It is what `duban org sync` runs and what the
// periodic job should call: SyncLDAP(ctx, false).
func (s *Service) SyncLDAP(ctx context.Context, dryRun bool) (*Report, error) {
	if s.dir == nil {
		return nil, problem.New(problem.KindNotFound, CodeSyncNotConfigured,
			"the directory sync needs DUBAN_LDAP_URL and DUBAN_LDAP_UNIT_BASE_DN")
	}
	snap, err := s.dir.ReadOrg(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the directory: %w", err)
	}
	d, warnings := fromDirectory(snap, s.dir, s.sso.LDAP)
	d.Protected = s.protected()
	rep, err := s.run(ctx, nil, d, dryRun, nil, true)
	if rep != nil {
		rep.Warnings = append(warnings, rep.Warnings...)
	}
	return rep, err
}

func (s *Service) protected() []string {
	if u := strings.ToLower(strings.TrimSpace(s.sso.BreakGlassUsername)); u != "" {
		return []string{u}
	}
	return nil
}

// run plans and, unless dryRun or errors forbid it, applies d in one transaction.
// skip drops the entries at fault and applies the rest (the directory);
// otherwise any error stops everything (the workbook).
func (s *Service) run(ctx context.Context, p *access.Principal, d *Desired, dryRun bool, readErrs []RowError, skip bool) (*Report, error) {
	rep := &Report{DryRun: dryRun, Errors: []RowError{}, Changes: []Change{}, Warnings: []string{}}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lock(ctx, s.db); err != nil {
			return err
		}
		var e *engine
		for attempt := 0; ; attempt++ {
			var err error
			if e, err = load(ctx, s.db, d, p); err != nil {
				return err
			}
			e.plan()
			errs := append(append([]RowError{}, readErrs...), e.errs...)
			if len(errs) == 0 {
				break
			}
			if !skip || attempt > 8 || !dropFaulty(d, errs) {
				rep.Errors = append(rep.Errors, errs...)
				rep.Warnings = append(rep.Warnings, e.warnings...)
				return nil
			}
			rep.Errors = append(rep.Errors, errs...)
		}
		rep.Warnings = append(rep.Warnings, e.warnings...)
		e.diff(rep)
		if dryRun || !rep.Changed() {
			return nil
		}
		if err := e.apply(ctx, s.db, s.audit, s.clock.Now(), rep); err != nil {
			return err
		}
		if err := s.handOver(ctx, p, e); err != nil {
			return err
		}
		rep.Applied = true
		action := ActionImported
		if d.Source == SourceLDAP {
			action = ActionSynced
		}
		return s.audit.Record(ctx, actorOf(p), action, "organisation", "", map[string]any{
			"units": rep.Units, "users": rep.Users, "skipped": len(rep.Errors),
		})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// dropFaulty removes the entries with errors from d (and the people of dropped
// units follow at the next round). It answers false when nothing could be
// dropped (an error of the whole, such as the last admin).
func dropFaulty(d *Desired, errs []RowError) bool {
	badUnit, badUser := map[int]bool{}, map[int]bool{}
	for _, e := range errs {
		switch {
		case e.Row == 0:
			return false
		case e.Sheet == SheetUnits:
			badUnit[e.Row] = true
		default:
			badUser[e.Row] = true
		}
	}
	n := len(d.Units) + len(d.Users)
	units := d.Units[:0]
	for _, u := range d.Units {
		if !badUnit[u.Row] {
			units = append(units, u)
		}
	}
	d.Units = units
	people := d.Users[:0]
	for _, u := range d.Users {
		if !badUser[u.Row] {
			people = append(people, u)
		}
	}
	d.Users = people
	return len(d.Units)+len(d.Users) < n
}

// structureLock and adminLock are the advisory locks of the org and users
// packages: an import serialises with hand-made changes of the tree and of who is
// an admin.
const (
	structureLock = 0x6f7267   // "org"
	adminLock     = 0x75736572 // "user"
)

func lock(ctx context.Context, db *database.DB) error {
	if db.Dialect() != database.Postgres {
		return nil
	}
	for _, k := range []int{structureLock, adminLock} {
		if err := db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", k).Error; err != nil {
			return fmt.Errorf("lock the organisation: %w", err)
		}
	}
	return nil
}

func actorOf(p *access.Principal) *uuid.UUID {
	if p == nil || p.UserID == uuid.Nil {
		return nil
	}
	id := p.UserID
	return &id
}

// handOver hands over the posts of everyone the change deactivated or moved, to
// the default successors (the unit head). A post without one (a supervising
// leader whose unit has no other leader as head) fails the whole change with 409
// successor_required: deactivate or move that person by hand first, naming a
// successor (PATCH /users/{id} with handover).
func (s *Service) handOver(ctx context.Context, p *access.Principal, e *engine) error {
	if s.handoff == nil {
		return nil
	}
	for _, id := range e.orderedUsers() {
		b, existed := e.usersBefore[id]
		a := e.users[id]
		if !existed || a == nil || !b.Active || (a.Active && a.OrgUnitID == b.OrgUnitID) {
			continue
		}
		if _, err := s.handoff(ctx, p, users.Departure{User: id, FromUnit: b.OrgUnitID, ToUnit: a.OrgUnitID, Active: a.Active}); err != nil {
			return err
		}
	}
	return nil
}
