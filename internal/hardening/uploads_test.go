package hardening_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/items"
)

var text600 = bytes.Repeat([]byte("整改进展说明。"), 30) // 630 bytes of UTF-8 text

// Issue 14 §6: no quota (30 uploads of 1 MB in 1.3 s, any member could fill the
// disk). Per-user (24 hours) and per-item quotas.
func TestUploadQuotas(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, func(c *config.Config) { c.UploadUserQuota = "1K" }, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("配额", 30).String()
		headB := env.As(env.Login("headb"))
		upload(headB, item, "a.txt", text600).Expect(201)
		r := upload(headB, item, "b.txt", text600)
		r.Problem(429, "upload_quota_exceeded")
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		// Another user has their own quota.
		upload(env.As(env.Login("liaisonb")), item, "c.txt", text600).Expect(201)
	})
	apitest.EachConfig(t, func(c *config.Config) { c.UploadItemQuota = "1K" }, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("配额", 30).String()
		upload(env.As(env.Login("headb")), item, "a.txt", text600).Expect(201)
		upload(env.As(env.Login("liaisonb")), item, "b.txt", text600).Problem(413, "item_quota_exceeded")
		other := w.ItemInProgress("另一事项", 30).String()
		upload(env.As(env.Login("liaisonb")), other, "b.txt", text600).Expect(201)
	})
}

// Issue 14 §6: a .bat, .hta, .vbs or .js name was accepted whatever the content,
// and a right-to-left override showed "invoice\u202efdp.bat" as "invoicetab.pdf".
func TestUploadNames(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("文件名", 30).String()
		headB := env.As(env.Login("headb"))
		for _, name := range []string{"run.bat", "x.hta", "x.vbs", "x.js", "invoice\u202efdp.bat", "报告.pdf.exe"} {
			r := upload(headB, item, name, []byte("echo owned\r\n"))
			if r.Status != 422 {
				t.Errorf("%q: %d %s", name, r.Status, r.Body)
				continue
			}
			assertField(t, r, "file")
		}
		upload(headB, item, "x.pdf", []byte("plain text, not a PDF\n")).Problem(422, "validation_failed")
		for name, want := range map[string]string{
			"说明":                 "说明.txt",
			"a\u202eb.txt":       "ab.txt",
			"zero\u200bwidth.md": "zerowidth.md",
			"数据.CSV":             "数据.CSV",
		} {
			got := upload(headB, item, name, text600).Expect(201).Map()["filename"]
			if got != want {
				t.Errorf("%q stored as %q, want %q", name, got, want)
			}
		}
		if got := upload(headB, item, "整改方案.pdf", apitest.PDF).Expect(201).Map()["filename"]; got != "整改方案.pdf" {
			t.Errorf("a PDF named .pdf stored as %q", got)
		}
	})
}

// Issue 14 §6: another user's unlinked upload could be linked by its id. Only the
// uploader, or the head or liaison of the uploader's unit, may link it.
func TestOnlyTheUploaderLinks(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("附件归属", 30).String()
		headC := env.As(env.Login("headc"))
		memberB := env.As(env.Login("memberb"))
		theirs := upload(headC, item, "c.txt", text600).Expect(201).Map()["id"]
		mine := upload(memberB, item, "b.txt", text600).Expect(201).Map()["id"]
		assertField(t, memberB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 10, "content": "进展", "attachment_ids": []any{theirs},
		}), "attachment_ids[0]")
		// The liaison of the uploader's unit files what a colleague prepared.
		env.As(env.Login("liaisonb")).Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 10, "content": "进展", "attachment_ids": []any{mine},
		}).Expect(201)
	})
}

