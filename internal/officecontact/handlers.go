package officecontact

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// UpdateRequest is the body of PUT /settings/office-contact.
type UpdateRequest struct {
	// Phone is the office's contact phone, at most 40 characters ("" clears it).
	Phone string `json:"phone" example:"0571-87001234"`
	// Person is the contact person, at most 40 characters ("" clears it).
	Person string `json:"person" example:"王敏"`
	// Version, when given, must be the current version, like If-Match (one of
	// the two is required).
	Version *int `json:"version,omitempty" example:"1"`
} // @name UpdateOfficeContact

// Mount registers the routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/settings/office-contact", h.get)
	r.PUT("/settings/office-contact", h.put)
}

type handlers struct{ s *Service }

// get answers GET /settings/office-contact.
//
//	@Summary		The supervision office's contact of my scope
//	@Description	The contact phone and person of the supervision office (督查室) of the caller's scope, which the task notice (督查督办任务通知) prints and an overdue item's extension tab points to. Empty strings (version 0) until the office sets them. Everyone signed in reads it. The ETag carries the version.
//	@ID				getOfficeContact
//	@Tags			settings
//	@Produce		json
//	@Success		200	{object}	Contact
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/office-contact [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	ct, _, err := h.s.Get(c.Request().Context(), p.ScopeID)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, ct.Version)
	return c.JSON(http.StatusOK, ct)
}

// put answers PUT /settings/office-contact.
//
//	@Summary		Set the supervision office's contact of my scope
//	@Description	The supervision office of the scope (supervisors) or an administrator replaces the contact phone and person (403 otherwise); each is trimmed, at most 40 characters, without control characters (422 otherwise); "" clears it. If-Match (or version in the body) is required: 428 without, 412 when stale. The change is written to the audit log.
//	@ID				putOfficeContact
//	@Tags			settings
//	@Accept			json
//	@Produce		json
//	@Param			If-Match	header		string			false	"the ETag last read (or version in the body)"
//	@Param			body		body		UpdateRequest	true	"the contact"
//	@Success		200			{object}	Contact
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"stale If-Match or version"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Failure		428			{object}	problem.Problem	"no If-Match and no version"
//	@Security		BearerAuth
//	@Router			/settings/office-contact [put]
func (h handlers) put(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	// Refuse before reading the body: a 403 must not depend on it.
	if !MayEdit(p) {
		return problem.Forbidden("only the supervision office or an administrator sets the office contact")
	}
	ifMatch := httpserver.IfMatch(c)
	if strings.TrimSpace(c.Request().Header.Get("If-Match")) == "*" {
		cur, _, err := h.s.Get(c.Request().Context(), p.ScopeID)
		if err != nil {
			return err
		}
		ifMatch = etag.Precondition{cur.Version}
	}
	req, err := httpserver.Bind[UpdateRequest](c)
	if err != nil {
		return err
	}
	if req.Version != nil {
		if ifMatch != nil && !slices.Contains(ifMatch, *req.Version) {
			return problem.PreconditionFailed("If-Match and version name different versions")
		}
		ifMatch = etag.Precondition{*req.Version}
	}
	ct, err := h.s.Put(c.Request().Context(), p, Contact{Phone: req.Phone, Person: req.Person}, ifMatch)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, ct.Version)
	return c.JSON(http.StatusOK, ct)
}
