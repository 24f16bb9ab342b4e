package delegation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// Service keeps the delegations.
type Service struct {
	db    *database.DB
	audit *audit.Log
	clock clock.Clock
}

// NewService returns the service; c is the app clock (nil: the real one).
func NewService(db *database.DB, log *audit.Log, c clock.Clock) *Service {
	return &Service{db: db, audit: log, clock: clock.Or(c)}
}

// Now is the clock delegations run by.
func (s *Service) Now() time.Time { return s.clock.Now() }

// ownPowers are the powers p holds in their own right (never through another
// delegation: a deputy cannot hand on what was handed to them).
func ownPowers(p *access.Principal) []string {
	var out []string
	if p.Has(access.RoleLeader) {
		out = append(out, "leader")
	}
	for _, u := range p.HeadOf {
		if !slices.Contains(p.DelegatedHeadOf, u) {
			out = append(out, "head")
			break
		}
	}
	return out
}

// Create makes p's delegation to a deputy: p may only delegate their own powers
// (the leader role, the posts of unit head), to another active person, for at most
// MaxPeriod, and not overlapping another of p's delegations.
func (s *Service) Create(ctx context.Context, p *access.Principal, in CreateRequest) (*View, error) {
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	if !p.CanWrite() {
		return nil, problem.Forbidden("these credentials may only read")
	}
	if len(ownPowers(p)) == 0 {
		return nil, problem.New(problem.KindForbidden, CodeNothingToDelegate,
			"only a leader or the head of a unit has decisions to delegate")
	}
	deputy, err := uuid.Parse(in.DeputyID)
	if err != nil {
		return nil, problem.Field("deputy_id", "uuid", "must be a UUID")
	}
	if deputy == p.UserID {
		return nil, problem.Field("deputy_id", "self", "you cannot be your own deputy")
	}
	now := s.Now()
	start := now
	if in.StartsAt != nil && in.StartsAt.After(now) {
		start = *in.StartsAt
	}
	var errs []problem.FieldError
	switch {
	case !in.EndsAt.After(start):
		errs = append(errs, problem.FieldError{Field: "ends_at", Rule: "after", Message: "must be after the start (and in the future)"})
	case in.EndsAt.Sub(start) > MaxPeriod:
		errs = append(errs, problem.FieldError{Field: "ends_at", Rule: "max", Message: "a delegation lasts at most a year; hand the posts over instead"})
	}
	if len(errs) > 0 {
		return nil, problem.Invalid(errs...)
	}
	d := Delegation{ID: uuid.Must(uuid.NewV7()), PrincipalID: p.UserID, DeputyID: deputy, StartsAt: start,
		EndsAt: in.EndsAt, Reason: strings.TrimSpace(in.Reason), CreatedBy: p.UserID, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		var n int64
		if err := conn.Table("users").Where("id = ? AND active = ?", deputy, true).Count(&n).Error; err != nil {
			return fmt.Errorf("find deputy: %w", err)
		}
		if n == 0 {
			return problem.Field("deputy_id", "exists", "no such active user")
		}
		if err := conn.Model(&Delegation{}).Where("principal_id = ? AND ended_at IS NULL AND ends_at > ? AND starts_at < ? AND ends_at > ?",
			p.UserID, now, d.EndsAt, d.StartsAt).Count(&n).Error; err != nil {
			return fmt.Errorf("find overlapping delegations: %w", err)
		}
		if n > 0 {
			return problem.Conflict(CodeOverlaps, "another delegation of yours covers part of this period; end it first")
		}
		if err := conn.Create(&d).Error; err != nil {
			return fmt.Errorf("create delegation: %w", err)
		}
		return s.audit.Record(ctx, &p.UserID, AuditCreated, "delegation", d.ID.String(), map[string]any{
			"principal_id": d.PrincipalID, "deputy_id": d.DeputyID, "starts_at": d.StartsAt, "ends_at": d.EndsAt,
		})
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p, &d)
}

// End ends a running or scheduled delegation early: the principal, the deputy or
// an admin may. Others get 404.
func (s *Service) End(ctx context.Context, p *access.Principal, id uuid.UUID, pc etag.Precondition) (*View, error) {
	var d Delegation
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if d, err = s.load(ctx, p, id); err != nil {
			return err
		}
		if !canEnd(p, &d) {
			return problem.Forbidden("you may not end this delegation")
		}
		if err := pc.Check(d.Version); err != nil {
			return err
		}
		now := s.Now()
		if st := d.StatusAt(now); st == StatusEnded || st == StatusExpired {
			return problem.Conflict(CodeNotRunning, "the delegation is already over")
		}
		if err := s.endRow(ctx, &d, &p.UserID, now); err != nil {
			return err
		}
		return s.audit.Record(ctx, &p.UserID, AuditEnded, "delegation", d.ID.String(), map[string]any{"reason": "ended early"})
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p, &d)
}

