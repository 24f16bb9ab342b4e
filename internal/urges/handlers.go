package urges

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

func render(c echo.Context, status int, v *View) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	return c.JSON(status, ToResponse(v))
}

// list answers GET /items/{id}/urges.
//
//	@Summary		An item's urges (催办) and how often each unit was urged
//	@Description	Newest first, for everyone who sees the item. `counts` has one entry per unit with a live assignment (lead first, zeros included) and per any other unit ever urged: total urges and those not yet acknowledged. `allowed_actions` has create when the caller may urge now.
//	@ID				listUrges
//	@Tags			urges
//	@Produce		json
//	@Param			id			path		string	true	"item id"	format(uuid)
//	@Param			unit_id		query		string	false	"only this unit's urges and count"	format(uuid)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	UrgeListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/urges [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	f := Filter{Page: pg}
	if v := c.QueryParam("unit_id"); v != "" {
		u, err := uuid.Parse(v)
		if err != nil {
			return problem.Field("unit_id", "uuid", "must be a UUID")
		}
		f.UnitID = &u
	}
	out, err := h.s.List(c.Request().Context(), p, id, f)
	if err != nil {
		return err
	}
	res := UrgeListResponse{Data: make([]UrgeResponse, len(out.Views)), Total: out.Total, Page: pg.Page, PageSize: pg.Size,
		Counts: make([]UrgeCountResponse, len(out.Counts)), AllowedActions: out.AllowedActions}
	for i := range out.Views {
		res.Data[i] = ToResponse(&out.Views[i])
	}
	for i, n := range out.Counts {
		res.Counts[i] = ToCountResponse(n)
	}
	return c.JSON(http.StatusOK, res)
}

// create answers POST /items/{id}/urges.
//
//	@Summary		Urge a unit (催办)
//	@Description	By the supervision office of the item's scope (403 for everyone else who sees the item) while the item is issued or in progress (409 otherwise). The unit defaults to the lead unit and must hold a live assignment (422 on unit_id). Appends `urge` to the item's timeline. Reminder jobs send kind auto through the same service.
//	@ID				createUrge
//	@Tags			urges
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string				true	"item id"	format(uuid)
//	@Param			body	body		CreateUrgeRequest	true	"the urge"
//	@Success		201		{object}	UrgeResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/urges [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateUrgeRequest](c)
	if err != nil {
		return err
	}
	unit := uuid.Nil
	if req.UnitID != "" {
		if unit, err = uuid.Parse(req.UnitID); err != nil {
			return problem.Field("unit_id", "uuid", "must be a UUID")
		}
	}
	v, err := h.s.Send(c.Request().Context(), p, id, unit, req.Message, KindManual)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, v)
}

// acknowledge answers POST /urges/{id}/acknowledge.
//
//	@Summary		Acknowledge an urge
//	@Description	By the head or a liaison of the urged unit (403 for others who see the item), once: a second time is 409. Appends `urge_acknowledged` to the item's timeline. Honours If-Match on the urge's version.
//	@ID				acknowledgeUrge
//	@Tags			urges
//	@Produce		json
//	@Param			id			path		string	true	"urge id"	format(uuid)
//	@Param			If-Match	header		string	false	"the urge's ETag"
//	@Success		200			{object}	UrgeResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/urges/{id}/acknowledge [post]
func (h handlers) acknowledge(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "urge")
	if err != nil {
		return err
	}
	v, err := h.s.Acknowledge(c.Request().Context(), p, id, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}
