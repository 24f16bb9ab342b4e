package authzmatrix

import (
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/assessment"
	"github.com/duban/duban/internal/bulletins"
	"github.com/duban/duban/internal/ledger"
)

// Reporting (issue 13): statistics, the ledger and its import, bulletins and the
// assessment.
func init() {
	register(statsRows()...)
	register(ledgerRows()...)
	register(bulletinRows()...)
	register(assessmentRows()...)
}

// statsRows: statistics count what the caller sees (proved in internal/stats), so
// every signed-in caller gets 200; the relation picks the unit filtered on.
func statsRows() []row {
	var out []row
	for _, path := range []string{"overview", "units", "trend"} {
		out = append(out, row{
			method: "GET", route: "/api/v1/stats/" + path,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/stats/" + path + "?unit_id=" + f.unitFor(c.user, c.rel).String(), nil
			},
			want: all(http.StatusOK),
		})
	}
	return out
}

// importFile is a one-row import naming the relation's unit as lead unit (and the
// group's leader2 as supervising leader, which every item needs): own and
// other are units of the group's scope (created), none the enterprise's (refused
// row by row: 422).
// src is the source column: a group meeting for the supervision office, which
// declares it, a special meeting (a draft) for everyone else.
func importFile(f *fixture, lead uuid.UUID, src string) upload {
	var name string
	var names []string
	f.must(f.env.DB.Gorm().Table("org_units").Where("id = ?", lead).Pluck("name", &names).Error, "unit name")
	if len(names) == 1 {
		name = names[0]
	}
	x, err := ledger.Template(ledger.Zh)
	f.must(err, "template")
	defer func() { _ = x.Close() }()
	sheet := x.GetSheetList()[0]
	f.must(x.SetSheetRow(sheet, "A2", &[]any{fmt.Sprintf("矩阵导入事项%d", f.next()), "内容", "", "重要事项", src, "", name, "", "leader2", "",
		f.items.Today().AddDays(30).String(), "", "", ""}), "row")
	buf, err := x.WriteToBuffer()
	f.must(err, "write")
	return upload{filename: "import.xlsx", content: buf.Bytes()}
}

func ledgerRows() []row {
	creators := func(ok [3]int) grid {
		g := all(http.StatusForbidden)
		for _, r := range []role{supervisor, leader, member, undertaker} {
			g[r] = ok
		}
		return g
	}
	return []row{
		{method: "GET", route: "/api/v1/items/export.xlsx", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/items/export.xlsx?unit_id=" + f.unitFor(c.user, c.rel).String(), nil
		}, want: all(http.StatusOK)},
		{method: "GET", route: "/api/v1/items/export.csv", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/items/export.csv?unit_id=" + f.unitFor(c.user, c.rel).String(), nil
		}, want: all(http.StatusOK)},
		{method: "GET", route: "/api/v1/items/import-template.xlsx", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/items/import-template.xlsx", nil
		}, want: all(http.StatusOK)},
		// Importing is creating items: the roles that may create them, in their scope.
		{method: "POST", route: "/api/v1/items/import", setup: func(f *fixture, c *cell) (string, any) {
			src := "专题会议"
			if c.role == supervisor {
				src = "集团会议"
			}
			return "/api/v1/items/import", importFile(f, f.unitFor(c.user, c.rel), src)
		}, want: creators([3]int{http.StatusCreated, http.StatusCreated, http.StatusUnprocessableEntity})},
	}
}

// bulletinOf makes a bulletin: own a published one of the group's scope, other a
// draft of it, none a published one of the enterprise.
func (f *fixture) bulletinOf(rel relation, published bool) uuid.UUID {
	sup := f.principal(f.actors[supervisor].id)
	if rel == none {
		sup = f.principal(f.entSup)
	}
	v, err := f.env.App.Bulletins.Create(f.ctx, sup, bulletins.CreateInput{Kind: bulletins.KindMonthly, Period: f.items.Today().String()[:7]})
	f.must(err, "bulletin")
	if published {
		_, err = f.env.App.Bulletins.Publish(f.ctx, sup, v.ID, nil)
		f.must(err, "publish bulletin")
	}
	return v.ID
}

