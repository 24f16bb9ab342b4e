package feedback

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
)

func render(c echo.Context, status int, v *View) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/feedback/"+v.ID.String())
	}
	return c.JSON(status, ToResponse(v))
}

// list answers GET /items/{id}/feedback.
//
//	@Summary		An item's feedback (反馈) and when each unit reports next
//	@Description	Newest first. Everyone who sees the item reads the same submitted, accepted and returned reports (one feedback serves the initiator, the supervising leader and the office); drafts only show to the people of their unit. `due` has one entry per unit with a live assignment (lead first): the next due date from the item's feedback_cadence — weekly/biweekly/monthly/quarterly one period after the unit's last submitted or accepted report (or its assignment), moved to the next working day and never after the deadline; milestones → the earliest milestone not done the unit has not reported on; none → null — and whether it is overdue. Nothing is due unless the item is issued or in progress. `allowed_actions` has create when the caller may write a new feedback.
//	@ID				listFeedback
//	@Tags			feedback
//	@Produce		json
//	@Param			id			path		string	true	"item id"	format(uuid)
//	@Param			unit_id		query		string	false	"only this unit's feedback and due date"	format(uuid)
//	@Param			state		query		string	false	"states, comma separated"	example(submitted,returned)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	FeedbackListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/feedback [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	pg, err := h.s.List(c.Request().Context(), p, id, f)
	if err != nil {
		return err
	}
	out := FeedbackListResponse{Data: make([]FeedbackResponse, len(pg.Views)), Total: pg.Total, Page: f.Page.Page,
		PageSize: f.Page.Size, Due: make([]FeedbackDueResponse, len(pg.Due)), AllowedActions: pg.AllowedActions}
	for i := range pg.Views {
		out.Data[i] = ToResponse(&pg.Views[i])
	}
	for i, d := range pg.Due {
		out.Due[i] = ToDueResponse(d)
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /items/{id}/feedback.
//
//	@Summary		Write a feedback (draft)
//	@Description	By the people of a unit with a live assignment (members, head, liaisons, the responsible person) while the item is issued, in progress or suspended (409 otherwise). The draft is the unit's own until submitted; `submit: true` submits it at once (head or liaison only). A unit keeps one feedback in the works: a second draft, or a new one while a returned one waits to be edited, answers 409 feedback_open_exists with its feedback_id. Start from GET /items/{id}/feedback/draft to copy the previous report forward. 422 for progress outside 0–100, empty content, a milestone or attachment of another item, an unknown or already attached attachment (field attachment_ids[i]); nothing is written then.
//	@ID				createFeedback
//	@Tags			feedback
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string					true	"item id"	format(uuid)
//	@Param			body	body		CreateFeedbackRequest	true	"the report"
//	@Success		201		{object}	FeedbackResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/feedback [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateFeedbackRequest](c)
	if err != nil {
		return err
	}
	in := Input{Progress: *req.Progress, Content: req.Content, Problems: req.Problems, NextSteps: req.NextSteps, Submit: req.Submit}
	if in.UnitID, err = optionalID("unit_id", req.UnitID); err != nil {
		return err
	}
	if in.MilestoneID, err = optionalID("milestone_id", req.MilestoneID); err != nil {
		return err
	}
	if in.BasedOnID, err = optionalID("based_on_id", req.BasedOnID); err != nil {
		return err
	}
	if in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", req.AttachmentIDs); err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, v)
}

// draft answers GET /items/{id}/feedback/draft.
//
//	@Summary		A new feedback prefilled from the previous one (copy-forward)
//	@Description	Nothing is typed twice: progress, content, problems and next steps come from the unit's newest submitted or accepted report (based_on_id), the milestone is the one the report is due for by the milestones cadence (the earliest not done the unit has not reported on), otherwise the previous one while it is not done, else the earliest not done; before the first report the lead unit starts from the item's progress. Nothing is stored: edit it and POST it to /items/{id}/feedback with based_on_id. open_feedback_id names the unit's draft or returned report, if any, to edit instead. Only the people of an assigned unit ask (403); unit_id as for POST.
//	@ID				draftFeedback
//	@Tags			feedback
//	@Produce		json
//	@Param			id		path		string	true	"item id"	format(uuid)
//	@Param			unit_id	query		string	false	"the reporting unit"	format(uuid)
//	@Success		200		{object}	FeedbackDraftResponse
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/feedback/draft [get]
func (h handlers) draft(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	unit, err := optionalID("unit_id", c.QueryParam("unit_id"))
	if err != nil {
		return err
	}
	t, err := h.s.Template(c.Request().Context(), p, id, unit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToDraftResponse(t))
}

