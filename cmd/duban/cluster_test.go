package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/seed"
)

// cluster is a deployment on one PostgreSQL database: several `duban serve`
// processes sharing its URL, JWT secret and data directory, as docker-compose.yml
// and docs/operations.md run it. The worker process (`duban worker`) and the checks
// of periodic jobs join here once the job queue exists: launch it beside the servers
// in newCluster and add a subtest to TestSeveralServersOnOnePostgres.
type cluster struct {
	t       *testing.T
	url     string
	env     []string
	servers []*process
	db      *database.DB
}

// newCluster starts n servers at the same moment on a fresh, empty database, so
// that they also race to migrate it (the migration lock makes that safe).
func newCluster(t *testing.T, n int) *cluster {
	t.Helper()
	return newClusterWith(t, n)
}

// newClusterWith is newCluster with extra environment for every process.
func newClusterWith(t *testing.T, n int, extra ...string) *cluster {
	t.Helper()
	c := &cluster{t: t, url: dbtest.EmptyPostgresURL(t)}
	c.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"DUBAN_DATABASE_URL=" + c.url,
		"DUBAN_DATA_DIR=" + t.TempDir(),
		"DUBAN_HTTP_ADDR=127.0.0.1:0",
		"DUBAN_LOG_FORMAT=json",
		"DUBAN_LOG_LEVEL=warn",
		"DUBAN_JWT_SECRET=cluster-test-secret-cluster-test-secret-01",
		"DUBAN_JOB_POLL=200ms",
	}
	c.env = append(c.env, extra...)
	for range n {
		c.servers = append(c.servers, launch(t, c.env, "serve"))
	}
	for _, p := range c.servers {
		p.ready(t)
	}
	db, err := database.Open(context.Background(), database.Options{URL: c.url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	c.db = db
	return c
}

// run runs another duban command (seed, users, ...) against the cluster's database.
func (c *cluster) run(args ...string) string {
	c.t.Helper()
	p := launch(c.t, c.env, args...)
	err, done := p.wait(120e9)
	if !done || err != nil {
		c.t.Fatalf("duban %s: %v\n%s", strings.Join(args, " "), err, p.stderr)
	}
	return p.stderr.String()
}

// reply is one HTTP exchange with a server of the cluster.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// call sends a request to server p; headers are name/value pairs.
func call(t *testing.T, p *process, method, path, token string, body any, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+p.addr+"/api/v1"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", method, path, p.addr, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

func login(t *testing.T, p *process, username string) tokenPair {
	t.Helper()
	r := call(t, p, "POST", "/auth/login", "", map[string]string{"username": username, "password": seed.DemoPassword})
	if r.status != 200 {
		t.Fatalf("login %s on %s: %d %s", username, p.addr, r.status, r.body)
	}
	var tp tokenPair
	r.decode(t, &tp)
	return tp
}

// race sends one request to every server at the same moment and returns the replies
// in server order.
func race(t *testing.T, servers []*process, send func(p *process) reply) []reply {
	t.Helper()
	out := make([]reply, len(servers))
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			out[i] = send(p)
		}()
	}
	close(gate)
	wg.Wait()
	return out
}

func statuses(rs []reply) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.status
	}
	slices.Sort(out)
	return out
}

