package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// signingMethod is the only algorithm issued and accepted. Pinning it on the parser
// rules out "alg": "none" and key-confusion attacks.
var signingMethod = jwt.SigningMethodHS256

// KeyID names a signing secret in the "kid" header of the tokens it signs: the first
// 96 bits of its sha256, so the header tells which key to verify with without
// revealing anything about the key. Several processes with the same secret compute
// the same id.
func KeyID(secret []byte) string {
	sum := sha256.Sum256(secret)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// verificationKeys are the keys an access token may be signed with, by key id: the
// current secret and every previous one still accepted during a rotation
// (Config.PreviousSecrets).
func (c Config) verificationKeys() map[string][]byte {
	keys := make(map[string][]byte, 1+len(c.PreviousSecrets))
	for _, k := range c.PreviousSecrets {
		if len(k) > 0 {
			keys[KeyID(k)] = k
		}
	}
	keys[KeyID(c.Secret)] = c.Secret
	return keys
}

// keyFunc picks the verification key by the token's kid. A token without one was
// issued before key ids existed: it is checked against every accepted key, so an
// upgrade logs no one out. An unknown kid is refused outright (a retired key).
func (c Config) keyFunc() jwt.Keyfunc {
	keys := c.verificationKeys()
	return func(t *jwt.Token) (any, error) {
		kid, present := t.Header["kid"]
		if !present {
			set := jwt.VerificationKeySet{}
			for _, k := range keys {
				set.Keys = append(set.Keys, k)
			}
			return set, nil
		}
		s, ok := kid.(string)
		if !ok {
			return nil, errors.New("kid is not a string")
		}
		k, ok := keys[s]
		if !ok {
			return nil, fmt.Errorf("signing key %q is not accepted (retired or unknown)", s)
		}
		return k, nil
	}
}

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

// SignClaims signs arbitrary claims with the service's algorithm, naming the key in
// the kid header. Tests use it to build expired or otherwise odd tokens.
func SignClaims(secret []byte, claims jwt.Claims) (string, error) {
	tok := jwt.NewWithClaims(signingMethod, claims)
	tok.Header["kid"] = KeyID(secret)
	s, err := tok.SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return s, nil
}

// ParseAccessToken verifies signature (with the key its kid names: the current
// secret or a previous one still accepted), algorithm, issuer, audience, expiry (with
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
	_, err := parser.ParseWithClaims(raw, &claims, cfg.keyFunc())
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
