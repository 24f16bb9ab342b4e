package items

import "github.com/duban/duban/internal/httpserver"

// Mount registers the supervision routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items", h.list)
	r.GET("/item-sources", h.sourceRoutes)
	r.POST("/items", h.create)
	r.GET("/items/:id", h.get)
	r.PATCH("/items/:id", h.update)
	r.DELETE("/items/:id", h.remove)
	r.POST("/items/:id/submit", h.submit)
	r.POST("/items/:id/approve", h.approve)
	r.POST("/items/:id/reject", h.reject)
	r.POST("/items/:id/issue", h.issue)
	r.POST("/items/:id/suspend", h.suspend)
	r.POST("/items/:id/resume", h.resume)
	r.POST("/items/:id/cancel", h.cancel)
	r.POST("/items/:id/archive", h.archive)
	r.GET("/items/:id/events", h.events)
	r.POST("/items/:id/clear-warning", h.clearWarning)

	r.GET("/items/:id/assignments", h.listAssignments)
	r.GET("/assignments", h.assignmentChanges)
	r.POST("/items/:id/assignments", h.addAssignment)
	r.PATCH("/assignments/:id", h.updateAssignment)
	r.POST("/assignments/:id/accept", h.acceptAssignment)
	r.POST("/assignments/:id/return", h.returnAssignment)

	r.GET("/items/:id/milestones", h.listMilestones)
	r.POST("/items/:id/milestones", h.createMilestone)
	r.PATCH("/milestones/:id", h.updateMilestone)
	r.DELETE("/milestones/:id", h.deleteMilestone)
}
