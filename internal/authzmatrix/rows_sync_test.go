package authzmatrix

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/duban/duban/internal/items"
)

// The cross-item sync lists (issue 15). Like GET /items they never fail for lack
// of a relation, they show less: filtered to the shared item of the relation, a
// list holds rows of it only when the caller sees the item.
func init() {
	for _, route := range []string{"/api/v1/feedback", "/api/v1/urges", "/api/v1/extensions", "/api/v1/completion-requests", "/api/v1/assignments"} {
		nonEmpty := route == "/api/v1/assignments" // a running item always has them
		register(row{
			method: "GET", route: route,
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.sharedItem(c.rel, items.StateInProgress)
				return route + "?item_id=" + it.ID.String(), nil
			},
			want: all(http.StatusOK),
			check: func(f *fixture, c *cell, body []byte) string {
				var page struct {
					Data []json.RawMessage `json:"data"`
				}
				if err := json.Unmarshal(body, &page); err != nil {
					return "decode list: " + err.Error()
				}
				sees := seeItem(200)[c.role][c.rel] == 200
				if !sees && len(page.Data) > 0 {
					return fmt.Sprintf("lists %d rows of an item the caller does not see", len(page.Data))
				}
				if sees && nonEmpty && len(page.Data) == 0 {
					return "lists none of the assignments of an item the caller sees"
				}
				return ""
			},
		})
	}
}
