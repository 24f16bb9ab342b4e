package webhooks_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/webhooks"
)

// The example of the Standard Webhooks specification's reference libraries.
func TestSignMatchesTheStandardWebhooksExample(t *testing.T) {
	t.Parallel()
	got, err := webhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
		time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

func TestBackoffDoublesUpToThreeHours(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 5: 8 * time.Minute, 9: 128 * time.Minute, 10: 3 * time.Hour, 40: 3 * time.Hour} {
		if got := webhooks.Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

// An event of a subscribed type reaches the receiver once, signed, with the
// event in the body; the secret is shown at creation only; the log shows it.
func TestWebhookDeliversSignedEvents(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		item := k.w.ItemInProgress("落实安全生产检查", 30)
		k.drain()
		h := k.subscribe(r, "urge.sent")
		var again hook
		k.do("admin1", "GET", "/webhooks/"+h.ID.String(), nil).Expect(200).JSON(&again)
		if again.Secret != nil || strings.Contains(string(k.do("admin1", "GET", "/webhooks", nil).Expect(200).Body), "whsec_") {
			t.Fatal("the secret is shown after creation")
		}
		k.urge(item, "请抓紧办理")
		k.do("sup", "POST", "/items/"+item.String()+"/comments", map[string]any{"body": "不订阅的事件", "kind": "comment"})
		k.drain()
		got := r.requests()
		if len(got) != 1 {
			t.Fatalf("the receiver got %d requests, want 1: %+v", len(got), got)
		}
		m := got[0]
		if !m.Valid || m.Type != "urge.sent" || !strings.HasPrefix(m.ID, "msg_") {
			t.Fatalf("bad delivery: %+v %s", m, m.Body)
		}
		if it, _ := m.Data["item"].(map[string]any); it == nil || it["id"] != item.String() {
			t.Errorf("the body lacks the item: %s", m.Body)
		}
		// The object as GET /items/{id} returns it, without a caller's actions.
		if o := m.Object; o == nil || o["id"] != item.String() || o["title"] != "落实安全生产检查" || o["state"] != "in_progress" {
			t.Errorf("the body lacks the item as the API returns it: %s", m.Body)
		} else if acts, _ := o["allowed_actions"].([]any); len(acts) != 0 {
			t.Errorf("the object carries allowed_actions %v", acts)
		}
		ts, _ := time.Parse(time.RFC3339, "2000-01-01T00:00:00Z")
		if m.Timestamp == "" || m.Timestamp < "1" || ts.IsZero() {
			t.Errorf("no timestamp: %q", m.Timestamp)
		}
		log := k.log(h)
		if len(log) != 1 || log[0].State != "succeeded" || log[0].Status != 200 || log[0].Attempts != 1 || log[0].MessageID != m.ID ||
			!strings.Contains(log[0].Excerpt, "ok") || log[0].Trigger != "event" {
			t.Errorf("delivery log: %+v", log)
		}
		// Redelivery: a new entry, the same webhook-id and body.
		var re struct {
			ID        uuid.UUID `json:"id"`
			MessageID string    `json:"message_id"`
		}
		k.do("admin1", "POST", "/webhooks/"+h.ID.String()+"/deliveries/"+log[0].ID.String()+"/redeliver", nil).Expect(202).JSON(&re)
		k.drain()
		got = r.requests()
		if len(got) != 2 || got[1].ID != m.ID || string(got[1].Body) != string(m.Body) || !got[1].Valid {
			t.Fatalf("redelivery: %+v", got)
		}
		// Ping: sent at once, signed, logged.
		var ping delivery
		k.do("admin1", "POST", "/webhooks/"+h.ID.String()+"/ping", nil).Expect(200).JSON(&ping)
		got = r.requests()
		if ping.State != "succeeded" || ping.Status != 200 || len(got) != 3 || got[2].Type != "webhook.ping" || !got[2].Valid {
			t.Fatalf("ping: %+v, received %+v", ping, got)
		}
		if n := len(k.log(h)); n != 3 {
			t.Errorf("the log has %d entries, want 3", n)
		}
		// The log keeps 30 days: what was logged before is gone 31 days later
		// (the automatic urges of those days, sent meanwhile, are logged anew).
		before := map[uuid.UUID]bool{}
		for _, d := range k.log(h) {
			before[d.ID] = true
		}
		k.env.Clock.Advance(31 * 24 * time.Hour)
		k.drain()
		k.tok = map[string]string{}
		for _, d := range k.log(h) {
			if before[d.ID] {
				t.Errorf("delivery %s (%s) is still in the log after 31 days", d.ID, d.EventType)
			}
		}
	})
}

