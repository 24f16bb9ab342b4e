package main

import (
	"bufio"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/dbtest"
)

// TestNotificationStreamAcrossServers: two `duban serve` processes on one
// PostgreSQL, the second without background work (DUBAN_WORKERS=0). A user
// streams their notifications from the second; the supervision office urges
// their unit through the first, whose worker writes the notification: it
// reaches the stream through PostgreSQL's NOTIFY, and the unread count follows
// a read made on the first.
func TestNotificationStreamAcrossServers(t *testing.T) {
	t.Parallel()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"DUBAN_DATABASE_URL=" + dbtest.EmptyPostgresURL(t),
		"DUBAN_DATA_DIR=" + t.TempDir(),
		"DUBAN_HTTP_ADDR=127.0.0.1:0",
		"DUBAN_LOG_FORMAT=json",
		"DUBAN_LOG_LEVEL=warn",
		"DUBAN_JWT_SECRET=cluster-test-secret-cluster-test-secret-01",
		"DUBAN_JOB_POLL=1s",
	}
	a := launch(t, env, "serve")
	a.ready(t)
	b := launch(t, append(append([]string(nil), env...), "DUBAN_WORKERS=0"), "serve")
	b.ready(t)
	if p := launch(t, env, "seed", "--demo"); true {
		if err, done := p.wait(120 * time.Second); !done || err != nil {
			t.Fatalf("seed: %v\n%s", err, p.stderr)
		}
	}
	head := login(t, b, "guihua.head").AccessToken
	office := login(t, a, "duban").AccessToken
	var me struct {
		OrgUnitID string `json:"org_unit_id"`
	}
	call(t, b, "GET", "/me", head, nil).decode(t, &me)
	var items struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	call(t, a, "GET", "/items?state=in_progress&lead_unit_id="+me.OrgUnitID, office, nil).decode(t, &items)
	if len(items.Data) == 0 {
		t.Fatal("the demo has no item in progress led by 规划发展部")
	}
	item := items.Data[0].ID

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+b.addr+"/api/v1/notifications/stream", nil)
	req.Header.Set("Authorization", "Bearer "+head)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("stream on b: %d", resp.StatusCode)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// wait reads the stream until a data line containing want.
	wait := func(want string) string {
		t.Helper()
		deadline := time.After(60 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the stream ended before %q", want)
				}
				if strings.HasPrefix(l, "data: ") && strings.Contains(l, want) {
					return l
				}
			case <-deadline:
				t.Fatalf("no %q on b's stream in 60 s\n%s\n%s", want, a.stderr, b.stderr)
			}
		}
	}
	wait(`"count":`)
	r := call(t, a, "POST", "/items/"+item+"/urges", office, map[string]string{"message": "跨进程催办：请本周内报送进展"})
	if r.status != 201 {
		t.Fatalf("urge on a: %d %s", r.status, r.body)
	}
	got := wait("跨进程催办：请本周内报送进展")
	if !strings.Contains(got, `"event_kind":"urge.sent"`) {
		t.Fatalf("notification on b: %s", got)
	}
	wait(`"count":`) // the count went up
	if r := call(t, a, "POST", "/notifications/read-all", head, nil); r.status != 200 {
		t.Fatalf("read-all on a: %d %s", r.status, r.body)
	}
	wait(`"count":0`) // read on a, seen on b
}
