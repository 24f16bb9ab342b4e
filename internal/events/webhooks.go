package events

import "github.com/google/uuid"

// WebhookDisabled: an outgoing webhook subscription kept failing and was turned
// off; the administrators are notified (internal/notifications).
type WebhookDisabled struct {
	WebhookID uuid.UUID `json:"webhook_id"`
	URL       string    `json:"url"`
	Reason    string    `json:"reason"`
}

// KindWebhookDisabled is the kind of WebhookDisabled.
const KindWebhookDisabled Kind = "webhook.disabled"

func (WebhookDisabled) Kind() Kind { return KindWebhookDisabled }

func init() { register(&WebhookDisabled{}) }
