package warnings_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/warnings"
)

type settings struct {
	BlueWorkdays          int     `json:"blue_workdays"`
	FeedbackGraceWorkdays int     `json:"feedback_grace_workdays"`
	Version               int     `json:"version"`
	UpdatedBy             *string `json:"updated_by"`
	UpdatedAt             *string `json:"updated_at"`
}

func lightOf(env *apitest.Env, id uuid.UUID) string {
	env.T.Helper()
	var it struct {
		Light string `json:"light"`
	}
	env.Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).JSON(&it)
	return it.Light
}

func listed(env *apitest.Env, q string) int {
	env.T.Helper()
	var pg struct {
		Total int `json:"total"`
	}
	env.Do("GET", "/api/v1/items?"+q, nil).Expect(200).JSON(&pg)
	return pg.Total
}

// TestHTTPWarningSettings: everyone reads the thresholds, only an administrator
// changes them (403), within bounds (422), with If-Match or version (412 when
// stale); the items' lights and the light filter follow at once; changes are
// audited.
func TestHTTPWarningSettings(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		member := env.As(env.Login("memberb"))
		admin := env.As(env.Login("admin1"))
		sup := env.As(env.Login("sup"))

		var s settings
		r := member.Do("GET", "/api/v1/settings/warnings", nil).Expect(200)
		r.JSON(&s)
		if s.BlueWorkdays != warnings.DefaultBlueWorkdays || s.FeedbackGraceWorkdays != 0 || s.Version != 0 || s.UpdatedAt != nil {
			t.Fatalf("defaults: %+v", s)
		}
		if r.Header.Get("ETag") != `"0"` {
			t.Errorf("ETag %q", r.Header.Get("ETag"))
		}
		env.As("").Do("GET", "/api/v1/settings/warnings", nil).Problem(401, "unauthorized")

		// Two weeks away: green with 3 working days, blue with 20.
		id := w.ItemInProgress("两周后到期", 14)
		if l := lightOf(sup, id); l != "green" {
			t.Fatalf("light %s with the default threshold", l)
		}

		for _, u := range []string{"sup", "leader", "headb", "auditor"} {
			env.As(env.Login(u)).Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 20}).Problem(403, "forbidden")
		}
		for _, body := range []map[string]int{{"blue_workdays": 0}, {"blue_workdays": 31}, {"feedback_grace_workdays": -1},
			{"feedback_grace_workdays": 31}} {
			admin.Do("PUT", "/api/v1/settings/warnings", body).Problem(422, "validation_failed")
		}
		admin.Do("PUT", "/api/v1/settings/warnings", `{"blue_workdays": "many"}`).Problem(422, "validation_failed")
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 20}, "If-Match", `"4"`).Problem(412, "precondition_failed")

		r = admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 20}, "If-Match", `"0"`).Expect(200)
		r.JSON(&s)
		if s.BlueWorkdays != 20 || s.FeedbackGraceWorkdays != 0 || s.Version != 1 || s.UpdatedBy == nil || *s.UpdatedBy != w.Admin.String() ||
			r.Header.Get("ETag") != `"1"` {
			t.Fatalf("after PUT: %+v (ETag %s)", s, r.Header.Get("ETag"))
		}
		if l := lightOf(sup, id); l != "blue" {
			t.Errorf("light %s with 20 working days", l)
		}
		if n := listed(sup, "light=blue"); n != 1 {
			t.Errorf("light=blue lists %d", n)
		}
		// Stale: the first version again.
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 5}, "If-Match", `"0"`).Problem(412, "precondition_failed")
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 5, "version": 0}).Problem(412, "precondition_failed")
		// The version in the body; absent fields stay.
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"feedback_grace_workdays": 2, "version": 1}).Expect(200).JSON(&s)
		if s.BlueWorkdays != 20 || s.FeedbackGraceWorkdays != 2 || s.Version != 2 {
			t.Fatalf("partial PUT: %+v", s)
		}
		member.Do("GET", "/api/v1/settings/warnings", nil).Expect(200).JSON(&s)
		if s.Version != 2 || s.UpdatedAt == nil {
			t.Errorf("read back: %+v", s)
		}
		// Without a precondition the change applies to the current version.
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"blue_workdays": 3}).Expect(200).JSON(&s)
		if s.Version != 3 || lightOf(sup, id) != "green" || listed(sup, "light=blue") != 0 {
			t.Errorf("back to 3: %+v, light %s", s, lightOf(sup, id))
		}
		if n := env.AuditCount(warnings.AuditUpdated); n != 3 {
			t.Errorf("%d audit events", n)
		}
	})
}
