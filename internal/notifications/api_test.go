package notifications_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/notifications"
)

// urgeItem is an item in progress led by department B; urge sends the office's
// urge to B.
func (k *kit) urgeItem(title string) (uuid.UUID, func(msg string) uuid.UUID) {
	k.t.Helper()
	item := k.w.ItemInProgress(title, 30)
	k.drain()
	for _, u := range people {
		k.news(u)
	}
	return item, func(msg string) uuid.UUID {
		return idOf(k.t, k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]string{"message": msg}).Expect(201))
	}
}

// TestNotificationAPI: the list (paged, unread), reading one and all, the count,
// and that nobody reads another's.
func TestNotificationAPI(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		_, urge := k.urgeItem("整改消防通道占用问题")
		for i := range 3 {
			urge("第" + string(rune('一'+i)) + "次催办")
		}
		k.drain()
		p := k.inbox("headb", "?page_size=2")
		if p.Total < 4 || p.Unread != p.Total || len(p.Data) != 2 || p.Data[0].Seq < p.Data[1].Seq || p.Page != 1 || p.PageSize != 2 {
			t.Fatalf("first page: %+v", p)
		}
		total := p.Total
		first := p.Data[0]
		var cnt struct {
			Count int64 `json:"count"`
		}
		k.do("headb", "GET", "/notifications/unread-count", nil).Expect(200).JSON(&cnt)
		if cnt.Count != total {
			t.Fatalf("unread count %d, want %d", cnt.Count, total)
		}
		// Another user's notification is not found; reading twice is harmless.
		k.do("liaisonb", "POST", "/notifications/"+first.ID.String()+"/read", nil).Problem(404, "not_found")
		k.do("headb", "POST", "/notifications/"+uuid.NewString()+"/read", nil).Problem(404, "not_found")
		k.do("headb", "POST", "/notifications/not-a-uuid/read", nil).Problem(404, "not_found")
		var read note
		k.do("headb", "POST", "/notifications/"+first.ID.String()+"/read", nil).Expect(200).JSON(&read)
		if read.ReadAt == nil || read.ID != first.ID {
			t.Fatalf("read: %+v", read)
		}
		k.do("headb", "POST", "/notifications/"+first.ID.String()+"/read", nil).Expect(200)
		if u := k.inbox("headb", "?unread=true&page_size=100"); u.Total != total-1 || u.Unread != total-1 || len(u.Data) != int(total-1) {
			t.Fatalf("unread after one read: %+v", u)
		}
		k.do("headb", "GET", "/notifications?unread=maybe", nil).Problem(422, "validation_failed")
		k.do("headb", "GET", "/notifications?page_size=1000", nil).Problem(422, "validation_failed")
		var all struct {
			Marked int64 `json:"marked"`
		}
		k.do("headb", "POST", "/notifications/read-all", nil).Expect(200).JSON(&all)
		if all.Marked != total-1 {
			t.Fatalf("read-all marked %d, want %d", all.Marked, total-1)
		}
		k.do("headb", "GET", "/notifications/unread-count", nil).Expect(200).JSON(&cnt)
		if cnt.Count != 0 || k.inbox("liaisonb", "").Unread != total {
			t.Fatalf("after read-all: %d unread; liaison's untouched: %d", cnt.Count, k.inbox("liaisonb", "").Unread)
		}
	})
}

// TestSettings: defaults, changes, validation, If-Match; the channels decide
// what is listed and what is mailed.
func TestSettings(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		var s struct {
			Language string `json:"language"`
			Kinds    []struct {
				Kind  string `json:"kind"`
				InApp bool   `json:"in_app"`
				Email bool   `json:"email"`
			} `json:"kinds"`
			Digest         bool   `json:"digest"`
			DigestTime     string `json:"digest_time"`
			EmailAvailable bool   `json:"email_available"`
			EmailAddress   string `json:"email_address"`
			TimeZone       string `json:"time_zone"`
			Version        int    `json:"version"`
			QuietHours     struct {
				Enabled    bool
				Start, End string
			} `json:"quiet_hours"`
		}
		r := k.do("headb", "GET", "/me/notification-settings", nil).Expect(200)
		r.JSON(&s)
		if s.Language != "zh-CN" || len(s.Kinds) != len(notifications.Kinds) || !s.Kinds[0].InApp || !s.Kinds[0].Email || s.Digest || s.DigestTime != "08:00" ||
			!s.EmailAvailable || s.EmailAddress != "headb@example.com" || s.TimeZone != "Asia/Shanghai" || s.Version != 0 || s.QuietHours.Enabled {
			t.Fatalf("defaults: %+v", s)
		}
		if r.Header.Get("ETag") != `"0"` {
			t.Fatalf("ETag %q", r.Header.Get("ETag"))
		}
		bad := []map[string]any{
			{"language": "fr"}, {"digest_time": "25:00"}, {"kinds": []map[string]any{{"kind": "nonsense", "email": false}}},
			{"quiet_hours": map[string]any{"enabled": true, "start": "22:00", "end": "22:00"}},
			{"quiet_hours": map[string]any{"enabled": true, "start": "late", "end": "07:00"}},
		}
		for _, b := range bad {
			k.do("headb", "PUT", "/me/notification-settings", b).Problem(422, "validation_failed")
		}
		// The urge kind: in the app only for headb; e-mail only for liaisonb. Quiet
		// hours that do not cover the clock's time of day (the test runs at any hour).
		sh, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			t.Fatal(err)
		}
		now := k.env.Clock.Now().In(sh)
		quietStart, quietEnd := now.Add(2*time.Hour).Format("15:04"), now.Add(3*time.Hour).Format("15:04")
		k.as("headb").Do("PUT", "/api/v1/me/notification-settings", map[string]any{"kinds": []map[string]any{{"kind": "urge", "email": false}},
			"quiet_hours": map[string]any{"enabled": true, "start": quietStart, "end": quietEnd}}, "If-Match", `"0"`).Expect(200).JSON(&s)
		if s.Version != 1 || !s.QuietHours.Enabled || s.QuietHours.Start != quietStart || s.Kinds[4].Kind != "urge" || s.Kinds[4].Email || !s.Kinds[4].InApp {
			t.Fatalf("after change: %+v", s)
		}
		k.as("headb").Do("PUT", "/api/v1/me/notification-settings", map[string]any{"digest": true}, "If-Match", `"0"`).Problem(412, "precondition_failed")
		k.do("headb", "PUT", "/me/notification-settings", map[string]any{"digest": true, "version": 0}).Problem(412, "precondition_failed")
		k.do("liaisonb", "PUT", "/me/notification-settings", map[string]any{"kinds": []map[string]any{{"kind": "urge", "in_app": false}}}).Expect(200)
		k.do("headc", "PUT", "/me/notification-settings", map[string]any{"kinds": []map[string]any{{"kind": "urge", "in_app": false, "email": false}}}).Expect(200)

		item, urge := k.urgeItem("清理违规占用")
		urge("请立即清理")
		// headc is not urged (B is); to see that "nothing" is chosen, urge C too.
		k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]any{"message": "请配合", "unit_id": k.w.DeptC}).Expect(201)
		k.told("urges", map[string][]string{"headb": {"urge.sent"}, "headc": nil})
		if n := len(k.smtp.To("headb@example.com")); n != 1 { // the item_issued of urgeItem only
			t.Errorf("headb: %d e-mails", n)
		}
		var liaison []string
		for _, m := range k.smtp.To("liaisonb@example.com") {
			liaison = append(liaison, m.Subject)
		}
		if len(liaison) != 2 || !strings.HasPrefix(liaison[1], "催办：") {
			t.Errorf("liaisonb's e-mail: %q", liaison)
		}
		if n := len(k.smtp.To("headc@example.com")); n != 1 {
			t.Errorf("headc: %d e-mails", n)
		}
	})
}

