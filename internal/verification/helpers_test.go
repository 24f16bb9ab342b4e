package verification_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
)

// fx is the shared follow-up fixture: the World with real logins.
type fx = apitest.Fixture

func newFx(t *testing.T, env *apitest.Env) *fx { return apitest.NewFixture(t, env) }

// closed brings an in_progress item to closed through the completion endpoints: the
// lead unit requests, the office forwards, the supervising leader approves.
func closed(f *fx, title string) uuid.UUID {
	f.T.Helper()
	id := f.W.ItemInProgress(title, 30)
	c := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/completion-requests", map[string]any{"summary": "已办结"}).Expect(201).Map()
	cp := "/api/v1/completion-requests/" + c["id"].(string)
	f.As("sup").Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
	f.As("leader").Do("POST", cp+"/approve", nil).Expect(200)
	return id
}