func (s *Service) endRow(ctx context.Context, d *Delegation, by *uuid.UUID, now time.Time) error {
	res := s.db.Conn(ctx).Model(&Delegation{}).Where("id = ? AND version = ?", d.ID, d.Version).
		Updates(map[string]any{"ended_at": now, "ended_by": by, "version": d.Version + 1, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("end delegation: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.PreconditionFailed("the delegation was changed meanwhile; reload it and try again")
	}
	d.EndedAt, d.EndedBy, d.Version, d.UpdatedAt = &now, by, d.Version+1, now
	return nil
}

// EndAllOf ends every delegation not yet over in which the user is principal or
// deputy: they leave (package handover), in the caller's transaction. It returns
// how many it ended.
func EndAllOf(ctx context.Context, db *database.DB, log *audit.Log, actor *uuid.UUID, user uuid.UUID, now time.Time) (int, error) {
	var rows []Delegation
	if err := db.Conn(ctx).Where("(principal_id = ? OR deputy_id = ?) AND ended_at IS NULL AND ends_at > ?", user, user, now).
		Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("load delegations of leaver: %w", err)
	}
	s := &Service{db: db, audit: log}
	for i := range rows {
		if err := s.endRow(ctx, &rows[i], actor, now); err != nil {
			return 0, err
		}
		if err := log.Record(ctx, actor, AuditEnded, "delegation", rows[i].ID.String(), map[string]any{"reason": "left", "user_id": user}); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

func canEnd(p *access.Principal, d *Delegation) bool {
	return p.CanWrite() && (p.UserID == d.PrincipalID || p.UserID == d.DeputyID || p.Has(access.RoleAdmin))
}

// load reads a delegation p may see: theirs, or any for an admin or auditor.
func (s *Service) load(ctx context.Context, p *access.Principal, id uuid.UUID) (Delegation, error) {
	var d Delegation
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return d, problem.NotFound("delegation")
		}
		return d, fmt.Errorf("load delegation: %w", err)
	}
	if p.UserID != d.PrincipalID && p.UserID != d.DeputyID && !p.HasAny(access.RoleAdmin, access.RoleAuditor) {
		return d, problem.NotFound("delegation")
	}
	return d, nil
}

// ListOf lists the delegations given and received by user: their own, or anyone's
// for an admin or auditor (404 otherwise, as for users one may not see).
func (s *Service) ListOf(ctx context.Context, p *access.Principal, user uuid.UUID) (*ListResponse, error) {
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	if p.UserID != user && !p.HasAny(access.RoleAdmin, access.RoleAuditor) {
		return nil, problem.NotFound("user")
	}
	var rows []Delegation
	if err := s.db.Conn(ctx).Where("principal_id = ? OR deputy_id = ?", user, user).
		Order("created_at DESC, id DESC").Limit(200).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	out := &ListResponse{Given: []View{}, Received: []View{}}
	names, err := s.names(ctx, rows)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		v := s.viewWith(p, &rows[i], names)
		if rows[i].PrincipalID == user {
			out.Given = append(out.Given, v)
		} else {
			out.Received = append(out.Received, v)
		}
	}
	return out, nil
}

func (s *Service) view(ctx context.Context, p *access.Principal, d *Delegation) (*View, error) {
	names, err := s.names(ctx, []Delegation{*d})
	if err != nil {
		return nil, err
	}
	v := s.viewWith(p, d, names)
	return &v, nil
}

type personInfo struct {
	name   string
	powers []string
}

// names reads the display names and the principals' powers now.
func (s *Service) names(ctx context.Context, ds []Delegation) (map[uuid.UUID]personInfo, error) {
	ids := []uuid.UUID{}
	for _, d := range ds {
		ids = append(ids, d.PrincipalID, d.DeputyID)
	}
	out := map[uuid.UUID]personInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	conn := s.db.Conn(ctx)
	var rows []struct {
		ID          uuid.UUID `gorm:"type:uuid"`
		DisplayName string
	}
	if err := conn.Table("users").Select("id, display_name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	var leaders, heads []uuid.UUID
	if err := conn.Table("user_roles").Where("user_id IN ? AND role = ?", ids, string(access.RoleLeader)).Pluck("user_id", &leaders).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	if err := conn.Table("org_units").Where("head_user_id IN ?", ids).Pluck("head_user_id", &heads).Error; err != nil {
		return nil, fmt.Errorf("load heads: %w", err)
	}
	for _, r := range rows {
		info := personInfo{name: r.DisplayName, powers: []string{}}
		if slices.Contains(leaders, r.ID) {
			info.powers = append(info.powers, "leader")
		}
		if slices.Contains(heads, r.ID) {
			info.powers = append(info.powers, "head")
		}
		out[r.ID] = info
	}
	return out, nil
}

func (s *Service) viewWith(p *access.Principal, d *Delegation, names map[uuid.UUID]personInfo) View {
	now := s.Now()
	actions := map[string]bool{}
	st := d.StatusAt(now)
	actions["end"] = canEnd(p, d) && (st == StatusActive || st == StatusScheduled)
	powers := names[d.PrincipalID].powers
	if powers == nil {
		powers = []string{}
	}
	return View{ID: d.ID, Principal: Person{ID: d.PrincipalID, DisplayName: names[d.PrincipalID].name},
		Deputy: Person{ID: d.DeputyID, DisplayName: names[d.DeputyID].name}, StartsAt: d.StartsAt, EndsAt: d.EndsAt,
		EndedAt: d.EndedAt, EndedBy: d.EndedBy, Reason: d.Reason, Status: st, Powers: powers,
		AllowedActions: access.Actions(actions), Version: d.Version, CreatedAt: d.CreatedAt}
}
