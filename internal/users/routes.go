package users

import "github.com/duban/duban/internal/httpserver"

// Mount registers the user admin routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/users", h.list)
	r.POST("/users", h.create)
	r.POST("/users/bulk", h.bulk)
	r.GET("/users/:id", h.get)
	r.PATCH("/users/:id", h.update)
}
