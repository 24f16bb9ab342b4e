package reminders

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// UpdateRequest is the body of PUT /settings/reminders: every rule (an absent
// one is switched off).
type UpdateRequest struct {
	DeadlineApproaching   Rule `json:"deadline_approaching"`
	Overdue               Rule `json:"overdue"`
	FeedbackDue           Rule `json:"feedback_due"`
	FeedbackOverdue       Rule `json:"feedback_overdue"`
	AssignmentNotAccepted Rule `json:"assignment_not_accepted"`
	ExtensionWaiting      Rule `json:"extension_waiting"`
	CompletionWaiting     Rule `json:"completion_waiting"`
	Escalation            Rule `json:"escalation"`
	// Version, when given, must be the current version, like If-Match (one of
	// the two is required).
	Version *int `json:"version,omitempty" example:"1"`
} // @name UpdateReminderSettings

func (r UpdateRequest) settings() Settings {
	return Settings{DeadlineApproaching: r.DeadlineApproaching, Overdue: r.Overdue, FeedbackDue: r.FeedbackDue,
		FeedbackOverdue: r.FeedbackOverdue, AssignmentNotAccepted: r.AssignmentNotAccepted, ExtensionWaiting: r.ExtensionWaiting,
		CompletionWaiting: r.CompletionWaiting, Escalation: r.Escalation}
}

// Mount registers the settings routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/settings/reminders", h.get)
	r.PUT("/settings/reminders", h.put)
}

type handlers struct{ s *Service }

// get answers GET /settings/reminders.
//
//	@Summary		Automatic reminder and escalation rules of my scope
//	@Description	The rules of the caller's supervision scope (the defaults until the office sets them) by which a daily sweep sends automatic reminders (催办催报), each recorded as an urge of kind auto: deadline_approaching (days_before, working days; default 3 and 1) to the lead unit; overdue, every working day while overdue; feedback_due (days_before, 0 = on the due day) and feedback_overdue (every working day) to the reporting unit; assignment_not_accepted, extension_waiting and completion_waiting once the wait reached after_workdays working days, then every working day (requests: to the decider); escalation once the item is overdue more than after_workdays working days, to the supervising leader and the unit's head. Only on working days of the calendar, except for urgent items (every day counts for them). The supervision office, administrators and auditors read them (403 otherwise). The ETag carries the version.
//	@ID				getReminderSettings
//	@Tags			settings
//	@Produce		json
//	@Success		200	{object}	Settings
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/reminders [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	st, err := h.s.Read(c.Request().Context(), p)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, st.Version)
	return c.JSON(http.StatusOK, st)
}

// put answers PUT /settings/reminders.
//
//	@Summary		Set the automatic reminder and escalation rules of my scope
//	@Description	The supervision office of the scope (supervisors) or an administrator replaces every rule (403 otherwise). days_before only for deadline_approaching (1–30) and feedback_due (0–30), at most 5 distinct days, at least one when enabled; after_workdays (1–60) only for assignment_not_accepted, extension_waiting, completion_waiting and escalation; 422 otherwise. If-Match (or version in the body) is required: 428 without, 412 when stale. The next sweep uses the new rules; the change is written to the audit log.
//	@ID				putReminderSettings
//	@Tags			settings
//	@Accept			json
//	@Produce		json
//	@Param			If-Match	header		string			false	"the ETag last read (or version in the body)"
//	@Param			body		body		UpdateRequest	true	"the rules"
//	@Success		200			{object}	Settings
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem	"stale If-Match or version"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Failure		428			{object}	problem.Problem	"no If-Match and no version"
//	@Security		BearerAuth
//	@Router			/settings/reminders [put]
func (h handlers) put(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	// Refuse before reading the body: a 403 must not depend on it.
	if !MayEdit(p) {
		return problem.Forbidden("only the supervision office or an administrator sets the reminder rules")
	}
	ifMatch := httpserver.IfMatch(c)
	if strings.TrimSpace(c.Request().Header.Get("If-Match")) == "*" {
		// "*": whatever the current version is (a precondition all the same).
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
	st, err := h.s.Put(c.Request().Context(), p, req.settings(), ifMatch)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, st.Version)
	return c.JSON(http.StatusOK, st)
}
