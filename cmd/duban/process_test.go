package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/duban/duban/internal/dbtest"
)

// binary is the duban command built once for the tests that run it as a process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "duban-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "duban")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build duban: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// process is a running duban binary.
type process struct {
	cmd    *exec.Cmd
	addr   string
	stderr *strings.Builder
	// exited is closed when the process has ended; err is then its exit error.
	exited chan struct{}
	err    error
}

// wait returns the exit error, or false when the process is still running after d.
func (p *process) wait(d time.Duration) (error, bool) {
	select {
	case <-p.exited:
		return p.err, true
	case <-time.After(d):
		return nil, false
	}
}

var listening = regexp.MustCompile(`listening on (\S+)`)

// start runs `duban serve` with the given extra environment and waits until it
// listens.
func start(t testing.TB, env ...string) *process {
	t.Helper()
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(baseEnv(t), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: stderr, exited: make(chan struct{})}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	select {
	case p.addr = <-addrc:
	case <-p.exited:
		t.Fatalf("duban exited before listening: %v\n%s", p.err, stderr)
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("duban did not start in 30 s\n%s", stderr)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

func baseEnv(t testing.TB) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"DUBAN_DATA_DIR=" + t.TempDir(),
		"DUBAN_HTTP_ADDR=127.0.0.1:0",
		"DUBAN_LOG_FORMAT=json",
	}
}

func runBinary(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(baseEnv(t), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run duban: %v", err)
	}
	return code, out.String(), errb.String()
}

func TestBrokenDatabaseURLFailsWithOneLine(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"unreachable":  "postgres://duban@127.0.0.1:1/duban?sslmode=disable&connect_timeout=2",
		"not postgres": "mysql://root@localhost/duban",
		"garbage":      "postgres://%zz",
	}
	for name, url := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runBinary(t, []string{"DUBAN_DATABASE_URL=" + url}, "serve")
			if code == 0 {
				t.Fatalf("exit code 0 with a broken database URL")
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "duban: ") {
				t.Fatalf("want one error line, got %q", stderr)
			}
		})
	}
}

func TestBadConfigNamesTheVariable(t *testing.T) {
	t.Parallel()
	code, _, stderr := runBinary(t, []string{"DUBAN_TIMEZONE=Mars/Olympus"}, "serve")
	if code == 0 || !strings.Contains(stderr, "DUBAN_TIMEZONE") {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	code, _, stderr = runBinary(t, nil, "frobnicate")
	if code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown command: code %d, stderr %q", code, stderr)
	}
}

func TestMigrateCommandIsIdempotent(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		env := []string{"DUBAN_DATA_DIR=" + t.TempDir()}
		for i := 0; i < 2; i++ {
			if code, out, stderr := runBinary(t, env, "migrate"); code != 0 || !strings.Contains(out, "migrations applied") {
				t.Fatalf("run %d: code %d, out %q, err %q", i+1, code, out, stderr)
			}
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		// One data directory for both runs, as a deployment has: it keeps the audit
		// chain key (a different key would be refused).
		env := []string{"DUBAN_DATABASE_URL=" + dbtest.EmptyPostgresURL(t), "DUBAN_DATA_DIR=" + t.TempDir()}
		for i := 0; i < 2; i++ {
			if code, out, stderr := runBinary(t, env, "migrate"); code != 0 || !strings.Contains(out, "postgres") {
				t.Fatalf("run %d: code %d, out %q, err %q", i+1, code, out, stderr)
			}
		}
	})
}

func TestServeAnswersHealthAndOpenAPI(t *testing.T) {
	t.Parallel()
	p := start(t)
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/openapi.yaml", "/api/docs"} {
		resp, err := http.Get("http://" + p.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}

// SIGTERM while a request is still being received: the request completes and the
// process exits 0.
func TestSIGTERMFinishesInFlightRequest(t *testing.T) {
	t.Parallel()
	p := start(t)
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"username":"nobody-here","password":"wrong-password-1"}`
	head := fmt.Sprintf("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	half := len(body) / 2
	if _, err := io.WriteString(conn, head+body[:half]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the handler is now blocked reading the body
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if err, done := p.wait(0); done {
		t.Fatalf("process exited with a request in flight: %v\n%s", err, p.stderr)
	}
	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatalf("finish body: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("in-flight login answered %d, want 401", resp.StatusCode)
	}
	err, done := p.wait(15 * time.Second)
	if !done {
		t.Fatal("process did not exit after SIGTERM")
	}
	if err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	// New connections are refused once it has gone.
	if _, err := net.DialTimeout("tcp", p.addr, time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}
