package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// A key rotation in three steps, as docs/operations.md describes it: the new key is
// announced (accepted, not signing), then signs while the old one is still accepted,
// then the old one is retired. Tokens signed before each step keep working until the
// step that retires their key.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey := []byte("old-secret-old-secret-old-secret-0123")
	newKey := []byte("new-secret-new-secret-new-secret-4567")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	user, sid := uuid.New(), uuid.New()
	issue := func(cfg Config) string {
		t.Helper()
		raw, _, err := IssueAccessToken(cfg, user, sid, now)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	base := testConfig()
	before := base
	before.Secret = oldKey
	announce := before
	announce.PreviousSecrets = [][]byte{newKey}
	switched := base
	switched.Secret, switched.PreviousSecrets = newKey, [][]byte{oldKey}
	retired := base
	retired.Secret = newKey

	fromOld, fromNew := issue(before), issue(switched)
	if kid := header(t, fromOld)["kid"]; kid != KeyID(oldKey) {
		t.Fatalf("kid %v, want %s", kid, KeyID(oldKey))
	}
	if KeyID(oldKey) == KeyID(newKey) || strings.Contains(KeyID(oldKey), "old-secret") {
		t.Fatalf("key ids: %s %s", KeyID(oldKey), KeyID(newKey))
	}
	steps := []struct {
		name             string
		cfg              Config
		oldOK, newOK     bool
		signsWithKeyOfID string
	}{
		{"before", before, true, false, KeyID(oldKey)},
		{"new key announced", announce, true, true, KeyID(oldKey)},
		{"new key signs", switched, true, true, KeyID(newKey)},
		{"old key retired", retired, false, true, KeyID(newKey)},
	}
	for _, st := range steps {
		for _, c := range []struct {
			raw  string
			want bool
		}{{fromOld, st.oldOK}, {fromNew, st.newOK}} {
			_, err := ParseAccessToken(st.cfg, c.raw, now)
			if (err == nil) != c.want {
				t.Errorf("%s: token of kid %v: err %v, want accepted=%v", st.name, header(t, c.raw)["kid"], err, c.want)
			}
		}
		if kid := header(t, issue(st.cfg))["kid"]; kid != st.signsWithKeyOfID {
			t.Errorf("%s: signs with kid %v, want %s", st.name, kid, st.signsWithKeyOfID)
		}
	}
}

// Tokens from before key ids existed carry no kid: they are checked against every
// accepted key (an upgrade logs no one out), and refused once their key is gone.
// A kid naming an accepted key but signed with another key, or a kid that is not a
// string, is refused.
func TestKeyIDEdgeCases(t *testing.T) {
	t.Parallel()
	oldKey := []byte("old-secret-old-secret-old-secret-0123")
	newKey := []byte("new-secret-new-secret-new-secret-4567")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claims := Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer: "duban", Subject: uuid.NewString(), Audience: jwt.ClaimStrings{"duban-api"},
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), IssuedAt: jwt.NewNumericDate(now), ID: "j",
	}, SessionID: uuid.NewString()}
	sign := func(key []byte, kid any) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		if kid != nil {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	switched := testConfig()
	switched.Secret, switched.PreviousSecrets = newKey, [][]byte{oldKey}
	retired := testConfig()
	retired.Secret = newKey

	legacy := sign(oldKey, nil)
	if _, err := ParseAccessToken(switched, legacy, now); err != nil {
		t.Errorf("token without kid, key still accepted: %v", err)
	}
	if _, err := ParseAccessToken(retired, legacy, now); !errors.Is(err, errInvalidToken) {
		t.Errorf("token without kid, key retired: %v", err)
	}
	for name, raw := range map[string]string{
		"kid of the new key, signed by a stranger": sign([]byte("stranger-stranger-stranger-stranger-0"), KeyID(newKey)),
		"kid of the old key, signed by the new":    sign(newKey, KeyID(oldKey)),
		"kid not a string":                         sign(newKey, 42),
		"unknown kid":                              sign(newKey, "no-such-key"),
	} {
		if _, err := ParseAccessToken(switched, raw, now); !errors.Is(err, errInvalidToken) {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
}

func header(t *testing.T, raw string) map[string]any {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Header
}
