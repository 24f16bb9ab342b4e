package items

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
)

func renderAssignment(c echo.Context, status int, v *AssignmentView) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	return c.JSON(status, ToAssignmentResponse(v))
}

// listAssignments answers GET /items/{id}/assignments.
//
//	@Summary		The item's assignments (承办)
//	@Description	Oldest first, returned ones included, each with the caller's allowed_actions (accept, return, update).
//	@ID				listAssignments
//	@Tags			items
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	AssignmentListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/assignments [get]
func (h handlers) listAssignments(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	vs, err := h.s.ListAssignments(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	out := AssignmentListResponse{Data: make([]AssignmentResponse, len(vs)), Total: len(vs)}
	for i := range vs {
		out.Data[i] = ToAssignmentResponse(&vs[i])
	}
	return c.JSON(http.StatusOK, out)
}

// addAssignment answers POST /items/{id}/assignments.
//
//	@Summary		Reassign: add a unit to a running item
//	@Description	The supervision office settles a returned assignment (or brings in another unit) on an issued, in_progress or suspended item by adding a pending assignment. A new lead is possible only while no live lead assignment exists (after the lead returned it) and becomes the item's lead unit; a new cooperating unit joins the item's cooperating units. A unit holds at most one live assignment per item (422). Honours If-Match on the item's version.
//	@ID				addAssignment
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"item id"	format(uuid)
//	@Param			If-Match	header		string					false	"the item's ETag"
//	@Param			body		body		AddAssignmentRequest	true	"the unit and its role"
//	@Success		201			{object}	AssignmentResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/assignments [post]
func (h handlers) addAssignment(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[AddAssignmentRequest](c)
	if err != nil {
		return err
	}
	in, err := toAssignmentInput(req.UnitID, req.Role, req.ResponsibleUserID)
	if err != nil {
		return err
	}
	v, err := h.s.AddAssignment(c.Request().Context(), p, id, in, req.Comment, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderAssignment(c, http.StatusCreated, v)
}

// updateAssignment answers PATCH /assignments/{id}.
//
//	@Summary		Name the responsible person of an assignment (承办人)
//	@Description	By the head or a liaison of the assigned unit, or the supervision office, while the assignment is live and the item runs. The person must be an active user of the unit (or of a department under it). Honours If-Match on the assignment's version.
//	@ID				updateAssignment
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"assignment id"	format(uuid)
//	@Param			If-Match	header		string					false	"the assignment's ETag"
//	@Param			body		body		UpdateAssignmentRequest	true	"the responsible person"
//	@Success		200			{object}	AssignmentResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assignments/{id} [patch]
func (h handlers) updateAssignment(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "assignment")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateAssignmentRequest](c)
	if err != nil {
		return err
	}
	user, err := parseOptID("responsible_user_id", req.ResponsibleUserID)
	if err != nil {
		return err
	}
	v, err := h.s.UpdateAssignment(c.Request().Context(), p, id, user, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderAssignment(c, http.StatusOK, v)
}

// acceptAssignment answers POST /assignments/{id}/accept.
//
//	@Summary		Accept an assignment (签收)
//	@Description	By the head or a liaison of the assigned unit while the assignment is pending. The lead unit's acceptance moves the item from issued to in_progress. Honours If-Match on the assignment's version.
//	@ID				acceptAssignment
//	@Tags			items
//	@Produce		json
//	@Param			id			path		string	true	"assignment id"	format(uuid)
//	@Param			If-Match	header		string	false	"the assignment's ETag"
//	@Success		200			{object}	AssignmentResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assignments/{id}/accept [post]
func (h handlers) acceptAssignment(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "assignment")
	if err != nil {
		return err
	}
	v, err := h.s.AcceptAssignment(c.Request().Context(), p, id, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderAssignment(c, http.StatusOK, v)
}

// returnAssignment answers POST /assignments/{id}/return.
//
//	@Summary		Return an assignment (退回: the unit disputes it)
//	@Description	By the head or a liaison of the assigned unit while the assignment is pending (a lead only before accepting, i.e. while the item is issued); the reason is required. The supervision office then reassigns with POST /items/{id}/assignments. Honours If-Match on the assignment's version.
//	@ID				returnAssignment
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"assignment id"	format(uuid)
//	@Param			If-Match	header		string					false	"the assignment's ETag"
//	@Param			body		body		ReturnAssignmentRequest	true	"the reason"
//	@Success		200			{object}	AssignmentResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assignments/{id}/return [post]
func (h handlers) returnAssignment(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "assignment")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[ReturnAssignmentRequest](c)
	if err != nil {
		return err
	}
	v, err := h.s.ReturnAssignment(c.Request().Context(), p, id, req.Reason, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderAssignment(c, http.StatusOK, v)
}
