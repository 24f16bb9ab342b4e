package authzmatrix

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/duban/duban/internal/items"
)

// The to-do list (GET /me/todo) is the caller's own: everyone signed in reads
// theirs (what it holds is tested in internal/todo and internal/lifecycle). The
// relation picks an item waiting for its supervising leader's approval: the list
// must never hold an item the caller cannot see, and the leader's list must hold
// the own item (L1 approves it).
func init() {
	register(row{
		method: "GET", route: "/api/v1/me/todo",
		setup: func(f *fixture, c *cell) (string, any) {
			f.sharedItem(c.rel, items.StatePendingApproval)
			return "/api/v1/me/todo", nil
		},
		want: all(http.StatusOK),
		check: func(f *fixture, c *cell, body []byte) string {
			id := f.sharedItem(c.rel, items.StatePendingApproval).ID.String()
			var todo struct {
				Groups []struct {
					Key   string `json:"key"`
					Items []struct {
						ItemID string `json:"item_id"`
					} `json:"items"`
				} `json:"groups"`
			}
			if err := json.Unmarshal(body, &todo); err != nil {
				return "decode to-do list: " + err.Error()
			}
			var in []string // the groups holding the item
			for _, g := range todo.Groups {
				for _, e := range g.Items {
					if e.ItemID == id {
						in = append(in, g.Key)
					}
				}
			}
			switch {
			case len(in) > 0 && seeItem(200)[c.role][c.rel] != 200:
				return "the to-do list shows " + id + ", which the caller may not see"
			case c.role == leader && c.rel == own && !slices.Contains(in, "approvals"):
				return "the supervising leader's to-do list lacks the approval of " + id
			}
			return ""
		},
	})
}
