package client_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/duban/duban/api/client"
	"github.com/duban/duban/internal/apitest"
)

// TestClientSyncsItems drives a real Duban with the generated client: log in, page
// the items changed since a time with the cursor, read one.
func TestClientSyncsItems(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		since := time.Now().UTC().Add(-time.Minute)
		a := w.ItemInProgress("安全生产专项整治", 30)
		b := w.ItemInProgress("财务预算执行", 40)
		ctx := context.Background()

		anon, err := client.NewClientWithResponses(env.URL + "/api/v1")
		if err != nil {
			t.Fatal(err)
		}
		login, err := anon.LoginWithResponse(ctx, client.LoginJSONRequestBody{Username: "sup", Password: apitest.TestPassword})
		if err != nil || login.JSON200 == nil {
			t.Fatalf("login: %v %s", err, login.Body)
		}
		token := login.JSON200.AccessToken
		c, err := client.NewClientWithResponses(env.URL+"/api/v1", client.WithRequestEditorFn(
			func(_ context.Context, req *http.Request) error {
				req.Header.Set("Authorization", "Bearer "+token)
				return nil
			}))
		if err != nil {
			t.Fatal(err)
		}

		// One item a page, from updated_since on, then with the cursor.
		var seen []string
		size := 1
		params := &client.ListItemsParams{UpdatedSince: &since, PageSize: &size}
		for deadline := time.Now().Add(20 * time.Second); len(seen) < 2 && time.Now().Before(deadline); {
			r, err := c.ListItemsWithResponse(ctx, params)
			if err != nil || r.JSON200 == nil {
				t.Fatalf("list: %v %s", err, r.Body)
			}
			for _, it := range r.JSON200.Data {
				seen = append(seen, it.Id.String())
			}
			if r.JSON200.NextCursor == nil {
				t.Fatalf("no next_cursor: %s", r.Body)
			}
			params.Cursor = r.JSON200.NextCursor
			if !r.JSON200.HasMore {
				// On PostgreSQL a change may be held back for a moment behind a
				// transaction still running (internal/changes); poll.
				time.Sleep(20 * time.Millisecond)
			}
		}
		if len(seen) != 2 || seen[0] != a.String() || seen[1] != b.String() {
			t.Fatalf("synced %v, want %s then %s", seen, a, b)
		}

		one, err := c.GetItemWithResponse(ctx, b)
		if err != nil || one.JSON200 == nil {
			t.Fatalf("get: %v %s", err, one.Body)
		}
		if one.JSON200.Title != "财务预算执行" || one.HTTPResponse.Header.Get("ETag") == "" {
			t.Fatalf("item %+v, ETag %q", one.JSON200, one.HTTPResponse.Header.Get("ETag"))
		}
	})
}
