package items

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// ClearWarningRequest is the body of POST /items/{id}/clear-warning.
type ClearWarningRequest struct {
	// Reason is required: why the warning is cleared (e.g. an objective cause, 客观原因).
	Reason string `json:"reason" validate:"max=2000" example:"受上级政策调整影响，属客观原因"`
} // @name ClearWarning

// clearWarning answers POST /items/{id}/clear-warning.
//
//	@Summary		Clear the item's warning light (摘牌)
//	@Description	By the supervision office of the item's scope (403 for everyone else; 404 when the item is not visible). The current blue, yellow or red light is cleared with a reason (required, 422): the item then shows a green light with warning_cleared, warning_cleared_light and warning_clear_reason, until its underlying light gets worse than the cleared one (blue → yellow → red) or its deadline moves, when the light shows again and may be cleared again. 409 invalid_transition when the item is not open; 409 no_warning when it shows no warning light (green, or cleared already). Recorded on the timeline as clear_warning with the reason. Honours If-Match.
//	@ID				clearItemWarning
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"item id"	format(uuid)
//	@Param			If-Match	header		string				false	"the item's ETag"
//	@Param			body		body		ClearWarningRequest	true	"the reason"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/clear-warning [post]
func (h handlers) clearWarning(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	var req ClearWarningRequest
	if c.Request().ContentLength != 0 {
		if req, err = httpserver.Bind[ClearWarningRequest](c); err != nil {
			return err
		}
	}
	v, err := h.s.ClearWarning(c.Request().Context(), p, id, req.Reason, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusOK, v)
}
