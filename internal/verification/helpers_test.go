package verification_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
)

// fx is the shared test world with real logins, made on first use per user.
type fx struct {
	t      *testing.T
	env    *apitest.Env
	w      *apitest.World
	tokens map[string]string
}

func newFx(t *testing.T, env *apitest.Env) *fx {
	return &fx{t: t, env: env, w: apitest.NewWorld(env), tokens: map[string]string{}}
}

// as is a client signed in (POST /auth/login) as username.
func (f *fx) as(username string) *apitest.Env {
	f.t.Helper()
	if _, ok := f.tokens[username]; !ok {
		f.tokens[username] = f.env.Login(username)
	}
	return f.env.As(f.tokens[username])
}

func (f *fx) today() civil.Date { return f.env.App.Items.Today() }

// setDeadline writes an item's deadline straight into the database. Tests use it to
// make an item overdue (a deadline in the past) without waiting for the calendar:
// the API never lets anyone set a past deadline.
func (f *fx) setDeadline(item uuid.UUID, d civil.Date) {
	f.t.Helper()
	if err := f.env.DB.Gorm().Table("items").Where("id = ?", item).Update("deadline", d.String()).Error; err != nil {
		f.t.Fatalf("set deadline: %v", err)
	}
}

func (f *fx) count(table string, where string, args ...any) int64 {
	f.t.Helper()
	var n int64
	if err := f.env.DB.Gorm().Table(table).Where(where, args...).Count(&n).Error; err != nil {
		f.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func (f *fx) item(id uuid.UUID) map[string]any {
	f.t.Helper()
	return f.as("sup").Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).Map()
}

// events returns the item's timeline actions in order, and the events themselves.
func (f *fx) events(id uuid.UUID) ([]string, []map[string]any) {
	f.t.Helper()
	var out struct {
		Data []map[string]any `json:"data"`
	}
	f.as("sup").Do("GET", "/api/v1/items/"+id.String()+"/events?page_size=100", nil).Expect(200).JSON(&out)
	names := make([]string, len(out.Data))
	for i, e := range out.Data {
		names[i] = e["action"].(string)
	}
	return names, out.Data
}

func strs(v any) []string {
	out := []string{}
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

var pdf = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// upload stores a file for the item as user and returns its id.
func (f *fx) upload(user string, item uuid.UUID, name string) string {
	f.t.Helper()
	c := f.as(user)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", item.String())
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(pdf)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return c.Send(req).Expect(201).Map()["id"].(string)
}

func (f *fx) state(item uuid.UUID) string {
	f.t.Helper()
	return f.item(item)["state"].(string)
}

// closed brings an in_progress item to closed through the completion endpoints: the
// lead unit requests, the office forwards, the supervising leader approves.
func (f *fx) closed(title string) uuid.UUID {
	f.t.Helper()
	id := f.w.ItemInProgress(title, 30)
	c := f.as("headb").Do("POST", "/api/v1/items/"+id.String()+"/completion-requests", map[string]any{"summary": "已办结"}).Expect(201).Map()
	cp := "/api/v1/completion-requests/" + c["id"].(string)
	f.as("sup").Do("POST", cp+"/review", map[string]any{"decision": "forward"}).Expect(200)
	f.as("leader").Do("POST", cp+"/approve", nil).Expect(200)
	return id
}
