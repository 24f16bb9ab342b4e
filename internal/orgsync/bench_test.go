package orgsync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/dbtest"
)

// bigBook is a group of 60 units (the group, 9 HQ departments, 5 enterprises with
// 9 departments each) and people people spread over them, every unit with a head
// and a liaison.
func bigBook(people int) *book {
	b := &book{}
	var depts []string
	b.units = append(b.units, []string{"G", "集团公司", "", "集团", "", "", "0", "", ""})
	for i := 1; i <= 9; i++ {
		code := fmt.Sprintf("G-D%02d", i)
		b.units = append(b.units, []string{code, fmt.Sprintf("总部部门%02d", i), "", "部门", "G", map[bool]string{true: "是"}[i == 1], fmt.Sprint(i), "", ""})
		depts = append(depts, code)
	}
	for e := 1; e <= 5; e++ {
		ent := fmt.Sprintf("E%d", e)
		b.units = append(b.units, []string{ent, fmt.Sprintf("子企业%d", e), "", "企业", "G", "", fmt.Sprint(10 + e), "", ""})
		for i := 1; i <= 9; i++ {
			code := fmt.Sprintf("%s-D%02d", ent, i)
			b.units = append(b.units, []string{code, fmt.Sprintf("子企业%d部门%02d", e, i), "", "部门", ent, "", fmt.Sprint(i), "", ""})
			depts = append(depts, code)
		}
	}
	roles := []string{"成员", "成员", "成员", "督办员", "领导"}
	for i := 0; i < people; i++ {
		unit := depts[i%len(depts)]
		b.users = append(b.users, []string{fmt.Sprintf("N%05d", i), fmt.Sprintf("user%05d", i), fmt.Sprintf("员工%05d", i), unit,
			roles[i%len(roles)], "科员", fmt.Sprintf("138%08d", i), fmt.Sprintf("user%05d@example.com", i), ""})
	}
	// The first two people of each department are its head and liaison; the
	// enterprises' and the group's heads sit in their first department.
	for i, d := range depts {
		for _, u := range b.units {
			if u[0] == d {
				u[7], u[8] = fmt.Sprintf("N%05d", i), fmt.Sprintf("N%05d", i+len(depts))
			}
		}
	}
	b.units[0][7] = "N00000"
	for e := 1; e <= 5; e++ {
		for _, u := range b.units {
			if u[0] == fmt.Sprintf("E%d", e) {
				u[7] = fmt.Sprintf("N%05d", 9+(e-1)*9)
			}
		}
	}
	return b
}

// BenchmarkImportOrg imports 60 units and 5,000 people from Excel into a fresh
// database, then imports the same file again (a no-op), on both engines:
//
//	go test -run '^$' -bench ImportOrg -benchtime 1x ./internal/orgsync/
//
// import-s and reimport-s are the seconds of one upload each, through HTTP.
func BenchmarkImportOrg(b *testing.B) {
	file := bigBook(5000).bytes(b)
	b.Logf("workbook: %d bytes", len(file))
	for _, d := range dbtest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			var first, again time.Duration
			for range b.N {
				b.StopTimer()
				env := apitest.Start(b, dbtest.New(b, d), apitest.Config(b))
				root := env.Unit("集团公司", "group", nil, false)
				admin := env.As(env.OpenSession(env.User("it.admin", root, "admin")))
				b.StartTimer()
				start := time.Now()
				rep := decode(b, upload(admin, file, "").Expect(200))
				first += time.Since(start)
				if !rep.Applied || rep.Users.Created != 5000 || rep.Units.Created != 59 {
					b.Fatalf("import: units %+v users %+v errors %v", rep.Units, rep.Users, rep.Errors[:min(5, len(rep.Errors))])
				}
				start = time.Now()
				rep = decode(b, upload(admin, file, "").Expect(200))
				again += time.Since(start)
				if rep.Applied || len(rep.Changes) != 0 || rep.Users.Unchanged != 5000 {
					b.Fatalf("re-import changed %d things", len(rep.Changes))
				}
			}
			b.ReportMetric(first.Seconds()/float64(b.N), "import-s")
			b.ReportMetric(again.Seconds()/float64(b.N), "reimport-s")
			b.Logf("%s: import %v, re-import (no-op) %v", d, first/time.Duration(b.N), again/time.Duration(b.N))
		})
	}
}
