package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Hardening holds the settings of the defences against abuse and faults: password
// hashing cost and concurrency, session lifetime, the audit chain key, rate limits,
// upload quotas, HTTP headers, metrics access and database timeouts. It is embedded
// in Config; every field has its DUBAN_* variable and is listed in README.md.
type Hardening struct {
	// PasswordHashMemory is argon2id's memory per hash, e.g. "19M"; it may not be
	// lower than the default (OWASP's minimum), only tests lower it.
	PasswordHashMemory string `env:"DUBAN_PASSWORD_HASH_MEMORY" envDefault:"19M"`
	// PasswordHashTime is argon2id's number of passes; at least 2.
	PasswordHashTime int `env:"DUBAN_PASSWORD_HASH_TIME" envDefault:"2"`
	// PasswordHashConcurrency bounds how many password hashes run at once (each
	// holds PasswordHashMemory); 0 means the number of CPUs. Logins beyond it wait
	// briefly, then answer 503 with Retry-After.
	PasswordHashConcurrency int `env:"DUBAN_PASSWORD_HASH_CONCURRENCY" envDefault:"0"`
	// SessionMaxAge is the absolute lifetime of a login session: refreshing never
	// extends it past this age.
	SessionMaxAge time.Duration `env:"DUBAN_SESSION_MAX_AGE" envDefault:"720h"`
	// APITokenMaxTTL bounds the lifetime of a new API token (personal or a service
	// account's); one made without expires_at gets it. 0: no bound.
	APITokenMaxTTL time.Duration `env:"DUBAN_API_TOKEN_MAX_TTL" envDefault:"0"`
	// CookieSecure says when the browser's session cookie is marked Secure: auto
	// (over https, directly or through a proxy's X-Forwarded-Proto, and to localhost
	// or a loopback address) or always (also on plain http to another address, where
	// browsers then drop it and every new tab has to log in).
	CookieSecure string `env:"DUBAN_COOKIE_SECURE" envDefault:"auto"`
	// AuditKey keys the hash chains of the timelines and the security log (at least
	// 32 characters). Empty: generated once and kept in DataDir/audit.key.
	AuditKey string `env:"DUBAN_AUDIT_KEY"`
	// HSTSMaxAge is the max-age of Strict-Transport-Security, sent on requests that
	// came over TLS (directly or through a trusted proxy); 0 sends none.
	HSTSMaxAge time.Duration `env:"DUBAN_HSTS_MAX_AGE" envDefault:"8760h"`
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string `env:"DUBAN_METRICS_TOKEN"`
	// MetricsAddr, when set, serves /metrics on this listen address only (and not
	// on HTTPAddr).
	MetricsAddr string `env:"DUBAN_METRICS_ADDR"`
	// RateLimit is how many API requests one user (session or API token) may make
	// per window, e.g. "600/1m"; "off" disables it.
	RateLimit string `env:"DUBAN_RATE_LIMIT" envDefault:"600/1m"`
	// RateLimitAddr is the same per client address (every API request, signed in
	// or not); "off" disables it.
	RateLimitAddr string `env:"DUBAN_RATE_LIMIT_ADDR" envDefault:"3000/1m"`
	// UploadUserQuota is how much one user may upload in 24 hours.
	UploadUserQuota string `env:"DUBAN_UPLOAD_USER_QUOTA" envDefault:"500M"`
	// UploadItemQuota is how much the files of one item may hold in all.
	UploadItemQuota string `env:"DUBAN_UPLOAD_ITEM_QUOTA" envDefault:"2G"`
	// UploadUnlinkedTTL is how long an uploaded file no record links to is kept.
	UploadUnlinkedTTL time.Duration `env:"DUBAN_UPLOAD_UNLINKED_TTL" envDefault:"24h"`
	// RequestTimeout is the deadline of an API request (file transfers excepted);
	// work still running then is cancelled and answered 503.
	RequestTimeout time.Duration `env:"DUBAN_REQUEST_TIMEOUT" envDefault:"20s"`
	// DBStatementTimeout is PostgreSQL's statement_timeout for Duban's connections.
	DBStatementTimeout time.Duration `env:"DUBAN_DB_STATEMENT_TIMEOUT" envDefault:"10s"`
	// DBConnectTimeout bounds opening a PostgreSQL connection.
	DBConnectTimeout time.Duration `env:"DUBAN_DB_CONNECT_TIMEOUT" envDefault:"5s"`
	// SQLiteWriteWait is how long a write waits for its turn on the embedded
	// database before it is shed with 503.
	SQLiteWriteWait time.Duration `env:"DUBAN_SQLITE_WRITE_WAIT" envDefault:"2s"`
	// SQLiteWriteQueue is how many writes may wait at once; more are shed at once.
	SQLiteWriteQueue int `env:"DUBAN_SQLITE_WRITE_QUEUE" envDefault:"128"`

	// PasswordHashKiB is PasswordHashMemory in KiB, resolved by Load. Tests set it
	// (with PasswordHashTime) below the minimum after Load: the only way to.
	PasswordHashKiB uint32 `env:"-"`
}

// Minimum password hashing cost outside tests (argon2id, OWASP's recommendation).
const (
	MinPasswordHashKiB  = 19 * 1024
	MinPasswordHashTime = 2
)

// RateSpec is a parsed rate limit: N requests per Window; zero means off.
type RateSpec struct {
	N      int
	Window time.Duration
}

