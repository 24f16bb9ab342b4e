package sso

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/problem"
)

// The OIDC login, step by step:
//
//  1. GET /auth/oidc/login: Duban stores a login row (hash of the state, the PKCE
//     verifier, the nonce, where the web app wants to go) and a random cookie on
//     the browser, and sends the browser to the provider.
//  2. The person signs in at the provider, which sends the browser back to
//     GET /auth/oidc/callback with a code and the state.
//  3. Duban checks the state and the cookie (the same browser came back), trades
//     the code for tokens with the PKCE verifier, verifies the ID token (signature,
//     issuer, audience, expiry, nonce), finds the person's account, and sends the
//     browser to the web app's /login/sso with a one-time code in the fragment.
//  4. The web app trades that code for a session: POST /auth/oidc/session.
//
// Tokens never travel in a URL; the one-time code lives two minutes and works once.

// Paths of the flow (under the API prefix).
const (
	oidcLoginPath    = "/api/v1/auth/oidc/login"
	oidcCallbackPath = "/api/v1/auth/oidc/callback"
	cookieName       = "duban_oidc"
	cookiePath       = "/api/v1/auth/oidc"
	// loginTTL bounds the time at the provider; handoffTTL the one-time code's life.
	loginTTL   = 10 * time.Minute
	handoffTTL = 2 * time.Minute
)

// ssoLogin is a row of sso_logins.
type ssoLogin struct {
	ID           uuid.UUID `gorm:"type:uuid;primaryKey"`
	StateHash    string
	BrowserHash  string
	CodeVerifier string
	Nonce        string
	ReturnTo     string
	UserID       *uuid.UUID `gorm:"type:uuid"`
	HandoffHash  *string
	UsedAt       *time.Time
	ExpiresAt    time.Time
	CreatedAt    time.Time
}

func (ssoLogin) TableName() string { return "sso_logins" }

// oidcClient is the provider, discovered at the first use.
type oidcClient struct {
	cfg      config.OIDC
	redirect string

	mu       sync.Mutex
	provider *oidc.Provider
}

func newOIDCClient(cfg config.SSO) *oidcClient {
	return &oidcClient{cfg: cfg.OIDC, redirect: cfg.PublicURL + oidcCallbackPath}
}

// discover reads the provider's discovery document once it answers.
func (s *Service) discover(ctx context.Context) (*oidc.Provider, error) {
	c := s.oidc
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, s.http), c.cfg.Issuer)
	if err != nil {
		s.log.WarnContext(ctx, "OIDC discovery failed", "issuer", c.cfg.Issuer, "err", err)
		return nil, problem.New(problem.KindUnavailable, CodeProviderUnavailable,
			"the identity provider does not answer; try again later or sign in with a password").Wrap(err)
	}
	c.provider = p
	return p, nil
}

func (s *Service) oauth2Config(p *oidc.Provider) *oauth2.Config {
	scopes := []string{oidc.ScopeOpenID}
	for _, sc := range s.oidc.cfg.Scopes {
		if sc = strings.TrimSpace(sc); sc != "" && sc != oidc.ScopeOpenID {
			scopes = append(scopes, sc)
		}
	}
	return &oauth2.Config{ClientID: s.oidc.cfg.ClientID, ClientSecret: s.oidc.cfg.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: s.oidc.redirect, Scopes: scopes}
}

// StartedLogin is where to send the browser, and the cookie to set on it.
type StartedLogin struct {
	AuthURL string
	Cookie  *http.Cookie
}

// StartOIDC begins a login: returnTo is the web app's path to land on afterwards.
func (s *Service) StartOIDC(ctx context.Context, returnTo string) (*StartedLogin, error) {
	if s.oidc == nil {
		return nil, problem.New(problem.KindNotFound, CodeSSODisabled, "OIDC login is not configured")
	}
	p, err := s.discover(ctx)
	if err != nil {
		return nil, err
	}
	state, browser, nonce := randomToken(32), randomToken(32), randomToken(24)
	verifier := oauth2.GenerateVerifier()
	now := s.clock.Now()
	row := ssoLogin{ID: uuid.Must(uuid.NewV7()), StateHash: hashToken(state), BrowserHash: hashToken(browser),
		CodeVerifier: verifier, Nonce: nonce, ReturnTo: safeReturn(returnTo), ExpiresAt: now.Add(loginTTL), CreatedAt: now}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return nil, fmt.Errorf("store OIDC login: %w", err)
	}
	authURL := s.oauth2Config(p).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	return &StartedLogin{AuthURL: authURL, Cookie: &http.Cookie{
		Name: cookieName, Value: browser, Path: cookiePath, MaxAge: int(loginTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.cfg.PublicURL, "https://"),
	}}, nil
}

