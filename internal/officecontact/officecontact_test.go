package officecontact_test

import (
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/officecontact"
)

type contactJSON struct {
	ScopeID   string  `json:"scope_id"`
	Phone     string  `json:"phone"`
	Person    string  `json:"person"`
	Version   int     `json:"version"`
	UpdatedBy *string `json:"updated_by"`
}

// TestOfficeContactAPI: empty until set and read by everyone signed in; only the
// office and admins change it, with If-Match (428 without, 412 stale); trimmed
// and bounded (422); audited and read back by a unit.
func TestOfficeContactAPI(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		path := "/api/v1/settings/office-contact"
		var c contactJSON
		r := sup.Do("GET", path, nil).Expect(200)
		r.JSON(&c)
		if c.Version != 0 || r.Header.Get("ETag") != `"0"` || c.Phone != "" || c.Person != "" || c.ScopeID != w.Group.String() {
			t.Fatalf("before any change: %+v", c)
		}
		env.Do("GET", path, nil).Problem(401, "unauthorized")
		body := map[string]any{"phone": "  0571-87001234 ", "person": "王敏"}
		for _, u := range []string{"headb", "memberb", "leader", "auditor"} {
			cl := env.As(env.Login(u))
			cl.Do("GET", path, nil).Expect(200)
			cl.Do("PUT", path, body, "If-Match", `"0"`).Problem(403, "forbidden")
		}
		sup.Do("PUT", path, body).Problem(428, "precondition_required")
		sup.Do("PUT", path, body, "If-Match", `"3"`).Problem(412, "precondition_failed")
		long := map[string]any{"phone": strings.Repeat("1", 41), "person": "a\u0007b"}
		p := sup.Do("PUT", path, long, "If-Match", `"0"`).Problem(422, "validation_failed")
		if errs, _ := p["errors"].([]any); len(errs) != 2 {
			t.Fatalf("field errors: %v", p["errors"])
		}
		r = sup.Do("PUT", path, body, "If-Match", `"0"`).Expect(200)
		r.JSON(&c)
		if c.Version != 1 || r.Header.Get("ETag") != `"1"` || c.Phone != "0571-87001234" || c.Person != "王敏" ||
			c.UpdatedBy == nil || *c.UpdatedBy != w.Sup.String() {
			t.Fatalf("after the change: %+v", c)
		}
		if n := env.AuditCount(officecontact.AuditUpdated); n != 1 {
			t.Fatalf("audit events: %d", n)
		}
		// A unit reads it back; the body's version stands for If-Match.
		env.As(env.Login("headb")).Do("GET", path, nil).Expect(200).JSON(&c)
		if c.Phone != "0571-87001234" {
			t.Fatalf("a unit reads %+v", c)
		}
		env.As(env.Login("admin1")).Do("PUT", path, map[string]any{"phone": "", "person": "", "version": 0}).Problem(412, "precondition_failed")
		env.As(env.Login("admin1")).Do("PUT", path, map[string]any{"phone": "", "person": "", "version": 1}).Expect(200)
		sup.Do("PUT", path, body, "If-Match", "*").Expect(200).JSON(&c)
		if c.Version != 3 {
			t.Fatalf("If-Match *: %+v", c)
		}
	})
}
