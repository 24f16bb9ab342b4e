package users_test

import (
	"strings"
	"testing"

	"github.com/duban/duban/internal/users"
)

// Issue 14 §11: the policy accepted password1. Common passwords (English and
// Chinese lists) and easily guessed ones are refused now; reasonable ones pass.
func TestPasswordPolicyRefusesCommonPasswords(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{
		"password1", "Password1", "qwerty123", "P@ssw0rd1", "abcdefg1", "12345678a", "Aa123456",
		"woaini1314", "qq123456", "Welcome1", "iloveyou1",
	} {
		if msg := users.CheckPasswordPolicy("zhangwei", pw); msg == "" {
			t.Errorf("%q is accepted", pw)
		}
	}
	for _, pw := range []string{"Demo@2026", "Duban-test-2026", "Quiet-river-2026", "correct-horse-7", "Initial-2026-ok"} {
		if msg := users.CheckPasswordPolicy("zhangwei", pw); msg != "" {
			t.Errorf("%q is refused: %s", pw, msg)
		}
	}
	// Checking a long password stays cheap (the strength estimate is not run on
	// more than the policy's maximum).
	if msg := users.CheckPasswordPolicy("zhangwei", strings.Repeat("a1", 64)); msg == "" {
		t.Error("a repeated pattern is accepted")
	}
}
