package sso

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/directory"
	"github.com/duban/duban/internal/problem"
)

// LDAPLogin checks the login name and password against the directory (search,
// then bind as the person) under the brute-force guard of password logins, and
// opens a session for the person's Duban account. Group-to-role mapping, when
// configured, updates the roles it manages at every login.
func (s *Service) LDAPLogin(ctx context.Context, username, password string) (*auth.TokenPair, error) {
	if s.dir == nil {
		return nil, problem.New(problem.KindNotFound, CodeSSODisabled, "LDAP login is not configured")
	}
	return s.auth.GuardedLogin(ctx, username, auth.MethodLDAP, func(ctx context.Context) (uuid.UUID, error) {
		p, err := s.dir.Authenticate(ctx, username, password)
		switch {
		case errors.Is(err, directory.ErrInvalidCredentials):
			return uuid.Nil, auth.ErrExternalRejected{Reason: "wrong_password"}
		case errors.Is(err, directory.ErrAmbiguous):
			return uuid.Nil, auth.ErrExternalRejected{Reason: reasonAmbiguous}
		case err != nil:
			s.log.WarnContext(ctx, "LDAP login: directory unavailable", "err", err)
			return uuid.Nil, problem.New(problem.KindUnavailable, CodeProviderUnavailable,
				"the directory does not answer; try again later").Wrap(err)
		}
		cfg := s.dir.Config()
		id := identity{
			method: auth.MethodLDAP, field: cfg.MatchField, value: p.Field(cfg.MatchField), externalID: p.ID,
			username: p.Username, displayName: p.DisplayName, email: p.Email, phone: p.Phone,
			employeeNo: p.EmployeeNo, title: p.Title,
		}
		if managed := s.dir.ManagedRoles(); len(managed) > 0 {
			id.roles, id.managed = p.Roles, managed
		}
		user, reason, err := s.resolve(ctx, id)
		if err != nil {
			return uuid.Nil, err
		}
		if reason != "" {
			return user, auth.ErrExternalRejected{Reason: reason}
		}
		return user, nil
	})
}
