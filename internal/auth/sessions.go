package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// A login session is a family of refresh tokens. Each refresh marks the presented
// token used and issues the next one of the family; presenting a used or revoked
// token again means it was copied, so the whole family is revoked.

// Login checks the password under the brute-force guard and opens a session.
func (s *Service) Login(ctx context.Context, username, password string) (*TokenPair, error) {
	if err := s.checkPasswordLogin(username); err != nil {
		return nil, err
	}
	meta := audit.RequestFrom(ctx)
	keys := s.throttleKeys(username, meta.IP)
	if err := s.reserve(ctx, keys); err != nil {
		return nil, err
	}
	u, reason, err := s.checkPassword(ctx, username, password)
	var busy notChecked
	if errors.As(err, &busy) {
		_ = s.unreserve(ctx, keys)
		return nil, busy.err
	}
	if err != nil {
		return nil, err
	}
	if reason != "" {
		var actor *uuid.UUID
		if u.ID != uuid.Nil {
			actor = &u.ID
		}
		err := s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
			if err := s.recordFailure(ctx, keys); err != nil {
				return err
			}
			return s.audit.Record(ctx, actor, audit.LoginFailed, "user", truncate(username, 64),
				map[string]any{"reason": reason})
		})
		if err != nil {
			return nil, err
		}
		return nil, errInvalidCredentials()
	}

	var pair *TokenPair
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		family := uuid.Must(uuid.NewV7())
		refresh, err := s.newRefreshToken(ctx, u.ID, family, s.now())
		if err != nil {
			return err
		}
		if err := s.recordSuccess(ctx, keys); err != nil {
			return err
		}
		if err := s.audit.Record(ctx, &u.ID, audit.LoginSucceeded, "user", u.ID.String(),
			map[string]any{"session": family.String(), "method": MethodPassword}); err != nil {
			return err
		}
		pair, err = s.pair(ctx, u.ID, family, refresh)
		return err
	})
	if err != nil {
		return nil, err
	}
	return pair, nil
}

// notChecked is the answer for a password that was not checked at all (the server
// had no hashing slot free): the attempt does not count.
type notChecked struct{ err error }

func (n notChecked) Error() string { return "password not checked: " + n.err.Error() }

// checkPassword looks the user up and verifies the password within the hashing
// bound. reason is "" for a right password of an active user, else why not.
func (s *Service) checkPassword(ctx context.Context, username, password string) (users.User, string, error) {
	var u users.User
	err := s.db.Conn(ctx).Where("username = ?", username).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return u, "", fmt.Errorf("login: %w", err)
	}
	release, gerr := s.hashes.acquire(ctx)
	if gerr != nil {
		return u, "", notChecked{gerr}
	}
	defer release()
	if errors.Is(err, gorm.ErrRecordNotFound) || u.Kind == users.KindService {
		// A service account has no password: it answers like an unknown name.
		users.BurnPasswordCheck(password) // same cost as a wrong password
		return u, "unknown_user", nil
	}
	ok, verr := users.VerifyPassword(u.PasswordHash, password)
	switch {
	case verr != nil:
		return u, "", fmt.Errorf("login %s: %w", u.ID, verr)
	case !ok:
		return u, "wrong_password", nil
	case !u.Active:
		return u, "inactive", nil
	}
	return u, "", nil
}

