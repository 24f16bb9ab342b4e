package comments

import "github.com/duban/duban/internal/httpserver"

// Mount registers the comment routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/comments", h.list)
	r.POST("/items/:id/comments", h.create)
}

type handlers struct{ s *Service }
