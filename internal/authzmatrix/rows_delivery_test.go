package authzmatrix

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/channels"
	"github.com/duban/duban/internal/webhooks"
)

// Outgoing webhooks are administrators' alone, whatever the relation (they have
// no owner: own, other and none are the same). The subscriptions the cells act
// on are written directly; the ping's target is on loopback, which the matrix's
// configuration does not allow, so the ping answers at once (a failed
// delivery) without leaving the machine.
func init() {
	path := func(f *fixture, suffix string) string {
		return "/api/v1/webhooks/" + f.webhook("http://127.0.0.1:9/matrix").String() + suffix
	}
	body := map[string]any{"url": "https://203.0.113.5/duban", "event_types": []string{"item.issued", "urge.*"}}
	register(
		row{
			method: "GET", route: "/api/v1/webhooks",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/webhooks", nil },
			want:  adminOnly(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/webhooks",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/webhooks", body },
			want:  adminOnly(http.StatusCreated),
		},
		row{
			method: "GET", route: "/api/v1/webhooks/:id",
			setup: func(f *fixture, c *cell) (string, any) { return path(f, ""), nil },
			want:  adminOnly(http.StatusOK),
		},
		row{
			method: "PATCH", route: "/api/v1/webhooks/:id",
			setup: func(f *fixture, c *cell) (string, any) { return path(f, ""), map[string]any{"description": "矩阵"} },
			want:  adminOnly(http.StatusOK),
		},
		row{
			method: "DELETE", route: "/api/v1/webhooks/:id",
			setup: func(f *fixture, c *cell) (string, any) { return path(f, ""), nil },
			want:  adminOnly(http.StatusNoContent),
		},
		row{
			method: "GET", route: "/api/v1/webhooks/:id/deliveries",
			setup: func(f *fixture, c *cell) (string, any) { return path(f, "/deliveries"), nil },
			want:  adminOnly(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver",
			setup: func(f *fixture, c *cell) (string, any) {
				hook := f.webhook("https://203.0.113.5/duban")
				return "/api/v1/webhooks/" + hook.String() + "/deliveries/" + f.webhookDelivery(hook).String() + "/redeliver", nil
			},
			want: adminOnly(http.StatusAccepted),
		},
		row{
			method: "POST", route: "/api/v1/webhooks/:id/ping",
			setup: func(f *fixture, c *cell) (string, any) { return path(f, "/ping"), nil },
			want:  adminOnly(http.StatusOK),
		},
	)
	// The group robots: administrators' alone too; the relation picks the unit
	// the robot is for (own: the caller's, other: department B, none: the
	// enterprise's), which makes no difference.
	robot := map[string]any{"name": "矩阵群", "platform": "dingtalk", "url": "https://203.0.113.5/robot/send?access_token=m", "secret": "SECm"}
	register(
		row{
			method: "GET", route: "/api/v1/notification-channels",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/notification-channels", nil },
			want:  adminOnly(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/notification-channels",
			setup: func(f *fixture, c *cell) (string, any) {
				b := map[string]any{"unit_id": f.unitFor(c.user, c.rel).String()}
				for k, v := range robot {
					b[k] = v
				}
				return "/api/v1/notification-channels", b
			},
			want: adminOnly(http.StatusCreated),
		},
		row{
			method: "PATCH", route: "/api/v1/notification-channels/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/notification-channels/" + f.robot(f.unitFor(c.user, c.rel)).String(), map[string]any{"msg_type": "text"}
			},
			want: adminOnly(http.StatusOK),
		},
		row{
			method: "DELETE", route: "/api/v1/notification-channels/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/notification-channels/" + f.robot(f.unitFor(c.user, c.rel)).String(), nil
			},
			want: adminOnly(http.StatusNoContent),
		},
	)
}

// robot writes a DingTalk robot of unit and returns its id.
func (f *fixture) robot(unit uuid.UUID) uuid.UUID {
	now := time.Now().UTC()
	c := channels.Channel{ID: uuid.Must(uuid.NewV7()), Name: "矩阵群", Platform: channels.DingTalk, URL: "https://203.0.113.5/robot/send?access_token=m",
		Secret: "SECm", UnitID: &unit, Kinds: "[]", MsgType: channels.MsgMarkdown, Enabled: true, CreatedBy: f.actors[admin].id,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	f.must(f.env.DB.Gorm().Create(&c).Error, "robot")
	return c.ID
}

// webhook writes an enabled subscription to url and returns its id.
func (f *fixture) webhook(url string) uuid.UUID {
	now := time.Now().UTC()
	w := webhooks.Webhook{ID: uuid.Must(uuid.NewV7()), URL: url, EventTypes: `["item.issued"]`, Secret: webhooks.NewSecret(),
		Enabled: true, CreatedBy: f.actors[admin].id, CreatedAt: now, UpdatedAt: now, Version: 1}
	f.must(f.env.DB.Gorm().Create(&w).Error, "webhook")
	return w.ID
}

// webhookDelivery writes a delivered message of hook and returns its id.
func (f *fixture) webhookDelivery(hook uuid.UUID) uuid.UUID {
	now := time.Now().UTC()
	d := webhooks.Delivery{ID: uuid.Must(uuid.NewV7()), WebhookID: hook, MessageID: "msg_" + uuid.NewString(), EventType: "item.issued",
		Trigger: webhooks.TriggerEvent, Payload: `{"type":"item.issued"}`, State: webhooks.StateSucceeded, Attempts: 1, CreatedAt: now,
		ResponseStatus: 200, DeliveredAt: &now}
	f.must(f.env.DB.Gorm().Create(&d).Error, "webhook delivery")
	return d.ID
}
