package webhooks

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the webhook routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/webhooks", h.list)
	r.POST("/webhooks", h.create)
	r.GET("/webhooks/:id", h.get)
	r.PATCH("/webhooks/:id", h.update)
	r.DELETE("/webhooks/:id", h.delete)
	r.GET("/webhooks/:id/deliveries", h.deliveries)
	r.POST("/webhooks/:id/deliveries/:delivery_id/redeliver", h.redeliver)
	r.POST("/webhooks/:id/ping", h.ping)
}

type handlers struct{ s *Service }

// list answers GET /webhooks.
//
//	@Summary		Webhook subscriptions
//	@Description	Every outgoing webhook subscription (administrators only). Secrets are never shown after creation.
//	@ID				listWebhooks
//	@Tags			webhooks
//	@Produce		json
//	@Success		200	{object}	ListResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	ws, err := h.s.List(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out := ListResponse{Data: make([]Response, len(ws))}
	for i := range ws {
		out.Data[i] = ToResponse(&ws[i])
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /webhooks.
//
//	@Summary		Subscribe a URL to events
//	@Description	Subscribes a URL to event types (kinds of the events catalogue such as `item.issued`, prefixes such as `item.*`, or `*`). Every matching event is POSTed to it as JSON `{type, timestamp, id, data, object}` (object: the item the event concerns, as GET /items/{id} returns it) with the Standard Webhooks headers `webhook-id` (the same on every retry), `webhook-timestamp` and `webhook-signature`; failures are retried with exponential backoff for 24 hours, and a subscription failing for 24 hours on end is disabled and the administrators are notified. The answer carries the signing secret (`whsec_…`), shown only this once. URLs on loopback, private or other internal addresses are refused unless DUBAN_OUTBOUND_ALLOW permits them.
//	@ID				createWebhook
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			body	body		Input	true	"the subscription"
//	@Success		201		{object}	CreatedResponse
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem	"bad URL, internal address, unknown event type"
//	@Security		BearerAuth
//	@Router			/webhooks [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	in, err := httpserver.Bind[Input](c)
	if err != nil {
		return err
	}
	w, err := h.s.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, CreatedResponse{Response: ToResponse(w), Secret: w.Secret})
}

// get answers GET /webhooks/{id}.
//
//	@Summary		A webhook subscription
//	@Description	One subscription with its state (enabled, failing since, disabled and why), administrators only. The secret is never shown after creation.
//	@ID				getWebhook
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"webhook id"	format(uuid)
//	@Success		200	{object}	Response
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	w, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(w))
}

// update answers PATCH /webhooks/{id}.
//
//	@Summary		Change a webhook subscription
//	@Description	Changes the URL, description, event types or whether it is enabled. Enabling a disabled subscription starts its failure count afresh.
//	@ID				updateWebhook
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string	true	"webhook id"	format(uuid)
//	@Param			body	body		Patch	true	"the changes"
//	@Success		200		{object}	Response
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	in, err := httpserver.Bind[Patch](c)
	if err != nil {
		return err
	}
	w, err := h.s.Update(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(w))
}

// delete answers DELETE /webhooks/{id}.
//
//	@Summary		Delete a webhook subscription
//	@Description	Deletes the subscription and its delivery log; pending retries stop.
//	@ID				deleteWebhook
//	@Tags			webhooks
//	@Param			id	path	string	true	"webhook id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id} [delete]
func (h handlers) delete(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	if err := h.s.Delete(c.Request().Context(), p, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// deliveries answers GET /webhooks/{id}/deliveries.
//
//	@Summary		A webhook's delivery log
//	@Description	The deliveries to the subscription, newest first: time, state, attempts, the last attempt's HTTP status, latency and the start of the answer.
//	@ID				listWebhookDeliveries
//	@Tags			webhooks
//	@Produce		json
//	@Param			id			path		string	true	"webhook id"	format(uuid)
//	@Param			state		query		string	false	"only deliveries in this state"	Enums(pending, succeeded, failed)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	DeliveryListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id}/deliveries [get]
func (h handlers) deliveries(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	switch state {
	case "", StatePending, StateSucceeded, StateFailed:
	default:
		return problem.Field("state", "oneof", "must be pending, succeeded or failed")
	}
	ds, total, err := h.s.Deliveries(c.Request().Context(), p, id, state, pg)
	if err != nil {
		return err
	}
	out := DeliveryListResponse{Data: make([]DeliveryResponse, len(ds)), Total: total, Page: pg.Page, PageSize: pg.Size}
	for i := range ds {
		out.Data[i] = ToDeliveryResponse(&ds[i])
	}
	return c.JSON(http.StatusOK, out)
}

// redeliver answers POST /webhooks/{id}/deliveries/{delivery_id}/redeliver.
//
//	@Summary		Redeliver a message
//	@Description	Sends the delivery's message again, as a new log entry with the same webhook-id and body, retried like the first. 409 when the subscription is disabled.
//	@ID				redeliverWebhookDelivery
//	@Tags			webhooks
//	@Produce		json
//	@Param			id			path		string	true	"webhook id"	format(uuid)
//	@Param			delivery_id	path		string	true	"delivery id"	format(uuid)
//	@Success		202			{object}	DeliveryResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id}/deliveries/{delivery_id}/redeliver [post]
func (h handlers) redeliver(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	did, err := httpserver.PathUUID(c, "delivery_id", "delivery")
	if err != nil {
		return err
	}
	d, err := h.s.Redeliver(c.Request().Context(), p, id, did)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, ToDeliveryResponse(d))
}

// ping answers POST /webhooks/{id}/ping.
//
//	@Summary		Ping a webhook
//	@Description	Sends a signed `webhook.ping` message now and answers with its log entry (state succeeded or failed, status, latency, the start of the answer). Not retried.
//	@ID				pingWebhook
//	@Tags			webhooks
//	@Produce		json
//	@Param			id	path		string	true	"webhook id"	format(uuid)
//	@Success		200	{object}	DeliveryResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/webhooks/{id}/ping [post]
func (h handlers) ping(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "webhook")
	if err != nil {
		return err
	}
	d, err := h.s.Ping(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToDeliveryResponse(d))
}
