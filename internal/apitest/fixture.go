package apitest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// Fixture is the World with real logins (made on first use per user) and the
// checks follow-up tests keep needing: an item's state and timeline, row counts,
// uploads, and a deadline moved into the past.
type Fixture struct {
	T      *testing.T
	Env    *Env
	W      *World
	tokens map[string]string
}

// NewFixture builds the World on env.
func NewFixture(t *testing.T, env *Env) *Fixture {
	return &Fixture{T: t, Env: env, W: NewWorld(env), tokens: map[string]string{}}
}

// As is a client signed in (POST /auth/login) as username.
func (f *Fixture) As(username string) *Env {
	f.T.Helper()
	if _, ok := f.tokens[username]; !ok {
		f.tokens[username] = f.Env.Login(username)
	}
	return f.Env.As(f.tokens[username])
}

// Today is today in the company time zone.
func (f *Fixture) Today() civil.Date { return f.Env.App.Items.Today() }

// SetDeadline writes an item's deadline straight into the database. Tests use it to
// make an item overdue: the API never lets anyone set a past deadline.
func (f *Fixture) SetDeadline(item uuid.UUID, d civil.Date) {
	f.T.Helper()
	if err := f.Env.DB.Gorm().Table("items").Where("id = ?", item).Update("deadline", d.String()).Error; err != nil {
		f.T.Fatalf("set deadline: %v", err)
	}
}

// Count counts rows of table matching where.
func (f *Fixture) Count(table string, where string, args ...any) int64 {
	f.T.Helper()
	var n int64
	if err := f.Env.DB.Gorm().Table(table).Where(where, args...).Count(&n).Error; err != nil {
		f.T.Fatalf("count %s: %v", table, err)
	}
	return n
}

// Item reads the item as the supervision office.
func (f *Fixture) Item(id uuid.UUID) map[string]any {
	f.T.Helper()
	return f.As("sup").Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).Map()
}

// State is the item's state.
func (f *Fixture) State(item uuid.UUID) string {
	f.T.Helper()
	return f.Item(item)["state"].(string)
}

// Events returns the item's timeline actions in order, and the events themselves.
func (f *Fixture) Events(id uuid.UUID) ([]string, []map[string]any) {
	f.T.Helper()
	var out struct {
		Data []map[string]any `json:"data"`
	}
	f.As("sup").Do("GET", "/api/v1/items/"+id.String()+"/events?page_size=100", nil).Expect(200).JSON(&out)
	names := make([]string, len(out.Data))
	for i, e := range out.Data {
		names[i] = e["action"].(string)
	}
	return names, out.Data
}

// PDF is a minimal PDF file for uploads.
var PDF = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// Upload stores PDF under name for the item as user and returns the attachment id.
func (f *Fixture) Upload(user string, item uuid.UUID, name string) string {
	f.T.Helper()
	c := f.As(user)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", item.String())
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(PDF)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	return c.Send(req).Expect(201).Map()["id"].(string)
}

// Strings converts a decoded JSON array of strings.
func Strings(v any) []string {
	out := []string{}
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
