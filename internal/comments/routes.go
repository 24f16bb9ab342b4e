package comments

import (
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the comment routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/comments", h.list)
	r.POST("/items/:id/comments", h.create)
}

type handlers struct{ s *Service }

// principal is the authenticated caller; the router's middleware guarantees one.
func principal(c echo.Context) (*access.Principal, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	return p, nil
}
