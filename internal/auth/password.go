package auth

import (
	"context"
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
// the caller's own session, which stays open.
//
// Wrong current passwords count against the username's brute-force guard, so a
// stolen access token cannot be used to guess the password.
func (s *Service) ChangePassword(ctx context.Context, p *access.Principal, session uuid.UUID, req ChangePasswordRequest) error {
	if err := requireSession(p); err != nil {
		return err
	}
	keys := []throttleKey{{userKey(p.Username), s.cfg.Throttle.MaxUserFailures}}
	if err := s.checkLocked(ctx, keys); err != nil {
		return err
	}
	var u users.User
	if err := s.db.Conn(ctx).Where("id = ?", p.UserID).Take(&u).Error; err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	ok, err := users.VerifyPassword(u.PasswordHash, req.CurrentPassword)
	if err != nil {
		return fmt.Errorf("verify password of %s: %w", u.ID, err)
	}
	if !ok {
		err := s.db.InTx(ctx, func(ctx context.Context) error {
			if err := s.recordFailure(ctx, keys); err != nil {
				return err
			}
			return s.audit.Record(ctx, &u.ID, audit.LoginFailed, "user", u.Username,
				map[string]any{"reason": "wrong_current_password"})
		})
		if err != nil {
			return err
		}
		return problem.Field("current_password", "mismatch", "is not your current password")
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
		if err := s.resetUser(ctx, u.Username); err != nil {
			return err
		}
		return s.audit.Record(ctx, &u.ID, audit.PasswordChanged, "user", u.ID.String(), nil)
	})
}
