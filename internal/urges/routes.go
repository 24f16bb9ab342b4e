package urges

import "github.com/duban/duban/internal/httpserver"

// Mount registers the urging routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/urges", h.list)
	r.POST("/items/:id/urges", h.create)
	r.GET("/urges", h.changes)
	r.POST("/urges/:id/acknowledge", h.acknowledge)
}

type handlers struct{ s *Service }
