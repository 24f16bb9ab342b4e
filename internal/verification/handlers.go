package verification

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

type handlers struct{ s *Service }

// Mount registers the verification routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/:id/verifications", h.list)
	r.POST("/items/:id/verifications", h.create)
}

// list answers GET /items/{id}/verifications.
//
//	@Summary		The item's verifications (结果核查)
//	@Description	Newest first, with their evidence files; the list's allowed_actions say whether the caller may record a verification now (create).
//	@ID				listVerifications
//	@Tags			verification
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	VerificationListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/verifications [get]
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
	out := VerificationListResponse{Data: make([]VerificationResponse, len(l.Data)), Total: len(l.Data), AllowedActions: l.AllowedActions}
	for i := range l.Data {
		out.Data[i] = ToVerificationResponse(&l.Data[i])
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /items/{id}/verifications.
//
//	@Summary		Verify a closed item (结果核查, §13)
//	@Description	By the supervision office of the item's scope (403 otherwise) on a closed or archived item (else 409 invalid_transition): a document review, on-site check or return visit with its findings. passed marks the item verified (its state stays). failed reopens it (反弹): the item goes back to in_progress with reopened_count+1, flagged, verified false, closed_at and archived_at cleared; it counts against the unit. Both are on the item's timeline (verify). Evidence files are uploaded first and named in attachment_ids (422 for a bad id, and nothing is written). Honours If-Match on the item's version.
//	@ID				createVerification
//	@Tags			verification
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		CreateRequest	true	"the verification"
//	@Success		201			{object}	VerificationResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/verifications [post]
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
	return c.JSON(http.StatusCreated, ToVerificationResponse(v))
}