// TestSeveralServersOnOnePostgres runs two `duban serve` processes on one fresh
// database, seeded with the demo through a third process, and checks that they act
// as one deployment.
func TestSeveralServersOnOnePostgres(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 2)
	a, b := c.servers[0], c.servers[1]
	c.run("seed", "--demo")

	t.Run("a session from one server works on the other", func(t *testing.T) {
		s := login(t, a, "guihua.head")
		if r := call(t, b, "GET", "/me", s.AccessToken, nil); r.status != 200 {
			t.Fatalf("token from a on b: %d %s", r.status, r.body)
		}
		// Rotating the refresh token on b invalidates it on a (reuse detection is in
		// the shared database, not in a process).
		r := call(t, b, "POST", "/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken})
		if r.status != 200 {
			t.Fatalf("refresh on b: %d %s", r.status, r.body)
		}
		var next tokenPair
		r.decode(t, &next)
		if r := call(t, a, "POST", "/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken}); r.status != 401 {
			t.Fatalf("reused refresh token on a: %d %s", r.status, r.body)
		}
		// Reuse revoked the whole session, on both servers.
		for _, p := range c.servers {
			if r := call(t, p, "GET", "/me", next.AccessToken, nil); r.status != 401 {
				t.Fatalf("revoked session on %s: %d", p.addr, r.status)
			}
		}
		// A logout on one server ends the session on the other.
		s = login(t, b, "guihua.head")
		if r := call(t, a, "POST", "/auth/logout", s.AccessToken, map[string]string{"refresh_token": s.RefreshToken}); r.status != 204 {
			t.Fatalf("logout on a: %d %s", r.status, r.body)
		}
		if r := call(t, b, "GET", "/me", s.AccessToken, nil); r.status != 401 {
			t.Fatalf("logged-out token on b: %d", r.status)
		}
	})

	office := login(t, a, "duban").AccessToken
	item := editableItem(t, a, office)

	t.Run("an If-Match race across servers has one winner", func(t *testing.T) {
		r := call(t, a, "GET", "/items/"+item, office, nil)
		etag := r.header.Get("ETag")
		if r.status != 200 || etag == "" {
			t.Fatalf("get item: %d, ETag %q", r.status, etag)
		}
		const rounds = 8
		for round := range rounds {
			rs := race(t, c.servers, func(p *process) reply {
				return call(t, p, "PATCH", "/items/"+item, office,
					map[string]string{"requirements": fmt.Sprintf("round %d from %s", round, p.addr)}, "If-Match", etag)
			})
			if got := statuses(rs); !slices.Equal(got, []int{200, 412}) {
				t.Fatalf("round %d: statuses %v, want one 200 and one 412: %s | %s", round, got, rs[0].body, rs[1].body)
			}
			for _, r := range rs {
				if r.status == 200 {
					etag = r.header.Get("ETag")
				}
			}
		}
		// Every round moved the item by exactly one version, seen alike by both.
		for _, p := range c.servers {
			if r := call(t, p, "GET", "/items/"+item, office, nil); r.header.Get("ETag") != etag {
				t.Fatalf("ETag on %s: %q, want %q", p.addr, r.header.Get("ETag"), etag)
			}
		}
	})

	t.Run("an idempotent retry sent to the other server replays", func(t *testing.T) {
		comments := func() int64 {
			var n int64
			if err := c.db.Gorm().Table("item_comments").Where("item_id = ?", item).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := comments()
		body := map[string]string{"kind": "coordination", "body": "请两个进程都只记一次"}
		first := call(t, a, "POST", "/items/"+item+"/comments", office, body, "Idempotency-Key", "cluster-retry-1")
		if first.status != 201 {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		retry := call(t, b, "POST", "/items/"+item+"/comments", office, body, "Idempotency-Key", "cluster-retry-1")
		if retry.status != 201 || retry.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.body, first.body) {
			t.Fatalf("retry on b: %d replayed=%q\n%s\nwant\n%s", retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, first.body)
		}
		if n := comments(); n != before+1 {
			t.Fatalf("%d comments added, want 1", n-before)
		}
		// The same key sent to both at once: one runs, the other waits its turn
		// (409 in progress) or replays; never two comments.
		for round := range 4 {
			key := fmt.Sprintf("cluster-race-%d", round)
			rs := race(t, c.servers, func(p *process) reply {
				return call(t, p, "POST", "/items/"+item+"/comments", office, body, "Idempotency-Key", key)
			})
			created := 0
			for _, r := range rs {
				switch {
				case r.status == 201 && r.header.Get("Idempotent-Replayed") != "true":
					created++
				case r.status == 201, r.status == 409 && strings.Contains(string(r.body), "idempotency_in_progress"):
				default:
					t.Fatalf("round %d: %d %s", round, r.status, r.body)
				}
			}
			if created != 1 {
				t.Fatalf("round %d: %d requests ran, want 1", round, created)
			}
		}
		if n := comments(); n != before+5 {
			t.Fatalf("%d comments added, want 5", n-before)
		}
	})

	t.Run("a change to people on one server reaches the principals cached by the other", func(t *testing.T) {
		admin := login(t, a, "admin").AccessToken
		user := login(t, b, "guihua.head").AccessToken
		var me struct {
			ID    string   `json:"id"`
			Roles []string `json:"roles"`
		}
		call(t, b, "GET", "/me", user, nil).decode(t, &me) // cached on b now
		roles := append(slices.Clone(me.Roles), "auditor")
		if r := call(t, a, "PATCH", "/users/"+me.ID, admin, map[string]any{"roles": roles}); r.status != 200 {
			t.Fatalf("give a role on a: %d %s", r.status, r.body)
		}
		// b drops its cache on the NOTIFY of a's commit: soon, not at once.
		waitFor(t, 10*time.Second, "b to see the new role", func() bool {
			var now struct {
				Roles []string `json:"roles"`
			}
			call(t, b, "GET", "/me", user, nil).decode(t, &now)
			return slices.Contains(now.Roles, "auditor")
		})
	})

	t.Run("periodic jobs run once however many processes run them", func(t *testing.T) {
		// Two servers and a worker process all run the scheduler and workers; the
		// maintenance jobs and the reminders' daily sweep are enqueued once per
		// period (the lease and unique keys) and each runs once.
		launch(t, c.env, "worker")
		type row struct {
			Kind, UniqueKey, State string
		}
		var rows []row
		waitFor(t, 60*time.Second, "the maintenance jobs to run", func() bool {
			rows = nil
			if err := c.db.Gorm().Table("jobs").Select("kind, unique_key, state").Where("kind LIKE ? OR kind = ?", "maintenance.%", "reminders.sweep").
				Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				return false
			}
			for _, r := range rows {
				if r.State != "done" {
					return false
				}
			}
			return true
		})
		perKind := map[string]map[string]int{}
		for _, r := range rows {
			if perKind[r.Kind] == nil {
				perKind[r.Kind] = map[string]int{}
			}
			perKind[r.Kind][r.UniqueKey]++
		}
		for kind, keys := range perKind {
			for key, n := range keys {
				if n != 1 {
					t.Errorf("%s %s enqueued %d times", kind, key, n)
				}
			}
			if len(keys) > 2 { // one period, or two when the test straddles an hour
				t.Errorf("%s ran for %d periods: %v", kind, len(keys), keys)
			}
		}
		var holders []string
		if err := c.db.Gorm().Table("leases").Where("name = ?", "scheduler").Pluck("holder", &holders).Error; err != nil || len(holders) != 1 {
			t.Fatalf("scheduler lease: %v %v", holders, err)
		}
	})
}

