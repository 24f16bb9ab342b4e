package extensions

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/review"
)

type handlers struct{ s *Service }

// Mount registers the extension and deadline routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/extensions", h.list)
	r.POST("/items/:id/extensions", h.create)
	r.GET("/extensions", h.extensionChanges)
	r.GET("/extensions/:id", h.get)
	r.POST("/extensions/:id/review", h.review)
	r.POST("/extensions/:id/approve", h.approve)
	r.POST("/extensions/:id/reject", h.reject)
	r.POST("/items/:id/deadline", h.setDeadline)
	r.GET("/items/:id/deadline-changes", h.changes)
}

func render(c echo.Context, status int, v *View) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/extensions/"+v.ID.String())
	}
	return c.JSON(status, ToExtensionResponse(v))
}

// list answers GET /items/{id}/extensions.
//
//	@Summary		The item's extension requests (延期申请)
//	@Description	Newest first, each with the caller's allowed_actions (review, approve, reject); the list's allowed_actions say whether the caller may request an extension now (request) or set a new deadline (set_deadline).
//	@ID				listExtensions
//	@Tags			extensions
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	ExtensionListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/extensions [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	l, err := h.s.ListFor(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	out := ExtensionListResponse{Data: make([]ExtensionResponse, len(l.Data)), Total: len(l.Data), AllowedActions: l.AllowedActions}
	for i := range l.Data {
		out.Data[i] = ToExtensionResponse(&l.Data[i])
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /items/{id}/extensions.
//
//	@Summary		Request an extension (延期申请)
//	@Description	By the head or a liaison of the lead unit (a cooperating unit gets 403), while the item is issued, in_progress or suspended (else 409 invalid_transition), and only until the deadline, the deadline day included: afterwards 409 deadline_passed — only the supervision office can then have a leader set a new deadline (POST /items/{id}/deadline). requested_deadline must be after the current deadline (422). One open request per item (409 extension_pending). The request goes to the supervision office for review. Honours If-Match on the item's version.
//	@ID				createExtension
//	@Tags			extensions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"item id"	format(uuid)
//	@Param			If-Match	header		string					false	"the item's ETag"
//	@Param			body		body		CreateExtensionRequest	true	"the request"
//	@Success		201			{object}	ExtensionResponse
//	@Header			201			{string}	ETag	"the version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/extensions [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateExtensionRequest](c)
	if err != nil {
		return err
	}
	d, err := civil.Parse(req.RequestedDeadline)
	if err != nil {
		return problem.Field("requested_deadline", "datetime", "must be a date in the form YYYY-MM-DD")
	}
	v, err := h.s.Create(c.Request().Context(), p, id, Input{RequestedDeadline: d, Reason: req.Reason, Progress: req.Progress}, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, v)
}

// get answers GET /extensions/{id}.
//
//	@Summary		An extension request
//	@Description	Visible to whoever sees its item, with the caller's allowed_actions.
//	@ID				getExtension
//	@Tags			extensions
//	@Produce		json
//	@Param			id	path		string	true	"extension request id"	format(uuid)
//	@Success		200	{object}	ExtensionResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/extensions/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "extension request")
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// review answers POST /extensions/{id}/review.
//
//	@Summary		First review by the supervision office
//	@Description	requested → forwarded (to the supervising leader) or rejected; the comment is required to reject (422). Only the supervision office of the item's scope (403), never on a request one made oneself; 409 invalid_transition once reviewed. Honours If-Match on the request's version.
//	@ID				reviewExtension
//	@Tags			extensions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"extension request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.StepRequest	true	"forward or reject"
//	@Success		200			{object}	ExtensionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/extensions/{id}/review [post]
func (h handlers) review(c echo.Context) error { return h.step(c, ActReview) }

// approve answers POST /extensions/{id}/approve.
//
//	@Summary		Approve an extension (supervising leader)
//	@Description	forwarded → approved, by the item's supervising leader — never by the person who requested it (403), whatever their roles. The item's deadline moves to the requested one; original_deadline never changes. The move is on the item's timeline (extension_approve, changes.deadline {from, to}) and in GET /items/{id}/deadline-changes. 409 invalid_transition before the supervision office forwarded the request. Honours If-Match on the request's version.
//	@ID				approveExtension
//	@Tags			extensions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"extension request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.DecisionRequest	false	"optional comment"
//	@Success		200			{object}	ExtensionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/extensions/{id}/approve [post]
func (h handlers) approve(c echo.Context) error { return h.step(c, ActApprove) }

// reject answers POST /extensions/{id}/reject.
//
//	@Summary		Reject an extension (supervising leader)
//	@Description	forwarded → rejected, by the item's supervising leader (never the requester); the comment is required (422). The deadline stays. 409 invalid_transition before the supervision office forwarded the request. Honours If-Match on the request's version.
//	@ID				rejectExtension
//	@Tags			extensions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"extension request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.DecisionRequest	true	"the reason"
//	@Success		200			{object}	ExtensionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/extensions/{id}/reject [post]
func (h handlers) reject(c echo.Context) error { return h.step(c, ActReject) }

// step runs a review, approve or reject.
func (h handlers) step(c echo.Context, action string) error {
	p, id, err := target(c)
	if err != nil {
		return err
	}
	step, err := review.StepFrom(c, action)
	if err != nil {
		return err
	}
	v, err := h.s.Step(c.Request().Context(), p, id, step, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

func target(c echo.Context) (*access.Principal, uuid.UUID, error) {
	p, err := httpserver.Principal(c)
	if err != nil {
		return nil, uuid.Nil, err
	}
	id, err := httpserver.PathUUID(c, "id", "extension request")
	return p, id, err
}

// setDeadline answers POST /items/{id}/deadline.
//
//	@Summary		Set a new deadline on an overdue item (supervision office)
//	@Description	§14 rule d: when an item is overdue without an extension, the supervision office has a leader set a new deadline. Only the supervision office of the item's scope (403), only on an issued, open item that is overdue (else 409 invalid_transition or not_overdue), and not while an extension request is open (409 extension_pending). leader_id must be an active user with the leader role in the item's scope (422); the deadline must not be in the past (422). Moves deadline, never original_deadline (assessment keeps measuring against it); the timeline records deadline_set. Honours If-Match on the item's version.
//	@ID				setItemDeadline
//	@Tags			extensions
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"item id"	format(uuid)
//	@Param			If-Match	header		string				false	"the item's ETag"
//	@Param			body		body		SetDeadlineRequest	true	"the new deadline and the leader's decision"
//	@Success		200			{object}	items.ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/deadline [post]
func (h handlers) setDeadline(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[SetDeadlineRequest](c)
	if err != nil {
		return err
	}
	d, err := civil.Parse(req.Deadline)
	if err != nil {
		return problem.Field("deadline", "datetime", "must be a date in the form YYYY-MM-DD")
	}
	leader, err := uuid.Parse(req.LeaderID)
	if err != nil {
		return problem.Field("leader_id", "uuid", "must be a UUID")
	}
	v, err := h.s.SetDeadline(c.Request().Context(), p, id, DeadlineInput{Deadline: d, LeaderID: leader, DecisionNote: req.DecisionNote}, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	return c.JSON(http.StatusOK, items.ToItemResponse(v))
}

// changes answers GET /items/{id}/deadline-changes.
//
//	@Summary		The history of the item's deadline
//	@Description	Every move of the deadline after issue, oldest first: approved extensions (kind extension) and deadlines set by the supervision office on a leader's decision (kind office). original_deadline on the item never changes.
//	@ID				listDeadlineChanges
//	@Tags			extensions
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	DeadlineChangeListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/deadline-changes [get]
func (h handlers) changes(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	cs, err := h.s.Changes(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	out := DeadlineChangeListResponse{Data: make([]DeadlineChangeResponse, len(cs)), Total: len(cs)}
	for i := range cs {
		out.Data[i] = ToDeadlineChangeResponse(&cs[i])
	}
	return c.JSON(http.StatusOK, out)
}