// TestRolledBackChangeNotifiesNobody: events of a change that rolled back never
// reach the outbox; nothing is told.
func TestRolledBackChangeNotifiesNobody(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		ctx := context.Background()
		v, err := k.env.App.Items.Create(ctx, k.env.Principal(k.w.HeadB), items.ItemInput{
			Title: "回滚的事项", Content: "x", Requirements: "x", Category: items.CategoryImportantMatter, Source: "special_meeting",
			Method: "tracking", Urgency: "normal", FeedbackCadence: "monthly", LeadUnitID: &k.w.DeptB, SupervisingLeaderID: &k.w.Leader,
			Deadline: k.env.App.Items.Today().AddDays(10)})
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err = k.env.DB.InTx(ctx, func(ctx context.Context) error {
			if _, err := k.env.App.Items.Act(ctx, k.env.Principal(k.w.HeadB), v.ID, items.ActSubmit, "", nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		k.told("rolled back", nil)
		var n int64
		k.env.DB.Gorm().Table("notifications").Count(&n)
		if n != 0 || len(k.smtp.Messages()) != 0 {
			t.Fatalf("%d notifications, %d e-mails", n, len(k.smtp.Messages()))
		}
	})
}

// TestOncePerRecipientWhateverTheRetries: a dispatch that fails after the
// notifications were written rolls them back, and the retry writes them once;
// the subscriber handed the same event again adds nothing; an e-mail whose first
// attempt fails is sent once.
func TestOncePerRecipientWhateverTheRetries(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		failures := 1
		k.env.App.Bus.Subscribe("flaky", []events.Kind{events.KindUrgeSent}, func(ctx context.Context, env events.Envelope) error {
			if failures > 0 {
				failures--
				return errors.New("flaky subscriber")
			}
			return nil
		})
		_, urge := k.urgeItem("整改屋面渗漏")
		k.smtp.FailNext(1)
		urge("请尽快处理")
		k.drain() // the dispatch fails: nothing told yet
		var n int64
		k.env.DB.Gorm().Table("notifications").Where("event_kind = ?", "urge.sent").Count(&n)
		if n != 0 {
			t.Fatalf("%d notifications after a failed dispatch", n)
		}
		k.env.Clock.Advance(events.Backoff(1) + 1)
		k.relogin()
		k.told("retried", each("headb", "liaisonb")("urge.sent"))
		// Handing the event over again adds nothing.
		var rows []events.Row
		k.env.DB.Gorm().Where("kind = ?", "urge.sent").Find(&rows)
		for _, r := range rows {
			env := events.Envelope{ID: r.ID, Kind: events.Kind(r.Kind), At: r.At, ActorID: r.ActorID, ItemID: r.ItemID, ScopeID: r.ScopeID}
			ev, err := events.Decode(env.Kind, []byte(r.Payload))
			if err != nil {
				t.Fatal(err)
			}
			env.Event = ev
			if err := k.env.App.Notifications.Handle(context.Background(), env); err != nil {
				t.Fatal(err)
			}
		}
		k.told("handed again", nil)
		// One e-mail failed once (451) and was retried: each recipient has one.
		k.env.Clock.Advance(jobsBackoff)
		k.drain()
		for _, u := range []string{"headb", "liaisonb"} {
			var urges int
			for _, m := range k.smtp.To(u + "@example.com") {
				if strings.HasPrefix(m.Subject, "催办") {
					urges++
				}
			}
			if urges != 1 {
				t.Errorf("%s: %d urge e-mails", u, urges)
			}
		}
	})
}
