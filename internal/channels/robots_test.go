package channels_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// robot is a platform's receiving end: it checks each request against the
// platform's documented format and signature, as the platform would, and
// answers as the platform does.
type robot struct {
	t        *testing.T
	platform string
	key      string // WeCom: the key query parameter; DingTalk: access_token
	secret   string
	srv      *httptest.Server
	mu       sync.Mutex
	// failNext answers that many requests with a platform error.
	failNext int
	ok       []map[string]any
	bad      []string
	failed   int
}

func newRobot(t *testing.T, platform, secret string) *robot {
	r := &robot{t: t, platform: platform, key: uuid.NewString(), secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

// url is the robot's webhook address as the platform hands it out.
func (r *robot) url() string {
	switch r.platform {
	case "wecom":
		return r.srv.URL + "/cgi-bin/webhook/send?key=" + r.key
	case "dingtalk":
		return r.srv.URL + "/robot/send?access_token=" + r.key
	}
	return r.srv.URL + "/open-apis/bot/v2/hook/" + r.key
}

func hmacB64(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// check returns what is wrong with a request ("" when it is as documented).
func (r *robot) check(req *http.Request, body map[string]any) string {
	if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		return "not a JSON POST"
	}
	q := req.URL.Query()
	switch r.platform {
	case "wecom":
		if req.URL.Path != "/cgi-bin/webhook/send" || q.Get("key") != r.key {
			return "wrong key"
		}
		md, _ := body["markdown"].(map[string]any)
		if body["msgtype"] != "markdown" || md == nil || md["content"] == "" {
			return "not a markdown message"
		}
	case "dingtalk":
		ts, sign := q.Get("timestamp"), q.Get("sign")
		if q.Get("access_token") != r.key || ts == "" || sign != hmacB64(r.secret, ts+"\n"+r.secret) {
			return "bad access_token or sign"
		}
		if !strings.Contains(req.URL.RawQuery, "sign="+strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(sign, "+", "%2B"), "/", "%2F"), "=", "%3D")) {
			return "sign not URL-escaped"
		}
		if ms, _ := strconv.ParseInt(ts, 10, 64); ms < 1e12 {
			return "timestamp not in milliseconds"
		}
		txt, _ := body["text"].(map[string]any)
		if body["msgtype"] != "text" || txt == nil || txt["content"] == "" {
			return "not a text message"
		}
	case "feishu":
		ts, _ := body["timestamp"].(string)
		sign, _ := body["sign"].(string)
		if ts == "" || sign != hmacB64(ts+"\n"+r.secret, "") {
			return "bad timestamp or sign"
		}
		if s, _ := strconv.ParseInt(ts, 10, 64); s > 1e11 {
			return "timestamp not in seconds"
		}
		post, _ := body["content"].(map[string]any)
		if body["msg_type"] != "post" || post == nil || post["post"] == nil {
			return "not a post message"
		}
	}
	return ""
}

func (r *robot) serve(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	r.mu.Lock()
	defer r.mu.Unlock()
	errField, okAnswer := "errcode", `{"errcode":0,"errmsg":"ok"}`
	if r.platform == "feishu" {
		errField, okAnswer = "code", `{"code":0,"msg":"success","data":{}}`
	}
	if why := r.check(req, body); why != "" {
		r.bad = append(r.bad, why+": "+string(b))
		_, _ = w.Write([]byte(`{"` + errField + `":310000,"errmsg":"` + why + `","msg":"` + why + `"}`))
		return
	}
	if r.failNext > 0 {
		r.failNext--
		r.failed++
		_, _ = w.Write([]byte(`{"` + errField + `":130101,"errmsg":"send too fast","msg":"too fast"}`))
		return
	}
	r.ok = append(r.ok, body)
	_, _ = w.Write([]byte(okAnswer))
}

// texts returns the texts of the messages taken, in order.
func (r *robot) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bad) > 0 {
		r.t.Errorf("%s robot got malformed requests: %v", r.platform, r.bad)
	}
	var out []string
	for _, m := range r.ok {
		b, _ := json.Marshal(m)
		out = append(out, string(b))
	}
	return out
}

type kit struct {
	t   *testing.T
	env *apitest.Env
	w   *apitest.World
	tok map[string]string
}

func eachKit(t *testing.T, allow bool, fn func(t *testing.T, k *kit)) {
	t.Helper()
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := apitest.Config(t)
			cfg.Clock = clock.NewFake(time.Now())
			cfg.PublicURL = "https://duban.example.com"
			if allow {
				cfg.Outbound = config.Outbound{OutboundAllow: []string{"127.0.0.0/8"}, OutboundTimeout: 5 * time.Second}
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

func (k *kit) drain() {
	k.t.Helper()
	if err := k.env.App.Jobs.Drain(context.Background()); err != nil {
		k.t.Fatal(err)
	}
}
