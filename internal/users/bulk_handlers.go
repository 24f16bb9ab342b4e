package users

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// bulk answers POST /users/bulk.
//
//	@Summary		Act on many users at once
//	@Description	Admin only. Moves people to a unit (`move` with org_unit_id), deactivates or reactivates them (`deactivate`, `activate`), or sets their roles (`set_roles` with roles and roles_mode replace, add or remove). At most 1000 people; all or nothing: every rule of PATCH /users/{id} applies to each (an admin cannot lock themself out: 409 self_lockout; the last admin stays: 409 last_admin; posts as head or liaison that no longer fit are released; the sessions of the deactivated end), and a problem names the person (the field user_ids[i], or the members user_id and index).
//	@ID				bulkUsers
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Param			body	body		BulkRequest	true	"the people and the action"
//	@Success		200		{object}	BulkResult
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem	"self_lockout, last_admin"
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users/bulk [post]
func (h handlers) bulk(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	if err := CanBulk(p).Err("user", "bulk"); err != nil {
		return err // before reading the body
	}
	req, err := httpserver.Bind[BulkRequest](c)
	if err != nil {
		return err
	}
	res, err := h.s.Bulk(c.Request().Context(), p, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