// bulletinRows: relation own = a published bulletin of the caller's scope, other =
// a draft of it, none = a published bulletin of the enterprise. Drafts are the
// office's (and the scope's admins' and auditors', read only).
func bulletinRows() []row {
	read := grid{
		admin: {200, 200, 404}, supervisor: {200, 200, 404}, leader: {200, 404, 404},
		member: {200, 404, 404}, undertaker: {200, 404, 404}, auditor: {200, 200, 404},
	}
	shared := func(f *fixture, rel relation) uuid.UUID {
		return once(f, "bulletin/"+rel.String(), func() uuid.UUID { return f.bulletinOf(rel, rel != other) })
	}
	// for changes: own = a draft, other = a published one, none = the enterprise's draft
	fresh := func(f *fixture, rel relation) uuid.UUID { return f.bulletinOf(rel, rel == other) }
	change := func(ok int) grid {
		return grid{
			admin: {403, 403, 404}, supervisor: {ok, 409, 404}, leader: {404, 403, 404},
			member: {404, 403, 404}, undertaker: {404, 403, 404}, auditor: {403, 403, 404},
		}
	}
	return []row{
		{method: "GET", route: "/api/v1/bulletins", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins", nil
		}, want: all(http.StatusOK)},
		{method: "POST", route: "/api/v1/bulletins", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins", map[string]any{"kind": "monthly", "period": f.items.Today().String()[:7]}
		}, want: func() grid { g := all(http.StatusForbidden); g[supervisor] = [3]int{201, 201, 201}; return g }()},
		{method: "GET", route: "/api/v1/bulletins/:id", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins/" + shared(f, c.rel).String(), nil
		}, want: read},
		{method: "GET", route: "/api/v1/bulletins/:id/appendix.xlsx", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins/" + shared(f, c.rel).String() + "/appendix.xlsx", nil
		}, want: read},
		{method: "PATCH", route: "/api/v1/bulletins/:id", reuse: true, setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins/" + fresh(f, c.rel).String(), map[string]any{"sections": map[string]string{"summary": "矩阵测试"}}
		}, want: change(200)},
		{method: "POST", route: "/api/v1/bulletins/:id/publish", reuse: true, setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/bulletins/" + fresh(f, c.rel).String() + "/publish", nil
		}, want: change(200)},
	}
}

// assessmentRows: the rules and results have no owner beyond the caller's scope;
// the relation does not apply. Publishing takes a period nobody else uses.
func assessmentRows() []row {
	month := func(f *fixture) string { return fmt.Sprintf("20%02d-%02d", 30+f.next()%60, 1+f.next()%12) }
	office := func(ok int) grid {
		g := all(http.StatusForbidden)
		g[supervisor] = [3]int{ok, ok, ok}
		return g
	}
	return []row{
		{method: "GET", route: "/api/v1/settings/assessment", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/settings/assessment", nil
		}, want: all(http.StatusOK)},
		{method: "PUT", route: "/api/v1/settings/assessment", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/settings/assessment", assessment.Defaults()
		}, want: func() grid { g := office(200); g[admin] = [3]int{200, 200, 200}; return g }()},
		{method: "GET", route: "/api/v1/assessments", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/assessments?period=" + f.items.Today().String()[:7], nil
		}, want: all(http.StatusOK)},
		{method: "POST", route: "/api/v1/assessments/:period/publish", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/assessments/" + month(f) + "/publish", nil
		}, want: office(201)},
		{method: "GET", route: "/api/v1/assessments/:file", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/assessments/" + f.items.Today().String()[:7] + ".xlsx", nil
		}, want: all(http.StatusOK)},
	}
}
