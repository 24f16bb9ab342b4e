// Package svcaccounts holds service accounts (issue 15): non-person principals for
// integrations (an OA system, a bot), owned by a unit — a department, or the own
// unit of a supervision scope (the group or an enterprise) — that act through API
// tokens only. A service account is a users row of kind service with no password:
// password login and single sign-on never find it, and it is authorised like a
// member of its owning unit, further limited by its token's scopes
// (internal/auth/scopes.go). Admins create, list, disable and delete them, issue
// their tokens, and read what each did in the audit log.
package svcaccounts

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Audit actions of this package. They start with "user." so that the cached
// principals of every process are dropped when one changes (internal/audit).
const (
	ActionCreated  = "user.service_account_created"
	ActionUpdated  = "user.service_account_updated"
	ActionDeleted  = "user.service_account_deleted"
	ActionActivity = auth.ServiceAccountRequest
)

// CodeHasActivity: the account acted already; disable it instead (409).
const CodeHasActivity = "service_account_has_activity"

// Service manages service accounts.
type Service struct {
	db    *database.DB
	audit *audit.Log
	auth  *auth.Service
}

// New returns the service.
func New(db *database.DB, log *audit.Log, authSvc *auth.Service) *Service {
	return &Service{db: db, audit: log, auth: authSvc}
}

// account is a service account's row with its unit.
type account struct {
	users.User `gorm:"embedded"`
	UnitName   string
	UnitKind   string
	TokenCount int64
	LastUsedAt *time.Time `gorm:"-"`
	Roles      []string   `gorm:"-"`
}

// complete loads what the join does not give: roles and the last use.
func (s *Service) complete(ctx context.Context, rows []account) error {
	for i := range rows {
		conn := s.db.Conn(ctx)
		if err := conn.Table("user_roles").Where("user_id = ?", rows[i].ID).Order("role").
			Pluck("role", &rows[i].Roles).Error; err != nil {
			return fmt.Errorf("load roles: %w", err)
		}
		var last []time.Time
		if err := conn.Model(&struct {
			LastUsedAt time.Time
		}{}).Table("api_tokens").Where("user_id = ? AND last_used_at IS NOT NULL", rows[i].ID).
			Order("last_used_at DESC").Limit(1).Pluck("last_used_at", &last).Error; err != nil {
			return fmt.Errorf("load last use: %w", err)
		}
		if len(last) > 0 {
			rows[i].LastUsedAt = &last[0]
		}
	}
	return nil
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// mayManage: admins with a login session (the route table refuses tokens).
func mayManage(p *access.Principal) error {
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an admin manages service accounts")
	}
	return nil
}

// Create makes a service account.
func (s *Service) Create(ctx context.Context, p *access.Principal, req CreateRequest) (*Account, error) {
	if err := mayManage(p); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(req.Username)
	if !usernameRE.MatchString(name) {
		return nil, problem.Field("username", "format", "3 to 64 characters of a-z, 0-9, dot, underscore and hyphen")
	}
	unit, err := uuid.Parse(req.OrgUnitID)
	if err != nil {
		return nil, problem.Field("org_unit_id", "uuid", "must be a UUID")
	}
	role := access.RoleMember
	if req.Role != "" {
		role = access.Role(req.Role)
	}
	now := s.audit.Now().UTC().Truncate(time.Microsecond)
	u := users.User{
		ID: uuid.Must(uuid.NewV7()), Username: name, DisplayName: strings.TrimSpace(req.DisplayName),
		OrgUnitID: unit, Title: strings.TrimSpace(req.Description), Active: true, Kind: users.KindService,
		Source: "local", Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		var n int64
		if err := conn.Table("org_units").Where("id = ?", unit).Count(&n).Error; err != nil {
			return fmt.Errorf("find unit: %w", err)
		}
		if n == 0 {
			return problem.Field("org_unit_id", "exists", "no such unit")
		}
		if err := conn.Model(&users.User{}).Where("LOWER(username) = ?", strings.ToLower(name)).Count(&n).Error; err != nil {
			return fmt.Errorf("check username: %w", err)
		}
		if n > 0 {
			return problem.Field("username", "unique", "is taken")
		}
		if err := conn.Create(&u).Error; err != nil {
			return fmt.Errorf("create service account: %w", err)
		}
		if err := conn.Create(&users.UserRole{UserID: u.ID, Role: string(role)}).Error; err != nil {
			return fmt.Errorf("service account role: %w", err)
		}
		return s.audit.Record(ctx, &p.UserID, ActionCreated, "user", u.ID.String(),
			map[string]any{"username": name, "org_unit_id": unit.String(), "role": string(role)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, u.ID)
}

// List pages the service accounts, newest first; unit limits them to one owner.
func (s *Service) List(ctx context.Context, p *access.Principal, unit *uuid.UUID, pg database.Page) (*List, error) {
	if err := mayManage(p); err != nil {
		return nil, err
	}
	q := func() *gorm.DB {
		q := s.db.Conn(ctx).Table("users").Where("users.kind = ?", users.KindService)
		if unit != nil {
			q = q.Where("users.org_unit_id = ?", *unit)
		}
		return q
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count service accounts: %w", err)
	}
	var rows []account
	if err := s.selectAccounts(q()).Order("users.created_at DESC, users.id DESC").
		Offset(pg.Offset()).Limit(pg.Size).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list service accounts: %w", err)
	}
	if err := s.complete(ctx, rows); err != nil {
		return nil, err
	}
	out := &List{Data: make([]Account, 0, len(rows)), Total: total, Page: pg.Page, PageSize: pg.Size}
	for _, r := range rows {
		out.Data = append(out.Data, r.view())
	}
	return out, nil
}

func (s *Service) selectAccounts(q *gorm.DB) *gorm.DB {
	return q.Select(`users.*, org_units.name AS unit_name, org_units.kind AS unit_kind,
			(SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = users.id AND t.revoked_at IS NULL) AS token_count`).
		Joins("JOIN org_units ON org_units.id = users.org_unit_id")
}

// Get reads one service account; a person's id is not found.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*Account, error) {
	if err := mayManage(p); err != nil {
		return nil, err
	}
	var rows []account
	if err := s.selectAccounts(s.db.Conn(ctx).Table("users")).
		Where("users.id = ? AND users.kind = ?", id, users.KindService).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load service account: %w", err)
	}
	if len(rows) == 0 {
		return nil, problem.NotFound("service account")
	}
	if err := s.complete(ctx, rows); err != nil {
		return nil, err
	}
	v := rows[0].view()
	return &v, nil
}