// waitFor polls cond until it holds, or fails the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// editableItem finds an item the supervision office may update.
func editableItem(t *testing.T, p *process, token string) string {
	t.Helper()
	r := call(t, p, "GET", "/items?limit=100", token, nil)
	var page struct {
		Data []struct {
			ID             string   `json:"id"`
			State          string   `json:"state"`
			AllowedActions []string `json:"allowed_actions"`
		} `json:"data"`
	}
	r.decode(t, &page)
	for _, it := range page.Data {
		if it.State == "in_progress" && slices.Contains(it.AllowedActions, "update") {
			return it.ID
		}
	}
	t.Fatalf("no item in progress the office may update among %d", len(page.Data))
	return ""
}

// Several `duban migrate` processes started at once on one fresh database all
// succeed, and each migration is applied once (migrations take a lock).
func TestConcurrentMigrateProcesses(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			env := []string{"PATH=" + os.Getenv("PATH"), "DUBAN_DATA_DIR=" + t.TempDir(), "DUBAN_LOG_FORMAT=json"}
			if engine == "postgres" {
				env = append(env, "DUBAN_DATABASE_URL="+dbtest.EmptyPostgresURL(t))
			}
			var ps []*process
			for range 4 {
				ps = append(ps, launch(t, env, "migrate"))
			}
			for i, p := range ps {
				if err, done := p.wait(120e9); !done || err != nil {
					t.Fatalf("migrate process %d: %v\n%s", i, err, p.stderr)
				}
			}
		})
	}
}

// `duban serve` on PostgreSQL without DUBAN_JWT_SECRET stops at once, naming the
// variable, before it touches the database.
func TestServeOnPostgresNeedsTheJWTSecret(t *testing.T) {
	t.Parallel()
	url := dbtest.EmptyPostgresURL(t)
	code, _, stderr := runBinary(t, []string{"DUBAN_DATABASE_URL=" + url}, "serve")
	if code != 1 || !strings.Contains(stderr, "DUBAN_JWT_SECRET is required") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	db, err := database.Open(context.Background(), database.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Gorm().Migrator().HasTable("schema_migrations") {
		t.Fatal("the refused start migrated the database")
	}
}
