package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/s3test"
)

// `duban storage migrate` on a seeded deployment, both engines: the demo's files go
// from the data directory to a real S3-compatible server and the server then
// serves them from there; a second run copies nothing; the way back restores every
// file with its checksum and refuses (exit 1, named) one that was damaged in the
// bucket.
func TestStorageMigrateBetweenDiskAndS3(t *testing.T) {
	t.Parallel()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := s3test.Start(t)
			dataDir := t.TempDir()
			env := append([]string{"DUBAN_DATA_DIR=" + dataDir, "DUBAN_LOG_LEVEL=warn"}, srv.Env()...)
			env = append(env, "DUBAN_STORAGE=local")
			opts := database.Options{SQLitePath: filepath.Join(dataDir, "duban.db")}
			if engine == "postgres" {
				url := dbtest.EmptyPostgresURL(t)
				env = append(env, "DUBAN_DATABASE_URL="+url)
				opts = database.Options{URL: url}
			}
			if code, out, errs := runBinary(t, env, "seed", "--demo"); code != 0 {
				t.Fatalf("seed: %d\n%s\n%s", code, out, errs)
			}
			db, err := database.Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var rows []struct{ ID, StorageKey string }
			if err := db.Gorm().Table("attachments").Select("id", "storage_key").Find(&rows).Error; err != nil || len(rows) == 0 {
				t.Fatalf("the demo has no attachments (%v)", err)
			}
			local := func(key string) string { return filepath.Join(dataDir, "files", filepath.FromSlash(key)) }

			code, out, errs := runBinary(t, env, "storage", "migrate", "--to", "s3")
			if code != 0 || !strings.Contains(out, "failed") || !strings.Contains(out, " 0 failed") {
				t.Fatalf("migrate to s3: %d\n%s\n%s", code, out, errs)
			}
			for _, r := range rows {
				want, err := os.ReadFile(local(r.StorageKey))
				got, err2 := os.ReadFile(srv.ObjectPath(r.StorageKey))
				if err != nil || err2 != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s in the bucket: %v %v", r.StorageKey, err, err2)
				}
			}
			if code, out, _ := runBinary(t, env, "storage", "migrate", "--to", "s3"); code != 0 || !strings.Contains(out, "0 copied") {
				t.Fatalf("second run: %d\n%s", code, out)
			}

			// The server on S3, its data directory without files: downloads come
			// from the bucket.
			if err := os.RemoveAll(filepath.Join(dataDir, "files")); err != nil {
				t.Fatal(err)
			}
			p := start(t, append(env, "DUBAN_DATA_DIR="+dataDir, "DUBAN_STORAGE=s3", "DUBAN_JWT_SECRET=storage-test-secret-storage-test-secret")...)
			token := login(t, p, "duban").AccessToken
			served := 0
			for _, r := range rows {
				resp := call(t, p, "GET", "/attachments/"+r.ID+"/content", token, nil)
				if resp.status == 200 {
					want, _ := os.ReadFile(srv.ObjectPath(r.StorageKey))
					if !bytes.Equal(resp.body, want) {
						t.Fatalf("served %s differs from the bucket", r.ID)
					}
					served++
				}
			}
			if served == 0 {
				t.Fatal("no attachment served from the bucket")
			}

			// The way back, with one object damaged in the bucket.
			damaged := rows[0].StorageKey
			if err := os.WriteFile(srv.ObjectPath(damaged), bytes.Repeat([]byte("x"), int(fileSize(t, srv.ObjectPath(damaged)))), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs = runBinary(t, env, "storage", "migrate", "--to", "local")
			if code != 1 || !strings.Contains(errs, damaged) || !strings.Contains(errs, "damaged") || !strings.Contains(out, " 1 failed") {
				t.Fatalf("migrate back: %d\n%s\n%s", code, out, errs)
			}
			for _, r := range rows {
				got, err := os.ReadFile(local(r.StorageKey))
				if r.StorageKey == damaged {
					if err == nil {
						t.Fatalf("the damaged file was copied back")
					}
					continue
				}
				want, _ := os.ReadFile(srv.ObjectPath(r.StorageKey))
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%s back on disk: %v", r.StorageKey, err)
				}
			}
			if code, _, _ := runBinary(t, env, "storage", "migrate", "--to", "sideways"); code != 2 {
				t.Fatalf("bad --to: exit %d", code)
			}
		})
	}
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
