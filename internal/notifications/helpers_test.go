package notifications_test

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/smtptest"
)

// kit is the World on a fake clock with an SMTP server that the application
// sends to, and a ledger of what each user was told.
type kit struct {
	t    *testing.T
	env  *apitest.Env
	w    *apitest.World
	smtp *smtptest.Server
	tok  map[string]string
	// seen is the last seq read per user.
	seen map[string]int64
}

// users the tests follow.
var people = []string{"sup", "leader", "leader2", "headb", "liaisonb", "memberb", "headc", "memberc", "stranger", "auditor", "admin1"}

// eachKit runs fn on both engines with e-mail configured.
func eachKit(t *testing.T, fn func(t *testing.T, k *kit)) {
	t.Helper()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, smtptest.Options{})
			cfg := apitest.Config(t)
			cfg.Clock = clock.NewFake(time.Now())
			cfg.SMTP = config.SMTPConfig{Host: srv.Host, Port: srv.Port, From: "督办系统 <duban@example.com>", TLS: "none"}
			cfg.PublicURL = "https://duban.example.com"
			env := apitest.Start(t, dbtest.New(t, d), cfg)
			k := &kit{t: t, env: env, w: apitest.NewWorld(env), smtp: srv, tok: map[string]string{}, seen: map[string]int64{}}
			for _, u := range people {
				if err := env.DB.Gorm().Table("users").Where("username = ?", u).Update("email", u+"@example.com").Error; err != nil {
					t.Fatal(err)
				}
			}
			fn(t, k)
		})
	}
}

func (k *kit) as(user string) *apitest.Env {
	k.t.Helper()
	if _, ok := k.tok[user]; !ok {
		k.tok[user] = k.env.Login(user)
	}
	return k.env.As(k.tok[user])
}

// relogin forgets the sessions (the clock moved past their lifetime).
func (k *kit) relogin() { k.tok = map[string]string{} }

func (k *kit) do(user, method, path string, body any) *apitest.Response {
	k.t.Helper()
	return k.as(user).Do(method, "/api/v1"+path, body)
}

// drain runs the background work due now.
func (k *kit) drain() {
	k.t.Helper()
	if err := k.env.App.Jobs.Drain(context.Background()); err != nil {
		k.t.Fatal(err)
	}
}

type note struct {
	ID         uuid.UUID  `json:"id"`
	Seq        int64      `json:"seq"`
	Kind       string     `json:"kind"`
	EventKind  string     `json:"event_kind"`
	Title      text       `json:"title"`
	Body       text       `json:"body"`
	Link       string     `json:"link"`
	ItemID     *uuid.UUID `json:"item_id"`
	ObjectType string     `json:"object_type"`
	ObjectID   *uuid.UUID `json:"object_id"`
	ActorID    *uuid.UUID `json:"actor_id"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at"`
}

type text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

type page struct {
	Data     []note `json:"data"`
	Total    int64  `json:"total"`
	Page     int    `json:"page"`
	PageSize int    `json:"page_size"`
	Unread   int64  `json:"unread"`
}

func (k *kit) inbox(user, query string) page {
	k.t.Helper()
	var p page
	k.do(user, "GET", "/notifications"+query, nil).Expect(200).JSON(&p)
	return p
}

// news returns what user was told since the last look, oldest first.
func (k *kit) news(user string) []note {
	k.t.Helper()
	p := k.inbox(user, "?page_size=100")
	var out []note
	for _, n := range p.Data {
		if n.Seq > k.seen[user] {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	for _, n := range out {
		k.seen[user] = max(k.seen[user], n.Seq)
	}
	return out
}

// told drains the background work and checks that exactly the users in want
// were told, each once, of the event kinds given; it returns their new
// notifications.
func (k *kit) told(step string, want map[string][]string) map[string][]note {
	k.t.Helper()
	k.drain()
	got := map[string][]note{}
	for _, u := range people {
		ns := k.news(u)
		var kinds []string
		for _, n := range ns {
			kinds = append(kinds, n.EventKind)
			if n.Title.Zh == "" || n.Title.En == "" || n.Body.Zh == "" || n.Body.En == "" || n.Link == "" || n.ReadAt != nil {
				k.t.Errorf("%s: %s got a malformed notification %+v", step, u, n)
			}
		}
		if !slices.Equal(kinds, want[u]) {
			k.t.Errorf("%s: %s was told %v, want %v", step, u, kinds, want[u])
		}
		if len(ns) > 0 {
			got[u] = ns
		}
	}
	return got
}

func idOf(t *testing.T, r *apitest.Response) uuid.UUID {
	t.Helper()
	var v struct {
		ID uuid.UUID `json:"id"`
	}
	r.JSON(&v)
	if v.ID == uuid.Nil {
		t.Fatalf("no id in %s", r.Body)
	}
	return v.ID
}

func each(users ...string) func(kinds ...string) map[string][]string {
	return func(kinds ...string) map[string][]string {
		m := map[string][]string{}
		for _, u := range users {
			m[u] = kinds
		}
		return m
	}
}

func merge(ms ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range ms {
		for u, ks := range m {
			out[u] = append(out[u], ks...)
		}
	}
	return out
}

// at is the moment of hh:mm on the clock's current day, in the company time zone.
func (k *kit) at(days, hh, mm int) time.Time {
	loc := k.env.App.Config.Location
	y, m, d := k.env.Clock.Now().In(loc).Date()
	return time.Date(y, m, d+days, hh, mm, 0, 0, loc)
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// jobsBackoff is longer than a job's first retry delay.
const jobsBackoff = 10 * time.Second
