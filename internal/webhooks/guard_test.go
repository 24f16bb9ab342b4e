package webhooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/webhooks"
)

// Without DUBAN_OUTBOUND_ALLOW, targets on internal addresses are refused when
// saved, and a target that turns internal later (DNS rebinding, a row written
// behind the API's back) is refused at connection time: nothing reaches it.
func TestWebhookRefusesInternalTargets(t *testing.T) {
	t.Parallel()
	eachKit(t, false, func(t *testing.T, k *kit) {
		for _, u := range []string{"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.1.10/hook",
			"http://172.16.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook", "http://[fd00::1]/hook",
			"http://0.0.0.0/hook", "http://100.64.0.1/hook", "http://[::ffff:127.0.0.1]/hook", "ftp://203.0.113.5/x", "https://user:pw@203.0.113.5/"} {
			r := k.do("admin1", "POST", "/webhooks", map[string]any{"url": u, "event_types": []string{"item.issued"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"url"`) {
				t.Errorf("%s: %d %s, want 422 on url", u, r.Status, r.Body)
			}
		}
		var h hook
		k.do("admin1", "POST", "/webhooks", map[string]any{"url": "https://203.0.113.5/hook", "event_types": []string{"item.issued"}}).
			Expect(201).JSON(&h)
		k.do("admin1", "PATCH", "/webhooks/"+h.ID.String(), map[string]any{"url": "http://127.0.0.1/x"}).Expect(422)
		k.do("admin1", "POST", "/webhooks", map[string]any{"url": "https://203.0.113.5/hook", "event_types": []string{"auth.login_succeeded"}}).Expect(422)
		k.do("admin1", "POST", "/webhooks", map[string]any{"url": "https://203.0.113.5/hook", "event_types": []string{"no.such_event"}}).Expect(422)

		// A receiver on loopback, put in as if its name had been re-pointed.
		r := newReceiver(t)
		now := k.env.Clock.Now()
		bad := webhooks.Webhook{ID: uuid.Must(uuid.NewV7()), URL: r.srv.URL + "/rebound", EventTypes: `["urge.sent"]`,
			Secret: webhooks.NewSecret(), Enabled: true, CreatedBy: k.w.Admin, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := k.env.DB.Gorm().Create(&bad).Error; err != nil {
			t.Fatal(err)
		}
		item := k.w.ItemInProgress("内网目标", 20)
		k.urge(item, "请办理")
		k.drain()
		var ping delivery
		k.do("admin1", "POST", "/webhooks/"+bad.ID.String()+"/ping", nil).Expect(200).JSON(&ping)
		if len(r.requests()) != 0 {
			t.Fatalf("an internal address was called: %+v", r.requests())
		}
		if ping.State != "failed" || !strings.Contains(ping.Error, "internal address refused") {
			t.Errorf("ping of an internal target: %+v", ping)
		}
		log := k.log(hook{ID: bad.ID})
		if len(log) != 2 || !strings.Contains(log[1].Error, "internal address refused") {
			t.Errorf("delivery to an internal target: %+v", log)
		}
	})
}

// Only administrators see or change webhooks; read-only tokens only read.
func TestWebhooksAreForAdministrators(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		r := newReceiver(t)
		h := k.subscribe(r, "item.issued")
		base := "/webhooks/" + h.ID.String()
		for _, u := range []string{"sup", "leader", "headb", "memberb", "auditor"} {
			k.do(u, "GET", "/webhooks", nil).Expect(403)
			k.do(u, "GET", base, nil).Expect(403)
			k.do(u, "POST", "/webhooks", map[string]any{"url": r.srv.URL, "event_types": []string{"*"}}).Expect(403)
			k.do(u, "PATCH", base, map[string]any{"enabled": false}).Expect(403)
			k.do(u, "POST", base+"/ping", nil).Expect(403)
			k.do(u, "GET", base+"/deliveries", nil).Expect(403)
			k.do(u, "DELETE", base, nil).Expect(403)
		}
		if n := len(r.requests()); n != 0 {
			t.Fatalf("%d requests from non-admins", n)
		}
		k.do("admin1", "GET", "/webhooks/"+uuid.NewString(), nil).Expect(404)
		k.do("admin1", "DELETE", base, nil).Expect(204)
		k.do("admin1", "GET", base, nil).Expect(404)
	})
}
