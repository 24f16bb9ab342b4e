package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// APITokenPrefix starts every personal API token, so that it is told apart from a
// JWT at a glance (and by secret scanners).
const APITokenPrefix = "dbn_"

// prefixLen is how much of a token is kept in clear to recognise it in lists.
const prefixLen = 8

// lastUsedEvery limits how often a token's last_used_at is written.
const lastUsedEvery = time.Minute

// CreateAPIToken issues a personal token for the principal. The secret is in the
// answer only.
func (s *Service) CreateAPIToken(ctx context.Context, p *access.Principal, req CreateAPITokenRequest) (*CreatedAPIToken, error) {
	if err := requireSession(p); err != nil {
		return nil, err
	}
	return s.issueToken(ctx, p.UserID, p.UserID, req)
}

// issueToken makes a token acting as owner, recorded as done by actor.
func (s *Service) issueToken(ctx context.Context, actor, owner uuid.UUID, req CreateAPITokenRequest) (*CreatedAPIToken, error) {
	now := s.now()
	if req.ExpiresAt != nil {
		if !req.ExpiresAt.After(now) {
			return nil, problem.Field("expires_at", "future", "must be in the future")
		}
		t := req.ExpiresAt.UTC().Truncate(time.Microsecond)
		req.ExpiresAt = &t
	}
	if max := s.cfg.MaxAPITokenTTL; max > 0 {
		limit := now.Add(max)
		switch {
		case req.ExpiresAt == nil:
			t := limit.UTC().Truncate(time.Microsecond)
			req.ExpiresAt = &t
		case req.ExpiresAt.After(limit):
			return nil, problem.Field("expires_at", "max_lifetime",
				fmt.Sprintf("must be at most %s from now (the deployment's maximum token lifetime)", max))
		}
	}
	for _, sc := range req.Scopes {
		if !access.ValidScope(sc) {
			return nil, problem.Field("scopes", "oneof", "unknown scope "+sc)
		}
	}
	scopes := access.ExpandScopes(req.Scopes)
	if len(scopes) == 0 {
		return nil, problem.Field("scopes", "required", "is required")
	}
	raw := APITokenPrefix + randomToken(32)
	row := apiToken{
		ID: uuid.Must(uuid.NewV7()), UserID: owner, Name: strings.TrimSpace(req.Name), Prefix: raw[:prefixLen],
		TokenHash: hashToken(raw), Scopes: strings.Join(scopes, ","), ExpiresAt: req.ExpiresAt, CreatedAt: now,
	}
	if row.Name == "" {
		return nil, problem.Field("name", "required", "is required")
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Model(&apiToken{}).Where("user_id = ? AND revoked_at IS NULL", owner).
			Count(&n).Error; err != nil {
			return fmt.Errorf("count API tokens: %w", err)
		}
		if n >= int64(s.cfg.MaxAPITokens) {
			return problem.Conflict(CodeTooManyTokens,
				fmt.Sprintf("the account already has %d API tokens; revoke one first", n))
		}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("store API token: %w", err)
		}
		details := map[string]any{"name": row.Name, "scopes": scopes, "prefix": row.Prefix}
		if owner != actor {
			details["owner_id"] = owner.String()
		}
		return s.audit.Record(ctx, &actor, audit.TokenCreated, "api_token", row.ID.String(), details)
	})
	if err != nil {
		return nil, err
	}
	return &CreatedAPIToken{APIToken: row.view(), Token: raw}, nil
}

// ListAPITokens lists the principal's tokens that are not revoked, newest first.
func (s *Service) ListAPITokens(ctx context.Context, p *access.Principal, page, pageSize int) (*APITokenList, error) {
	q := func() *gorm.DB {
		return s.db.Conn(ctx).Model(&apiToken{}).Where("user_id = ? AND revoked_at IS NULL", p.UserID)
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count API tokens: %w", err)
	}
	var rows []apiToken
	if err := q().Order("created_at DESC, id DESC").Offset((page - 1) * pageSize).Limit(pageSize).
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	out := &APITokenList{Data: make([]APIToken, 0, len(rows)), Total: total, Page: page, PageSize: pageSize}
	for _, r := range rows {
		out.Data = append(out.Data, r.view())
	}
	return out, nil
}

