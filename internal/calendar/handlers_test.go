package calendar_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/app"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// The handlers on the real HTTP edge, behind a stand-in authentication that takes
// the caller's roles from a header (the login flow has tests of its own).
const rolesHeader = "X-Test-Roles"

func fakeAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, ok := c.Request().Header[rolesHeader]
		if !ok {
			return problem.Unauthorized("no test principal")
		}
		p := &access.Principal{UserID: uuid.New(), Username: "tester"}
		for _, r := range strings.Split(strings.Join(raw, ","), ",") {
			if r != "" {
				p.Roles = append(p.Roles, access.Role(r))
			}
		}
		c.SetRequest(c.Request().WithContext(access.WithPrincipal(c.Request().Context(), p)))
		return next(c)
	}
}

const base = "/api/v1/_cal"

func mountFake(a *app.App) {
	calendar.Mount(httpserver.NewRouter(a.Server.API.Group("/_cal"), fakeAuth), calendar.NewService(a.DB, a.Config.Location, a.Config.Clock))
}

func TestHTTPCalendar(t *testing.T) {
	t.Parallel()
	for _, dialect := range dbtest.Dialects {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			env := apitest.Start(t, dbtest.New(t, dialect), apitest.Config(t), mountFake)
			member := []string{rolesHeader, "member"}
			adminH := []string{rolesHeader, "admin"}

			var y calendar.Year
			res := env.Do("GET", base+"/calendar/2026", nil, member...).Expect(200)
			res.JSON(&y)
			if y.Year != 2026 || y.Version != 1 || len(y.Days) != 39 || res.Header.Get("ETag") != `"1"` {
				t.Fatalf("GET 2026: %+v etag %s", y, res.Header.Get("ETag"))
			}
			m := res.Map()
			first := m["days"].([]any)[0].(map[string]any)
			if first["date"] != "2026-01-01" || first["kind"] != "holiday" || first["name"] != "元旦" {
				t.Errorf("first day: %v", first)
			}
			env.Do("GET", base+"/calendar/2026", nil, rolesHeader, "member", "If-None-Match", `"1"`).Expect(304)
			env.Do("GET", base+"/calendar/2026", nil, rolesHeader, "member", "If-None-Match", `"7"`).Expect(200)
			env.Do("GET", base+"/calendar/2026", nil).Problem(401, problem.CodeUnauthorized)

			for _, bad := range []string{"1999", "2101", "abcd", "02026", "-2026"} {
				env.Do("GET", base+"/calendar/"+bad, nil, member...).Problem(404, problem.CodeNotFound)
			}
			empty := env.Do("GET", base+"/calendar/2040", nil, member...).Expect(200).Map()
			if empty["version"] != float64(0) || len(empty["days"].([]any)) != 0 {
				t.Errorf("empty year: %v", empty)
			}

			body := map[string]any{"note": "改", "days": []map[string]string{
				{"date": "2026-02-16", "kind": "holiday", "name": "春节"},
				{"date": "2026-02-14", "kind": "workday", "name": "春节调休上班"},
			}}
			// Only admins may change it, whatever the body.
			for _, role := range []string{"member", "supervisor", "leader", "auditor", ""} {
				env.Do("PUT", base+"/calendar/2026", body, rolesHeader, role).Problem(403, problem.CodeForbidden)
				env.Do("PUT", base+"/calendar/2026", "{broken", rolesHeader, role).Problem(403, problem.CodeForbidden)
			}
			env.Do("PUT", base+"/calendar/2101", body, adminH...).Problem(404, problem.CodeNotFound)
			env.Do("PUT", base+"/calendar/2026", "{broken", adminH...).Problem(400, problem.CodeMalformedJSON)
			env.Do("PUT", base+"/calendar/2026", body, rolesHeader, "admin", "If-Match", `"9"`).Problem(412, problem.CodePreconditionFailed)
			env.Do("PUT", base+"/calendar/2026", body, rolesHeader, "admin", "If-Match", `"abc"`).Problem(412, problem.CodePreconditionFailed)

			invalid := []struct {
				days  string
				field string
			}{
				{`[{"date":"2027-01-01","kind":"holiday","name":""}]`, "days[0].date"},
				{`[{"date":"2026-01-05","kind":"workday","name":"周一"}]`, "days[0].kind"},
				{`[{"date":"2026-01-01","kind":"vacation","name":""}]`, "days[0].kind"},
				{`[{"date":"2026-01-01","kind":"holiday","name":""},{"date":"2026-01-01","kind":"holiday","name":""}]`, "days[1].date"},
				{`[{"kind":"holiday","name":""}]`, "days[0].date"},
				{`null`, "days"},
			}
			for _, c := range invalid {
				p := env.Do("PUT", base+"/calendar/2026", `{"days":`+c.days+`}`, adminH...).Problem(422, problem.CodeValidation)
				errs := p["errors"].([]any)
				if errs[0].(map[string]any)["field"] != c.field {
					t.Errorf("%s: errors %v, want field %s", c.days, errs, c.field)
				}
			}
			env.Do("PUT", base+"/calendar/2026", `{"days":[],"extra":1}`, adminH...).Problem(422, problem.CodeValidation)
			env.Do("PUT", base+"/calendar/2026", `{"days":[{"date":"2026-13-01","kind":"holiday","name":""}]}`, adminH...).Problem(400, problem.CodeMalformedJSON)
			env.Do("PUT", base+"/calendar/2026", `{"year":2025,"days":[]}`, adminH...).Problem(422, problem.CodeValidation)
			env.Do("PUT", base+"/calendar/2026", `{"version":3,"days":[]}`, adminH...).Problem(412, problem.CodePreconditionFailed)
			env.Do("PUT", base+"/calendar/2026", "x", rolesHeader, "admin", "Content-Type", "text/plain").Problem(415, problem.CodeUnsupportedMedia)

			// A valid replace with the right If-Match.
			res = env.Do("PUT", base+"/calendar/2026", body, rolesHeader, "admin", "If-Match", `"1"`).Expect(200)
			res.JSON(&y)
			if y.Version != 2 || len(y.Days) != 2 || y.Days[0].Date.String() != "2026-02-14" || res.Header.Get("ETag") != `"2"` {
				t.Fatalf("PUT: %+v etag %s", y, res.Header.Get("ETag"))
			}
			// The same If-Match again is stale now.
			env.Do("PUT", base+"/calendar/2026", body, rolesHeader, "admin", "If-Match", `"1"`).Problem(412, problem.CodePreconditionFailed)
			// A GET document sent back as is (year, version, note, days) is accepted.
			back := env.Do("GET", base+"/calendar/2026", nil, member...).Expect(200)
			env.Do("PUT", base+"/calendar/2026", back.Body, adminH...).Expect(200)
			// A new year.
			res = env.Do("PUT", base+"/calendar/2030", `{"days":[{"date":"2030-01-01","kind":"holiday","name":"元旦"}]}`,
				rolesHeader, "admin", "If-Match", `"0"`).Expect(200)
			if res.Header.Get("ETag") != `"1"` {
				t.Errorf("new year ETag %s", res.Header.Get("ETag"))
			}
			got := env.Do("GET", base+"/calendar/2030", nil, member...).Expect(200).Map()
			if fmt.Sprint(got["days"]) != "[map[date:2030-01-01 kind:holiday name:元旦]]" {
				t.Errorf("2030: %v", got["days"])
			}
		})
	}
}

