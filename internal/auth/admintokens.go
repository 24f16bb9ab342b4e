package auth

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// TokenFilter narrows the admins' list of every token. Zero fields do not filter.
type TokenFilter struct {
	OwnerID *uuid.UUID
	// Kind is person or service: the kind of the owner.
	Kind string
	// Expired: true only tokens past expires_at, false only those not.
	Expired *bool
	// Revoked: true only revoked tokens, false (the default) only live ones.
	Revoked bool
}

// ListAllTokens pages every principal's tokens for an admin, newest first.
func (s *Service) ListAllTokens(ctx context.Context, p *access.Principal, f TokenFilter, pg database.Page) (*APITokenList, error) {
	if !p.Has(access.RoleAdmin) {
		return nil, problem.Forbidden("only an admin lists every token")
	}
	now := s.now()
	q := func() *gorm.DB {
		q := s.db.Conn(ctx).Table("api_tokens").Joins("JOIN users ON users.id = api_tokens.user_id")
		if f.Revoked {
			q = q.Where("api_tokens.revoked_at IS NOT NULL")
		} else {
			q = q.Where("api_tokens.revoked_at IS NULL")
		}
		if f.OwnerID != nil {
			q = q.Where("api_tokens.user_id = ?", *f.OwnerID)
		}
		if f.Kind != "" {
			q = q.Where("users.kind = ?", f.Kind)
		}
		if f.Expired != nil {
			if *f.Expired {
				q = q.Where("api_tokens.expires_at IS NOT NULL AND api_tokens.expires_at <= ?", now)
			} else {
				q = q.Where("api_tokens.expires_at IS NULL OR api_tokens.expires_at > ?", now)
			}
		}
		return q
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count tokens: %w", err)
	}
	var rows []apiToken
	if err := q().Select("api_tokens.*").Order("api_tokens.created_at DESC, api_tokens.id DESC").
		Offset(pg.Offset()).Limit(pg.Size).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	owners := map[uuid.UUID]*TokenOwner{}
	var ids []uuid.UUID
	for _, r := range rows {
		ids = append(ids, r.UserID)
	}
	if len(ids) > 0 {
		var us []TokenOwner
		if err := s.db.Conn(ctx).Table("users").Select("id, username, display_name, kind, org_unit_id").
			Where("id IN ?", ids).Scan(&us).Error; err != nil {
			return nil, fmt.Errorf("token owners: %w", err)
		}
		for i := range us {
			owners[us[i].ID] = &us[i]
		}
	}
	out := &APITokenList{Data: make([]APIToken, 0, len(rows)), Total: total, Page: pg.Page, PageSize: pg.Size}
	for _, r := range rows {
		v := r.view()
		v.Owner = owners[r.UserID]
		out.Data = append(out.Data, v)
	}
	return out, nil
}

// RevokeAnyToken revokes a token of anyone, for an admin. The next request with it
// answers 401 in every process: tokens are looked up in the database each time.
func (s *Service) RevokeAnyToken(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an admin revokes another's token")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var row apiToken
		if err := s.db.Conn(ctx).Where("id = ? AND revoked_at IS NULL", id).Take(&row).Error; err != nil {
			return problem.NotFound("API token")
		}
		if err := s.db.Conn(ctx).Model(&apiToken{}).Where("id = ?", id).Update("revoked_at", s.now()).Error; err != nil {
			return fmt.Errorf("revoke API token: %w", err)
		}
		return s.audit.Record(ctx, &p.UserID, audit.TokenRevoked, "api_token", id.String(),
			map[string]any{"owner_id": row.UserID.String(), "by_admin": true})
	})
}
