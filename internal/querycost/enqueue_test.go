package querycost_test

import (
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestEnqueueCostsOneStatement: what a change hands to the background — its domain
// events, from which the dispatcher later makes notifications, webhook deliveries
// and robot messages as jobs — costs the write one statement: a single INSERT into
// domain_events in the change's transaction, with webhook subscribers and robots
// configured or not (issue 12: "enqueuing adds at most one query to a write").
func TestEnqueueCostsOneStatement(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		id := w.ItemInProgress("入队成本", 30)
		item := "/api/v1/items/" + id.String()
		sup.Do("GET", item, nil).Expect(200) // warm the caches
		for _, step := range []struct{ name, path string }{{"suspend", "/suspend"}, {"resume", "/resume"}} {
			c := env.QueryLog(func() { sup.Do("POST", item+step.path, map[string]string{"comment": "入队"}).Expect(200) })
			var events, jobs int
			for _, q := range c.SQL() {
				l := strings.ToLower(q)
				if strings.Contains(l, "domain_events") {
					events++
				}
				if strings.Contains(l, "jobs") {
					jobs++
				}
			}
			if events != 1 || jobs != 0 {
				t.Errorf("%s: %d statements on domain_events and %d on jobs in the request, want 1 and 0:\n  %s",
					step.name, events, jobs, strings.Join(c.SQL(), "\n  "))
			}
		}
	})
}
