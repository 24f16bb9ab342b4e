package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Logins that are not a local password: single sign-on (OIDC) and directory binds
// (LDAP) prove who someone is elsewhere and then open the same kind of session as a
// password login: a refresh-token family that rotates, can be revoked, and ends
// when the account is deactivated. The audit log records the method of each login.

// Login methods, as the audit log's "method" detail names them.
const (
	MethodPassword = "password"
	MethodOIDC     = "oidc"
	MethodLDAP     = "ldap"
)

// CodePasswordLoginDisabled: local passwords are turned off for this account; it
// signs in with single sign-on (403).
const CodePasswordLoginDisabled = "password_login_disabled"

// externalState is the configuration of logins besides the local password.
type externalState struct {
	// passwordOff: local passwords work only for breakGlass.
	passwordOff bool
	breakGlass  string
}

// DisablePasswordLogin turns local passwords off for every account except
// breakGlass (the emergency admin who gets in when single sign-on is down). Call it
// while wiring, before serving.
func (s *Service) DisablePasswordLogin(breakGlass string) {
	s.external = externalState{passwordOff: true, breakGlass: strings.ToLower(strings.TrimSpace(breakGlass))}
}

// PasswordLoginFor reports whether the local password of username may be used.
func (s *Service) PasswordLoginFor(username string) bool {
	if !s.external.passwordOff {
		return true
	}
	return s.external.breakGlass != "" && strings.ToLower(strings.TrimSpace(username)) == s.external.breakGlass
}

// PasswordLoginOpen reports whether local passwords work for everyone.
func (s *Service) PasswordLoginOpen() bool { return !s.external.passwordOff }

// checkPasswordLogin refuses a password login that is turned off. It answers the
// same for every name but the break-glass one, so it tells nothing about who exists.
func (s *Service) checkPasswordLogin(username string) error {
	if s.PasswordLoginFor(username) {
		return nil
	}
	return problem.New(problem.KindForbidden, CodePasswordLoginDisabled,
		"local passwords are turned off; sign in with single sign-on (统一身份认证)")
}

// OpenSession opens a login session for a user whose identity was proven by
// method (MethodOIDC, MethodLDAP). details (never secrets) go to the audit event
// next to the method and the session id. An inactive or missing user gets the 401
// of a failed login, and the failure is audited.
func (s *Service) OpenSession(ctx context.Context, user uuid.UUID, method string, details map[string]any) (*TokenPair, error) {
	var pair *TokenPair
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := users.LoadPrincipal(ctx, s.db, user)
		if errors.Is(err, users.ErrNoUser) {
			return s.audit.Record(ctx, &user, audit.LoginFailed, "user", user.String(),
				map[string]any{"reason": "inactive", "method": method})
		}
		if err != nil {
			return err
		}
		family := uuid.Must(uuid.NewV7())
		refresh, err := s.newRefreshToken(ctx, user, family, s.now())
		if err != nil {
			return err
		}
		ev := map[string]any{"session": family.String(), "method": method}
		for k, v := range details {
			if _, taken := ev[k]; !taken {
				ev[k] = v
			}
		}
		if err := s.audit.Record(ctx, &user, audit.LoginSucceeded, "user", user.String(), ev); err != nil {
			return err
		}
		pair, err = s.pair(ctx, user, family, refresh)
		return err
	})
	if err != nil {
		return nil, err
	}
	if pair == nil {
		return nil, errInvalidCredentials()
	}
	return pair, nil
}

// ErrExternalRejected is returned by an ExternalCheck whose credentials are wrong;
// Reason goes to the audit log ("wrong_password", "unknown_user", "inactive", ...).
type ErrExternalRejected struct{ Reason string }

func (e ErrExternalRejected) Error() string { return "credentials rejected: " + e.Reason }

// ExternalCheck proves a username and password elsewhere (an LDAP bind) and
// answers the Duban user they belong to, or ErrExternalRejected.
type ExternalCheck func(ctx context.Context) (uuid.UUID, error)

// GuardedLogin runs check under the brute-force guard of password logins (the same
// per-name and per-address counters and lockout) and opens a session when it
// passes. A rejection answers the one 401 of every failed login.
func (s *Service) GuardedLogin(ctx context.Context, username, method string, check ExternalCheck) (*TokenPair, error) {
	keys := s.throttleKeys(username, audit.RequestFrom(ctx).IP)
	// The attempt is counted before the directory is asked, as for passwords.
	if err := s.reserve(ctx, keys); err != nil {
		return nil, err
	}
	user, err := check(ctx)
	var rejected ErrExternalRejected
	if errors.As(err, &rejected) {
		var actor *uuid.UUID
		if user != uuid.Nil {
			actor = &user
		}
		err := s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
			if err := s.recordFailure(ctx, keys); err != nil {
				return err
			}
			return s.audit.Record(ctx, actor, audit.LoginFailed, "user", truncate(username, 64),
				map[string]any{"reason": rejected.Reason, "method": method})
		})
		if err != nil {
			return nil, err
		}
		return nil, errInvalidCredentials()
	}
	if err != nil {
		_ = s.unreserve(ctx, keys)
		return nil, err
	}
	pair, err := s.OpenSession(ctx, user, method, nil)
	if err != nil {
		return nil, err
	}
	if err := s.db.InTx(ctx, func(ctx context.Context) error { return s.recordSuccess(ctx, keys) }); err != nil {
		return nil, err
	}
	return pair, nil
}
