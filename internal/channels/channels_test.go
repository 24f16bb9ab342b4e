package channels_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/channels"
)

// The published examples: DingTalk's and Feishu's signatures are HMAC-SHA256,
// DingTalk keyed by the secret over "timestamp\nsecret", Feishu keyed by
// "timestamp\nsecret" over nothing.
func TestRobotSignatures(t *testing.T) {
	t.Parallel()
	if got, want := channels.DingTalkSign("SECabc", 1700000000000), hmacB64("SECabc", "1700000000000\nSECabc"); got != want {
		t.Errorf("DingTalk sign %s, want %s", got, want)
	}
	if got, want := channels.FeishuSign("s3cret", 1700000000), hmacB64("1700000000\ns3cret", ""); got != want {
		t.Errorf("Feishu sign %s, want %s", got, want)
	}
}

// Robots of a unit get what the unit's people are told, a scope's robot what
// the scope's people are told, each once, in the platform's format and
// signature; a platform error is retried; secrets and keys are never shown.
func TestRobotsGetTheirUnitsNotifications(t *testing.T) {
	t.Parallel()
	eachKit(t, true, func(t *testing.T, k *kit) {
		item := k.w.ItemInProgress("落实节能降耗措施", 30)
		k.drain()
		var scopes []uuid.UUID
		if err := k.env.DB.Gorm().Table("org_units").Where("id = ?", k.w.DeptB).Pluck("scope_id", &scopes).Error; err != nil || len(scopes) != 1 {
			t.Fatal(err)
		}
		scope := scopes[0]
		wecom := newRobot(t, "wecom", "")
		ding := newRobot(t, "dingtalk", "SEC"+strings.ReplaceAll(uuid.NewString(), "-", ""))
		feishu := newRobot(t, "feishu", "fs-"+uuid.NewString())
		add := func(body map[string]any) map[string]any {
			r := k.do("admin1", "POST", "/notification-channels", body).Expect(http.StatusCreated)
			for _, secret := range []string{wecom.key, ding.key, ding.secret, feishu.key, feishu.secret} {
				if strings.Contains(string(r.Body), secret) {
					t.Fatalf("a key or secret is shown: %s", r.Body)
				}
			}
			return r.Map()
		}
		add(map[string]any{"name": "安全生产部群", "platform": "wecom", "url": wecom.url(), "unit_id": k.w.DeptB, "msg_type": "markdown"})
		d := add(map[string]any{"name": "财务部群", "platform": "dingtalk", "url": ding.url(), "secret": ding.secret, "unit_id": k.w.DeptC, "msg_type": "text"})
		f := add(map[string]any{"name": "集团督办群", "platform": "feishu", "url": feishu.url(), "secret": feishu.secret, "scope_id": scope, "kinds": []string{"urge"}})
		if d["has_secret"] != true || d["target"] != ding.srv.URL || f["scope_id"] != scope.String() {
			t.Fatalf("robot as read: %v %v", d, f)
		}
		list := string(k.do("admin1", "GET", "/notification-channels", nil).Expect(200).Body)
		if strings.Contains(list, ding.secret) || strings.Contains(list, wecom.key) || strings.Contains(list, feishu.key) {
			t.Fatalf("the list shows a key or secret: %s", list)
		}

		// An urge to B: B's robot and the scope's; not C's.
		k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]string{"message": "请抓紧整改"}).Expect(201)
		k.drain()
		if got := wecom.texts(); len(got) != 1 || !strings.Contains(got[0], "催办") || !strings.Contains(got[0], "https://duban.example.com/items/"+item.String()) {
			t.Errorf("WeCom robot of B got %v", got)
		}
		if got := ding.texts(); len(got) != 0 {
			t.Errorf("DingTalk robot of C got %v", got)
		}
		if got := feishu.texts(); len(got) != 1 || !strings.Contains(got[0], "请抓紧整改") {
			t.Errorf("Feishu robot of the scope got %v", got)
		}

		// An urge to C, with DingTalk refusing the first try: retried, sent once.
		ding.mu.Lock()
		ding.failNext = 1
		ding.mu.Unlock()
		k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]any{"message": "请配合提供数据", "unit_id": k.w.DeptC}).Expect(201)
		k.drain()
		var chans struct {
			Data []struct {
				Name      string `json:"name"`
				LastError string `json:"last_error"`
			} `json:"data"`
		}
		k.do("admin1", "GET", "/notification-channels", nil).Expect(200).JSON(&chans)
		seen := false
		for _, c := range chans.Data {
			if c.Name == "财务部群" && strings.Contains(c.LastError, "130101") {
				seen = true
			}
		}
		if !seen || ding.failed != 1 {
			t.Fatalf("the platform's refusal is not shown: %+v", chans.Data)
		}
		k.env.Clock.Advance(5 * time.Minute)
		k.drain()
		if got := ding.texts(); len(got) != 1 || !strings.Contains(got[0], "请配合提供数据") {
			t.Errorf("DingTalk robot of C got %v", got)
		}
		if got := wecom.texts(); len(got) != 1 {
			t.Errorf("WeCom robot of B got %d messages, want still 1", len(got))
		}
		if got := feishu.texts(); len(got) != 2 {
			t.Errorf("Feishu robot of the scope got %d messages, want 2", len(got))
		}

		// Disabled: nothing more.
		k.do("admin1", "PATCH", "/notification-channels/"+f["id"].(string), map[string]any{"enabled": false}).Expect(200)
		k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]string{"message": "第三次"}).Expect(201)
		k.drain()
		if got := feishu.texts(); len(got) != 2 {
			t.Errorf("a disabled robot got a message: %d", len(got))
		}
	})
}

// Robots are administrators' alone; internal targets are refused without the
// allow-list.
func TestRobotsAdminsOnlyAndNoInternalTargets(t *testing.T) {
	t.Parallel()
	eachKit(t, false, func(t *testing.T, k *kit) {
		body := map[string]any{"name": "群", "platform": "wecom", "url": "https://203.0.113.7/cgi-bin/webhook/send?key=abc", "unit_id": k.w.DeptB}
		for _, u := range []string{"sup", "leader", "headb", "auditor"} {
			k.do(u, "GET", "/notification-channels", nil).Expect(403)
			k.do(u, "POST", "/notification-channels", body).Expect(403)
		}
		id := k.do("admin1", "POST", "/notification-channels", body).Expect(201).Map()["id"].(string)
		for _, u := range []string{"http://127.0.0.1:9/x", "http://10.0.0.8/robot/send", "http://localhost/x"} {
			k.do("admin1", "POST", "/notification-channels", map[string]any{"name": "内网", "platform": "dingtalk", "url": u, "unit_id": k.w.DeptB}).Expect(422)
			k.do("admin1", "PATCH", "/notification-channels/"+id, map[string]any{"url": u}).Expect(422)
		}
		k.do("admin1", "POST", "/notification-channels", map[string]any{"name": "两者", "platform": "wecom", "url": body["url"],
			"unit_id": k.w.DeptB, "scope_id": k.w.Group}).Expect(422)
		k.do("admin1", "POST", "/notification-channels", map[string]any{"name": "非范围", "platform": "wecom", "url": body["url"],
			"scope_id": k.w.DeptB}).Expect(422)
		k.do("sup", "DELETE", "/notification-channels/"+id, nil).Expect(403)
		k.do("admin1", "DELETE", "/notification-channels/"+id, nil).Expect(204)
		k.do("admin1", "DELETE", "/notification-channels/"+id, nil).Expect(404)
	})
}