// Refresh rotates a refresh token: the presented one dies, the answer carries its
// successor in the same family.
func (s *Service) Refresh(ctx context.Context, raw string) (*TokenPair, error) {
	var (
		pair *TokenPair
		deny bool // commit what the transaction did (revocations), then answer 401
	)
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.Conn(ctx)
		var rt refreshToken
		if err := conn.Where("token_hash = ?", hashToken(raw)).Take(&rt).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errInvalidRefresh()
			}
			return fmt.Errorf("refresh: %w", err)
		}
		now := s.now()
		// Claim the token atomically: of two concurrent refreshes with the same token
		// only one wins; the other counts as reuse.
		res := conn.Model(&refreshToken{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", rt.ID).
			Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("refresh: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			deny = true
			if err := s.revokeFamily(ctx, rt.FamilyID); err != nil {
				return err
			}
			return s.audit.Record(ctx, &rt.UserID, audit.RefreshReused, "session", rt.FamilyID.String(),
				map[string]any{"token_id": rt.ID.String()})
		}
		if !rt.ExpiresAt.After(now) {
			return errInvalidRefresh()
		}
		if _, err := users.LoadPrincipal(ctx, s.db, rt.UserID); err != nil {
			if errors.Is(err, users.ErrNoUser) {
				// Deactivated: the session ends here.
				if err := s.revokeFamily(ctx, rt.FamilyID); err != nil {
					return err
				}
				deny = true
				return nil
			}
			return err
		}
		next, err := s.newRefreshToken(ctx, rt.UserID, rt.FamilyID, rt.startedAt())
		if err != nil {
			return err
		}
		pair, err = s.pair(ctx, rt.UserID, rt.FamilyID, next)
		return err
	})
	if err != nil {
		return nil, err
	}
	if deny {
		return nil, errInvalidRefresh()
	}
	return pair, nil
}

// Logout ends the session the refresh token belongs to. An unknown token is not an
// error: the session is over either way.
func (s *Service) Logout(ctx context.Context, raw string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var rt refreshToken
		err := s.db.Conn(ctx).Where("token_hash = ?", hashToken(raw)).Take(&rt).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if err := s.revokeFamily(ctx, rt.FamilyID); err != nil {
			return err
		}
		return s.audit.Record(ctx, &rt.UserID, audit.Logout, "session", rt.FamilyID.String(), nil)
	})
}

// startedAt is when the token's session began (rows from before migration 0031
// that were not backfilled count from their own creation).
func (rt refreshToken) startedAt() time.Time {
	if rt.SessionStartedAt != nil {
		return *rt.SessionStartedAt
	}
	return rt.CreatedAt
}

func errInvalidRefresh() *problem.Problem {
	return problem.Unauthorized("the refresh token is invalid, expired or already used; log in again")
}

// Prune deletes what neither the brute-force guard nor the sessions need any more:
// throttle counters whose window, lock and lock count are long over, and refresh
// tokens that expired more than a day ago. A periodic job should call it (hourly is
// plenty); nothing else depends on it running.
func (s *Service) Prune(ctx context.Context) error {
	now := s.now()
	// A key is kept while its lock count may still lengthen its next lock.
	stale := now.Add(-(s.cfg.Throttle.Window + s.cfg.Throttle.LockCountDecay))
	if err := s.db.Conn(ctx).Where("updated_at < ? AND (locked_until IS NULL OR locked_until < ?)", stale, stale).
		Delete(&loginThrottle{}).Error; err != nil {
		return fmt.Errorf("prune login throttle: %w", err)
	}
	if err := s.db.Conn(ctx).Where("expires_at < ?", now.Add(-24*time.Hour)).Delete(&refreshToken{}).Error; err != nil {
		return fmt.Errorf("prune refresh tokens: %w", err)
	}
	return nil
}

// newRefreshToken stores a new link of family, a session that began at started,
// and returns its secret. The link expires after RefreshTTL, and never later than
// the session's maximum age.
func (s *Service) newRefreshToken(ctx context.Context, user, family uuid.UUID, started time.Time) (string, error) {
	raw := randomToken(32)
	meta := audit.RequestFrom(ctx)
	now := s.now()
	expires := now.Add(s.cfg.RefreshTTL)
	if end := started.Add(s.cfg.SessionMaxAge); end.Before(expires) {
		expires = end
	}
	rt := refreshToken{
		ID: uuid.Must(uuid.NewV7()), FamilyID: family, UserID: user, TokenHash: hashToken(raw),
		ExpiresAt: expires, UserAgent: truncate(meta.UserAgent, 300), IP: truncate(meta.IP, 64),
		CreatedAt: now, SessionStartedAt: &started,
	}
	if err := s.db.Conn(ctx).Create(&rt).Error; err != nil {
		return "", fmt.Errorf("store refresh token: %w", err)
	}
	return raw, nil
}

