package notifications_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sse is one server-sent event.
type sse struct {
	id, event, data string
	comment         bool
}

// openStream connects to the stream as the token's user and returns its events.
func openStream(t *testing.T, url, token, lastID string) (<-chan sse, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/api/v1/notifications/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sse, 100)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var cur sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur != (sse{}) {
					out <- cur
				}
				cur = sse{}
			case strings.HasPrefix(line, ":"):
				cur.comment = true
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				cur.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			}
		}
	}()
	return out, cancel
}

// next waits for the next event that is not a heartbeat or a retry hint.
func next(t *testing.T, ch <-chan sse, what string) sse {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("%s: the stream ended", what)
			}
			if e.comment || e.event == "" {
				continue
			}
			return e
		case <-timeout:
			t.Fatalf("%s: no event in 10 s", what)
		}
	}
}

// TestStream: the unread count at once, each notification as it commits, the
// count as it changes (also on reading), heartbeats, and a resume with
// Last-Event-ID that replays what was missed.
func TestStream(t *testing.T) {
	t.Parallel()
	eachKit(t, func(t *testing.T, k *kit) {
		k.env.App.Notifications.Heartbeat = 50 * time.Millisecond
		_, urge := k.urgeItem("整改电梯维保问题")
		token := k.env.Login("headb")
		ch, stop := openStream(t, k.env.URL, token, "")
		if e := next(t, ch, "first"); e.event != "unread" || e.data != `{"count":1}` {
			t.Fatalf("first event: %+v", e)
		}
		urge("请本周完成维保")
		k.drain()
		e := next(t, ch, "notification")
		var n note
		decode(t, []byte(e.data), &n)
		if e.event != "notification" || e.id != strconv.FormatInt(n.Seq, 10) || n.EventKind != "urge.sent" || n.Title.Zh != "催办：整改电梯维保问题" {
			t.Fatalf("notification event: %+v", e)
		}
		if e := next(t, ch, "count"); e.event != "unread" || e.data != `{"count":2}` {
			t.Fatalf("count: %+v", e)
		}
		k.env.As(token).Do("POST", "/api/v1/notifications/read-all", nil).Expect(200)
		if e := next(t, ch, "read"); e.event != "unread" || e.data != `{"count":0}` {
			t.Fatalf("after read-all: %+v", e)
		}
		beat := false
		for !beat {
			select {
			case e := <-ch:
				beat = e.comment
			case <-time.After(5 * time.Second):
				t.Fatal("no heartbeat")
			}
		}
		stop()
		// Two urges while disconnected, replayed on resume in order.
		urge("第二次催办")
		urge("第三次催办")
		k.drain()
		ch, stop = openStream(t, k.env.URL, token, e.id)
		defer stop()
		for _, want := range []string{"第二次催办", "第三次催办"} {
			e := next(t, ch, want)
			if e.event != "notification" || !strings.Contains(e.data, want) {
				t.Fatalf("replay %s: %+v", want, e)
			}
		}
		if e := next(t, ch, "count"); e.event != "unread" || e.data != `{"count":2}` {
			t.Fatalf("count after replay: %+v", e)
		}
		k.env.As(token).Do("GET", "/api/v1/notifications/stream", nil, "Last-Event-ID", "abc").Expect(400)
		k.env.As(token).Do("GET", "/api/v1/notifications/stream?timeout=-1", nil).Problem(422, "validation_failed")
		// timeout=0: what is waiting, then the end.
		r := k.env.As(token).Do("GET", "/api/v1/notifications/stream?timeout=0", nil, "Last-Event-ID", "0")
		if body := string(r.Expect(200).Body); strings.Count(body, "event: notification") != 4 || !strings.Contains(body, "retry: 3000") {
			t.Fatalf("timeout=0: %s", body)
		}
	})
}
