package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

func testConfig() Config {
	return Config{Secret: []byte("unit-test-secret-unit-test-secret-0123"), Issuer: "duban", Audience: "duban-api",
		AccessTTL: 15 * time.Minute}
}

func TestIssueAndParseAccessToken(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	now := time.Now().UTC()
	user, sid := uuid.New(), uuid.New()
	raw, exp, err := IssueAccessToken(cfg, user, sid, now)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(15 * time.Minute)) {
		t.Errorf("exp = %v, want now+15m", exp)
	}
	tok, err := ParseAccessToken(cfg, raw, now)
	if err != nil {
		t.Fatal(err)
	}
	if tok.UserID != user || tok.SessionID != sid || tok.ID == "" {
		t.Errorf("parsed %+v, want user %s session %s and a jti", tok, user, sid)
	}
	// Each token has its own jti.
	raw2, _, _ := IssueAccessToken(cfg, user, sid, now)
	tok2, err := ParseAccessToken(cfg, raw2, now)
	if err != nil || tok2.ID == tok.ID {
		t.Errorf("second token: %v, jti %q repeats %q", err, tok2.ID, tok.ID)
	}
	// Valid up to the leeway after exp, not beyond.
	if _, err := ParseAccessToken(cfg, raw, exp.Add(Leeway-time.Second)); err != nil {
		t.Errorf("within leeway: %v", err)
	}
	if _, err := ParseAccessToken(cfg, raw, exp.Add(Leeway+time.Second)); !errors.Is(err, jwt.ErrTokenExpired) {
		t.Errorf("after leeway: %v, want expired", err)
	}
}

func TestParseAccessTokenRejects(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	now := time.Now().UTC()
	user, sid := uuid.New(), uuid.New()
	good := func() Claims {
		return Claims{
			RegisteredClaims: jwt.RegisteredClaims{
				Issuer: cfg.Issuer, Subject: user.String(), Audience: jwt.ClaimStrings{cfg.Audience},
				ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), IssuedAt: jwt.NewNumericDate(now),
				NotBefore: jwt.NewNumericDate(now), ID: "jti-1",
			},
			SessionID: sid.String(),
		}
	}
	sign := func(c Claims) string {
		s, err := SignClaims(cfg.Secret, c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	valid := sign(good())
	if _, err := ParseAccessToken(cfg, valid, now); err != nil {
		t.Fatalf("the baseline token is rejected: %v", err)
	}
	parts := strings.Split(valid, ".")
	noneToken, err := jwt.NewWithClaims(jwt.SigningMethodNone, good()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, good()).SignedString(cfg.Secret)
	if err != nil {
		t.Fatal(err)
	}
	wrongKey, err := SignClaims([]byte("another-secret-another-secret-0123456"), good())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*Claims)) string { c := good(); f(&c); return sign(c) }
	flip := "A" + parts[2][1:]
	if parts[2][0] == 'A' {
		flip = "B" + parts[2][1:]
	}
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"duban","sub":"` + uuid.NewString() +
		`","aud":["duban-api"],"exp":9999999999,"iat":1,"jti":"x","sid":"` + sid.String() + `"}`))

	cases := map[string]string{
		"empty":              "",
		"garbage":            "not-a-jwt",
		"two segments":       parts[0] + "." + parts[1],
		"tampered signature": parts[0] + "." + parts[1] + "." + flip,
		"tampered payload":   parts[0] + "." + forged + "." + parts[2],
		"alg none":           noneToken,
		"alg HS512":          hs512,
		"wrong key":          wrongKey,
		"wrong issuer":       edit(func(c *Claims) { c.Issuer = "someone-else" }),
		"no issuer":          edit(func(c *Claims) { c.Issuer = "" }),
		"wrong audience":     edit(func(c *Claims) { c.Audience = jwt.ClaimStrings{"another-api"} }),
		"no audience":        edit(func(c *Claims) { c.Audience = nil }),
		"expired":            edit(func(c *Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) }),
		"no expiry":          edit(func(c *Claims) { c.ExpiresAt = nil }),
		"not yet valid":      edit(func(c *Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Minute)) }),
		"issued later":       edit(func(c *Claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Minute)) }),
		"no subject":         edit(func(c *Claims) { c.Subject = "" }),
		"subject no uuid":    edit(func(c *Claims) { c.Subject = "admin" }),
		"no jti":             edit(func(c *Claims) { c.ID = "" }),
		"no session":         edit(func(c *Claims) { c.SessionID = "" }),
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, err := ParseAccessToken(cfg, raw, now)
			if err == nil {
				t.Fatalf("accepted: %+v", tok)
			}
			if !errors.Is(err, errInvalidToken) {
				t.Errorf("error %v does not wrap errInvalidToken", err)
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Bearer abc":    "abc",
		"bearer abc":    "abc",
		"BEARER  abc  ": "abc",
		"Bearer":        "",
		"Bearer ":       "",
		"Basic abc":     "",
		"abc":           "",
		"":              "",
	}
	for header, want := range cases {
		got, ok := bearerToken(header)
		if got != want || ok != (want != "") {
			t.Errorf("bearerToken(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c := Config{}.withDefaults()
	if c.Throttle.MaxUserFailures != 5 || c.Throttle.MaxIPFailures != 20 ||
		c.Throttle.Window != 15*time.Minute || c.Throttle.Lockout != 15*time.Minute {
		t.Errorf("throttle defaults %+v", c.Throttle)
	}
	if c.AccessTTL != DefaultAccessTTL || c.RefreshTTL != DefaultRefreshTTL || c.Issuer == "" || c.Audience == "" {
		t.Errorf("token defaults %+v", c)
	}
	c = Config{Throttle: Throttle{MaxUserFailures: 2}}.withDefaults()
	if c.Throttle.MaxUserFailures != 2 || c.Throttle.MaxIPFailures != 20 {
		t.Errorf("a set threshold was overridden: %+v", c.Throttle)
	}
}

func TestRandomAndHash(t *testing.T) {
	t.Parallel()
	a, b := randomToken(32), randomToken(32)
	if len(a) != 43 || a == b {
		t.Errorf("randomToken: %q %q", a, b)
	}
	if h := hashToken("x"); len(h) != 64 || h != hashToken("x") || h == hashToken("y") {
		t.Errorf("hashToken: %q", h)
	}
}
