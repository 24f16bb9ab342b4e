package calendar

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the calendar routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/calendar/:year", h.get)
	r.PUT("/calendar/:year", h.put)
}

type handlers struct{ s *Service }

// pathYear reads the year of the path; anything but a year the calendar accepts is 404.
func pathYear(c echo.Context) (int, error) {
	raw := c.Param("year")
	y, err := strconv.Atoi(raw)
	if err != nil || len(raw) != 4 || !ValidYear(y) {
		return 0, errYearNotFound()
	}
	return y, nil
}

// get answers GET /calendar/{year}.
//
//	@Summary		Holidays and adjusted workdays of a year
//	@Description	The year's public holidays and adjusted workdays (调休上班), in date order; days not listed follow the week (Monday to Friday work). A year without data answers version 0 and no days. Any signed-in user may read it. The ETag is the version; If-None-Match with it answers 304.
//	@ID				getCalendarYear
//	@Tags			calendar
//	@Produce		json
//	@Param			year	path		int	true	"year, 2000 to 2100"	minimum(2000)	maximum(2100)
//	@Success		200		{object}	Year
//	@Header			200		{string}	ETag	"the version, quoted"
//	@Success		304		"unchanged since the ETag sent in If-None-Match"
//	@Failure		401		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem	"year outside 2000 to 2100"
//	@Security		BearerAuth
//	@Router			/calendar/{year} [get]
func (h handlers) get(c echo.Context) error {
	year, err := pathYear(c)
	if err != nil {
		return err
	}
	y, err := h.s.Year(c.Request().Context(), year)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, y.Version)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etag.Matches(inm, y.Version) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSON(http.StatusOK, y)
}

// put answers PUT /calendar/{year}.
//
//	@Summary		Replace the holidays and adjusted workdays of a year
//	@Description	Administrators only. The list replaces the year's days entirely. Every date must lie in the year and appear once; kind is holiday (any weekday) or workday (only a Saturday or Sunday: a weekday is a working day already). Send If-Match with the ETag (or version in the body) to refuse the change with 412 when someone else changed the year since you read it.
//	@ID				putCalendarYear
//	@Tags			calendar
//	@Accept			json
//	@Produce		json
//	@Param			year		path		int			true	"year, 2000 to 2100"	minimum(2000)	maximum(2100)
//	@Param			If-Match	header		string		false	"the ETag of the version last read; a different current version answers 412"
//	@Param			body		body		YearInput	true	"the year's days"
//	@Success		200			{object}	Year
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"not an administrator"
//	@Failure		404			{object}	problem.Problem	"year outside 2000 to 2100"
//	@Failure		412			{object}	problem.Problem	"stale If-Match or version"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/calendar/{year} [put]
func (h handlers) put(c echo.Context) error {
	year, err := pathYear(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	// Refuse non-admins before reading the body: a 403 must not depend on it.
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an administrator may change the calendar")
	}
	ifMatch := httpserver.IfMatch(c)
	in, err := httpserver.Bind[YearInput](c)
	if err != nil {
		return err
	}
	y, err := h.s.ReplaceYear(ctx, p, year, in, ifMatch)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, y.Version)
	return c.JSON(http.StatusOK, y)
}
