package completion

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/review"
)

type handlers struct{ s *Service }

// Mount registers the completion routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/completion-requests", h.list)
	r.POST("/items/:id/completion-requests", h.create)
	r.GET("/completion-requests", h.changes)
	r.GET("/completion-requests/:id", h.get)
	r.POST("/completion-requests/:id/review", h.review)
	r.POST("/completion-requests/:id/approve", h.approve)
	r.POST("/completion-requests/:id/reject", h.reject)
}

func target(c echo.Context) (*access.Principal, uuid.UUID, error) {
	p, err := httpserver.Principal(c)
	if err != nil {
		return nil, uuid.Nil, err
	}
	id, err := httpserver.PathUUID(c, "id", "completion request")
	return p, id, err
}

func render(c echo.Context, status int, v *View) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/completion-requests/"+v.ID.String())
	}
	return c.JSON(status, ToCompletionResponse(v))
}

// list answers GET /items/{id}/completion-requests.
//
//	@Summary		The item's completion requests (办结申请)
//	@Description	Newest first, each with its typed materials, its files and the caller's allowed_actions (review, approve, reject); the list's allowed_actions say whether the caller may request completion now (request).
//	@ID				listCompletionRequests
//	@Tags			completion
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	CompletionListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/completion-requests [get]
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
	out := CompletionListResponse{Data: make([]CompletionResponse, len(l.Data)), Total: len(l.Data), AllowedActions: l.AllowedActions}
	for i := range l.Data {
		out.Data[i] = ToCompletionResponse(&l.Data[i])
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /items/{id}/completion-requests.
//
//	@Summary		Request completion (办结申请)
//	@Description	By the head or a liaison of the lead unit (a cooperating unit gets 403) on an in_progress item (else 409 invalid_transition): in_progress → completion_requested. summary is required; the materials produced (§14: 请示 request, 报告 report, 方案 plan, 办理情况 handling) and further files are uploaded first (POST /attachments) and named by id: an unknown id, a file of another item or one already attached elsewhere is a 422 naming the field, and nothing is written. reuse_attachment_ids name files already sent with this item's feedback that the requester sees: they are attached to the request too, without a new upload (422 reuse_attachment_ids[i] for any other id). The supervision office reviews next. Honours If-Match on the item's version.
//	@ID				createCompletionRequest
//	@Tags			completion
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		CreateRequest	true	"the request"
//	@Success		201			{object}	CompletionResponse
//	@Header			201			{string}	ETag	"the version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/completion-requests [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateRequest](c)
	if err != nil {
		return err
	}
	in, err := ToInput(req)
	if err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, id, in, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, v)
}

// get answers GET /completion-requests/{id}.
//
//	@Summary		A completion request
//	@Description	Visible to whoever sees its item, with its materials, files and the caller's allowed_actions.
//	@ID				getCompletionRequest
//	@Tags			completion
//	@Produce		json
//	@Param			id	path		string	true	"completion request id"	format(uuid)
//	@Success		200	{object}	CompletionResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/completion-requests/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, id, err := target(c)
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// review answers POST /completion-requests/{id}/review.
//
//	@Summary		Review by the supervision office (退办 or forward)
//	@Description	requested → forwarded to the supervising leader (the item stays completion_requested), or rejected (退办: the comment, the reason, is required — 422; the item goes back to in_progress). Only the supervision office of the item's scope (403), never on a request one made oneself; 409 invalid_transition once reviewed. Honours If-Match on the request's version.
//	@ID				reviewCompletionRequest
//	@Tags			completion
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"completion request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.StepRequest	true	"forward or reject"
//	@Success		200			{object}	CompletionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/completion-requests/{id}/review [post]
func (h handlers) review(c echo.Context) error { return h.step(c, ActReview) }

// approve answers POST /completion-requests/{id}/approve.
//
//	@Summary		Approve completion (supervising leader): the item is closed
//	@Description	forwarded → approved, by the item's supervising leader (never the requester, 403); the item goes completion_requested → closed and gets closed_at. 409 invalid_transition before the supervision office forwarded the request. The initiator or the supervision office then archives the item (销号, POST /items/{id}/archive). Honours If-Match on the request's version.
//	@ID				approveCompletionRequest
//	@Tags			completion
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"completion request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.DecisionRequest	false	"optional comment"
//	@Success		200			{object}	CompletionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/completion-requests/{id}/approve [post]
func (h handlers) approve(c echo.Context) error { return h.step(c, ActApprove) }

// reject answers POST /completion-requests/{id}/reject.
//
//	@Summary		Reject completion (supervising leader)
//	@Description	forwarded → rejected, by the item's supervising leader (never the requester, 403); the comment is required (422); the item goes back to in_progress. 409 invalid_transition before the supervision office forwarded the request. Honours If-Match on the request's version.
//	@ID				rejectCompletionRequest
//	@Tags			completion
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"completion request id"	format(uuid)
//	@Param			If-Match	header		string			false	"the request's ETag"
//	@Param			body		body		review.DecisionRequest	true	"the reason"
//	@Success		200			{object}	CompletionResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/completion-requests/{id}/reject [post]
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
