package channels

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// Response is a robot as read: never its URL's path and query or its secret.
type Response struct {
	ID       uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Name     string    `json:"name" example:"安全环保部工作群"`
	Platform string    `json:"platform" enums:"wecom,dingtalk,feishu" example:"dingtalk"`
	// Target is the scheme and host of the robot's URL (the rest carries its key).
	Target    string     `json:"target" example:"https://oapi.dingtalk.com"`
	HasSecret bool       `json:"has_secret" example:"true"`
	UnitID    *uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	ScopeID   *uuid.UUID `json:"scope_id" swaggertype:"string" format:"uuid"`
	Kinds     []string   `json:"kinds" example:"urge,reminder"`
	MsgType   string     `json:"msg_type" enums:"text,markdown" example:"markdown"`
	Enabled   bool       `json:"enabled" example:"true"`
	// LastSentAt, LastStatus (HTTP, 0: no answer) and LastError describe the last
	// message sent.
	LastSentAt *time.Time `json:"last_sent_at"`
	LastStatus int        `json:"last_status" example:"200"`
	LastError  string     `json:"last_error" example:""`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	Version    int        `json:"version" example:"1"`
} // @name NotificationChannel

// ListResponse is every robot.
type ListResponse struct {
	Data []Response `json:"data"`
} // @name NotificationChannelList

// ToResponse renders a robot.
func ToResponse(c *Channel) Response {
	r := Response{ID: c.ID, Name: c.Name, Platform: c.Platform, Target: c.Target(), HasSecret: c.Secret != "", UnitID: c.UnitID,
		ScopeID: c.ScopeID, Kinds: c.KindList(), MsgType: c.MsgType, Enabled: c.Enabled, LastStatus: c.LastStatus, LastError: c.LastError,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Version: c.Version}
	if c.LastSentAt != nil {
		t := c.LastSentAt.UTC()
		r.LastSentAt = &t
	}
	return r
}

// Mount registers the robot routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/notification-channels", h.list)
	r.POST("/notification-channels", h.create)
	r.PATCH("/notification-channels/:id", h.update)
	r.DELETE("/notification-channels/:id", h.delete)
}

type handlers struct{ s *Service }

// list answers GET /notification-channels.
//
//	@Summary		Group robots
//	@Description	The WeCom, DingTalk and Feishu group robots of units and scopes (administrators only). URLs and secrets are write-only: the target host and whether a secret is set are shown.
//	@ID				listNotificationChannels
//	@Tags			notifications
//	@Produce		json
//	@Success		200	{object}	ListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notification-channels [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	cs, err := h.s.List(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out := ListResponse{Data: make([]Response, len(cs))}
	for i := range cs {
		out.Data[i] = ToResponse(&cs[i])
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /notification-channels.
//
//	@Summary		Add a group robot
//	@Description	Adds a robot for a unit (unit_id) or a supervision scope (scope_id): it receives, in Chinese, the notifications of the people of that unit or scope — the same people the in-app notifications go to. WeCom: the group robot's webhook URL, markdown or text messages. DingTalk: the custom robot's URL and its 加签 secret (timestamp and sign query parameters, HMAC-SHA256). Feishu: the custom bot's URL and its signature secret (timestamp and sign in the body). URLs on internal addresses are refused unless DUBAN_OUTBOUND_ALLOW permits them.
//	@ID				createNotificationChannel
//	@Tags			notifications
//	@Accept			json
//	@Produce		json
//	@Param			body	body		Input	true	"the robot"
//	@Success		201		{object}	Response
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notification-channels [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	in, err := httpserver.Bind[Input](c)
	if err != nil {
		return err
	}
	ch, err := h.s.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ToResponse(ch))
}

// update answers PATCH /notification-channels/{id}.
//
//	@Summary		Change a group robot
//	@Description	Changes the robot's URL, secret, kinds, format or whether it is enabled (administrators only); absent fields stay. URLs on internal addresses are refused unless DUBAN_OUTBOUND_ALLOW permits them.
//	@ID				updateNotificationChannel
//	@Tags			notifications
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string	true	"robot id"	format(uuid)
//	@Param			body	body		Patch	true	"the changes"
//	@Success		200		{object}	Response
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notification-channels/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "notification channel")
	if err != nil {
		return err
	}
	in, err := httpserver.Bind[Patch](c)
	if err != nil {
		return err
	}
	ch, err := h.s.Update(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(ch))
}

// delete answers DELETE /notification-channels/{id}.
//
//	@Summary		Remove a group robot
//	@Description	Removes the robot (administrators only); messages still queued for it are dropped.
//	@ID				deleteNotificationChannel
//	@Tags			notifications
//	@Param			id	path	string	true	"robot id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notification-channels/{id} [delete]
func (h handlers) delete(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "notification channel")
	if err != nil {
		return err
	}
	if err := h.s.Delete(c.Request().Context(), p, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
