// Package sso signs people in with the company's identity system (统一身份认证):
// an OpenID Connect provider (authorization code with PKCE, discovery, ID-token
// validation) and LDAP / Active Directory (search, then bind as the person). Both
// end in a normal Duban session (auth.Service.OpenSession): rotating refresh
// tokens, revocation, deactivation, all as for a password login; the audit log
// records which way each person logged in.
//
// A person is matched to their Duban account by a configured field (username,
// employee number or e-mail); an unknown person is refused, or created in the
// configured unit with the role member when DUBAN_SSO_CREATE_USERS is on.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/directory"
)

// Problem codes of this package.
const (
	// CodeSSODisabled: the login method asked for is not configured (404).
	CodeSSODisabled = "sso_not_configured"
	// CodeProviderUnavailable: the identity provider or directory did not answer (503).
	CodeProviderUnavailable = "identity_provider_unavailable"
	// CodeInvalidHandoff: the one-time login code is unknown, used or expired (401).
	CodeInvalidHandoff = "invalid_login_code"
)

// Service signs people in through OIDC and LDAP.
type Service struct {
	db    *database.DB
	audit *audit.Log
	auth  *auth.Service
	cfg   config.SSO
	clock clock.Clock
	log   *slog.Logger
	http  *http.Client
	oidc  *oidcClient
	dir   *directory.Client
}

// New builds the service from the configuration. Nothing is contacted yet: the
// OIDC discovery happens at the first login, so Duban starts while the provider is
// down.
func New(db *database.DB, log *audit.Log, authSvc *auth.Service, cfg config.SSO, clk clock.Clock, logger *slog.Logger) (*Service, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: db, audit: log, auth: authSvc, cfg: cfg, clock: clock.Or(clk), log: logger.With("component", "sso"),
		http: &http.Client{Timeout: 15 * time.Second}}
	if cfg.OIDC.Enabled() {
		s.oidc = newOIDCClient(cfg)
	}
	if cfg.LDAP.Enabled() {
		d, err := directory.New(cfg.LDAP)
		if err != nil {
			return nil, err
		}
		s.dir = d
	}
	if !cfg.PasswordLogin {
		authSvc.DisablePasswordLogin(cfg.BreakGlassUsername)
	}
	return s, nil
}

// Methods tells the web app which logins exist.
func (s *Service) Methods() AuthMethods {
	m := AuthMethods{
		Password: PasswordMethod{Enabled: true, BreakGlassOnly: !s.cfg.PasswordLogin},
		OIDC:     OIDCMethod{Enabled: s.oidc != nil},
		LDAP:     LDAPMethod{Enabled: s.dir != nil},
	}
	if s.oidc != nil {
		m.OIDC.Label, m.OIDC.LoginURL = s.cfg.OIDC.Label, oidcLoginPath
	}
	if s.dir != nil {
		m.LDAP.Label = s.cfg.LDAP.Label
	}
	return m
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("sso: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// Prune deletes OIDC logins that ended or expired more than an hour ago. A periodic
// job may call it; nothing depends on it running.
func (s *Service) Prune(ctx context.Context) error {
	return s.db.Conn(ctx).Where("expires_at < ?", s.clock.Now().Add(-time.Hour)).Delete(&ssoLogin{}).Error
}
