package attachments_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/s3test"
)

func s3Options(s *s3test.Server) attachments.S3Options {
	return attachments.S3Options{Endpoint: s.Endpoint, Bucket: s.Bucket, Region: s.Region,
		AccessKeyID: s.AccessKey, SecretAccessKey: s.SecretKey, PathStyle: true}
}

// The S3 backend against a real S3-compatible server in its own process: contents
// round-trip (one PUT below the part size, a multipart upload above it), a missing
// key is ErrNotStored, deletes remove the object, and an upload stopped by its
// reader (the size limit) leaves nothing under the key.
func TestS3StorageAgainstServer(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	ctx := context.Background()
	opts := s3Options(srv)
	opts.Prefix = "duban"
	st, err := attachments.NewS3Storage(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	small := []byte("督办通知\n")
	large := make([]byte, 12<<20+123) // three parts of a multipart upload
	_, _ = rand.Read(large)
	for key, content := range map[string][]byte{"2026/03/small": small, "2026/03/large": large} {
		if err := st.Put(ctx, key, bytes.NewReader(content)); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
		rc, err := st.Open(ctx, key)
		if err != nil {
			t.Fatalf("open %s: %v", key, err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content) {
			t.Fatalf("%s: read %d bytes (%v), want %d", key, len(got), err, len(content))
		}
		// The server keeps it under the prefix: a real object, not a local file.
		if fi, err := os.Stat(srv.ObjectPath("duban/" + key)); err != nil || fi.Size() != int64(len(content)) {
			t.Fatalf("object on the server: %v %v", fi, err)
		}
	}
	if _, err := st.Open(ctx, "2026/03/none"); !errors.Is(err, attachments.ErrNotStored) {
		t.Fatalf("missing key: %v", err)
	}
	if err := st.Delete(ctx, "2026/03/small"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Open(ctx, "2026/03/small"); !errors.Is(err, attachments.ErrNotStored) {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := os.Stat(srv.ObjectPath("duban/2026/03/small")); !os.IsNotExist(err) {
		t.Fatalf("object still on the server after delete: %v", err)
	}
	if err := st.Delete(ctx, "2026/03/small"); err != nil {
		t.Fatalf("deleting a missing object: %v", err)
	}
	stop := errors.New("limit reached")
	for _, size := range []int{1000, 7 << 20} {
		r := io.MultiReader(bytes.NewReader(make([]byte, size)), iotestErr{stop})
		if err := st.Put(ctx, "2026/03/cut", r); !errors.Is(err, stop) {
			t.Fatalf("reader error after %d bytes: %v", size, err)
		}
		if _, err := st.Open(ctx, "2026/03/cut"); !errors.Is(err, attachments.ErrNotStored) {
			t.Fatalf("a cut upload of %d bytes left an object: %v", size, err)
		}
	}
	for _, bad := range []string{"", "../x", "/abs"} {
		if err := st.Put(ctx, bad, strings.NewReader("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

// A wrong credential, region or bucket stops the start with a message; the server
// checks signatures as a real store does.
func TestS3StorageRefusesBadSettings(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	cases := map[string]func(o *attachments.S3Options){
		"wrong secret":   func(o *attachments.S3Options) { o.SecretAccessKey = "not-the-secret" },
		"unknown key":    func(o *attachments.S3Options) { o.AccessKeyID = "someone-else" },
		"wrong region":   func(o *attachments.S3Options) { o.Region = "us-west-2" },
		"missing bucket": func(o *attachments.S3Options) { o.Bucket = "no-such-bucket" },
	}
	for name, edit := range cases {
		o := s3Options(srv)
		edit(&o)
		if _, err := attachments.NewS3Storage(context.Background(), o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func s3Config(t *testing.T, srv *s3test.Server, download string) config.Config {
	cfg := apitest.Config(t)
	cfg.Storage = config.StorageConfig{Kind: config.StorageS3, S3Endpoint: srv.Endpoint, S3Bucket: srv.Bucket,
		S3Region: srv.Region, S3AccessKeyID: srv.AccessKey, S3SecretAccessKey: srv.SecretKey, S3PathStyle: true,
		S3Download: download, S3PresignTTL: time.Minute}
	return cfg
}

// The whole application with DUBAN_STORAGE=s3, on both engines: uploads land in the
// bucket (nothing in the data directory), downloads stream with today's headers, or
// redirect to a presigned URL whose response keeps the type, the attachment
// disposition and no-store; the size limit still answers 413 and stores nothing.
func TestAttachmentsOnS3ThroughHTTP(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	for _, d := range dbtest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := dbtest.New(t, d)
			cfg := s3Config(t, srv, config.S3DownloadStream)
			cfg.UploadLimit = "1M"
			env := apitest.Start(t, db, cfg)
			w := apitest.NewWorld(env)
			item := w.ItemInProgress("材料上云", 30).String()
			headB := env.As(env.Login("headb"))

			r := upload(headB, item, "整改报告.pdf", apitest.PDF).Expect(201).Map()
			id := r["id"].(string)
			var key string
			env.DB.Gorm().Table("attachments").Where("id = ?", id).Pluck("storage_key", &key)
			if b, err := os.ReadFile(srv.ObjectPath(key)); err != nil || !bytes.Equal(b, apitest.PDF) {
				t.Fatalf("object %s in the bucket: %v", key, err)
			}
			if entries, _ := os.ReadDir(cfg.DataDir + "/files"); len(entries) != 0 {
				t.Fatalf("files written to the data directory: %v", entries)
			}
			dl := headB.Do("GET", "/api/v1/attachments/"+id+"/content", nil).Expect(200)
			if !bytes.Equal(dl.Body, apitest.PDF) || dl.Header.Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") ||
				dl.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(dl.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("streamed download: %v", dl.Header)
			}
			big := append(append([]byte{}, apitest.PDF...), make([]byte, 2<<20)...)
			before := count(env)
			upload(headB, item, "太大.pdf", big).Problem(413, "payload_too_large")
			if count(env) != before {
				t.Fatal("a refused upload was recorded")
			}

			// Redirect mode: the same application, restarted with presigned downloads.
			red := apitest.Start(t, db, s3Config(t, srv, config.S3DownloadRedirect))
			redB := red.As(red.Login("headb"))
			noFollow := *red.Client
			noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			req, _ := http.NewRequest("GET", red.URL+"/api/v1/attachments/"+id+"/content", nil)
			req.Header.Set("Authorization", "Bearer "+redB.Token)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, srv.Endpoint+"/") || !strings.Contains(loc, "X-Amz-Signature=") {
				t.Fatalf("redirect: %d %q", resp.StatusCode, loc)
			}
			// The presigned URL works without Duban's token and keeps the headers.
			obj, err := http.Get(loc)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(obj.Body)
			obj.Body.Close()
			if obj.StatusCode != 200 || !bytes.Equal(body, apitest.PDF) || obj.Header.Get("Content-Type") != "application/pdf" ||
				obj.Header.Get("Content-Disposition") != dl.Header.Get("Content-Disposition") || obj.Header.Get("Cache-Control") != "private, no-store" {
				t.Fatalf("presigned download: %d %v", obj.StatusCode, obj.Header)
			}
			// A tampered URL is refused by the store; so is an invisible attachment by Duban.
			if bad, err := http.Get(strings.Replace(loc, "response-cache-control=", "response-cache-control=public", 1)); err != nil || bad.StatusCode != 403 {
				t.Fatalf("tampered presigned URL: %v %v", bad.StatusCode, err)
			}
			red.As(red.Login("stranger")).Do("GET", "/api/v1/attachments/"+id+"/content", nil).Problem(404, "not_found")
		})
	}
}
