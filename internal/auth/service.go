// Package auth authenticates callers: password login with a brute-force guard,
// short-lived access JWTs, rotating refresh tokens with reuse detection, personal
// API tokens, and the middleware that turns a bearer token into an
// access.Principal.
package auth

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// Config holds the token settings.
type Config struct {
	Secret     []byte
	Issuer     string
	Audience   string
	AccessTTL  time.Duration
	RefreshTTL time.Duration
}

// Service authenticates users.
type Service struct {
	db    *database.DB
	audit *audit.Log
	cfg   Config
}

// NewService returns the auth service.
func NewService(db *database.DB, log *audit.Log, cfg Config) *Service {
	return &Service{db: db, audit: log, cfg: cfg}
}

// Authenticate is the middleware of every protected route: it requires a valid
// bearer token (access JWT or personal API token) and puts the Principal into the
// request context. Missing or invalid credentials answer 401.
func (s *Service) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error { return echo.ErrUnauthorized }
}