// CallbackResult is where the callback sends the browser.
type CallbackResult struct {
	Redirect string
}

// failure is a refused OIDC login: the web app shows a message for code.
type failure struct {
	code   string
	reason string
	err    error
}

func (f *failure) Error() string { return f.code + ": " + f.reason }

// Codes the web app receives in /login?sso_error=…
const (
	failDenied  = "sso_denied"       // the provider refused (the person cancelled, say)
	failExpired = "sso_expired"      // unknown, used or expired state, or another browser
	failInvalid = "sso_failed"       // the provider's answer did not verify
	failUnknown = "sso_unknown_user" // no Duban account for the person
	failBlocked = "sso_inactive"     // the account is deactivated
)

// FinishOIDC handles the provider's redirect. It always answers where to send the
// browser: the web app's /login/sso with a one-time code, or /login with an error
// code; what went wrong is logged and audited.
func (s *Service) FinishOIDC(ctx context.Context, q url.Values, browserCookie string) CallbackResult {
	handoff, returnTo, err := s.finish(ctx, q, browserCookie)
	if err != nil {
		var f *failure
		if !errors.As(err, &f) {
			f = &failure{code: failInvalid, reason: "internal", err: err}
		}
		s.log.WarnContext(ctx, "OIDC login refused", "code", f.code, "reason", f.reason, "err", f.err)
		if f.code != failExpired {
			_ = s.audit.Record(ctx, nil, audit.LoginFailed, "user", "", map[string]any{"reason": f.reason, "method": auth.MethodOIDC})
		}
		return CallbackResult{Redirect: s.cfg.PublicURL + "/login?sso_error=" + f.code}
	}
	v := url.Values{}
	if returnTo != "" {
		v.Set("next", returnTo)
	}
	target := s.cfg.PublicURL + "/login/sso"
	if len(v) > 0 {
		target += "?" + v.Encode()
	}
	return CallbackResult{Redirect: target + "#code=" + url.QueryEscape(handoff)}
}

func (s *Service) finish(ctx context.Context, q url.Values, browserCookie string) (handoff, returnTo string, err error) {
	if s.oidc == nil {
		return "", "", &failure{code: failInvalid, reason: "not_configured"}
	}
	state := q.Get("state")
	if state == "" {
		return "", "", &failure{code: failExpired, reason: "no_state"}
	}
	var row ssoLogin
	now := s.clock.Now()
	if err := s.db.Conn(ctx).Where("state_hash = ?", hashToken(state)).Take(&row).Error; err != nil {
		return "", "", &failure{code: failExpired, reason: "unknown_state", err: err}
	}
	// Claim the row at once: a state works once, whatever happens next.
	res := s.db.Conn(ctx).Model(&ssoLogin{}).Where("id = ? AND used_at IS NULL AND user_id IS NULL", row.ID).
		Update("used_at", now)
	if res.Error != nil {
		return "", "", fmt.Errorf("claim OIDC login: %w", res.Error)
	}
	switch {
	case res.RowsAffected == 0:
		return "", "", &failure{code: failExpired, reason: "state_reused"}
	case !row.ExpiresAt.After(now):
		return "", "", &failure{code: failExpired, reason: "state_expired"}
	case browserCookie == "" || hashToken(browserCookie) != row.BrowserHash:
		return "", "", &failure{code: failExpired, reason: "other_browser"}
	}
	if e := q.Get("error"); e != "" {
		return "", "", &failure{code: failDenied, reason: "provider_error", err: fmt.Errorf("%s: %s", e, q.Get("error_description"))}
	}
	claims, err := s.verify(ctx, q.Get("code"), row)
	if err != nil {
		return "", "", err
	}
	user, reason, err := s.resolve(ctx, s.oidcIdentity(claims))
	if err != nil {
		return "", "", err
	}
	switch reason {
	case "":
	case reasonInactive:
		return "", "", &failure{code: failBlocked, reason: reason}
	default:
		return "", "", &failure{code: failUnknown, reason: reason, err: fmt.Errorf("%s=%v", s.oidc.cfg.MatchClaim, claims[s.oidc.cfg.MatchClaim])}
	}
	code := randomToken(32)
	h := hashToken(code)
	if err := s.db.Conn(ctx).Model(&ssoLogin{}).Where("id = ?", row.ID).Updates(map[string]any{
		"user_id": user, "handoff_hash": h, "used_at": nil, "expires_at": s.clock.Now().Add(handoffTTL),
	}).Error; err != nil {
		return "", "", fmt.Errorf("store OIDC handoff: %w", err)
	}
	return code, row.ReturnTo, nil
}