// RevokeAPIToken revokes one of the principal's tokens. Another user's token, or
// one already revoked, is not found.
func (s *Service) RevokeAPIToken(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	if err := requireSession(p); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&apiToken{}).
			Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, p.UserID).Update("revoked_at", s.now())
		if res.Error != nil {
			return fmt.Errorf("revoke API token: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return problem.NotFound("API token")
		}
		return s.audit.Record(ctx, &p.UserID, audit.TokenRevoked, "api_token", id.String(), nil)
	})
}

// principalForAPIToken resolves a personal token to its owner's principal carrying
// the token's scopes.
func (s *Service) principalForAPIToken(ctx context.Context, raw string) (*access.Principal, error) {
	var row apiToken
	err := s.db.Conn(ctx).Where("token_hash = ?", hashToken(raw)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errUnauthenticated("the API token is unknown")
	}
	if err != nil {
		return nil, fmt.Errorf("look up API token: %w", err)
	}
	now := s.now()
	switch {
	case row.RevokedAt != nil:
		return nil, errUnauthenticated("the API token was revoked")
	case row.ExpiresAt != nil && !row.ExpiresAt.After(now):
		return nil, errUnauthenticated("the API token has expired")
	}
	p, err := s.loadPrincipal(ctx, row.UserID)
	if errors.Is(err, users.ErrNoUser) {
		return nil, errUnauthenticated("the API token's user is inactive")
	}
	if err != nil {
		return nil, err
	}
	// Rows of the first tokens may still say read or write: the aliases stand for
	// their sets.
	p.TokenScopes = access.ExpandScopes(strings.Split(row.Scopes, ","))
	p.TokenID = row.ID
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= lastUsedEvery {
		// At most once a minute per token, so that a busy bot does not write on
		// every request; and only if no other process did it meanwhile. Best
		// effort: a failed bookkeeping write must not fail the request.
		q := s.db.Conn(ctx).Model(&apiToken{}).Where("id = ?", row.ID)
		if row.LastUsedAt != nil {
			q = q.Where("last_used_at = ?", *row.LastUsedAt)
		}
		ip := audit.RequestFrom(ctx).IP
		if len(ip) > 64 {
			ip = ip[:64]
		}
		_ = q.Updates(map[string]any{"last_used_at": now, "last_used_ip": ip}).Error
	}
	return p, nil
}

func (r apiToken) view() APIToken {
	scopes := []string{}
	if r.Scopes != "" {
		scopes = strings.Split(r.Scopes, ",")
	}
	return APIToken{
		ID: r.ID, Name: r.Name, Prefix: r.Prefix, Scopes: access.ExpandScopes(scopes),
		ExpiresAt: r.ExpiresAt, LastUsedAt: r.LastUsedAt, LastUsedIP: r.LastUsedIP, CreatedAt: r.CreatedAt,
		RevokedAt: r.RevokedAt,
	}
}

// requireSession refuses API tokens for the actions that manage credentials: a
// leaked token must not mint more tokens or change the password.
func requireSession(p *access.Principal) error {
	if p.TokenScopes != nil {
		return problem.New(problem.KindForbidden, CodeSessionRequired,
			"managing credentials needs a login session, not an API token")
	}
	return nil
}

// errUnauthenticated is the 401 of the middleware.
func errUnauthenticated(detail string) *problem.Problem { return problem.Unauthorized(detail) }

// MayHaveTokens is the rule of who holds personal API tokens: people with a role
// beyond member (admins, the supervision office, leaders, auditors), whose work
// integrations act for. Heads, liaisons and other members act in the web app; an
// integration of theirs gets a service account instead.
func MayHaveTokens(p *access.Principal) bool {
	return p != nil && !p.Service &&
		p.HasAny(access.RoleAdmin, access.RoleSupervisor, access.RoleLeader, access.RoleAuditor)
}

// IssueToken makes a token acting as owner (a service account), recorded as done
// by actor (the admin). Callers check that actor may.
func (s *Service) IssueToken(ctx context.Context, actor, owner uuid.UUID, req CreateAPITokenRequest) (*CreatedAPIToken, error) {
	return s.issueToken(ctx, actor, owner, req)
}
