// Package webhooks sends Duban's domain events to integrators: an administrator
// subscribes a URL to event types; every event of those types is delivered to it
// as a signed JSON message (Standard Webhooks: headers webhook-id,
// webhook-timestamp, webhook-signature), at least once — retried with
// exponential backoff for 24 hours under the same webhook-id. A subscription
// that fails for 24 hours on end is disabled and the administrators are told
// (events.WebhookDisabled, notified by internal/notifications). Every delivery
// is logged (time, status, latency, the start of the answer); an administrator
// can redeliver one and ping the target.
//
// Deliveries are written by the event subscriber inside the dispatch's
// transaction, with their job (internal/jobs): a change that rolls back emits no
// event, so nothing is sent. Targets are called through internal/outbound, which
// refuses internal addresses.
package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Webhook is a row of webhooks: a subscription.
type Webhook struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	URL         string
	Description string
	// EventTypes is the JSON list of kinds ("item.issued"), prefixes ("item.*")
	// or "*".
	EventTypes string
	// Secret is "whsec_" + base64 of the key; shown once, at creation.
	Secret  string
	Enabled bool
	// FailingSince is the first failed attempt since the last success.
	FailingSince   *time.Time
	DisabledAt     *time.Time
	DisabledReason string
	CreatedBy      uuid.UUID `gorm:"type:uuid"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
}

// TableName pins the table.
func (Webhook) TableName() string { return "webhooks" }

// Types decodes EventTypes.
func (w *Webhook) Types() []string {
	var out []string
	_ = json.Unmarshal([]byte(w.EventTypes), &out)
	return out
}

// Private reports whether events of kind are never sent out: security events
// (logins, lockouts, tokens) carry session ids and belong to the audit log.
func Private(kind string) bool { return strings.HasPrefix(kind, "auth.") }

// Wants reports whether the subscription takes events of kind.
func (w *Webhook) Wants(kind string) bool {
	if Private(kind) {
		return false
	}
	for _, t := range w.Types() {
		if t == "*" || t == kind || (strings.HasSuffix(t, ".*") && strings.HasPrefix(kind, strings.TrimSuffix(t, "*"))) {
			return true
		}
	}
	return false
}

// States of a delivery.
const (
	StatePending   = "pending"
	StateSucceeded = "succeeded"
	StateFailed    = "failed"
)

// Triggers of a delivery.
const (
	TriggerEvent  = "event"
	TriggerManual = "manual"
	TriggerPing   = "ping"
)

// Delivery is a row of webhook_deliveries: one message to one subscription and
// the outcome of its last attempt.
type Delivery struct {
	ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
	WebhookID uuid.UUID `gorm:"type:uuid"`
	// MessageID is the webhook-id header: the same on every retry and redelivery
	// (receivers deduplicate by it).
	MessageID string
	EventID   *uuid.UUID `gorm:"type:uuid"`
	EventType string
	Trigger   string
	// Payload is the body, built once: every attempt sends the same bytes.
	Payload         string
	State           string
	Attempts        int
	CreatedAt       time.Time
	LastAttemptAt   *time.Time
	NextAttemptAt   *time.Time
	ResponseStatus  int
	LatencyMS       int64 `gorm:"column:latency_ms"`
	ResponseExcerpt string
	Error           string
	DeliveredAt     *time.Time
}

// TableName pins the table.
func (Delivery) TableName() string { return "webhook_deliveries" }

// deliveryID is the id of the delivery of event to webhook: derived from both,
// so that the subscriber, run again for the same event, inserts nothing new.
func deliveryID(webhook, event uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(webhook, event[:])
}

// SecretPrefix starts every signing secret (Standard Webhooks).
const SecretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: 32 random bytes, base64.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Sign returns the webhook-signature header of a message: "v1," + base64 of
// HMAC-SHA256, keyed by the secret's decoded bytes, of "id.timestamp.body".
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// message is the JSON body of a delivery (the Standard Webhooks shape).
type message struct {
	// Type is the event kind, e.g. "item.issued".
	Type string `json:"type"`
	// Timestamp is when the event happened.
	Timestamp time.Time `json:"timestamp"`
	// ID is the domain event's id.
	ID string `json:"id"`
	// Data is the event as recorded: the object (an item's reference, the
	// request, the urge …) as the catalogue of internal/events defines it.
	Data json.RawMessage `json:"data"`
	// Object is the item the event concerns as GET /items/{id} returns it when the
	// event is dispatched (allowed_actions left empty: they belong to a caller),
	// so that an integrator need not call back; absent for events of no item or
	// of an item that no longer exists.
	Object any `json:"object,omitempty"`
}
