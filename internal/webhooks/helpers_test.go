package webhooks_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/dbtest"
)

// received is a request the receiver took, with its signature checked.
type received struct {
	ID, Timestamp, Signature string
	Body                     []byte
	Type                     string
	Data                     map[string]any
	// Object is the item as the API returns it (absent for events of no item).
	Object map[string]any
	// Valid: the signature verifies against the secret (Standard Webhooks).
	Valid bool
	// Answered is the status the receiver answered with.
	Answered int
}

// receiver is an integrator's endpoint: it verifies every request as the
// Standard Webhooks libraries do and answers with the status it is set to.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	status int
	got    []received
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, status: http.StatusOK}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	rec := received{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"),
		Signature: req.Header.Get("webhook-signature"), Body: body, Answered: r.status}
	var m struct {
		Type   string         `json:"type"`
		Data   map[string]any `json:"data"`
		Object map[string]any `json:"object"`
	}
	_ = json.Unmarshal(body, &m)
	rec.Type, rec.Data, rec.Object = m.Type, m.Data, m.Object
	rec.Valid = verify(r.secret, rec.ID, rec.Timestamp, body, rec.Signature)
	if req.Header.Get("Content-Type") != "application/json" {
		rec.Valid = false
	}
	r.got = append(r.got, rec)
	w.WriteHeader(r.status)
	_, _ = w.Write([]byte(`{"ok":` + map[bool]string{true: "true", false: "false"}[r.status < 300] + `}`))
}

// verify checks a webhook-signature header the way the Standard Webhooks
// specification describes, independently of the package's Sign.
func verify(secret, id, ts string, body []byte, header string) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || id == "" || ts == "" {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
	for _, s := range strings.Split(header, " ") {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}

func (r *receiver) set(status int) {
	r.mu.Lock()
	r.status = status
	r.mu.Unlock()
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// kit is the World on a fake clock, with loopback targets allowed.
type kit struct {
	t   *testing.T
	env *apitest.Env
	w   *apitest.World
	tok map[string]string
}

// eachKit runs fn on both engines; allow lets the loopback receivers through.
func eachKit(t *testing.T, allow bool, fn func(t *testing.T, k *kit)) {
	t.Helper()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := apitest.Config(t)
			cfg.Clock = clock.NewFake(time.Now())
			if allow {
				cfg.Outbound = config.Outbound{OutboundAllow: []string{"127.0.0.0/8", "::1/128"}, OutboundTimeout: 5 * time.Second}
			}
			env := apitest.Start(t, dbtest.New(t, d), cfg)
			fn(t, &kit{t: t, env: env, w: apitest.NewWorld(env), tok: map[string]string{}})
		})
	}
}

func (k *kit) do(user, method, path string, body any) *apitest.Response {
	k.t.Helper()
	if _, ok := k.tok[user]; !ok {
		k.tok[user] = k.env.Login(user)
	}
	return k.env.As(k.tok[user]).Do(method, "/api/v1"+path, body)
}

// drain runs the background work due now.
func (k *kit) drain() {
	k.t.Helper()
	if err := k.env.App.Jobs.Drain(context.Background()); err != nil {
		k.t.Fatal(err)
	}
}

// pass moves the clock by total in steps, running the background work after
// each (what the workers would do meanwhile). Sessions expire: log in again.
func (k *kit) pass(total, step time.Duration) {
	k.t.Helper()
	for d := time.Duration(0); d < total; d += step {
		k.env.Clock.Advance(step)
		k.drain()
	}
	k.tok = map[string]string{}
}

type hook struct {
	ID           uuid.UUID  `json:"id"`
	URL          string     `json:"url"`
	EventTypes   []string   `json:"event_types"`
	Enabled      bool       `json:"enabled"`
	Secret       *string    `json:"secret"`
	FailingSince *time.Time `json:"failing_since"`
	DisabledAt   *time.Time `json:"disabled_at"`
	Reason       string     `json:"disabled_reason"`
}

type delivery struct {
	ID        uuid.UUID `json:"id"`
	MessageID string    `json:"message_id"`
	EventType string    `json:"event_type"`
	Trigger   string    `json:"trigger"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	Status    int       `json:"response_status"`
	Latency   int64     `json:"latency_ms"`
	Excerpt   string    `json:"response_excerpt"`
	Error     string    `json:"error"`
}

// subscribe makes admin1 subscribe the receiver to types and keeps the secret.
func (k *kit) subscribe(r *receiver, types ...string) hook {
	k.t.Helper()
	var h hook
	k.do("admin1", "POST", "/webhooks", map[string]any{"url": r.srv.URL + "/duban", "event_types": types, "description": "测试接收端"}).
		Expect(http.StatusCreated).JSON(&h)
	if h.Secret == nil || !strings.HasPrefix(*h.Secret, "whsec_") {
		k.t.Fatalf("no secret in the answer to the creation: %+v", h)
	}
	r.secret = *h.Secret
	return h
}

func (k *kit) log(h hook) []delivery {
	k.t.Helper()
	var out struct {
		Data  []delivery `json:"data"`
		Total int        `json:"total"`
	}
	k.do("admin1", "GET", "/webhooks/"+h.ID.String()+"/deliveries?page_size=100", nil).Expect(200).JSON(&out)
	return out.Data
}

// urge has the supervision office urge department B on item.
func (k *kit) urge(item uuid.UUID, msg string) {
	k.t.Helper()
	k.do("sup", "POST", "/items/"+item.String()+"/urges", map[string]string{"message": msg}).Expect(http.StatusCreated)
}