// A receiver down for an hour gets every message once it is back: retries keep
// their webhook-id, and each message succeeds exactly once.
func TestWebhookReceiverDownForAnHourGetsEverything(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		item := k.w.ItemInProgress("整改隐患", 30)
		k.drain()
		h := k.subscribe(r, "urge.*")
		r.set(http.StatusServiceUnavailable)
		k.urge(item, "第一次催办")
		k.drain()
		k.pass(20*time.Minute, 5*time.Minute)
		k.urge(item, "第二次催办")
		k.pass(40*time.Minute, 5*time.Minute)
		failed := len(r.requests())
		if failed < 6 {
			t.Fatalf("only %d attempts in the hour down", failed)
		}
		r.set(http.StatusOK)
		k.pass(3*time.Hour, 10*time.Minute)
		byID := map[string][]int{}
		for _, m := range r.requests() {
			if !m.Valid {
				t.Fatalf("an attempt with a bad signature: %+v", m)
			}
			byID[m.ID] = append(byID[m.ID], m.Answered)
		}
		if len(byID) != 2 {
			t.Fatalf("%d distinct webhook-ids, want 2 (retries must keep theirs): %v", len(byID), byID)
		}
		for id, answers := range byID {
			ok := 0
			for _, a := range answers {
				if a == 200 {
					ok++
				}
			}
			if ok != 1 || answers[len(answers)-1] != 200 || len(answers) < 3 {
				t.Errorf("message %s: answers %v, want failures then exactly one success", id, answers)
			}
		}
		for _, d := range k.log(h) {
			if d.State != "succeeded" || d.Attempts < 3 {
				t.Errorf("delivery after the outage: %+v", d)
			}
		}
		var now hook
		k.do("admin1", "GET", "/webhooks/"+h.ID.String(), nil).Expect(200).JSON(&now)
		if !now.Enabled || now.FailingSince != nil {
			t.Errorf("after recovery the subscription is %+v", now)
		}
	})
}

// A target that fails for 24 hours on end is disabled and the administrators
// are notified; its deliveries end failed.
func TestWebhookDisabledAfterContinuousFailureNotifiesAdmins(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		item := k.w.ItemInProgress("清理欠款", 60)
		k.drain()
		h := k.subscribe(r, "urge.sent")
		r.set(http.StatusInternalServerError)
		k.urge(item, "请尽快办理")
		k.drain()
		k.pass(26*time.Hour, time.Hour)
		var now hook
		k.do("admin1", "GET", "/webhooks/"+h.ID.String(), nil).Expect(200).JSON(&now)
		if now.Enabled || now.DisabledAt == nil || !strings.Contains(now.Reason, "HTTP 500") {
			t.Fatalf("the subscription was not disabled: %+v", now)
		}
		for _, d := range k.log(h) {
			if d.State != "failed" || d.Status != 500 {
				t.Errorf("delivery: %+v", d)
			}
		}
		var inbox struct {
			Data []struct {
				Kind     string    `json:"kind"`
				ObjectID uuid.UUID `json:"object_id"`
			} `json:"data"`
		}
		k.do("admin1", "GET", "/notifications", nil).Expect(200).JSON(&inbox)
		told := 0
		for _, n := range inbox.Data {
			if n.Kind == "webhook_disabled" && n.ObjectID == h.ID {
				told++
			}
		}
		if told != 1 {
			t.Errorf("admin1 was told %d times of the disabled webhook: %+v", told, inbox.Data)
		}
		// Disabled: new events are not delivered, redelivery is refused.
		before := len(r.requests())
		k.urge(item, "再次催办")
		k.drain()
		if len(r.requests()) != before {
			t.Error("a disabled subscription was sent to")
		}
		k.do("admin1", "POST", "/webhooks/"+h.ID.String()+"/deliveries/"+k.log(h)[0].ID.String()+"/redeliver", nil).
			Problem(409, "webhook_disabled")
		// Enabled again, it receives again.
		r.set(http.StatusOK)
		k.do("admin1", "PATCH", "/webhooks/"+h.ID.String(), map[string]any{"enabled": true}).Expect(200)
		k.urge(item, "第三次催办")
		k.drain()
		if got := r.requests(); len(got) != before+1 || got[len(got)-1].Answered != 200 {
			t.Errorf("after enabling: %d requests", len(got)-before)
		}
	})
}

// A change that rolls back emits no event: nothing is delivered.
func TestWebhookRolledBackChangeSendsNothing(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		k.drain()
		h := k.subscribe(r, "*")
		svc := k.env.App.Items
		sup := k.env.Principal(k.w.Sup)
		lead := k.w.DeptB
		in := items.ItemInput{Title: "回滚的事项", Content: "不应发出", Requirements: "无", Category: items.CategoryImportantMatter,
			Source: "board", Method: "tracking", Urgency: "normal", FeedbackCadence: "none", LeadUnitID: &lead, SupervisingLeaderID: &k.w.Leader, Deadline: svc.Today().AddDays(10)}
		boom := errors.New("roll back")
		err := k.env.DB.InTx(context.Background(), func(ctx context.Context) error {
			v, err := svc.Create(ctx, sup, in)
			if err != nil {
				return err
			}
			if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("transaction: %v", err)
		}
		k.pass(time.Hour, 30*time.Minute)
		if got := r.requests(); len(got) != 0 || len(k.log(h)) != 0 {
			t.Fatalf("a rolled-back change was delivered: %+v", got)
		}
		// The same change committed is delivered.
		if _, err := svc.Create(context.Background(), sup, in); err != nil {
			t.Fatal(err)
		}
		k.drain()
		if got := r.requests(); len(got) == 0 {
			t.Fatal("a committed change was not delivered")
		}
	})
}
