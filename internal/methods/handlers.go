package methods

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// get answers GET /items/{id}/methods.
//
//	@Summary		An item's joint supervision team, visits and coordination meetings
//	@Description	For everyone who sees the item (404 otherwise): the departments of its joint supervision team (联合督办), its visit records (现场督办, newest first, with photos and files) and its coordination meetings (组织协调, newest first, with attendees, decisions and files). `allowed_actions`: manage_joint_units (the supervision office of the item's scope), record_visit and record_coordination (the office and the scope's leaders), from submission until the item is archived or cancelled. Each decision's allowed_actions say whether it may become a milestone or a sub-item now.
//	@ID				getSupervisionMethods
//	@Tags			methods
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	MethodsResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/methods [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	o, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMethods(o))
}

// addJointUnit answers PUT /items/{id}/joint-units/{unit_id}.
//
//	@Summary		Add a department to the joint supervision team (联合督办)
//	@Description	By the supervision office of the item's scope (403 for everyone else who sees the item), from submission until the item is archived or cancelled (409 otherwise). The unit must be an org unit of the item's scope (422 unit_id). Its people then see the item and may urge it. Appends `joint_unit_add` to the timeline; adding a member again changes nothing. Answers the team.
//	@ID				addJointUnit
//	@Tags			methods
//	@Produce		json
//	@Param			id		path		string	true	"item id"	format(uuid)
//	@Param			unit_id	path		string	true	"org unit id"	format(uuid)
//	@Success		200		{object}	JointTeamResponse
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/joint-units/{unit_id} [put]
func (h handlers) addJointUnit(c echo.Context) error {
	return h.setJointUnit(c, true)
}

// removeJointUnit answers DELETE /items/{id}/joint-units/{unit_id}.
//
//	@Summary		Remove a department from the joint supervision team
//	@Description	Same people and states as adding one. Appends `joint_unit_remove` to the timeline; removing a unit that is not in the team changes nothing. Answers the team.
//	@ID				removeJointUnit
//	@Tags			methods
//	@Produce		json
//	@Param			id		path		string	true	"item id"	format(uuid)
//	@Param			unit_id	path		string	true	"org unit id"	format(uuid)
//	@Success		200		{object}	JointTeamResponse
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/joint-units/{unit_id} [delete]
func (h handlers) removeJointUnit(c echo.Context) error {
	return h.setJointUnit(c, false)
}

func (h handlers) setJointUnit(c echo.Context, add bool) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	unit, err := httpserver.PathUUID(c, "unit_id", "org unit")
	if err != nil {
		return err
	}
	js, err := h.s.SetJointUnit(c.Request().Context(), p, id, unit, add)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toJointTeam(js))
}

// createVisit answers POST /items/{id}/visits.
//
//	@Summary		Record a visit on site (现场督办)
//	@Description	By the supervision office or a leader of the item's scope (403 for everyone else who sees the item), from submission until the item is archived or cancelled (409 otherwise): who went (active users), where, when (not in the future), the leader of the scope who authorised the visit (422 authorised_by otherwise) and the findings. Photos and files are uploaded first and named in attachment_ids (422 for a bad id, and nothing is written). Appends `visit_record` to the timeline.
//	@ID				createVisit
//	@Tags			methods
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string				true	"item id"	format(uuid)
//	@Param			body	body		CreateVisitRequest	true	"the visit"
//	@Success		201		{object}	VisitResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/visits [post]
func (h handlers) createVisit(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateVisitRequest](c)
	if err != nil {
		return err
	}
	in, err := toVisitInput(req)
	if err != nil {
		return err
	}
	v, err := h.s.RecordVisit(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toVisit(v))
}

// createCoordination answers POST /items/{id}/coordinations.
//
//	@Summary		Record a coordination meeting (组织协调)
//	@Description	Same people and states as a visit: when and where, the attendees (people and/or units of the item's scope, at least one), the decisions (one or more, each of which may then become a sub-item or a milestone), the minutes as text and files (uploaded first, named in attachment_ids). Appends `coordination_record` to the timeline.
//	@ID				createCoordination
//	@Tags			methods
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string						true	"item id"	format(uuid)
//	@Param			body	body		CreateCoordinationRequest	true	"the meeting"
//	@Success		201		{object}	CoordinationResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/coordinations [post]
func (h handlers) createCoordination(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateCoordinationRequest](c)
	if err != nil {
		return err
	}
	in, err := toCoordinationInput(req)
	if err != nil {
		return err
	}
	v, err := h.s.RecordCoordination(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toCoordination(v))
}

// makeMilestone answers POST /coordination-decisions/{id}/milestone.
//
//	@Summary		Turn a coordination decision into a milestone
//	@Description	One action: adds a milestone to the decision's item (title from the decision unless given; the due date must not be past nor after the item's deadline) and links it to the decision. By whoever may record coordination meetings and manage the item's milestones (403 otherwise); 409 when the decision already has a milestone. Appends `milestone_create` and `coordination_decision_link` to the timeline. Answers the decision.
//	@ID				makeDecisionMilestone
//	@Tags			methods
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string					true	"decision id"	format(uuid)
//	@Param			body	body		MakeMilestoneRequest	true	"the milestone"
//	@Success		201		{object}	DecisionResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/coordination-decisions/{id}/milestone [post]
func (h handlers) makeMilestone(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "decision")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[MakeMilestoneRequest](c)
	if err != nil {
		return err
	}
	due, err := parseDate("due_date", req.DueDate)
	if err != nil {
		return err
	}
	d, err := h.s.MakeMilestone(c.Request().Context(), p, id, req.Title, due)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toDecision(d))
}

// linkSubItem answers POST /coordination-decisions/{id}/sub-item.
//
//	@Summary		Link a coordination decision to the sub-item made from it
//	@Description	The sub-item is created first with POST /items (parent_id the decision's item; the SPA prefills the form from the decision), then linked here: sub_item_id must name a sub-item of the decision's item (422 otherwise). By whoever may record coordination meetings (403 otherwise); 409 when the decision is linked already. Appends `coordination_decision_link` to the timeline. Answers the decision.
//	@ID				linkDecisionSubItem
//	@Tags			methods
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string				true	"decision id"	format(uuid)
//	@Param			body	body		LinkSubItemRequest	true	"the sub-item"
//	@Success		200		{object}	DecisionResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/coordination-decisions/{id}/sub-item [post]
func (h handlers) linkSubItem(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "decision")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[LinkSubItemRequest](c)
	if err != nil {
		return err
	}
	sub, err := uuidField("sub_item_id", req.SubItemID)
	if err != nil {
		return err
	}
	d, err := h.s.LinkSubItem(c.Request().Context(), p, id, sub)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDecision(d))
}
