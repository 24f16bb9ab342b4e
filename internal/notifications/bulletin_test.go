package notifications_test

import (
	"strconv"
	"testing"
	"time"
)

// TestBulletinNotifiesTheScope: publishing a bulletin (通报) tells the heads and
// liaisons of the scope's units and its leaders, never the office that published
// it, once.
func TestBulletinNotifiesTheScope(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		month := k.env.App.Config.Clock.Now().In(k.env.App.Config.Location).Format("2006-01")
		var b struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		}
		k.do("sup", "POST", "/bulletins", map[string]any{"kind": "monthly", "period": month}).Expect(201).JSON(&b)
		k.told("draft", map[string][]string{})
		k.as("sup").Do("POST", "/api/v1/bulletins/"+b.ID+"/publish", nil, "If-Match", `"`+strconv.Itoa(b.Version)+`"`).Expect(200)
		got := k.told("publish", map[string][]string{
			"leader": {"bulletin.published"}, "leader2": {"bulletin.published"},
			"headb": {"bulletin.published"}, "liaisonb": {"bulletin.published"}, "headc": {"bulletin.published"},
		})
		if n := got["headb"][0]; n.Link != "/bulletins/"+b.ID || n.Kind != "bulletin_published" {
			t.Errorf("notification %+v", n)
		}
		k.env.Clock.Advance(time.Minute)
		k.told("nothing more", map[string][]string{})
	})
}
