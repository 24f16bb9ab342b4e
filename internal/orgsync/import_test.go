package orgsync_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/orgsync"
)

type unitRow struct {
	ID, Name, Kind, ScopeID, Code, Source string
	ParentID, HeadUserID                  *string
	IsSupervisionOffice                   bool
	SortOrder, Version                    int
}

type userRow struct {
	ID, Username, DisplayName, OrgUnitID, Email, Phone, Title, PasswordHash, Source string
	EmployeeNo                                                                      *string
	Active, MustChangePassword                                                      bool
	Version                                                                         int
}

func units(t *testing.T, e *apitest.Env) map[string]unitRow {
	t.Helper()
	var rows []unitRow
	if err := e.DB.Gorm().Table("org_units").Select("id, name, kind, scope_id, COALESCE(code, '') AS code, source, parent_id, head_user_id, is_supervision_office, sort_order, version").
		Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]unitRow{}
	for _, r := range rows {
		out[r.Name] = r
	}
	return out
}

func people(t *testing.T, e *apitest.Env) map[string]userRow {
	t.Helper()
	var rows []userRow
	if err := e.DB.Gorm().Table("users").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]userRow{}
	for _, r := range rows {
		out[r.Username] = r
	}
	return out
}

func rolesOf(t *testing.T, e *apitest.Env, user string) []string {
	t.Helper()
	var roles []string
	if err := e.DB.Gorm().Table("user_roles").Where("user_id = ?", user).Order("role").Pluck("role", &roles).Error; err != nil {
		t.Fatal(err)
	}
	return roles
}

