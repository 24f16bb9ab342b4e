// Package auth authenticates callers: password login with a brute-force guard,
// short-lived access JWTs, rotating refresh tokens with reuse detection, personal
// API tokens, and the middleware that turns a bearer token into an
// access.Principal.
//
// The service is plain Go over the database; only handlers.go, middleware.go and
// routes.go know about HTTP.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"time"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Problem codes of this package, in addition to the common ones of package problem.
// Clients switch on them; never rename one.
const (
	// CodeInvalidCredentials: unknown user, wrong password or inactive account (401).
	CodeInvalidCredentials = "invalid_credentials"
	// CodePasswordChangeRequired: the session may only change the password (403).
	CodePasswordChangeRequired = "password_change_required"
	// CodeInsufficientScope: the API token lacks the route's scope, named in the
	// problem's missing_scope (403).
	CodeInsufficientScope = "insufficient_scope"
	// CodeSessionRequired: the action needs a login session, not an API token (403).
	CodeSessionRequired = "session_required"
	// CodeTooManyTokens: the user already has the maximum of active API tokens (409).
	CodeTooManyTokens = "too_many_tokens"
)

// Leeway is the clock skew tolerated on a JWT's exp, nbf and iat.
const Leeway = 30 * time.Second

// Config holds the token settings. Zero durations and thresholds take defaults.
type Config struct {
	Secret     []byte
	Issuer     string
	Audience   string
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	// PreviousSecrets verify access tokens but never sign new ones (Secret does, its
	// KeyID in their kid header), so that a key can be rotated without logging anyone
	// out (DUBAN_JWT_PREVIOUS_SECRETS).
	PreviousSecrets [][]byte
	// Throttle is the brute-force guard of the login.
	Throttle Throttle
	// MaxAPITokens is how many active personal tokens one user may hold.
	MaxAPITokens int
	// MaxAPITokenTTL, when positive, bounds the lifetime of a new API token: one
	// asked without expires_at gets now+MaxAPITokenTTL, one asked longer is refused
	// (DUBAN_API_TOKEN_MAX_TTL).
	MaxAPITokenTTL time.Duration
	// SessionMaxAge is the absolute lifetime of a login session: refreshing never
	// extends a session past it.
	SessionMaxAge time.Duration
	// MaxConcurrentHashes bounds the password hashes computed at once (each takes
	// the hashing memory); HashWait is how long a login waits for a slot before it
	// is answered 503. Zero: the number of CPUs, and DefaultHashWait.
	MaxConcurrentHashes int
	HashWait            time.Duration
	// Clock is the source of the current time (the real clock when nil).
	Clock clock.Clock
	// CookieSecureAlways marks the session cookie Secure also on plain http to a
	// non-loopback host (DUBAN_COOKIE_SECURE=always); see cookie.go.
	CookieSecureAlways bool
	// TrustedOrigins are the other origins (DUBAN_CORS_ORIGINS) whose pages may
	// refresh or log out with the session cookie.
	TrustedOrigins []string
}

// Throttle configures the brute-force guard. It counts failed logins per username
// and per client IP in the database, so every instance behind a load balancer
// shares the counters.
type Throttle struct {
	// MaxUserFailures failures for one username within Window lock it for Lockout.
	MaxUserFailures int
	// MaxIPFailures failures from one client IP within Window lock it for Lockout.
	MaxIPFailures int
	Window        time.Duration
	// Lockout is the first lock of a key; each further lock in a row doubles it,
	// up to MaxLockout. LockCountDecay is how long a key must stay clean for its
	// next lock to be short again.
	Lockout        time.Duration
	MaxLockout     time.Duration
	LockCountDecay time.Duration
}

// Defaults of Config and Throttle.
const (
	DefaultAccessTTL       = 15 * time.Minute
	DefaultRefreshTTL      = 30 * 24 * time.Hour
	DefaultMaxUserFailures = 5
	DefaultMaxIPFailures   = 20
	DefaultThrottleWindow  = 15 * time.Minute
	DefaultLockout         = 15 * time.Minute
	DefaultMaxLockout      = 24 * time.Hour
	DefaultLockCountDecay  = 24 * time.Hour
	DefaultMaxAPITokens    = 50
	DefaultSessionMaxAge   = 30 * 24 * time.Hour
	DefaultHashWait        = 2 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Issuer == "" {
		c.Issuer = "duban"
	}
	if c.Audience == "" {
		c.Audience = "duban-api"
	}
	if c.AccessTTL <= 0 {
		c.AccessTTL = DefaultAccessTTL
	}
	if c.RefreshTTL <= 0 {
		c.RefreshTTL = DefaultRefreshTTL
	}
	if c.MaxAPITokens <= 0 {
		c.MaxAPITokens = DefaultMaxAPITokens
	}
	if c.SessionMaxAge <= 0 {
		c.SessionMaxAge = DefaultSessionMaxAge
	}
	if c.MaxConcurrentHashes <= 0 {
		c.MaxConcurrentHashes = max(2, runtime.NumCPU())
	}
	if c.HashWait <= 0 {
		c.HashWait = DefaultHashWait
	}
	c.Clock = clock.Or(c.Clock)
	t := &c.Throttle
	if t.MaxUserFailures <= 0 {
		t.MaxUserFailures = DefaultMaxUserFailures
	}
	if t.MaxIPFailures <= 0 {
		t.MaxIPFailures = DefaultMaxIPFailures
	}
	if t.Window <= 0 {
		t.Window = DefaultThrottleWindow
	}
	if t.Lockout <= 0 {
		t.Lockout = DefaultLockout
	}
	if t.MaxLockout < t.Lockout {
		t.MaxLockout = max(DefaultMaxLockout, t.Lockout)
	}
	if t.LockCountDecay <= 0 {
		t.LockCountDecay = DefaultLockCountDecay
	}
	return c
}

// Service authenticates users.
type Service struct {
	db    *database.DB
	audit *audit.Log
	cfg   Config
	now   func() time.Time
	// principals caches the principal of each user (principals.go).
	principals principalCache
	// external configures logins besides the local password (external.go).
	external externalState
	hashes   *hashGate
}

// NewService returns the auth service. It panics without a signing secret: running
// with an empty HMAC key would accept forged tokens.
func NewService(db *database.DB, log *audit.Log, cfg Config) *Service {
	if len(cfg.Secret) == 0 {
		panic("auth: no JWT secret configured")
	}
	cfg = cfg.withDefaults()
	return &Service{db: db, audit: log, cfg: cfg, now: cfg.Clock.Now,
		hashes: newHashGate(cfg.MaxConcurrentHashes, cfg.HashWait)}
}

// Config returns the effective configuration (with defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// errInvalidCredentials is the one answer to every failed login, whatever the cause.
func errInvalidCredentials() *problem.Problem {
	return problem.New(problem.KindUnauthenticated, CodeInvalidCredentials, "the username or password is wrong")
}

// randomToken returns n random bytes, base64url-encoded without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how opaque secrets (refresh and API tokens) are stored: sha256 hex.
// They carry 256 bits of entropy, so a fast hash is enough.
func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
