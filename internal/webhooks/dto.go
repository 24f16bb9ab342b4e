package webhooks

import (
	"time"

	"github.com/google/uuid"
)

// Response is a subscription as read (never its secret).
type Response struct {
	ID          uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	URL         string    `json:"url" example:"https://oa.example.com/duban/events"`
	Description string    `json:"description" example:"OA 系统同步"`
	EventTypes  []string  `json:"event_types" example:"item.issued,urge.*"`
	Enabled     bool      `json:"enabled" example:"true"`
	// FailingSince is the first failed attempt since the last success (null:
	// not failing). After 24 hours of failure the subscription is disabled.
	FailingSince   *time.Time `json:"failing_since"`
	DisabledAt     *time.Time `json:"disabled_at"`
	DisabledReason string     `json:"disabled_reason" example:""`
	CreatedBy      uuid.UUID  `json:"created_by" swaggertype:"string" format:"uuid"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int        `json:"version" example:"1"`
} // @name Webhook

// CreatedResponse is a new subscription with its signing secret, shown this
// once.
type CreatedResponse struct {
	Response
	// Secret signs every delivery (Standard Webhooks: webhook-signature is
	// "v1," + base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body", keyed by
	// the base64-decoded part after "whsec_"). It is never shown again.
	Secret string `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
} // @name WebhookCreated

// ListResponse is every subscription.
type ListResponse struct {
	Data []Response `json:"data"`
} // @name WebhookList

// DeliveryResponse is an entry of the delivery log.
type DeliveryResponse struct {
	ID        uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	WebhookID uuid.UUID `json:"webhook_id" swaggertype:"string" format:"uuid"`
	// MessageID is the webhook-id header, the same on every retry and
	// redelivery of the message.
	MessageID string     `json:"message_id" example:"msg_0190c3f4-7a2b-7c1d-9e8f-0123456789ab"`
	EventID   *uuid.UUID `json:"event_id" swaggertype:"string" format:"uuid"`
	EventType string     `json:"event_type" example:"item.issued"`
	Trigger   string     `json:"trigger" enums:"event,manual,ping" example:"event"`
	State     string     `json:"state" enums:"pending,succeeded,failed" example:"succeeded"`
	Attempts  int        `json:"attempts" example:"1"`
	CreatedAt time.Time  `json:"created_at"`
	// LastAttemptAt, ResponseStatus (0: no answer), LatencyMS, ResponseExcerpt
	// (the first KiB of the answer) and Error describe the last attempt.
	LastAttemptAt   *time.Time `json:"last_attempt_at"`
	NextAttemptAt   *time.Time `json:"next_attempt_at"`
	ResponseStatus  int        `json:"response_status" example:"200"`
	LatencyMS       int64      `json:"latency_ms" example:"85"`
	ResponseExcerpt string     `json:"response_excerpt" example:"ok"`
	Error           string     `json:"error" example:""`
	DeliveredAt     *time.Time `json:"delivered_at"`
	// Payload is the body sent (JSON text).
	Payload string `json:"payload" example:"{\"type\":\"item.issued\",\"timestamp\":\"2026-12-03T08:00:00Z\",\"id\":\"…\",\"data\":{}}"`
} // @name WebhookDelivery

// DeliveryListResponse is a page of the delivery log.
type DeliveryListResponse struct {
	Data     []DeliveryResponse `json:"data"`
	Total    int64              `json:"total" example:"42"`
	Page     int                `json:"page" example:"1"`
	PageSize int                `json:"page_size" example:"20"`
} // @name WebhookDeliveryList

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ToResponse renders a subscription.
func ToResponse(w *Webhook) Response {
	types := w.Types()
	if types == nil {
		types = []string{}
	}
	return Response{ID: w.ID, URL: w.URL, Description: w.Description, EventTypes: types, Enabled: w.Enabled,
		FailingSince: utc(w.FailingSince), DisabledAt: utc(w.DisabledAt), DisabledReason: w.DisabledReason, CreatedBy: w.CreatedBy,
		CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC(), Version: w.Version}
}

// ToDeliveryResponse renders a log entry.
func ToDeliveryResponse(d *Delivery) DeliveryResponse {
	return DeliveryResponse{ID: d.ID, WebhookID: d.WebhookID, MessageID: d.MessageID, EventID: d.EventID, EventType: d.EventType,
		Trigger: d.Trigger, State: d.State, Attempts: d.Attempts, CreatedAt: d.CreatedAt.UTC(), LastAttemptAt: utc(d.LastAttemptAt),
		NextAttemptAt: utc(d.NextAttemptAt), ResponseStatus: d.ResponseStatus, LatencyMS: d.LatencyMS, ResponseExcerpt: d.ResponseExcerpt,
		Error: d.Error, DeliveredAt: utc(d.DeliveredAt), Payload: d.Payload}
}
