package delegation

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
)

// Mount registers the delegation routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/me/delegations", h.listMine)
	r.POST("/me/delegations", h.create)
	r.POST("/me/delegations/:id/end", h.end)
	r.GET("/users/:id/delegations", h.listOf)
}

type handlers struct{ s *Service }

// listMine answers GET /me/delegations.
//
//	@Summary		My delegations (代理)
//	@Description	The delegations the caller gave (as principal) and received (as deputy), newest first, each with its status by the app clock: scheduled, active, expired (ended by itself at ends_at) or ended (early).
//	@ID				listMyDelegations
//	@Tags			delegations
//	@Produce		json
//	@Success		200	{object}	ListResponse
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/delegations [get]
func (h handlers) listMine(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	out, err := h.s.ListOf(c.Request().Context(), p, p.UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listOf answers GET /users/{id}/delegations.
//
//	@Summary		A user's delegations (代理)
//	@Description	The delegations a user gave and received: the user themself, admins and auditors (others: 404).
//	@ID				listUserDelegations
//	@Tags			delegations
//	@Produce		json
//	@Param			id	path		string	true	"user id"	format(uuid)
//	@Success		200	{object}	ListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users/{id}/delegations [get]
func (h handlers) listOf(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "user")
	if err != nil {
		return err
	}
	out, err := h.s.ListOf(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /me/delegations.
//
//	@Summary		Delegate my decisions (代理)
//	@Description	A leader or unit head names a deputy for a period: from starts_at (default now) until ends_at the deputy takes the caller's decisions (as supervising leader: approvals at 立项, extension and completion decisions; as head: the unit's assignments, reports and urges), sees them in /me/todo, and the timeline names both ("X on behalf of Y"). Only one's own powers: 403 nothing_to_delegate otherwise. 409 delegation_overlaps when another of the caller's delegations covers part of the period. 422 for the deputy (unknown, inactive, oneself) or the period (ends before it starts, longer than a year).
//	@ID				createDelegation
//	@Tags			delegations
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateRequest	true	"deputy and period"
//	@Success		201		{object}	View
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"nothing_to_delegate"
//	@Failure		409		{object}	problem.Problem	"delegation_overlaps"
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/delegations [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateRequest](c)
	if err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, req)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	return c.JSON(http.StatusCreated, v)
}

// end answers POST /me/delegations/{id}/end.
//
//	@Summary		End a delegation early
//	@Description	The principal, the deputy or an admin ends a scheduled or running delegation now. 409 delegation_over when it already ended or expired; 412 on a stale If-Match.
//	@ID				endDelegation
//	@Tags			delegations
//	@Produce		json
//	@Param			id			path		string	true	"delegation id"	format(uuid)
//	@Param			If-Match	header		string	false	"the version, quoted"
//	@Success		200			{object}	View
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem	"delegation_over"
//	@Failure		412			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/delegations/{id}/end [post]
func (h handlers) end(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "delegation")
	if err != nil {
		return err
	}
	v, err := h.s.End(c.Request().Context(), p, id, etag.Parse(c.Request().Header.Get("If-Match")))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	return c.JSON(http.StatusOK, v)
}
