package apitest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/duban/duban/internal/auth"
)

// Issuer and audience as internal/app configures the auth service.
const (
	jwtIssuer   = "duban"
	jwtAudience = "duban-api"
)

// AuthConfig is the token configuration the application under test runs with.
func (e *Env) AuthConfig() auth.Config {
	return auth.Config{
		Secret:     []byte(e.App.Config.JWTSecret),
		Issuer:     jwtIssuer,
		Audience:   jwtAudience,
		AccessTTL:  e.App.Config.AccessTokenTTL,
		RefreshTTL: e.App.Config.RefreshTokenTTL,
		Clock:      e.App.Config.Clock,
	}
}

// Session is what a login returns.
type Session struct {
	AccessToken  string         `json:"access_token"`
	RefreshToken string         `json:"refresh_token"`
	TokenType    string         `json:"token_type"`
	ExpiresIn    int            `json:"expires_in"`
	User         map[string]any `json:"user"`
}

// LoginSession logs username in with TestPassword over HTTP and returns the pair.
func (e *Env) LoginSession(username string) Session {
	e.T.Helper()
	var s Session
	e.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": TestPassword}).
		Expect(200).JSON(&s)
	return s
}

// OpenSession starts a session for user straight in the database (no password, no
// HTTP) and returns an access token for it; edit, when given, changes the claims
// before signing (to make a token expired, for another audience, ...).
func (e *Env) OpenSession(user uuid.UUID, edit ...func(*auth.Claims)) string {
	e.T.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	family := uuid.Must(uuid.NewV7())
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	sum := sha256.Sum256(secret)
	if err := e.DB.Gorm().Table("refresh_tokens").Create(map[string]any{
		"id": uuid.Must(uuid.NewV7()), "family_id": family, "user_id": user, "token_hash": hex.EncodeToString(sum[:]),
		"expires_at": now.Add(time.Hour), "user_agent": "apitest", "ip": "", "created_at": now,
	}).Error; err != nil {
		e.T.Fatalf("open session: %v", err)
	}
	cfg := e.AuthConfig()
	claims := auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: cfg.Issuer, Subject: user.String(), Audience: jwt.ClaimStrings{cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(cfg.AccessTTL)), IssuedAt: jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now), ID: uuid.NewString(),
		},
		SessionID: family.String(),
	}
	for _, f := range edit {
		f(&claims)
	}
	tok, err := auth.SignClaims(cfg.Secret, claims)
	if err != nil {
		e.T.Fatalf("sign token: %v", err)
	}
	return tok
}

// SetMustChangePassword sets or clears the user's must_change_password flag.
func (e *Env) SetMustChangePassword(user uuid.UUID, must bool) {
	e.T.Helper()
	if err := e.DB.Gorm().Table("users").Where("id = ?", user).Update("must_change_password", must).Error; err != nil {
		e.T.Fatalf("set must_change_password: %v", err)
	}
}

// SetActive activates or deactivates a user.
func (e *Env) SetActive(user uuid.UUID, active bool) {
	e.T.Helper()
	if err := e.DB.Gorm().Table("users").Where("id = ?", user).Update("active", active).Error; err != nil {
		e.T.Fatalf("set active: %v", err)
	}
}

// AuditCount counts audit events with the action.
func (e *Env) AuditCount(action string) int64 {
	e.T.Helper()
	var n int64
	if err := e.DB.Gorm().Table("audit_events").Where("action = ?", action).Count(&n).Error; err != nil {
		e.T.Fatalf("count audit events: %v", err)
	}
	return n
}
