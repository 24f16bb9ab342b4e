package items

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
)

func (h handlers) renderMilestone(c echo.Context, status int, m *Milestone) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	actions, err := h.s.MilestoneActions(c.Request().Context(), p, m.ItemID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag.Of(m.Version))
	return c.JSON(status, ToMilestoneResponse(m, actions))
}

// listMilestones answers GET /items/{id}/milestones.
//
//	@Summary		The item's milestones (节点)
//	@Description	In their order (sort, then due date).
//	@ID				listMilestones
//	@Tags			items
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	MilestoneListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/milestones [get]
func (h handlers) listMilestones(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	ms, actions, err := h.s.ListMilestones(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	out := MilestoneListResponse{Data: make([]MilestoneResponse, len(ms)), Total: len(ms)}
	for i := range ms {
		out.Data[i] = ToMilestoneResponse(&ms[i], actions)
	}
	return c.JSON(http.StatusOK, out)
}

// createMilestone answers POST /items/{id}/milestones.
//
//	@Summary		Add a milestone
//	@Description	By the initiator (draft), the supervision office (until the item completes) or the lead unit's head or liaison (once issued). The due date must not be in the past nor after the item's deadline (422). A milestone not done past its due date turns the item's light yellow; one due within 3 working days turns it blue.
//	@ID				createMilestone
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string					true	"item id"	format(uuid)
//	@Param			body	body		CreateMilestoneRequest	true	"the milestone"
//	@Success		201		{object}	MilestoneResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/milestones [post]
func (h handlers) createMilestone(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateMilestoneRequest](c)
	if err != nil {
		return err
	}
	due, err := parseDate("due_date", req.DueDate)
	if err != nil {
		return err
	}
	m, err := h.s.CreateMilestone(c.Request().Context(), p, id, MilestoneInput{Title: req.Title, DueDate: due, Sort: req.Sort})
	if err != nil {
		return err
	}
	return h.renderMilestone(c, http.StatusCreated, m)
}

// updateMilestone answers PATCH /milestones/{id}.
//
//	@Summary		Edit a milestone or mark it done
//	@Description	Same people as adding one. Absent fields stay; done=true records who and when. Honours If-Match on the milestone's version.
//	@ID				updateMilestone
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"milestone id"	format(uuid)
//	@Param			If-Match	header		string					false	"the milestone's ETag"
//	@Param			body		body		UpdateMilestoneRequest	true	"the fields to change"
//	@Success		200			{object}	MilestoneResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/milestones/{id} [patch]
func (h handlers) updateMilestone(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "milestone")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateMilestoneRequest](c)
	if err != nil {
		return err
	}
	in := MilestonePatch{Title: req.Title, Done: req.Done, Sort: req.Sort}
	if req.DueDate != nil {
		d, err := parseDate("due_date", *req.DueDate)
		if err != nil {
			return err
		}
		in.DueDate = &d
	}
	m, err := h.s.UpdateMilestone(c.Request().Context(), p, id, in, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return h.renderMilestone(c, http.StatusOK, m)
}

// deleteMilestone answers DELETE /milestones/{id}.
//
//	@Summary		Remove a milestone
//	@Description	Same people as adding one; recorded in the item's timeline. Honours If-Match on the milestone's version.
//	@ID				deleteMilestone
//	@Tags			items
//	@Param			id			path	string	true	"milestone id"	format(uuid)
//	@Param			If-Match	header	string	false	"the milestone's ETag"
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem
//	@Failure		412	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/milestones/{id} [delete]
func (h handlers) deleteMilestone(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "milestone")
	if err != nil {
		return err
	}
	if err := h.s.DeleteMilestone(c.Request().Context(), p, id, httpserver.IfMatch(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
