package handover

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers GET /users/{id}/holdings; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	r.GET("/users/:id/holdings", handlers{s}.holdings)
}

type handlers struct{ s *Service }

// holdings answers GET /users/{id}/holdings.
//
//	@Summary		What a person holds
//	@Description	The posts others wait on that deactivating the person (or, with unit_id, moving them there) takes away: unit head and liaison, responsible person of live assignments, supervising and assisting leader of open items (with the decisions pending on them), each with handed_over and its default successor (the unit head). PATCH /users/{id} and POST /users/bulk hand them over, to the successors named in `handover` or these defaults; 409 successor_required when a supervising leader post has no default and none is named. Admins and the person themself (others: 404).
//	@ID				getUserHoldings
//	@Tags			users
//	@Produce		json
//	@Param			id		path		string	true	"user id"	format(uuid)
//	@Param			unit_id	query		string	false	"ask about a move to this unit instead of deactivation"	format(uuid)
//	@Success		200		{object}	Holdings
//	@Failure		401		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users/{id}/holdings [get]
func (h handlers) holdings(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "user")
	if err != nil {
		return err
	}
	var to *uuid.UUID
	if raw := c.QueryParam("unit_id"); raw != "" {
		u, err := uuid.Parse(raw)
		if err != nil {
			return problem.Field("unit_id", "uuid", "must be a UUID")
		}
		to = &u
	}
	out, err := h.s.Holdings(c.Request().Context(), p, id, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
