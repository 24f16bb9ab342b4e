// Package s3test starts a real S3-compatible server for tests: the s3server program
// beside this file (gofakes3 over a directory, with AWS Signature V4 checked), built
// and run as a separate process that speaks the S3 protocol over HTTP on a loopback
// port. Nothing in it fakes the client: Duban's S3 storage talks to it exactly as it
// talks to MinIO, Ceph or a cloud's object storage.
package s3test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running s3server.
type Server struct {
	// Endpoint is its URL, http://127.0.0.1:PORT.
	Endpoint string
	Bucket   string
	Region   string
	// AccessKey and SecretKey are the only credentials it accepts.
	AccessKey, SecretKey string
	// Dir holds its buckets (Dir/buckets/BUCKET/KEY) and metadata.
	Dir string
}

var listening = regexp.MustCompile(`listening on (\S+)`)

// Start builds s3server and runs it until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "s3server")
	build := exec.Command("go", "build", "-o", bin, "github.com/duban/duban/internal/s3test/s3server")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build s3server: %v\n%s", err, out)
	}
	s := &Server{Bucket: "duban-files", Region: "cn-east-1", AccessKey: "duban-test-key", SecretKey: "duban-test-secret-0123456789", Dir: t.TempDir()}
	cmd := exec.Command(bin, "-dir", s.Dir, "-bucket", s.Bucket, "-region", s.Region, "-access-key", s.AccessKey, "-secret-key", s.SecretKey)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case a := <-addr:
		s.Endpoint = "http://" + a
	case <-exited:
		t.Fatalf("s3server exited at start: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("s3server did not start in 30 s: %s", stderr.String())
	}
	return s
}

// Env is the DUBAN_* configuration that points Duban at this server.
func (s *Server) Env() []string {
	return []string{
		"DUBAN_STORAGE=s3",
		"DUBAN_S3_ENDPOINT=" + s.Endpoint,
		"DUBAN_S3_BUCKET=" + s.Bucket,
		"DUBAN_S3_REGION=" + s.Region,
		"DUBAN_S3_ACCESS_KEY_ID=" + s.AccessKey,
		"DUBAN_S3_SECRET_ACCESS_KEY=" + s.SecretKey,
	}
}

// EnvMap is Env as a map, for config.LoadFrom.
func (s *Server) EnvMap() map[string]string {
	m := map[string]string{}
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// ObjectPath is where the server keeps an object's bytes on disk.
func (s *Server) ObjectPath(key string) string {
	return filepath.Join(s.Dir, "buckets", s.Bucket, filepath.FromSlash(key))
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprint(l.b.String())
}