func liaisonsOf(t *testing.T, e *apitest.Env, unit string) []string {
	t.Helper()
	var ids []string
	if err := e.DB.Gorm().Table("org_unit_liaisons").Where("org_unit_id = ?", unit).Pluck("user_id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestImportTemplate(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		r := admin.Do("GET", "/api/v1/org/import-template.xlsx", nil).Expect(200)
		if !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("disposition %q", r.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(strings.NewReader(string(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(orgsync.UsersSheetName)
		if len(rows) != 1 || rows[0][0] != "工号*" {
			t.Fatalf("users sheet %v", rows)
		}
		// The empty template imports as nothing at all.
		rep := decode(t, upload(admin, r.Body, "?dry_run=true").Expect(200))
		if len(rep.Errors) != 0 || len(rep.Changes) != 0 {
			t.Fatalf("empty template: %+v", rep)
		}
		member := env.User("someone", env.Unit("规划发展部", "department", nil, false), "member")
		env.As(env.OpenSession(member)).Do("GET", "/api/v1/org/import-template.xlsx", nil).Problem(403, "forbidden")
	})
}

func TestImportThenReimportIsNoop(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		file := sampleBook().bytes(t)

		// A dry run reports everything and writes nothing.
		rep := decode(t, upload(admin, file, "?dry_run=true").Expect(200))
		if !rep.DryRun || rep.Applied || len(rep.Errors) != 0 {
			t.Fatalf("dry run: %+v", rep)
		}
		if rep.Units.Created != 4 || rep.Units.Updated != 1 || rep.Users.Created != 7 {
			t.Fatalf("dry run counts: units %+v users %+v", rep.Units, rep.Users)
		}
		if n := len(units(t, env)); n != 1 {
			t.Fatalf("the dry run wrote %d units", n)
		}

		rep = decode(t, upload(admin, file, "").Expect(200))
		if !rep.Applied || rep.Users.Created != 7 || rep.Units.Created != 4 {
			t.Fatalf("import: %+v", rep)
		}
		us, ps := units(t, env), people(t, env)
		root, hd, prod := us["集团公司"], us["华东公司"], us["华东公司生产部"]
		if root.Code != "G" || root.Source != "import" || hd.Kind != "enterprise" || hd.ScopeID != hd.ID || prod.ScopeID != hd.ID ||
			us["规划发展部"].ScopeID != root.ID || !us["办公厅督办处"].IsSupervisionOffice {
			t.Fatalf("units %+v", us)
		}
		if root.HeadUserID == nil || *root.HeadUserID != ps["li.dong"].ID || hd.HeadUserID == nil || *hd.HeadUserID != ps["hua.dong"].ID {
			t.Fatalf("heads: root %v hd %v", root.HeadUserID, hd.HeadUserID)
		}
		if l := liaisonsOf(t, env, us["办公厅督办处"].ID); !slices.Equal(l, []string{ps["lian.luo"].ID}) {
			t.Fatalf("liaisons %v", l)
		}
		du := ps["du.ban"]
		if du.OrgUnitID != us["办公厅督办处"].ID || du.PasswordHash != "" || du.MustChangePassword || du.Source != "import" ||
			du.EmployeeNo == nil || *du.EmployeeNo != "E002" || du.Title != "处长" || du.Email != "du.ban@example.com" {
			t.Fatalf("du.ban %+v", du)
		}
		if r := rolesOf(t, env, du.ID); !slices.Equal(r, []string{"admin", "supervisor"}) {
			t.Fatalf("roles %v", r)
		}
		if r := rolesOf(t, env, ps["gui.hua"].ID); !slices.Equal(r, []string{"member"}) {
			t.Fatalf("default roles %v", r)
		}
		audits := env.AuditCount(orgsync.ActionImported)

		// The same file again: nothing changes, not even a version.
		rep = decode(t, upload(admin, file, "").Expect(200))
		if rep.Applied || len(rep.Changes) != 0 || rep.Users.Unchanged != 7 || rep.Units.Unchanged != 5 {
			t.Fatalf("re-import: %+v", rep)
		}
		after, afterPeople := units(t, env), people(t, env)
		for name, u := range us {
			if after[name].Version != u.Version {
				t.Errorf("unit %s went from version %d to %d", name, u.Version, after[name].Version)
			}
		}
		for name, p := range ps {
			if afterPeople[name].Version != p.Version {
				t.Errorf("user %s went from version %d to %d", name, p.Version, afterPeople[name].Version)
			}
		}
		if env.AuditCount(orgsync.ActionImported) != audits {
			t.Fatal("a no-op import was audited as an import")
		}
	})
}

func TestImportAppliesExactlyTheDifferences(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		b := sampleBook()
		upload(admin, b.bytes(t), "").Expect(200)
		before := people(t, env)
		c := b.clone()
		c.units[2][1] = "战略规划部"                                                                     // rename
		c.units[2][8] = ""                                                                          // ping.an leaves the planning department's liaison post
		c.users[4][3] = "G-OFF"                                                                     // ping.an moves to the office
		c.users[4][4] = "督办员"                                                                       // and becomes a supervisor
		c.users[6][8] = "离职"                                                                        // sheng.chan left
		c.units[4][8] = ""                                                                          // … so the production department has no liaison
		c.users = append(c.users, []string{"E008", "xin.ren", "新人", "HD-PROD", "", "", "", "", ""}) // a newcomer
		rep := decode(t, upload(admin, c.bytes(t), "").Expect(200))
		got := map[string]string{}
		for _, ch := range rep.Changes {
			got[ch.Entity+" "+ch.Key] = ch.Action + " " + strings.Join(ch.Fields, ",")
		}
		want := map[string]string{
			"unit G-PLAN":  "update name,liaison_user_ids",
			"unit HD-PROD": "update liaison_user_ids",
			"user E005":    "update org_unit_id,roles",
			"user E007":    "deactivate active",
			"user E008":    "create ",
		}
		if len(got) != len(want) {
			t.Fatalf("changes %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %q, want %q", k, got[k], v)
			}
		}
		if rep.Users.Created != 1 || rep.Users.Updated != 1 || rep.Users.Deactivated != 1 || rep.Units.Updated != 2 {
			t.Fatalf("counts %+v %+v", rep.Units, rep.Users)
		}
		after := people(t, env)
		if after["sheng.chan"].Active || !after["ping.an"].Active || after["li.dong"].Version != before["li.dong"].Version {
			t.Fatalf("people after %+v", after)
		}
		// Re-importing the changed file is a no-op again.
		rep = decode(t, upload(admin, c.bytes(t), "").Expect(200))
		if len(rep.Changes) != 0 {
			t.Fatalf("second import of the changed file: %+v", rep.Changes)
		}
		// And back: sheng.chan returns.
		rep = decode(t, upload(admin, b.bytes(t), "?dry_run=true").Expect(200))
		if rep.Users.Reactivated != 1 {
			t.Fatalf("reactivation: %+v", rep.Users)
		}
	})
}

