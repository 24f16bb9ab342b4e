package notifications_test

import (
	"strings"
	"testing"
	"time"
)

// TestEmailInBothLanguages: each recipient's e-mail is in their language, to
// their address, with the link to the object.
func TestEmailInBothLanguages(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		k.do("headb", "PUT", "/me/notification-settings", map[string]any{"language": "en"}).Expect(200)
		item, urge := k.urgeItem("整改消防通道占用问题")
		before := len(k.smtp.Messages())
		urge("请于本周内完成整改")
		k.drain()
		msgs := k.smtp.Wait(t, before+2, 10*time.Second)[before:]
		link := "https://duban.example.com/items/" + item.String() + "?tab=urges"
		byTo := map[string]int{}
		for _, m := range msgs {
			if len(m.To) != 1 {
				t.Fatalf("one recipient per message: %v", m.To)
			}
			byTo[m.To[0]]++
			switch m.To[0] {
			case "headb@example.com":
				if m.Subject != "Urge: 整改消防通道占用问题" || !contains(m.Text, "The supervision office urged your unit", "请于本周内完成整改",
					"Open: "+link, "please do not reply") || m.Header.Get("Content-Language") != "en" || !strings.Contains(m.HTML, link) {
					t.Errorf("English e-mail: %q\n%s", m.Subject, m.Text)
				}
			case "liaisonb@example.com":
				if m.Subject != "催办：整改消防通道占用问题" || !contains(m.Text, "督办处对督办事项「整改消防通道占用问题」", "请于本周内完成整改",
					"打开："+link, "请勿回复") || m.Header.Get("Content-Language") != "zh-CN" {
					t.Errorf("Chinese e-mail: %q\n%s", m.Subject, m.Text)
				}
			default:
				t.Errorf("e-mail to %v", m.To)
			}
			if m.From != "duban@example.com" || !strings.Contains(m.Header.Get("From"), "duban@example.com") {
				t.Errorf("from %q / %q", m.From, m.Header.Get("From"))
			}
		}
		if byTo["headb@example.com"] != 1 || byTo["liaisonb@example.com"] != 1 {
			t.Errorf("recipients %v", byTo)
		}
	})
}

// TestDigestAndQuietHours: with the fake clock, a digest goes out once at the
// user's digest time with everything that waited, after their quiet hours; a
// single e-mail that falls due in the quiet hours waits for their end.
func TestDigestAndQuietHours(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		k.env.Clock.Set(k.at(0, 10, 0))
		k.relogin()
		// headb: a digest at 08:30, quiet 08:00–09:00 (so the digest waits until
		// 09:00); liaisonb: one e-mail each, quiet 22:00–07:00.
		k.do("headb", "PUT", "/me/notification-settings", map[string]any{"digest": true, "digest_time": "08:30",
			"quiet_hours": map[string]any{"enabled": true, "start": "08:00", "end": "09:00"}}).Expect(200)
		k.do("liaisonb", "PUT", "/me/notification-settings", map[string]any{
			"quiet_hours": map[string]any{"enabled": true, "start": "22:00", "end": "07:00"}}).Expect(200)
		mails := func(u string) int { return len(k.smtp.To(u + "@example.com")) }
		_, urge := k.urgeItem("整改食堂卫生问题") // issued at 10:00
		if mails("headb") != 0 || mails("liaisonb") != 1 {
			t.Fatalf("at 10:00: headb %d, liaisonb %d e-mails", mails("headb"), mails("liaisonb"))
		}
		k.env.Clock.Set(k.at(0, 23, 0))
		k.relogin()
		urge("请明日上班后立即整改")
		k.drain()
		steps := []struct {
			days, hh, mm    int
			headb, liaisonb int
		}{
			{1, 6, 59, 0, 1}, // quiet for liaisonb; the digest not due
			{1, 7, 1, 0, 2},  // liaisonb's urge goes out when the quiet hours end
			{1, 8, 29, 0, 2}, // not yet the digest time
			{1, 8, 31, 0, 2}, // the digest time, but headb's quiet hours
			{1, 9, 1, 1, 2},  // the digest, once
			{2, 9, 1, 1, 2},  // and never again
		}
		start := k.at(0, 0, 0)
		for _, s := range steps {
			loc := k.env.App.Config.Location
			y, m, d := start.In(loc).Date()
			k.env.Clock.Set(time.Date(y, m, d+s.days, s.hh, s.mm, 0, 0, loc))
			k.drain()
			if mails("headb") != s.headb || mails("liaisonb") != s.liaisonb {
				t.Fatalf("day %d %02d:%02d: headb %d (want %d), liaisonb %d (want %d) e-mails",
					s.days, s.hh, s.mm, mails("headb"), s.headb, mails("liaisonb"), s.liaisonb)
			}
		}
		d := k.smtp.To("headb@example.com")[0]
		if d.Subject != "督办系统每日摘要：2 条通知" || !contains(d.Text, "■ 新督办事项：整改食堂卫生问题", "■ 催办：整改食堂卫生问题", "请明日上班后立即整改") {
			t.Errorf("digest: %q\n%s", d.Subject, d.Text)
		}
		u := k.smtp.To("liaisonb@example.com")[1]
		if !strings.HasPrefix(u.Subject, "催办：") {
			t.Errorf("liaisonb's second e-mail: %q", u.Subject)
		}
	})
}
