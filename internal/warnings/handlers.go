package warnings

import (
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// SettingsResponse are the warning settings as read.
type SettingsResponse struct {
	// BlueWorkdays: the light turns blue this many working days before the
	// deadline or a milestone not done (1–30; default 3).
	BlueWorkdays int `json:"blue_workdays" example:"3" minimum:"1" maximum:"30"`
	// FeedbackGraceWorkdays: working days a feedback may be late before it counts as
	// missed (0–30; default 0).
	FeedbackGraceWorkdays int `json:"feedback_grace_workdays" example:"0" minimum:"0" maximum:"30"`
	// Version counts changes (0: never changed); the ETag carries it.
	Version   int        `json:"version" example:"2"`
	UpdatedBy *uuid.UUID `json:"updated_by" swaggertype:"string" format:"uuid"`
	UpdatedAt *time.Time `json:"updated_at"`
} // @name WarningSettings

// UpdateSettingsRequest is the body of PUT /settings/warnings; absent fields stay.
type UpdateSettingsRequest struct {
	BlueWorkdays          *int `json:"blue_workdays,omitempty" example:"5"`
	FeedbackGraceWorkdays *int `json:"feedback_grace_workdays,omitempty" example:"2"`
	// Version, when given, must be the current version (412 otherwise), like If-Match.
	Version *int `json:"version,omitempty" example:"2"`
} // @name UpdateWarningSettings

// ToResponse renders the settings.
func ToResponse(s Settings) SettingsResponse {
	return SettingsResponse{BlueWorkdays: s.BlueWorkdays, FeedbackGraceWorkdays: s.FeedbackGraceWorkdays,
		Version: s.Version, UpdatedBy: s.UpdatedBy, UpdatedAt: s.UpdatedAt}
}

// Mount registers the settings routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/settings/warnings", h.get)
	r.PUT("/settings/warnings", h.put)
}

type handlers struct{ s *Service }

// get answers GET /settings/warnings.
//
//	@Summary		Warning-light thresholds
//	@Description	The thresholds of the derived warning lights: blue from blue_workdays working days before the deadline or a milestone not done; yellow when a milestone is missed, or a feedback more than feedback_grace_workdays working days late; red when overdue. Any signed-in user may read them (the SPA shows them). The ETag carries the version.
//	@ID				getWarningSettings
//	@Tags			settings
//	@Produce		json
//	@Success		200	{object}	SettingsResponse
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/warnings [get]
func (h handlers) get(c echo.Context) error {
	st, err := h.s.Get(c.Request().Context())
	if err != nil {
		return err
	}
	httpserver.SetETag(c, st.Version)
	return c.JSON(http.StatusOK, ToResponse(st))
}

// put answers PUT /settings/warnings.
//
//	@Summary		Change the warning-light thresholds
//	@Description	Administrators only (403 for everyone else). blue_workdays 1–30, feedback_grace_workdays 0–30 (422 outside). Absent fields keep their value. Send If-Match with the ETag (or version in the body): a different current version answers 412. The lights of every item follow at once in this process and within 30 seconds in others; the change is written to the audit log.
//	@ID				putWarningSettings
//	@Tags			settings
//	@Accept			json
//	@Produce		json
//	@Param			If-Match	header		string					false	"the ETag last read"
//	@Param			body		body		UpdateSettingsRequest	true	"the thresholds"
//	@Success		200			{object}	SettingsResponse
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"not an administrator"
//	@Failure		412			{object}	problem.Problem	"stale If-Match or version"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/warnings [put]
func (h handlers) put(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	// Refuse non-admins before reading the body: a 403 must not depend on it.
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an administrator may change the warning settings")
	}
	ifMatch := httpserver.IfMatch(c)
	req, err := httpserver.Bind[UpdateSettingsRequest](c)
	if err != nil {
		return err
	}
	if req.Version != nil {
		if ifMatch != nil && !slices.Contains(ifMatch, *req.Version) {
			return problem.PreconditionFailed("If-Match and version name different versions")
		}
		ifMatch = etag.Precondition{*req.Version}
	}
	st, err := h.s.Update(ctx, p, Input{BlueWorkdays: req.BlueWorkdays, FeedbackGraceWorkdays: req.FeedbackGraceWorkdays}, ifMatch)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, st.Version)
	return c.JSON(http.StatusOK, ToResponse(st))
}