func TestImportErrorsByRowAndColumn(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		b := sampleBook()
		b.units[2][3] = "科室"                                                                  // row 4 D: kind
		b.units[4][4] = "NOPE"                                                                // row 6 E: parent
		b.units = append(b.units, []string{"G-OFF", "重复", "", "部门", "G", "", "", "", ""})     // row 7 A: duplicate code
		b.units[3][7] = "E004"                                                                // row 5 H: head from another unit
		b.users[1][7] = "not-an-email"                                                        // row 3 H
		b.users[2][1] = "Bad Name!"                                                           // row 4 B
		b.users[3][4] = "老板"                                                                  // row 5 E
		b.users[4][3] = "MISSING"                                                             // row 6 D
		b.users = append(b.users, []string{"E001", "dup.emp", "重复", "G", "", "", "", "", ""}) // row 9 A
		b.users = append(b.users, []string{"E099", "li.dong", "重名", "G", "", "", "", "", ""}) // row 10 B
		b.users = append(b.users, []string{"", "no.number", "", "G", "", "", "", "", "出差"})   // row 11: A, C, I
		file := b.bytes(t)

		rep := decode(t, upload(admin, file, "?dry_run=true").Expect(200))
		for _, w := range []struct {
			sheet  string
			row    int
			column string
			rule   string
		}{
			{"units", 4, "D", "oneof"}, {"units", 6, "E", "exists"}, {"units", 7, "A", "unique"}, {"units", 5, "H", "member"},
			{"users", 3, "H", "email"}, {"users", 4, "B", "pattern"}, {"users", 5, "E", "oneof"}, {"users", 9, "A", "unique"},
			{"users", 10, "B", "unique"}, {"users", 11, "A", "required"}, {"users", 11, "C", "required"}, {"users", 11, "I", "oneof"},
		} {
			e := errorAt(rep, w.sheet, w.row, w.column)
			if e == nil {
				t.Errorf("no error at %s!%s%d (%s); errors: %+v", w.sheet, w.column, w.row, w.rule, rep.Errors)
				continue
			}
			if e.Rule != w.rule || e.Message == "" {
				t.Errorf("%s!%s%d: %+v, want rule %s", w.sheet, w.column, w.row, e, w.rule)
			}
		}
		if rep.Applied {
			t.Fatal("applied with errors")
		}
		// Without dry_run: 422, the same report, nothing written.
		p := upload(admin, file, "").Problem(422, "import_invalid")
		if p["report"] == nil {
			t.Fatalf("no report in %v", p)
		}
		if n := len(people(t, env)); n != 1 {
			t.Fatalf("an invalid import wrote %d people", n)
		}
		// Not a workbook at all.
		upload(admin, []byte("name,code\n"), "").Problem(422, "not_a_workbook")
		admin.Do("POST", "/api/v1/org/import", map[string]string{"file": "x"}).Expect(415)
		upload(admin, file, "?dry_run=maybe").Problem(422, "validation_failed")
	})
}

// The acting admin cannot import themself out, and the last admin stays.
func TestImportGuardsAdmins(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		b := sampleBook()
		// The file names the admin (adopted by username) without the admin role.
		b.users = append(b.users, []string{"E900", "it.admin", "管理员", "G", "成员", "", "", "", ""})
		rep := decode(t, upload(admin, b.bytes(t), "?dry_run=true").Expect(200))
		if e := errorAt(rep, "users", 9, "E"); e == nil || e.Rule != "self_lockout" {
			t.Fatalf("errors %+v", rep.Errors)
		}
		b.users[len(b.users)-1][4] = "管理员"
		rep = decode(t, upload(admin, b.bytes(t), "").Expect(200))
		if !rep.Applied {
			t.Fatalf("%+v", rep)
		}
		// Now the admin is an imported person too; deactivate_missing with a file
		// without them must not lock them out.
		c := sampleBook()
		rep = decode(t, upload(admin, c.bytes(t), "?dry_run=true&deactivate_missing=true").Expect(200))
		found := false
		for _, e := range rep.Errors {
			found = found || e.Rule == "self_lockout"
		}
		if !found {
			t.Fatalf("self lockout not caught: %+v", rep.Errors)
		}
	})
}

// deactivate_missing deactivates people an earlier import created and ends their
// sessions; people made by hand stay.
func TestImportDeactivatesMissing(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		b := sampleBook()
		upload(admin, b.bytes(t), "").Expect(200)
		ps := people(t, env)
		session := env.OpenSession(uuidOf(t, ps["ping.an"].ID))
		env.As(session).Do("GET", "/api/v1/me", nil).Expect(200)
		env.User("hand.made", uuidOf(t, units(t, env)["规划发展部"].ID), "member")
		c := b.clone()
		c.users = append(c.users[:4], c.users[5:]...) // ping.an left the file
		c.units[2][8] = ""                            // and their liaison post
		rep := decode(t, upload(admin, c.bytes(t), "").Expect(200))
		if rep.Users.Deactivated != 0 || len(rep.Changes) != 1 {
			t.Fatalf("without deactivate_missing: %+v %+v", rep.Users, rep.Changes)
		}
		rep = decode(t, upload(admin, c.bytes(t), "?deactivate_missing=true").Expect(200))
		if rep.Users.Deactivated != 1 || len(rep.Changes) != 1 || rep.Changes[0].Key != "E005" {
			t.Fatalf("deactivate_missing: %+v %+v", rep.Users, rep.Changes)
		}
		after := people(t, env)
		if after["ping.an"].Active || !after["hand.made"].Active || !after["it.admin"].Active {
			t.Fatalf("after %+v", after)
		}
		env.As(session).Do("GET", "/api/v1/me", nil).Expect(401)
	})
}

func TestImportNeedsAdmin(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		root := env.Unit("集团公司", "group", nil, false)
		sup := env.User("sup", root, "supervisor")
		upload(env.As(env.OpenSession(sup)), sampleBook().bytes(t), "?dry_run=true").Problem(403, "forbidden")
		upload(env, sampleBook().bytes(t), "").Expect(401)
	})
}

func uuidOf(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