// verify trades the code for tokens and checks the ID token; it answers the
// person's claims (the ID token's, completed from the userinfo endpoint).
func (s *Service) verify(ctx context.Context, code string, row ssoLogin) (map[string]any, error) {
	if code == "" {
		return nil, &failure{code: failInvalid, reason: "no_code"}
	}
	p, err := s.discover(ctx)
	if err != nil {
		return nil, &failure{code: failInvalid, reason: "provider_unavailable", err: err}
	}
	octx := oidc.ClientContext(ctx, s.http)
	tok, err := s.oauth2Config(p).Exchange(octx, code, oauth2.VerifierOption(row.CodeVerifier))
	if err != nil {
		return nil, &failure{code: failInvalid, reason: "code_exchange", err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, &failure{code: failInvalid, reason: "no_id_token"}
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID, Now: s.clock.Now}).Verify(octx, raw)
	if err != nil {
		return nil, &failure{code: failInvalid, reason: "id_token", err: err}
	}
	if idt.Nonce != row.Nonce {
		return nil, &failure{code: failInvalid, reason: "nonce"}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, &failure{code: failInvalid, reason: "claims", err: err}
	}
	// Providers keep profile claims for the userinfo endpoint when an access token
	// is issued; ask it for what the ID token lacks (its subject must match).
	if p.UserInfoEndpoint() != "" && (claims[s.oidc.cfg.MatchClaim] == nil || claims["name"] == nil) {
		info, err := p.UserInfo(octx, oauth2.StaticTokenSource(tok))
		if err != nil {
			s.log.WarnContext(ctx, "OIDC userinfo failed", "err", err)
		} else if info.Subject == idt.Subject {
			more := map[string]any{}
			if err := info.Claims(&more); err == nil {
				for k, v := range more {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	return claims, nil
}

// oidcIdentity reads the claims. An e-mail only names someone when the provider
// has verified it.
func (s *Service) oidcIdentity(claims map[string]any) identity {
	str := func(k string) string {
		switch v := claims[k].(type) {
		case string:
			return v
		case float64:
			return fmt.Sprintf("%.0f", v)
		}
		return ""
	}
	verified, _ := claims["email_verified"].(bool)
	id := identity{
		method: auth.MethodOIDC, field: s.oidc.cfg.MatchField, value: str(s.oidc.cfg.MatchClaim),
		externalID: str("sub"), username: str("preferred_username"), displayName: str("name"),
		phone: str("phone_number"), employeeNo: str("employee_number"),
	}
	if verified {
		id.email = str("email")
	} else if s.oidc.cfg.MatchClaim == "email" {
		id.value = ""
	}
	if id.employeeNo == "" && s.oidc.cfg.MatchField == "employee_no" {
		id.employeeNo = id.value
	}
	return id
}

// ExchangeOIDC trades the one-time code of a finished OIDC login for a session.
func (s *Service) ExchangeOIDC(ctx context.Context, code string) (*auth.TokenPair, error) {
	bad := problem.New(problem.KindUnauthenticated, CodeInvalidHandoff, "the login code is invalid, used or expired; sign in again")
	if code == "" {
		return nil, bad
	}
	var row ssoLogin
	if err := s.db.Conn(ctx).Where("handoff_hash = ?", hashToken(code)).Take(&row).Error; err != nil {
		return nil, bad
	}
	now := s.clock.Now()
	res := s.db.Conn(ctx).Model(&ssoLogin{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", row.ID, now).
		Update("used_at", now)
	if res.Error != nil {
		return nil, fmt.Errorf("claim OIDC handoff: %w", res.Error)
	}
	if res.RowsAffected == 0 || row.UserID == nil {
		return nil, bad
	}
	return s.auth.OpenSession(ctx, *row.UserID, auth.MethodOIDC, nil)
}

// safeReturn keeps only paths of the web app.
func safeReturn(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || len(p) > 500 {
		return ""
	}
	return p
}
