package org

import "github.com/duban/duban/internal/httpserver"

// Mount registers the org routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/org-units", h.list)
	r.POST("/org-units", h.create)
	r.GET("/org-units/:id", h.get)
	r.PATCH("/org-units/:id", h.update)
	r.DELETE("/org-units/:id", h.remove)
}
