package webhooks_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/webhooks"
)

// The subscriber is handed an event again after a failed dispatch: it writes
// the delivery and its job once, whatever the number of hand-overs.
func TestWebhookSubscriberIsIdempotent(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		h := k.subscribe(r, "urge.sent")
		k.subscribe(newReceiver(t), "item.*") // wants other events
		db := k.env.DB
		svc := webhooks.New(webhooks.Options{DB: db, Clock: k.env.Clock, Queue: jobs.NewQueue(db, k.env.Clock),
			Outbox: events.NewOutbox(db, k.env.Clock), Guard: outbound.New(nil, 0)})
		payload, _ := json.Marshal(map[string]any{"urge": map[string]string{"message": "再次投递"}})
		env := events.Envelope{ID: uuid.Must(uuid.NewV7()), Kind: "urge.sent", At: k.env.Clock.Now(), Payload: payload}
		for range 3 {
			if err := db.InTx(context.Background(), func(ctx context.Context) error { return svc.Handle(ctx, env) }); err != nil {
				t.Fatal(err)
			}
		}
		var deliveries, queued int64
		db.Gorm().Model(&webhooks.Delivery{}).Where("event_id = ?", env.ID).Count(&deliveries)
		db.Gorm().Model(&jobs.Job{}).Where("kind = ?", webhooks.JobDeliver).Count(&queued)
		if deliveries != 1 || queued != 1 {
			t.Fatalf("%d deliveries and %d jobs after three hand-overs, want 1 and 1", deliveries, queued)
		}
		k.drain()
		if got := r.requests(); len(got) != 1 || got[0].ID != "msg_"+env.ID.String() || !got[0].Valid {
			t.Fatalf("the receiver got %+v", got)
		}
		if log := k.log(h); len(log) != 1 || log[0].State != "succeeded" {
			t.Fatalf("log %+v", log)
		}
	})
}