// Issue 14 §6: deleting a draft left its files, and unlinked uploads stayed
// forever.
func TestUploadCleanup(t *testing.T) {
	t.Parallel()
	start := time.Now().UTC()
	fakes := sync.Map{}
	apitest.EachConfig(t, func(c *config.Config) {
		f := clock.NewFake(start)
		fakes.Store(c.DataDir, f)
		c.Clock = f
	}, func(t *testing.T, env *apitest.Env) {
		v, _ := fakes.Load(env.App.Config.DataDir)
		fake := v.(*clock.Fake)
		w := apitest.NewWorld(env)
		ctx := context.Background()
		files := func() int {
			n := 0
			_ = filepath.Walk(filepath.Join(env.App.Config.DataDir, "files"), func(_ string, fi os.FileInfo, err error) error {
				if err == nil && !fi.IsDir() {
					n++
				}
				return nil
			})
			return n
		}
		rows := func(where string, args ...any) int64 {
			var n int64
			env.DB.Gorm().Table("attachments").Where(where, args...).Count(&n)
			return n
		}
		// A draft's files go with it.
		lead := w.DeptB
		d, err := env.App.Items.Create(ctx, env.Principal(w.Sup), items.ItemInput{Title: "草稿", Content: "草稿",
			Category: items.CategoryImportantMatter, Source: "board", LeadUnitID: &lead, Deadline: env.App.Items.Today().AddDays(20)})
		if err != nil {
			t.Fatal(err)
		}
		sup := env.As(env.Login("sup"))
		upload(sup, d.ID.String(), "草稿附件.pdf", apitest.PDF).Expect(201)
		if files() != 1 {
			t.Fatalf("%d files stored", files())
		}
		if err := env.App.Items.Delete(ctx, env.Principal(w.Sup), d.ID, nil); err != nil {
			t.Fatal(err)
		}
		if n := rows("item_id = ?", d.ID); n != 0 || files() != 0 {
			t.Fatalf("after deleting the draft: %d rows, %d files", n, files())
		}
		// Unlinked uploads are removed after a day; linked ones stay.
		item := w.ItemInProgress("清理", 30).String()
		headB := env.As(env.Login("headb"))
		linked := upload(headB, item, "linked.txt", text600).Expect(201).Map()["id"]
		upload(headB, item, "abandoned.txt", text600).Expect(201)
		headB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 10, "content": "进展", "attachment_ids": []any{linked},
		}).Expect(201)
		run := func() {
			t.Helper()
			for _, m := range env.App.Maintenance {
				if m.Name == "unlinked uploads" {
					if err := m.Run(ctx); err != nil {
						t.Fatal(err)
					}
					return
				}
			}
			t.Fatal("no cleanup of unlinked uploads")
		}
		fake.Advance(23 * time.Hour)
		run()
		if files() != 2 {
			t.Fatalf("a fresh upload was removed: %d files", files())
		}
		fake.Advance(2 * time.Hour)
		run()
		if files() != 1 || rows("owner_type = ''") != 0 || rows("id = ?", uuid.MustParse(linked.(string))) != 1 {
			t.Fatalf("after a day: %d files, %d unlinked rows", files(), rows("owner_type = ''"))
		}
	})
}

// Issue 14 §16: a full temporary directory during an upload was answered 400 with
// the server's path in detail. It is a server fault: 507, the path in the log only.
// TMPDIR is process-wide: the engines run one after the other, not in parallel.
func TestUploadWithoutTemporarySpace(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			cfg := apitest.Config(t)
			env := apitest.Start(t, dbtest.New(t, d), cfg)
			w := apitest.NewWorld(env)
			item := w.ItemInProgress("临时目录", 30).String()
			headB := env.As(env.Login("headb"))
			big := append(append([]byte{}, apitest.PDF...), bytes.Repeat([]byte("0"), 9<<20)...) // past the in-memory part
			old, had := os.LookupEnv("TMPDIR")
			os.Setenv("TMPDIR", "/nonexistent/duban-tmp")
			r := upload(headB, item, "大文件.pdf", big)
			if had {
				os.Setenv("TMPDIR", old)
			} else {
				os.Unsetenv("TMPDIR")
			}
			r.Problem(507, "insufficient_storage")
			if strings.Contains(string(r.Body), "nonexistent") || strings.Contains(string(r.Body), "tmp") {
				t.Errorf("the server's path is shown: %s", r.Body)
			}
			// With room again, the same upload goes through.
			upload(headB, item, "大文件.pdf", big).Expect(201)
		})
	}
}