// Update changes the name, the description, or disables (active=false) or
// enables the account. A disabled account's tokens answer 401 at once.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, req UpdateRequest) (*Account, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	changes := map[string]any{}
	if req.DisplayName != nil {
		if strings.TrimSpace(*req.DisplayName) == "" {
			return nil, problem.Field("display_name", "required", "must not be empty")
		}
		changes["display_name"] = strings.TrimSpace(*req.DisplayName)
	}
	if req.Description != nil {
		changes["title"] = strings.TrimSpace(*req.Description)
	}
	if req.Active != nil {
		changes["active"] = *req.Active
	}
	if len(changes) == 0 {
		return s.Get(ctx, p, id)
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		upd := map[string]any{"updated_at": s.audit.Now().UTC(), "version": gorm.Expr("version + 1")}
		for k, v := range changes {
			upd[k] = v
		}
		if err := s.db.Conn(ctx).Model(&users.User{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return fmt.Errorf("update service account: %w", err)
		}
		return s.audit.Record(ctx, &p.UserID, ActionUpdated, "user", id.String(), changes)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// Delete removes an account that never acted, with its tokens; one that did stays
// for the audit trail (409: disable it instead).
func (s *Service) Delete(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	if _, err := s.Get(ctx, p, id); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		var n int64
		if err := conn.Model(&audit.Event{}).Where("actor_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count activity: %w", err)
		}
		if n > 0 {
			return problem.Conflict(CodeHasActivity,
				"the service account has acted; disable it instead (its record stays for the audit trail)")
		}
		for _, q := range []string{"DELETE FROM api_tokens WHERE user_id = ?", "DELETE FROM user_roles WHERE user_id = ?",
			"DELETE FROM users WHERE id = ?"} {
			if err := conn.Exec(q, id).Error; err != nil {
				return fmt.Errorf("delete service account: %w", err)
			}
		}
		return s.audit.Record(ctx, &p.UserID, ActionDeleted, "user", id.String(), nil)
	})
}

// IssueToken makes a token of the account; the secret is in the answer only.
func (s *Service) IssueToken(ctx context.Context, p *access.Principal, id uuid.UUID, req auth.CreateAPITokenRequest) (*auth.CreatedAPIToken, error) {
	a, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !a.Active {
		return nil, problem.Conflict("service_account_disabled", "the service account is disabled; enable it first")
	}
	return s.auth.IssueToken(ctx, p.UserID, id, req)
}

// Activity pages what the account did (the audit log's entries it is the actor
// of), newest first.
func (s *Service) Activity(ctx context.Context, p *access.Principal, id uuid.UUID, pg database.Page) (*ActivityList, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	q := func() *gorm.DB { return s.db.Conn(ctx).Model(&audit.Event{}).Where("actor_id = ?", id) }
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count activity: %w", err)
	}
	var rows []audit.Event
	if err := q().Order("seq DESC").Offset(pg.Offset()).Limit(pg.Size).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list activity: %w", err)
	}
	out := &ActivityList{Data: make([]Activity, 0, len(rows)), Total: total, Page: pg.Page, PageSize: pg.Size}
	for _, r := range rows {
		out.Data = append(out.Data, toActivity(r))
	}
	return out, nil
}
