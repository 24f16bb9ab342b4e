package hardening_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
)

// itemBody is a valid item to create as the World's supervision office.
func itemBody(w *apitest.World, env *apitest.Env, deadline string) map[string]any {
	if deadline == "" {
		deadline = env.App.Items.Today().AddDays(30).String()
	}
	return map[string]any{
		"title": "落实专题会议部署", "content": "开展隐患排查整治", "category": "important_matter", "source": "board",
		"lead_unit_id": w.DeptB, "deadline": deadline,
	}
}

// upload sends a multipart upload as env's token holder.
func upload(env *apitest.Env, itemID, filename string, content []byte) *apitest.Response {
	env.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", itemID)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+env.Token)
	return env.Send(req)
}

// logs collects what the application logs, by level.
type logs struct {
	mu    sync.Mutex
	lines []string
	buf   bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for {
		i := bytes.IndexByte(l.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.buf.Next(i+1)))
	}
	return len(p), nil
}

func (l *logs) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// count counts the lines at level that contain every one of the words.
func (l *logs) count(level string, words ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if !strings.Contains(line, "level="+level) {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			n++
		}
	}
	return n
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "")
}

// newPostgres is a fresh PostgreSQL database, and urlOf its URL.
func newPostgres(t *testing.T) *database.DB {
	t.Helper()
	u := dbtest.PostgresURL(t)
	db, err := database.Open(context.Background(), database.Options{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	pgURLs.Store(db, u)
	return db
}

var pgURLs sync.Map

func urlOf(t *testing.T, db *database.DB) string {
	t.Helper()
	u, ok := pgURLs.Load(db)
	if !ok {
		t.Fatal("not a database of newPostgres")
	}
	return u.(string)
}
