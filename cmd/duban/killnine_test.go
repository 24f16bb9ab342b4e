package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKillNineLosesNoWebhookDelivery: the process is killed with SIGKILL while one
// webhook delivery is in flight (the receiver holds it) and the others wait in the
// queue or the outbox. After a restart on the same database every delivery is made, each event
// once or more under one webhook-id with the same body, and none is lost (issue 12:
// "kill -9 … loses nothing; webhook retries keep their id").
func TestKillNineLosesNoWebhookDelivery(t *testing.T) {
	t.Parallel()
	const n = 5
	var (
		mu      sync.Mutex
		bodies  = map[string][]string{} // webhook-id → bodies received and answered 2xx
		arrived atomic.Int32            // requests that reached the receiver
		up      atomic.Bool             // false: hold every request until the client goes away
		held    sync.Map                // webhook-ids of the requests held when the process died
	)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		arrived.Add(1)
		if !up.Load() {
			held.Store(r.Header.Get("webhook-id"), true)
			<-r.Context().Done() // the killed process's connection closes
			return
		}
		mu.Lock()
		id := r.Header.Get("webhook-id")
		bodies[id] = append(bodies[id], string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rcv.Close)

	c := newClusterWith(t, 1, "DUBAN_OUTBOUND_ALLOW=127.0.0.1/32", "DUBAN_JOB_LEASE=2s")
	c.run("seed", "--demo")
	a := c.servers[0]
	admin := login(t, a, "admin").AccessToken
	if r := call(t, a, "POST", "/webhooks", admin, map[string]any{
		"url": rcv.URL + "/duban", "description": "kill -9", "event_types": []string{"comment.*"},
	}); r.status != 201 {
		t.Fatalf("create the webhook: %d %s", r.status, r.body)
	}
	office := login(t, a, "duban").AccessToken
	item := editableItem(t, a, office)
	for i := range n {
		if r := call(t, a, "POST", "/items/"+item+"/comments", office, map[string]any{"kind": "comment", "body": fmt.Sprintf("第%d条意见", i+1)}); r.status != 201 {
			t.Fatalf("comment %d: %d %s", i, r.status, r.body)
		}
	}
	waitFor(t, 30*time.Second, "the first delivery to reach the receiver", func() bool { return arrived.Load() > 0 })
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-a.exited

	var written int64
	if err := c.db.Gorm().Table("webhook_deliveries").Count(&written).Error; err != nil {
		t.Fatal(err)
	}
	// The rest are still events in the outbox, dispatched after the restart.
	t.Logf("at the kill: %d deliveries written, %d requests reached the receiver", written, arrived.Load())
	up.Store(true)
	b := launch(t, c.env, "serve")
	b.ready(t)
	waitFor(t, 60*time.Second, "every delivery made after the restart", func() bool {
		var done int64
		if err := c.db.Gorm().Table("webhook_deliveries").Where("state = ?", "succeeded").Count(&done).Error; err != nil {
			t.Fatal(err)
		}
		return done == n
	})
	var ids []string
	if err := c.db.Gorm().Table("webhook_deliveries").Pluck("message_id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Fatalf("%d deliveries after the restart, want %d (one per event)", len(ids), n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != n {
		t.Fatalf("the receiver got %d webhook-ids, want %d", len(bodies), n)
	}
	// The delivery in flight at the kill is retried under the id it was sent with.
	nheld := 0
	held.Range(func(k, _ any) bool {
		nheld++
		if len(bodies[k.(string)]) == 0 {
			t.Errorf("the delivery held at the kill (%s) was never made under its id", k)
		}
		return true
	})
	if nheld == 0 {
		t.Error("no delivery was in flight at the kill")
	}
	for _, id := range ids {
		got := bodies[id]
		if len(got) == 0 {
			t.Errorf("delivery %s never received", id)
		}
		for _, b := range got[1:] {
			if b != got[0] {
				t.Errorf("delivery %s sent with different bodies", id)
			}
		}
	}
}
