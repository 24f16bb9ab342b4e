package auth

import (
	"context"
	"errors"
	"log/slog"
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
		if !p.Service || isRead(c.Request().Method) {
			return next(c)
		}
		err = next(c)
		s.recordServiceWrite(c, p, err)
		return err
	}
}

// ServiceAccountRequest is the audit action of a change a service account made.
const ServiceAccountRequest = "service_account.request"

// recordServiceWrite puts every successful change of a service account into the
// audit log, with the token it used: the account's activity (GET
// /service-accounts/{id}/activity). It runs after the change committed; a failure
// to record is logged, the answer stands.
func (s *Service) recordServiceWrite(c echo.Context, p *access.Principal, err error) {
	status := c.Response().Status
	if err != nil || status >= 400 || !c.Response().Committed {
		return
	}
	route := strings.NewReplacer(":id", "{id}").Replace(c.Path())
	details := map[string]any{
		"method": c.Request().Method, "route": route, "path": c.Request().URL.Path,
		"status": status, "token_id": p.TokenID.String(),
	}
	ctx := context.WithoutCancel(c.Request().Context())
	if rerr := s.audit.Record(ctx, &p.UserID, ServiceAccountRequest, "route",
		c.Request().Method+" "+route, details); rerr != nil {
		slog.ErrorContext(ctx, "audit of a service account's change failed", "err", rerr, "route", route)
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
// password may only read /me and change the password; an API token needs the
// route's scope (scopes.go).
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
	if p.TokenScopes == nil {
		return nil
	}
	need := RequiredScope(method, route)
	if need == ScopeSession {
		return problem.New(problem.KindForbidden, CodeSessionRequired,
			"this action needs a login session, not an API token")
	}
	if !p.HasScope(need) {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="duban", error="insufficient_scope", scope="`+need+`"`)
		return problem.New(problem.KindForbidden, CodeInsufficientScope,
			"this API token lacks the scope "+need).With("missing_scope", need)
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
