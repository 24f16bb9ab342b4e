package feedback_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// TestFeedbackConcurrentDrafts: two people of a unit start a report at the same
// moment; one gets the draft, the other a 409 naming it; concurrent reviews of one
// report: one wins, the other is refused.
func TestFeedbackConcurrentDrafts(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("并发起草", 60).String()
		clients := []*apitest.Env{env.As(env.Login("headb")), env.As(env.Login("memberb")), env.As(env.Login("liaisonb"))}
		sup := env.As(env.Login("sup"))
		statuses := make([]int, len(clients))
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{"progress": 10 * (i + 1), "content": "并发"}).Status
			}()
		}
		wg.Wait()
		created, conflicts := 0, 0
		for _, s := range statuses {
			switch s {
			case 201:
				created++
			case 409:
				conflicts++
			}
		}
		if created != 1 || conflicts != len(clients)-1 {
			t.Fatalf("statuses %v, want one 201 and 409s", statuses)
		}
		if n := count(t, env, "item_feedback", ""); n != 1 {
			t.Fatalf("%d drafts", n)
		}

		var l listJSON
		clients[0].Do("GET", "/api/v1/items/"+item+"/feedback", nil).Expect(200).JSON(&l)
		id := l.Data[0]["id"].(string)
		clients[0].Do("POST", "/api/v1/feedback/"+id+"/submit", nil).Expect(200)
		var accepts, returns atomic.Int32
		for i := 0; i < 2; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if sup.Do("POST", "/api/v1/feedback/"+id+"/accept", nil).Status == 200 {
					accepts.Add(1)
				}
			}()
			go func() {
				defer wg.Done()
				if sup.Do("POST", "/api/v1/feedback/"+id+"/return", map[string]string{"comment": "补充"}).Status == 200 {
					returns.Add(1)
				}
			}()
			wg.Wait()
		}
		if accepts.Load()+returns.Load() != 1 {
			t.Fatalf("%d accepts and %d returns of one report", accepts.Load(), returns.Load())
		}
	})
}