// The routes as the application mounts them, with real logins.
func TestHTTPCalendarAsMounted(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		env.Do("GET", "/api/v1/calendar/2026", nil).Problem(http.StatusUnauthorized, problem.CodeUnauthorized)
		env.Do("PUT", "/api/v1/calendar/2026", `{"days":[]}`).Problem(http.StatusUnauthorized, problem.CodeUnauthorized)

		unit := env.Unit("集团", "group", nil, false)
		env.User("root", unit, access.RoleAdmin)
		env.User("member", unit, access.RoleMember)
		env.User("boss", unit, access.RoleSupervisor, access.RoleLeader)
		admin, member, boss := env.As(env.Login("root")), env.As(env.Login("member")), env.As(env.Login("boss"))

		y := member.Do("GET", "/api/v1/calendar/2027", nil).Expect(200).Map()
		if y["version"] != float64(1) || !strings.HasPrefix(y["note"].(string), "暂定") {
			t.Errorf("2027: %v", y)
		}
		body := `{"note":"国务院办公厅通知","days":[{"date":"2027-02-08","kind":"holiday","name":"春节"}]}`
		member.Do("PUT", "/api/v1/calendar/2027", body).Problem(http.StatusForbidden, problem.CodeForbidden)
		boss.Do("PUT", "/api/v1/calendar/2027", body).Problem(http.StatusForbidden, problem.CodeForbidden)
		res := admin.Do("PUT", "/api/v1/calendar/2027", body, "If-Match", `"1"`).Expect(200)
		if res.Header.Get("ETag") != `"2"` {
			t.Errorf("ETag %s", res.Header.Get("ETag"))
		}
		admin.Do("PUT", "/api/v1/calendar/2027", body, "If-Match", `"1"`).Problem(http.StatusPreconditionFailed, problem.CodePreconditionFailed)
		y = member.Do("GET", "/api/v1/calendar/2027", nil).Expect(200).Map()
		if y["note"] != "国务院办公厅通知" || len(y["days"].([]any)) != 1 {
			t.Errorf("after PUT: %v", y)
		}
	})
}
