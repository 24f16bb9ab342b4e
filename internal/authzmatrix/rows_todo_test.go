package authzmatrix

import "net/http"

// The to-do list (GET /me/todo) is the caller's own: everyone signed in reads
// theirs (what it holds is tested in internal/todo and internal/lifecycle); the
// relation does not apply.
func init() {
	register(row{
		method: "GET", route: "/api/v1/me/todo",
		setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/todo", nil },
		want:  all(http.StatusOK),
	})
}