// Off reports whether the limit is disabled.
func (r RateSpec) Off() bool { return r.N <= 0 }

// ParseRate reads "600/1m", "10/s" or "off".
func ParseRate(s string) (RateSpec, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "off" || s == "0" || s == "" {
		return RateSpec{}, nil
	}
	n, w, ok := strings.Cut(s, "/")
	if !ok {
		return RateSpec{}, fmt.Errorf("%q is not a rate like 600/1m or off", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil || count <= 0 {
		return RateSpec{}, fmt.Errorf("%q is not a rate like 600/1m or off", s)
	}
	switch w {
	case "s":
		w = "1s"
	case "m":
		w = "1m"
	case "h":
		w = "1h"
	}
	d, err := time.ParseDuration(w)
	if err != nil || d < time.Second || d > 24*time.Hour {
		return RateSpec{}, fmt.Errorf("%q: the window must be between 1s and 24h", s)
	}
	return RateSpec{N: count, Window: d}, nil
}

func (h *Hardening) validate() []error {
	var errs []error
	mem, err := ParseSize(h.PasswordHashMemory)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("DUBAN_PASSWORD_HASH_MEMORY: %w", err))
	case mem/1024 < MinPasswordHashKiB:
		errs = append(errs, errors.New("DUBAN_PASSWORD_HASH_MEMORY must be at least 19M"))
	case mem/1024 > 4<<20:
		errs = append(errs, errors.New("DUBAN_PASSWORD_HASH_MEMORY must be at most 4G"))
	default:
		h.PasswordHashKiB = uint32(mem / 1024)
	}
	if h.PasswordHashTime < MinPasswordHashTime || h.PasswordHashTime > 100 {
		errs = append(errs, errors.New("DUBAN_PASSWORD_HASH_TIME must be between 2 and 100"))
	}
	if h.PasswordHashConcurrency < 0 {
		errs = append(errs, errors.New("DUBAN_PASSWORD_HASH_CONCURRENCY must not be negative"))
	}
	if h.APITokenMaxTTL < 0 || (h.APITokenMaxTTL > 0 && h.APITokenMaxTTL < time.Hour) {
		errs = append(errs, errors.New("DUBAN_API_TOKEN_MAX_TTL must be 0 (no bound) or at least 1h"))
	}
	if h.CookieSecure != "auto" && h.CookieSecure != "always" {
		errs = append(errs, errors.New("DUBAN_COOKIE_SECURE must be auto or always"))
	}
	if h.SessionMaxAge < time.Minute {
		errs = append(errs, errors.New("DUBAN_SESSION_MAX_AGE must be at least 1m"))
	}
	if h.AuditKey != "" && len(h.AuditKey) < 32 {
		errs = append(errs, errors.New("DUBAN_AUDIT_KEY must be at least 32 characters"))
	}
	if h.HSTSMaxAge < 0 {
		errs = append(errs, errors.New("DUBAN_HSTS_MAX_AGE must not be negative"))
	}
	if h.MetricsToken != "" && len(h.MetricsToken) < 16 {
		errs = append(errs, errors.New("DUBAN_METRICS_TOKEN must be at least 16 characters"))
	}
	if h.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(h.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("DUBAN_METRICS_ADDR %q is not a listen address like 127.0.0.1:9090", h.MetricsAddr))
		}
	}
	if _, err := ParseRate(h.RateLimit); err != nil {
		errs = append(errs, fmt.Errorf("DUBAN_RATE_LIMIT: %w", err))
	}
	if _, err := ParseRate(h.RateLimitAddr); err != nil {
		errs = append(errs, fmt.Errorf("DUBAN_RATE_LIMIT_ADDR: %w", err))
	}
	if _, err := ParseSize(h.UploadUserQuota); err != nil {
		errs = append(errs, fmt.Errorf("DUBAN_UPLOAD_USER_QUOTA: %w", err))
	}
	if _, err := ParseSize(h.UploadItemQuota); err != nil {
		errs = append(errs, fmt.Errorf("DUBAN_UPLOAD_ITEM_QUOTA: %w", err))
	}
	if h.UploadUnlinkedTTL < time.Hour {
		errs = append(errs, errors.New("DUBAN_UPLOAD_UNLINKED_TTL must be at least 1h"))
	}
	for name, d := range map[string]time.Duration{
		"DUBAN_REQUEST_TIMEOUT": h.RequestTimeout, "DUBAN_DB_STATEMENT_TIMEOUT": h.DBStatementTimeout,
		"DUBAN_DB_CONNECT_TIMEOUT": h.DBConnectTimeout, "DUBAN_SQLITE_WRITE_WAIT": h.SQLiteWriteWait,
	} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive", name))
		}
	}
	if h.SQLiteWriteQueue < 1 {
		errs = append(errs, errors.New("DUBAN_SQLITE_WRITE_QUEUE must be at least 1"))
	}
	return errs
}

// RateLimits returns the parsed per-user and per-address limits (validated by Load).
func (h Hardening) RateLimits() (user, addr RateSpec) {
	user, _ = ParseRate(h.RateLimit)
	addr, _ = ParseRate(h.RateLimitAddr)
	return user, addr
}

// UploadQuotas returns the per-user (24 h) and per-item quotas in bytes.
func (h Hardening) UploadQuotas() (user, item int64) {
	user, _ = ParseSize(h.UploadUserQuota)
	item, _ = ParseSize(h.UploadItemQuota)
	return user, item
}