// revokeFamily ends every token of a session.
func (s *Service) revokeFamily(ctx context.Context, family uuid.UUID) error {
	err := s.db.Conn(ctx).Model(&refreshToken{}).Where("family_id = ? AND revoked_at IS NULL", family).
		Update("revoked_at", s.now()).Error
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// revokeOtherSessions ends every session of user except keep.
func (s *Service) revokeOtherSessions(ctx context.Context, user, keep uuid.UUID) error {
	err := s.db.Conn(ctx).Model(&refreshToken{}).
		Where("user_id = ? AND family_id <> ? AND revoked_at IS NULL", user, keep).
		Update("revoked_at", s.now()).Error
	if err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	return nil
}

// sessionActive reports whether the session family still has a live token. A
// family whose tokens are all revoked was logged out or caught being reused.
func (s *Service) sessionActive(ctx context.Context, user, family uuid.UUID) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&refreshToken{}).
		Where("family_id = ? AND user_id = ? AND revoked_at IS NULL", family, user).Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check session: %w", err)
	}
	return n > 0, nil
}

// pair issues the access token and builds the answer of login and refresh.
func (s *Service) pair(ctx context.Context, user, family uuid.UUID, refresh string) (*TokenPair, error) {
	access, _, err := IssueAccessToken(s.cfg, user, family, s.now())
	if err != nil {
		return nil, err
	}
	p, err := users.LoadPrincipal(ctx, s.db, user)
	if err != nil {
		return nil, err
	}
	me, err := s.Me(ctx, p)
	if err != nil {
		return nil, err
	}
	return &TokenPair{
		AccessToken: access, RefreshToken: refresh, TokenType: "Bearer",
		ExpiresIn: int(s.cfg.AccessTTL / time.Second), User: *me,
	}, nil
}

// Me describes the principal's account.
func (s *Service) Me(ctx context.Context, p *access.Principal) (*Me, error) {
	var u users.User
	if err := s.db.Conn(ctx).Where("id = ?", p.UserID).Take(&u).Error; err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	var unit struct{ Name string }
	if err := s.db.Conn(ctx).Table("org_units").Select("name").Where("id = ?", p.UnitID).Take(&unit).Error; err != nil {
		return nil, fmt.Errorf("load unit: %w", err)
	}
	me := &Me{
		ID: p.UserID, Username: p.Username, DisplayName: p.DisplayName,
		OrgUnitID: p.UnitID, OrgUnitName: unit.Name, ScopeID: p.ScopeID,
		Roles: make([]string, 0, len(p.Roles)), Email: u.Email, Phone: u.Phone, Title: u.Title,
		MustChangePassword: p.MustChangePassword, IsSupervisionOffice: p.InSupervisionOffice,
		LiaisonOf: nonNil(p.LiaisonOf), TokenScopes: p.TokenScopes, HeadOf: []uuid.UUID{}, ActingFor: []ActingFor{},
		Kind: users.KindPerson, MayHaveTokens: MayHaveTokens(p),
	}
	if p.Service {
		me.Kind = users.KindService
	}
	for _, u := range p.HeadOf {
		if !slices.Contains(p.DelegatedHeadOf, u) {
			me.HeadOf = append(me.HeadOf, u)
		}
	}
	for _, d := range p.Deputizing {
		me.ActingFor = append(me.ActingFor, ActingFor{DelegationID: d.DelegationID, PrincipalID: d.PrincipalID,
			DisplayName: d.PrincipalName, EndsAt: d.EndsAt})
	}
	for _, r := range p.Roles {
		me.Roles = append(me.Roles, string(r))
	}
	return me, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
