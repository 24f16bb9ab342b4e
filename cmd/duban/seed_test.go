package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/seed"
)

// TestSeedDemoCommand runs `duban seed --demo` on each engine: it prints the logins
// and the tour, stores the demo's files in DATA_DIR/files, leaves timelines that
// `duban audit verify` accepts, and changes nothing when run again. run reads the
// environment, so this test is not parallel.
func TestSeedDemoCommand(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(*testing.T) string { return "" },
		"postgres": func(t *testing.T) string { return dbtest.EmptyPostgresURL(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("DUBAN_DATA_DIR", dir)
			t.Setenv("DUBAN_DATABASE_URL", engines[name](t))
			t.Setenv("DUBAN_LOG_LEVEL", "error")
			t.Setenv("DUBAN_JWT_SECRET", "")

			code, out, errs := runCLI(t, "", "seed", "--demo")
			if code != 0 {
				t.Fatalf("seed: code %d\n%s\n%s", code, out, errs)
			}
			lines := strings.Split(out, "\n")
			if !strings.HasPrefix(lines[0], "seeded the demo organisation: 14 units, 18 users, ") ||
				!strings.Contains(lines[0], " supervision items with ") {
				t.Fatalf("summary line: %q", lines[0])
			}
			header := strings.Fields(lines[2])
			if strings.Join(header, " ") != "USERNAME PASSWORD ROLES NAME UNIT POSTS" {
				t.Fatalf("login table header: %q", lines[2])
			}
			for _, want := range []string{"duban  ", "leader1  ", "guihua.liaison  ", "huadong.tech  ", seed.DemoPassword, "LOG IN AS", "完成年度预算执行分析"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			files, _ := filepath.Glob(filepath.Join(dir, "files", "*", "*", "*"))
			if len(files) == 0 {
				t.Errorf("no demo files under %s", filepath.Join(dir, "files"))
			}
			for _, f := range files {
				if st, err := os.Stat(f); err != nil || st.Size() == 0 {
					t.Errorf("demo file %s: %v", f, err)
				}
			}

			code, out, errs = runCLI(t, "", "audit", "verify")
			if code != 0 || !strings.Contains(out, "ok") {
				t.Fatalf("audit verify: code %d\n%s\n%s", code, out, errs)
			}
			code, out, errs = runCLI(t, "", "seed", "--demo")
			if code != 0 || !strings.HasPrefix(out, "already seeded") || !strings.Contains(out, "USERNAME") {
				t.Fatalf("second seed: code %d\n%s\n%s", code, out, errs)
			}
			again, _ := filepath.Glob(filepath.Join(dir, "files", "*", "*", "*"))
			if len(again) != len(files) {
				t.Fatalf("the second seed stored files: %d, then %d", len(files), len(again))
			}
		})
	}
}
