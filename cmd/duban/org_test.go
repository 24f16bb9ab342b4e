package main

import (
	"strings"
	"testing"

	"github.com/duban/duban/internal/directory/slapdtest"
)

// TestOrgSync drives `duban org sync` against a real directory on the embedded
// database. run reads the environment, so this test is not parallel.
func TestOrgSync(t *testing.T) {
	s := slapdtest.Start(t)
	root := s.OU(t, slapdtest.BaseDN, "集团公司", "")
	dept := s.OU(t, root, "规划发展部", "")
	s.AddPerson(t, dept, slapdtest.Person{UID: "zhang.wei", Name: "张伟", Password: "p-1", EmployeeNo: "E1001"})

	t.Setenv("DUBAN_DATA_DIR", t.TempDir())
	t.Setenv("DUBAN_DATABASE_URL", "")
	t.Setenv("DUBAN_LOG_LEVEL", "error")
	t.Setenv("DUBAN_JWT_SECRET", "")
	if code, _, errs := runCLI(t, "", "org", "sync"); code != 1 || !strings.Contains(errs, "DUBAN_LDAP_URL") {
		t.Fatalf("unconfigured sync: code %d, %s", code, errs)
	}
	if code, _, _ := runCLI(t, "", "org"); code != 2 {
		t.Fatalf("org without a subcommand: code %d", code)
	}
	t.Setenv("DUBAN_LDAP_URL", s.URL)
	t.Setenv("DUBAN_LDAP_STARTTLS", "true")
	t.Setenv("DUBAN_LDAP_CA_FILE", s.CAFile)
	t.Setenv("DUBAN_LDAP_BIND_DN", s.ServiceDN)
	t.Setenv("DUBAN_LDAP_BIND_PASSWORD", s.ServicePassword)
	t.Setenv("DUBAN_LDAP_USER_BASE_DN", root)
	t.Setenv("DUBAN_LDAP_UNIT_BASE_DN", root)

	code, out, errs := runCLI(t, "", "org", "sync", "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run") || !strings.Contains(out, "people: 1 created") || !strings.Contains(out, "张伟") {
		t.Fatalf("dry run: code %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "org", "sync")
	if code != 0 || !strings.Contains(out, "applied") || !strings.Contains(out, "units:  2 created") {
		t.Fatalf("sync: code %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "org", "sync")
	if code != 0 || !strings.Contains(out, "nothing to change") || !strings.Contains(out, "1 unchanged") {
		t.Fatalf("second sync: code %d\n%s", code, out)
	}
}
