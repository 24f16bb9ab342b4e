package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// signingMethod is the only algorithm issued and accepted. Pinning it on the parser
// rules out "alg": "none" and key-confusion attacks.
var signingMethod = jwt.SigningMethodHS256

// Claims are the claims of an access JWT.
type Claims struct {
	jwt.RegisteredClaims
	// SessionID is the refresh-token family the access token was issued for; revoking
	// the family (logout, reuse detection, password change) ends the access token too.
	SessionID string `json:"sid"`
}

// AccessToken is a verified access token.
type AccessToken struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	ID        string
	ExpiresAt time.Time
}

// errInvalidToken is returned for every unusable token; the reason stays in the
// wrapped error for logs and tests.
var errInvalidToken = errors.New("invalid access token")

// IssueAccessToken signs an access JWT for user in the session (refresh family) sid.
func IssueAccessToken(cfg Config, user, sid uuid.UUID, now time.Time) (string, time.Time, error) {
	cfg = cfg.withDefaults()
	exp := now.Add(cfg.AccessTTL)
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    cfg.Issuer,
			Subject:   user.String(),
			Audience:  jwt.ClaimStrings{cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.Must(uuid.NewV7()).String(),
		},
		SessionID: sid.String(),
	}
	s, err := SignClaims(cfg.Secret, claims)
	return s, exp, err
}

// SignClaims signs arbitrary claims with the service's algorithm. Tests use it to
// build expired or otherwise odd tokens.
func SignClaims(secret []byte, claims jwt.Claims) (string, error) {
	s, err := jwt.NewWithClaims(signingMethod, claims).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return s, nil
}

// ParseAccessToken verifies signature, algorithm, issuer, audience, expiry (with
// Leeway) and the presence of sub, jti and sid.
func ParseAccessToken(cfg Config, raw string, now time.Time) (*AccessToken, error) {
	cfg = cfg.withDefaults()
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{signingMethod.Alg()}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var claims Claims
	_, err := parser.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return cfg.Secret, nil })
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidToken, err)
	}
	user, err := uuid.Parse(claims.Subject)
	if err != nil {
		return nil, fmt.Errorf("%w: subject is not a user id", errInvalidToken)
	}
	sid, err := uuid.Parse(claims.SessionID)
	if err != nil {
		return nil, fmt.Errorf("%w: no session id", errInvalidToken)
	}
	if claims.ID == "" {
		return nil, fmt.Errorf("%w: no token id", errInvalidToken)
	}
	return &AccessToken{UserID: user, SessionID: sid, ID: claims.ID, ExpiresAt: claims.ExpiresAt.Time}, nil
}
