package stats

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the statistics routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/stats/overview", h.overview)
	r.GET("/stats/units", h.units)
	r.GET("/stats/trend", h.trend)
}

type handlers struct{ s *Service }

func (h handlers) query(c echo.Context) (*access.Principal, Query, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, Query{}, problem.Unauthorized("sign in first")
	}
	q, err := ParseQuery(c.QueryParams(), h.s.Today())
	return p, q, err
}

// overview answers GET /stats/overview.
//
//	@Summary		Statistics: the overview
//	@Description	The figures of every item the caller may see (a supervisor, leader, auditor or admin: their scope and what is handed down from it; anyone else: the items of their units) that the filters select. Period figures count what happened in the period (dates in the company time zone): assigned = issued in it, closed and closed_on_time (against the original deadline), extensions, urges (manual and automatic), verification failures, avg_workdays_to_close (working days of the holiday calendar). Now figures describe today: in_progress, overdue_now, feedback_late. Each item figure is also a query of GET /items: assigned = issued_from/issued_to; in_progress = state=issued,in_progress,suspended,completion_requested; closed = state=closed,archived with closed_from/closed_to; closed_on_time adds on_time=true; overdue_now = overdue=true (with the same unit_id, source, category, scope_id). period is 2026-11, 2026-Q4 or 2026 (default: this year), or from and to.
//	@ID				getStatsOverview
//	@Tags			statistics
//	@Produce		json
//	@Param			period		query		string	false	"a month, quarter or year"	example(2026-Q4)
//	@Param			from		query		string	false	"first day (with to, instead of period)"	format(date)
//	@Param			to			query		string	false	"last day"	format(date)
//	@Param			unit_id		query		string	false	"items of this unit (lead, cooperating or a live assignment)"	format(uuid)
//	@Param			source		query		string	false	"source"
//	@Param			category	query		string	false	"category"	Enums(important_matter, document)
//	@Param			scope_id	query		string	false	"supervision scope"	format(uuid)
//	@Success		200			{object}	Overview
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/stats/overview [get]
func (h handlers) overview(c echo.Context) error {
	p, q, err := h.query(c)
	if err != nil {
		return err
	}
	out, err := h.s.Overview(c.Request().Context(), p, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// units answers GET /stats/units.
//
//	@Summary		Statistics: per unit
//	@Description	The figures of each unit taking part in the items the caller may see (as lead or cooperating unit, or through a live assignment), with the items assigned split by role. Supervisors, leaders, auditors and admins get every unit; anyone else only their own units (and those they head or liaise for). Urges, extensions and late feedback count what the unit received or asked; verification failures count against the lead unit. Figures and parameters as GET /stats/overview; the unit's items are GET /items?unit_id=….
//	@ID				getStatsUnits
//	@Tags			statistics
//	@Produce		json
//	@Param			period		query		string	false	"a month, quarter or year"	example(2026-Q4)
//	@Param			from		query		string	false	"first day (with to, instead of period)"	format(date)
//	@Param			to			query		string	false	"last day"	format(date)
//	@Param			unit_id		query		string	false	"items of this unit"	format(uuid)
//	@Param			source		query		string	false	"source"
//	@Param			category	query		string	false	"category"	Enums(important_matter, document)
//	@Param			scope_id	query		string	false	"supervision scope"	format(uuid)
//	@Success		200			{object}	Units
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/stats/units [get]
func (h handlers) units(c echo.Context) error {
	p, q, err := h.query(c)
	if err != nil {
		return err
	}
	out, err := h.s.Units(c.Request().Context(), p, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// trend answers GET /stats/trend.
//
//	@Summary		Statistics: the monthly trend
//	@Description	Per month: items issued (assigned), closed and closed on time (against the original deadline), with the on-time rate. The months are the period's when it spans a year or more, otherwise the twelve months ending with the period's last month. Filters and visibility as GET /stats/overview.
//	@ID				getStatsTrend
//	@Tags			statistics
//	@Produce		json
//	@Param			period		query		string	false	"a month, quarter or year"	example(2026)
//	@Param			from		query		string	false	"first day (with to, instead of period)"	format(date)
//	@Param			to			query		string	false	"last day"	format(date)
//	@Param			unit_id		query		string	false	"items of this unit"	format(uuid)
//	@Param			source		query		string	false	"source"
//	@Param			category	query		string	false	"category"	Enums(important_matter, document)
//	@Param			scope_id	query		string	false	"supervision scope"	format(uuid)
//	@Success		200			{object}	Trend
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/stats/trend [get]
func (h handlers) trend(c echo.Context) error {
	p, q, err := h.query(c)
	if err != nil {
		return err
	}
	out, err := h.s.Trend(c.Request().Context(), p, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
