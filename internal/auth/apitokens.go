package auth

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
	now := s.now()
	if req.ExpiresAt != nil {
		if !req.ExpiresAt.After(now) {
			return nil, problem.Field("expires_at", "future", "must be in the future")
		}
		t := req.ExpiresAt.UTC().Truncate(time.Microsecond)
		req.ExpiresAt = &t
	}
	scopes := slices.Clone(req.Scopes)
	slices.Sort(scopes)
	raw := APITokenPrefix + randomToken(32)
	row := apiToken{
		ID: uuid.Must(uuid.NewV7()), UserID: p.UserID, Name: strings.TrimSpace(req.Name), Prefix: raw[:prefixLen],
		TokenHash: hashToken(raw), Scopes: strings.Join(scopes, ","), ExpiresAt: req.ExpiresAt, CreatedAt: now,
	}
	if row.Name == "" {
		return nil, problem.Field("name", "required", "is required")
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := s.db.Conn(ctx).Model(&apiToken{}).Where("user_id = ? AND revoked_at IS NULL", p.UserID).
			Count(&n).Error; err != nil {
			return fmt.Errorf("count API tokens: %w", err)
		}
		if n >= int64(s.cfg.MaxAPITokens) {
			return problem.Conflict(CodeTooManyTokens,
				fmt.Sprintf("you already have %d API tokens; revoke one first", n))
		}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("store API token: %w", err)
		}
		return s.audit.Record(ctx, &p.UserID, audit.TokenCreated, "api_token", row.ID.String(),
			map[string]any{"name": row.Name, "scopes": scopes, "prefix": row.Prefix})
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
	p.TokenScopes = strings.Split(row.Scopes, ",")
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= lastUsedEvery {
		// Best effort: a failed bookkeeping write must not fail the request.
		_ = s.db.Conn(ctx).Model(&apiToken{}).Where("id = ?", row.ID).Update("last_used_at", now).Error
	}
	return p, nil
}

func (r apiToken) view() APIToken {
	scopes := []string{}
	if r.Scopes != "" {
		scopes = strings.Split(r.Scopes, ",")
	}
	return APIToken{
		ID: r.ID, Name: r.Name, Prefix: r.Prefix, Scopes: scopes,
		ExpiresAt: r.ExpiresAt, LastUsedAt: r.LastUsedAt, CreatedAt: r.CreatedAt,
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
