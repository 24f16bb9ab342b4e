package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/seed"
	"github.com/duban/duban/internal/users"
)

// runCLI calls run with stdin and returns the exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestSeedAndUsersCreate drives `duban seed --demo` and `duban users create` on the
// embedded database. run reads the environment, so this test is not parallel.
func TestSeedAndUsersCreate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DUBAN_DATA_DIR", dir)
	t.Setenv("DUBAN_DATABASE_URL", "")
	t.Setenv("DUBAN_LOG_LEVEL", "error")
	t.Setenv("DUBAN_JWT_SECRET", "")

	code, out, errs := runCLI(t, "", "seed", "--demo")
	if code != 0 || !strings.Contains(out, "seeded the demo organisation") || !strings.Contains(out, "guihua.liaison") ||
		!strings.Contains(out, seed.DemoPassword) {
		t.Fatalf("seed: code %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, " 0 supervision items") {
		t.Fatalf("seed made no items:\n%s", out)
	}
	code, out, _ = runCLI(t, "", "seed", "--demo")
	if code != 0 || !strings.Contains(out, "already seeded") {
		t.Fatalf("second seed: code %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "", "seed"); code != 2 {
		t.Fatalf("seed without --demo: code %d, want 2", code)
	}

	code, out, errs = runCLI(t, "Fresh-pass-2026\n", "users", "create", "--username", "new.user", "--role", "member",
		"--role", "leader", "--unit", "规划发展部", "--display-name", "新用户", "--title", "副主任", "--password-stdin")
	if code != 0 {
		t.Fatalf("users create: code %d\n%s", code, errs)
	}
	id, err := uuid.Parse(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("users create printed %q, not an id", out)
	}

	failures := []struct {
		stdin string
		args  []string
		code  int
		say   string
	}{
		{"Fresh-pass-2026\n", []string{"--username", "new.user", "--role", "member", "--unit", "财务部"}, 2, "--password-stdin"},
		{"Fresh-pass-2026\n", []string{"--username", "new.user", "--role", "member", "--unit", "规划发展部", "--password-stdin"}, 1, "taken"},
		{"weak\n", []string{"--username", "weak.user", "--role", "member", "--unit", "规划发展部", "--password-stdin"}, 1, "password:"},
		{"Fresh-pass-2026\n", []string{"--username", "role.user", "--role", "boss", "--unit", "规划发展部", "--password-stdin"}, 1, "roles:"},
		{"Fresh-pass-2026\n", []string{"--username", "unit.user", "--role", "member", "--unit", "办公室", "--password-stdin"}, 1, "pass the id"},
		{"", []string{"--username", "empty.user", "--role", "member", "--unit", "规划发展部", "--password-stdin"}, 2, "no password"},
	}
	for _, f := range failures {
		code, _, errs := runCLI(t, f.stdin, append([]string{"users", "create"}, f.args...)...)
		if code != f.code || !strings.Contains(errs, f.say) {
			t.Errorf("users create %v: code %d, want %d; stderr %q should say %q", f.args, code, f.code, errs, f.say)
		}
	}

	db, err := database.Open(context.Background(), database.Options{SQLitePath: filepath.Join(dir, "duban.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var u users.User
	if err := db.Gorm().Where("id = ?", id).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	if u.Username != "new.user" || u.DisplayName != "新用户" || !u.MustChangePassword || !u.Active {
		t.Fatalf("created user: %+v", u)
	}
	if ok, _ := users.VerifyPassword(u.PasswordHash, "Fresh-pass-2026"); !ok {
		t.Fatal("the password from stdin was not stored")
	}
	var roles []string
	db.Gorm().Table("user_roles").Where("user_id = ?", id).Order("role").Pluck("role", &roles)
	if strings.Join(roles, ",") != "leader,member" {
		t.Fatalf("roles %v", roles)
	}
	code, out, errs = runCLI(t, "Second-pass-2026\n", "users", "set-password", "--username", "new.user", "--password-stdin")
	if code != 0 || !strings.Contains(out, "reset") {
		t.Fatalf("set-password: code %d\n%s\n%s", code, out, errs)
	}
	if err := db.Gorm().Where("id = ?", id).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	if ok, _ := users.VerifyPassword(u.PasswordHash, "Second-pass-2026"); !ok || !u.MustChangePassword {
		t.Fatal("set-password did not set the password")
	}
	if code, _, errs := runCLI(t, "x\n", "users", "set-password", "--username", "nobody.here", "--password-stdin"); code != 1 || !strings.Contains(errs, "no user") {
		t.Fatalf("set-password of nobody: %d %s", code, errs)
	}
	var n int64
	db.Gorm().Table("users").Where("username IN ?", []string{"weak.user", "role.user", "unit.user", "empty.user"}).Count(&n)
	if n != 0 {
		t.Fatalf("%d refused users were written", n)
	}
}
