package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Authenticate is the middleware of every protected route: it requires a valid
// bearer token (access JWT or personal API token) and puts the Principal into the
// request context. Missing or invalid credentials answer 401 with a
// WWW-Authenticate challenge; a session that must change its password, or a
// read-only token trying to write, answers 403.
func (s *Service) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="duban"`)
			return problem.Unauthorized("send Authorization: Bearer <access token or API token>")
		}
		ctx := c.Request().Context()
		p, session, err := s.Resolve(ctx, raw)
		if err != nil {
			if problem.IsUnauthenticated(err) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="duban", error="invalid_token"`)
			}
			return err
		}
		c.Set(httpserver.ContextUserID, p.UserID.String())
		if err := gate(c, p); err != nil {
			return err
		}
		ctx = access.WithPrincipal(ctx, p)
		if session != uuid.Nil {
			ctx = context.WithValue(ctx, sessionKey{}, session)
		}
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// Resolve turns a bearer token into the principal, and for an access JWT also the
// session (refresh family) it belongs to. Every failure is a 401 problem except
// database errors.
func (s *Service) Resolve(ctx context.Context, raw string) (*access.Principal, uuid.UUID, error) {
	if strings.HasPrefix(raw, APITokenPrefix) {
		p, err := s.principalForAPIToken(ctx, raw)
		return p, uuid.Nil, err
	}
	tok, err := ParseAccessToken(s.cfg, raw, s.now())
	if err != nil {
		return nil, uuid.Nil, errUnauthenticated("the access token is invalid or expired").Wrap(err)
	}
	active, err := s.sessionActive(ctx, tok.UserID, tok.SessionID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if !active {
		return nil, uuid.Nil, errUnauthenticated("the session has ended; log in again")
	}
	p, err := s.loadPrincipal(ctx, tok.UserID)
	if errors.Is(err, users.ErrNoUser) {
		return nil, uuid.Nil, errUnauthenticated("the account is inactive")
	}
	if err != nil {
		return nil, uuid.Nil, err
	}
	return p, tok.SessionID, nil
}

// gate applies the limits of the credentials: a session that must change its
// password may only read /me and change the password; a read-only API token may
// only read.
func gate(c echo.Context, p *access.Principal) error {
	method, route := c.Request().Method, c.Path()
	if p.MustChangePassword {
		allowed := (isRead(method) && route == httpserver.APIPrefix+"/me") ||
			(method == http.MethodPut && route == httpserver.APIPrefix+"/me/password")
		if !allowed {
			return problem.New(problem.KindForbidden, CodePasswordChangeRequired,
				"change your password first (PUT /api/v1/me/password)")
		}
	}
	if !isRead(method) && !p.CanWrite() {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="duban", error="insufficient_scope", scope="write"`)
		return problem.New(problem.KindForbidden, CodeInsufficientScope, "this API token may only read")
	}
	return nil
}

func isRead(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// bearerToken extracts the credentials of an "Authorization: Bearer <token>" header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

type sessionKey struct{}

// SessionFrom returns the session (refresh-token family) of the access token that
// authenticated the request; false for API tokens.
func SessionFrom(ctx context.Context) (uuid.UUID, bool) {
	id, ok := ctx.Value(sessionKey{}).(uuid.UUID)
	return id, ok
}
