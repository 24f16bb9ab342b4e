package feedback

import (
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the feedback routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/feedback", h.list)
	r.POST("/items/:id/feedback", h.create)
	r.GET("/items/:id/feedback/draft", h.draft)
	r.GET("/feedback", h.changes)
	r.GET("/feedback/:id", h.get)
	r.PATCH("/feedback/:id", h.update)
	r.POST("/feedback/:id/submit", h.submit)
	r.POST("/feedback/:id/accept", h.accept)
	r.POST("/feedback/:id/return", h.ret)
}

type handlers struct{ s *Service }

// optionalID parses a validated, possibly empty UUID string.
func optionalID(field, s string) (*uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, problem.Field(field, "uuid", "must be a UUID")
	}
	return &id, nil
}

// parseFilter reads unit_id, state, page and page_size.
func parseFilter(c echo.Context) (Filter, error) {
	var f Filter
	q := c.QueryParams()
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return f, err
	}
	f.Page = pg
	if f.UnitID, err = optionalID("unit_id", q.Get("unit_id")); err != nil {
		return f, err
	}
	if v := q.Get("state"); v != "" {
		for _, s := range strings.Split(v, ",") {
			st := State(strings.TrimSpace(s))
			if !st.valid() {
				return f, problem.Field("state", "oneof", "must be draft, submitted, accepted or returned (comma separated)")
			}
			f.States = append(f.States, st)
		}
	}
	return f, nil
}

func (s State) valid() bool {
	for _, x := range States {
		if s == x {
			return true
		}
	}
	return false
}
