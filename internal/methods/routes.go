package methods

import "github.com/duban/duban/internal/httpserver"

// Mount registers the supervision methods' routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/methods", h.get)
	r.PUT("/items/:id/joint-units/:unit_id", h.addJointUnit)
	r.DELETE("/items/:id/joint-units/:unit_id", h.removeJointUnit)
	r.POST("/items/:id/visits", h.createVisit)
	r.POST("/items/:id/coordinations", h.createCoordination)
	r.POST("/coordination-decisions/:id/milestone", h.makeMilestone)
	r.POST("/coordination-decisions/:id/sub-item", h.linkSubItem)
}

type handlers struct{ s *Service }
