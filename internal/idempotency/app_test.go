package idempotency_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/idempotency"
	"github.com/duban/duban/internal/problem"
)

// The middleware as the application mounts it, on a real POST route: creating a
// personal API token.
func TestAppReplaysTokenCreation(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		unit := env.Unit("集团", "group", nil, false)
		env.User("alice", unit, access.RoleMember)
		env.User("bob", unit, access.RoleMember)
		alice := env.As(env.Login("alice"))
		bob := env.As(env.Login("bob"))
		tokens := func() int64 {
			var n int64
			if err := env.DB.Gorm().Table("api_tokens").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		body := map[string]any{"name": "OA", "scopes": []string{"read"}}

		first := alice.Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, "tok-1").Expect(201)
		if first.Header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatal("first answer marked as replayed")
		}
		created := first.Map()
		// Issue 14 §8: the answer holds the token's secret, so it is not stored
		// (before the fix the plaintext was kept for 24 h and replayed): a repeat
		// is told the request succeeded, and creates nothing.
		again := alice.Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, "tok-1")
		p := again.Problem(409, idempotency.CodeWithheld)
		if p["first_status"] != float64(201) || strings.Contains(string(again.Body), created["token"].(string)) {
			t.Fatalf("repeat of a secret-bearing answer: %s", again.Body)
		}
		var stored []string
		if err := env.DB.Gorm().Table("idempotency_keys").Pluck("COALESCE(body, '')", &stored).Error; err != nil {
			t.Fatal(err)
		}
		for _, b := range stored {
			if strings.Contains(b, created["token"].(string)) {
				t.Fatal("the token's secret is stored with the idempotency key")
			}
		}
		if n := tokens(); n != 1 {
			t.Fatalf("%d tokens after a repeated POST, want 1", n)
		}
		// Another body under the same key.
		alice.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "OA2", "scopes": []string{"read"}},
			idempotency.HeaderKey, "tok-1").Problem(422, idempotency.CodeKeyReused)
		// Bob's key of the same name is his own.
		if r := bob.Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, "tok-1").Expect(201); r.Map()["id"] == created["id"] {
			t.Fatal("bob got alice's token")
		}
		// Without a key, two POSTs make two tokens.
		alice.Do("POST", "/api/v1/me/tokens", body).Expect(201)
		alice.Do("POST", "/api/v1/me/tokens", body).Expect(201)
		if n := tokens(); n != 4 {
			t.Fatalf("%d tokens, want 4", n)
		}
		// A validation failure is replayed as well, and creates nothing.
		bad := map[string]any{"name": "", "scopes": []string{"read"}}
		alice.Do("POST", "/api/v1/me/tokens", bad, idempotency.HeaderKey, "tok-bad").Problem(422, problem.CodeValidation)
		r := alice.Do("POST", "/api/v1/me/tokens", bad, idempotency.HeaderKey, "tok-bad")
		r.Problem(422, problem.CodeValidation)
		if r.Header.Get(idempotency.HeaderReplayed) != "true" {
			t.Error("validation failure not replayed")
		}
		alice.Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, strings.Repeat("k", 256)).
			Problem(400, idempotency.CodeKeyInvalid)
		// Unauthenticated requests never reach the store.
		env.As("").Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, "tok-1").Problem(401, problem.CodeUnauthorized)
		// Concurrent retries of one key create one token.
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				codes[i] = alice.Do("POST", "/api/v1/me/tokens", body, idempotency.HeaderKey, "tok-race").Status
			}(i)
		}
		wg.Wait()
		for _, c := range codes {
			if c != 201 && c != 409 {
				t.Fatalf("concurrent retries answered %v", codes)
			}
		}
		if n := tokens(); n != 5 {
			t.Fatalf("%d tokens after concurrent retries, want 5 (%v)", n, codes)
		}
		var keys int64
		env.DB.Gorm().Table("idempotency_keys").Count(&keys)
		if keys != 4 { // alice tok-1, tok-bad, tok-race; bob tok-1
			t.Fatalf("%d stored keys, want 4", keys)
		}
	})
}
