package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// ChangePassword sets the principal's password after checking the current one. It
// clears must_change_password and ends every other session of the user; session is
// the caller's own session, which stays open. The user's personal API tokens are
// revoked too, unless the request asks to keep them.
//
// Wrong current passwords count against the brute-force guard of the username at
// the caller's address, so a stolen access token cannot be used to guess the
// password.
func (s *Service) ChangePassword(ctx context.Context, p *access.Principal, session uuid.UUID, req ChangePasswordRequest) error {
	if err := requireSession(p); err != nil {
		return err
	}
	keys := []throttleKey{{pairKey(p.Username, audit.RequestFrom(ctx).IP), s.cfg.Throttle.MaxUserFailures, true}}
	if err := s.reserve(ctx, keys); err != nil {
		return err
	}
	u, reason, err := s.checkPassword(ctx, p.Username, req.CurrentPassword)
	var busy notChecked
	if errors.As(err, &busy) {
		_ = s.unreserve(ctx, keys)
		return busy.err
	}
	if err != nil {
		return err
	}
	if reason != "" {
		err := s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
			if err := s.recordFailure(ctx, keys); err != nil {
				return err
			}
			return s.audit.Record(ctx, &p.UserID, audit.LoginFailed, "user", p.Username,
				map[string]any{"reason": "wrong_current_password"})
		})
		if err != nil {
			return err
		}
		return problem.Field("current_password", "mismatch", "is not your current password")
	}
	if err := s.recordSuccessNow(ctx, keys); err != nil {
		return err
	}
	if msg := users.CheckPasswordPolicy(u.Username, req.NewPassword); msg != "" {
		return problem.Field("new_password", "policy", msg)
	}
	if req.NewPassword == req.CurrentPassword {
		return problem.Field("new_password", "policy", "must differ from the current password")
	}
	hash, err := users.HashPassword(req.NewPassword)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		if err := s.db.Conn(ctx).Model(&users.User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": false, "password_changed_at": now,
			"version": gorm.Expr("version + 1"), "updated_at": now,
		}).Error; err != nil {
			return fmt.Errorf("store password: %w", err)
		}
		if err := s.revokeOtherSessions(ctx, u.ID, session); err != nil {
			return err
		}
		revoked := int64(0)
		if !req.KeepAPITokens {
			n, err := s.revokeAPITokens(ctx, u.ID)
			if err != nil {
				return err
			}
			revoked = n
		}
		return s.audit.Record(ctx, &u.ID, audit.PasswordChanged, "user", u.ID.String(),
			map[string]any{"api_tokens_revoked": revoked})
	})
}

// recordSuccessNow is recordSuccess in a transaction of its own.
func (s *Service) recordSuccessNow(ctx context.Context, keys []throttleKey) error {
	return s.db.InTx(ctx, func(ctx context.Context) error { return s.recordSuccess(ctx, keys) })
}

// revokeAPITokens revokes every active personal token of the user and says how many.
func (s *Service) revokeAPITokens(ctx context.Context, user uuid.UUID) (int64, error) {
	res := s.db.Conn(ctx).Model(&apiToken{}).Where("user_id = ? AND revoked_at IS NULL", user).
		Update("revoked_at", s.now())
	if res.Error != nil {
		return 0, fmt.Errorf("revoke API tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}
