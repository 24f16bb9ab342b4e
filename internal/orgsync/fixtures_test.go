package orgsync_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/orgsync"
)

// The browser suite's workbooks (frontend/e2e/fixtures): a clean one that fits the
// demo organisation (its root is adopted by name; no head, liaison or flag columns,
// so the demo's posts stay) and one with errors. This test keeps them honest;
// DUBAN_WRITE_E2E_FIXTURES=1 writes them anew.
var e2eFixtures = map[string]struct {
	units, users [][]string
}{
	"org-import.xlsx": {
		units: [][]string{{"单位编码", "单位名称", "类型", "上级单位编码"}, {"G", "集团公司", "集团", ""}, {"E2E-DIGI", "数字化转型办公室", "部门", "G"}},
		users: [][]string{{"工号", "用户名", "姓名", "单位编码", "角色", "邮箱"},
			{"E2E001", "e2e.import1", "导入一号", "E2E-DIGI", "成员", "e2e.import1@example.com"},
			{"E2E002", "e2e.import2", "导入二号", "E2E-DIGI", "督办员", ""},
			{"E2E003", "e2e.import3", "导入三号", "E2E-DIGI", "", ""}},
	},
	"org-import-errors.xlsx": {
		units: [][]string{{"单位编码", "单位名称", "类型", "上级单位编码"}, {"G", "集团公司", "集团", ""}, {"E2E-DIGI", "数字化转型办公室", "科室", "G"}},
		users: [][]string{{"工号", "用户名", "姓名", "单位编码", "角色", "邮箱"},
			{"E2E001", "e2e.import1", "导入一号", "E2E-DIGI", "成员", "not-an-email"},
			{"E2E002", "e2e.import2", "导入二号", "NOPE", "督办员", ""}},
	},
}

func fixtureBytes(t *testing.T, units, users [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for sheet, rows := range map[string][][]string{orgsync.UnitsSheetName: units, orgsync.UsersSheetName: users} {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			row := make([]any, len(r))
			for j, v := range r {
				row[j] = v
			}
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	_ = f.DeleteSheet("Sheet1")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestE2EFixtures(t *testing.T) {
	dir := filepath.Join("..", "..", "frontend", "e2e", "fixtures")
	if os.Getenv("DUBAN_WRITE_E2E_FIXTURES") == "1" {
		for name, fx := range e2eFixtures {
			if err := os.WriteFile(filepath.Join(dir, name), fixtureBytes(t, fx.units, fx.users), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		ok, err := os.ReadFile(filepath.Join(dir, "org-import.xlsx"))
		if err != nil {
			t.Fatalf("%v (DUBAN_WRITE_E2E_FIXTURES=1 writes the fixtures)", err)
		}
		rep := decode(t, upload(admin, ok, "?dry_run=true").Expect(200))
		if len(rep.Errors) != 0 || rep.Users.Created != 3 || rep.Units.Created != 1 {
			t.Fatalf("org-import.xlsx: %+v", rep)
		}
		bad, err := os.ReadFile(filepath.Join(dir, "org-import-errors.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rep = decode(t, upload(admin, bad, "?dry_run=true").Expect(200))
		for _, at := range [][3]string{{"units", "3", "C"}, {"users", "2", "F"}, {"users", "3", "D"}} {
			row := 0
			fmt.Sscan(at[1], &row)
			if errorAt(rep, at[0], row, at[2]) == nil {
				t.Errorf("org-import-errors.xlsx: no error at %s!%s%s: %+v", at[0], at[2], at[1], rep.Errors)
			}
		}
	})
}
