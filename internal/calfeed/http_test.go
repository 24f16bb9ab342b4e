package calfeed_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/duban/duban/internal/apitest"
)

// unfold checks the physical lines of an iCalendar document (CRLF, at most 75
// octets, UTF-8 never split) and returns its content lines.
func unfold(t *testing.T, b []byte) []string {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("the document does not end with CRLF")
	}
	phys := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	var out []string
	for _, l := range phys {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) || strings.Contains(l, "\n") {
			t.Errorf("broken line %q", l)
		}
		if strings.HasPrefix(l, " ") {
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

func has(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// TestCalendarFeed: the deadlines and milestones of my items, valid iCalendar
// (folding, escaping, the time zone), the same bytes on every fetch; a new token
// revokes the old; only my items.
func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		title := "落实年度安全生产工作会议部署，加强隐患排查; 完善应急预案\\并开展演练（全集团范围，含所属企业及其下属单位）"
		item := w.ItemInProgress(title, 30)
		due := env.App.Items.Today().AddDays(10)
		sup := env.As(env.Login("sup"))
		sup.Do("POST", "/api/v1/items/"+item.String()+"/milestones", map[string]any{"title": "完成隐患排查, 形成台账", "due_date": due.String()}).Expect(201)
		headb := env.As(env.Login("headb"))
		var tok struct {
			Token string `json:"token"`
			URL   string `json:"url"`
		}
		headb.Do("POST", "/api/v1/me/calendar-token", nil).Expect(201).JSON(&tok)
		if !strings.HasPrefix(tok.Token, "dcal_") || !strings.HasSuffix(tok.URL, "/api/v1/me/calendar.ics?token="+tok.Token) {
			t.Fatalf("token %+v", tok)
		}
		feed := func(token string) *apitest.Response {
			return env.As("").Do("GET", "/api/v1/me/calendar.ics?token="+token, nil)
		}
		r := feed(tok.Token).Expect(200)
		if ct := r.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		lines := unfold(t, r.Body)
		deadline := strings.ReplaceAll(env.App.Items.Today().AddDays(30).String(), "-", "")
		for _, want := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-TIMEZONE:Asia/Shanghai", "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai",
			"TZOFFSETTO:+0800", "UID:item-" + item.String() + "-deadline@duban", "DTSTART;VALUE=DATE:" + deadline,
			"DTSTART;VALUE=DATE:" + strings.ReplaceAll(due.String(), "-", ""), "TRIGGER:-PT15H", "END:VCALENDAR"} {
			if !has(lines, want) {
				t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
			}
		}
		var milestone, events int
		summary := " " + strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`).Replace(title)
		for _, l := range lines {
			if strings.HasPrefix(l, "SUMMARY:【办结时限】DB-") && !strings.HasSuffix(l, summary) {
				t.Errorf("deadline summary %q", l)
			}
			if strings.HasPrefix(l, "UID:milestone-") {
				milestone++
			}
			if l == "BEGIN:VEVENT" {
				events++
			}
			if strings.HasPrefix(l, "SUMMARY:【节点】") && !strings.HasPrefix(l, `SUMMARY:【节点】完成隐患排查\, 形成台账`) {
				t.Errorf("milestone summary %q", l)
			}
		}
		if milestone != 1 || events != 2 {
			t.Errorf("%d milestones, %d events", milestone, events)
		}
		if again := feed(tok.Token).Expect(200); !bytes.Equal(again.Body, r.Body) {
			t.Error("a second fetch differs (UIDs and stamps must be stable)")
		}
		// Another user's feed does not hold the item.
		var other struct {
			Token string `json:"token"`
		}
		env.As(env.Login("stranger")).Do("POST", "/api/v1/me/calendar-token", nil).Expect(201).JSON(&other)
		if b := feed(other.Token).Expect(200).Body; bytes.Contains(b, []byte(item.String())) {
			t.Error("the stranger's feed lists the item")
		}
		// A new token revokes the old; DELETE revokes the new; a made-up one fails.
		var next struct {
			Token string `json:"token"`
		}
		headb.Do("POST", "/api/v1/me/calendar-token", nil).Expect(201).JSON(&next)
		feed(tok.Token).Problem(401, "unauthorized")
		feed(next.Token).Expect(200)
		if st := headb.Do("GET", "/api/v1/me/calendar-token", nil).Expect(200).Map(); st["active"] != true || st["last_used_at"] == nil {
			t.Errorf("status %v", st)
		}
		headb.Do("DELETE", "/api/v1/me/calendar-token", nil).Expect(204)
		feed(next.Token).Problem(401, "unauthorized")
		feed("").Problem(401, "unauthorized")
		if st := headb.Do("GET", "/api/v1/me/calendar-token", nil).Expect(200).Map(); st["active"] != false {
			t.Errorf("status after revoke %v", st)
		}
	})
}