// get answers GET /feedback/{id}.
//
//	@Summary		Read a feedback
//	@Description	Visible to everyone who sees the item, except drafts, which only the people of their unit see (404 for others). The ETag is the feedback's version.
//	@ID				getFeedback
//	@Tags			feedback
//	@Produce		json
//	@Param			id	path		string	true	"feedback id"	format(uuid)
//	@Success		200	{object}	FeedbackResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "feedback")
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// update answers PATCH /feedback/{id}.
//
//	@Summary		Edit a draft or returned feedback
//	@Description	By the people of the unit while the feedback is a draft or was returned and the item runs (409 otherwise). Absent fields stay; milestone_id "" removes the milestone; attachment_ids are added. Same validation as POST. Honours If-Match on the feedback's version (412).
//	@ID				updateFeedback
//	@Tags			feedback
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"feedback id"	format(uuid)
//	@Param			If-Match	header		string					false	"the feedback's ETag"
//	@Param			body		body		UpdateFeedbackRequest	true	"the fields to change"
//	@Success		200			{object}	FeedbackResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "feedback")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateFeedbackRequest](c)
	if err != nil {
		return err
	}
	in := Patch{Progress: req.Progress, Content: req.Content, Problems: req.Problems, NextSteps: req.NextSteps}
	if req.MilestoneID != nil {
		if *req.MilestoneID == "" {
			in.ClearMilestone = true
		} else if in.MilestoneID, err = optionalID("milestone_id", *req.MilestoneID); err != nil {
			return err
		}
	}
	if in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", req.AttachmentIDs); err != nil {
		return err
	}
	v, err := h.s.Update(c.Request().Context(), p, id, in, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// submit answers POST /feedback/{id}/submit.
//
//	@Summary		Submit a feedback for review
//	@Description	draft or returned → submitted, by the head or a liaison of the reporting unit (403 for others) while the item is issued, in progress or suspended. Appends feedback_submitted to the item's timeline. Honours If-Match.
//	@ID				submitFeedback
//	@Tags			feedback
//	@Produce		json
//	@Param			id			path		string	true	"feedback id"	format(uuid)
//	@Param			If-Match	header		string	false	"the feedback's ETag"
//	@Success		200			{object}	FeedbackResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback/{id}/submit [post]
func (h handlers) submit(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "feedback")
	if err != nil {
		return err
	}
	v, err := h.s.Submit(c.Request().Context(), p, id, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// accept answers POST /feedback/{id}/accept.
//
//	@Summary		Accept a submitted feedback
//	@Description	submitted → accepted, by the supervision office of the item's scope (403 for others), also while completion is requested. When the reporting unit is the item's lead unit, the item's progress becomes the progress of the lead unit's newest accepted report; a cooperating unit's report leaves it. Appends feedback_accepted to the timeline. Honours If-Match.
//	@ID				acceptFeedback
//	@Tags			feedback
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"feedback id"	format(uuid)
//	@Param			If-Match	header		string					false	"the feedback's ETag"
//	@Param			body		body		AcceptFeedbackRequest	false	"optional comment"
//	@Success		200			{object}	FeedbackResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback/{id}/accept [post]
func (h handlers) accept(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "feedback")
	if err != nil {
		return err
	}
	var req AcceptFeedbackRequest
	if c.Request().ContentLength != 0 {
		if req, err = httpserver.Bind[AcceptFeedbackRequest](c); err != nil {
			return err
		}
	}
	v, err := h.s.Accept(c.Request().Context(), p, id, req.Comment, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// ret answers POST /feedback/{id}/return.
//
//	@Summary		Return a submitted feedback to its unit
//	@Description	submitted → returned with a comment (required, 422) that the unit sees as review_comment; the unit edits the same feedback and submits it again. By the supervision office of the item's scope (403 for others). Appends feedback_returned to the timeline. Honours If-Match.
//	@ID				returnFeedback
//	@Tags			feedback
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"feedback id"	format(uuid)
//	@Param			If-Match	header		string					false	"the feedback's ETag"
//	@Param			body		body		ReturnFeedbackRequest	true	"what the unit should change"
//	@Success		200			{object}	FeedbackResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback/{id}/return [post]
func (h handlers) ret(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "feedback")
	if err != nil {
		return err
	}
	var req ReturnFeedbackRequest
	if c.Request().ContentLength != 0 {
		if req, err = httpserver.Bind[ReturnFeedbackRequest](c); err != nil {
			return err
		}
	}
	v, err := h.s.Return(c.Request().Context(), p, id, req.Comment, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}
