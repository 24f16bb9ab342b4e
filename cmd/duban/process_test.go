package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
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
	addrc  chan string
	stderr *syncBuilder
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
	p := launch(t, append(baseEnv(t), env...), "serve")
	p.ready(t)
	return p
}

// launch starts the binary with exactly env and returns at once; ready waits until
// it listens. Tests that start several servers launch them all before waiting, so
// that they really start at the same moment.
func launch(t testing.TB, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuilder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: stderr, exited: make(chan struct{}), addrc: make(chan string, 1)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				p.addrc <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// ready waits until the process listens and records its address.
func (p *process) ready(t testing.TB) {
	t.Helper()
	select {
	case p.addr = <-p.addrc:
	case <-p.exited:
		t.Fatalf("duban exited before listening: %v\n%s", p.err, p.stderr)
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Fatalf("duban did not start in 60 s\n%s", p.stderr)
	}
}

// syncBuilder is a strings.Builder that a process may write while a test reads it.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
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
			code, _, stderr := runBinary(t, []string{"DUBAN_DATABASE_URL=" + url, "DUBAN_JWT_SECRET=broken-url-test-secret-broken-url-test-secret"}, "serve")
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
	// The server has accepted the connection and read what was sent: its handler is
	// now waiting for the rest of the body.
	server := tcpSocket{local: hexAddr(t, p.addr), remote: hexAddr(t, conn.LocalAddr().String())}
	until(t, "the server reads the first half of the request", func() bool {
		s, ok := server.find(t)
		return ok && s.rxQueue == 0
	})
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the listening socket is gone; the process must then stay
	// up for the request in flight.
	listener := tcpSocket{local: hexAddr(t, p.addr), remote: "00000000:0000"}
	until(t, "the server stops listening after SIGTERM", func() bool {
		_, ok := listener.find(t)
		return !ok
	})
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

// tcpSocket names a TCP socket as /proc/net/tcp shows it (IPv4, hex); rxQueue is what
// the kernel holds that the owning process has not read yet.
type tcpSocket struct {
	local, remote string
	rxQueue       int64
}

// find reads the socket's current line of /proc/net/tcp; false when it does not exist.
// The kernel's view is the only outside evidence of what a process has read.
func (want tcpSocket) find(t *testing.T) (tcpSocket, bool) {
	t.Helper()
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		t.Fatalf("this test reads the kernel's socket table: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 5 || f[1] != want.local || f[2] != want.remote {
			continue
		}
		_, rx, _ := strings.Cut(f[4], ":")
		n, err := strconv.ParseInt(rx, 16, 64)
		if err != nil {
			t.Fatalf("rx_queue %q: %v", f[4], err)
		}
		want.rxQueue = n
		return want, true
	}
	return want, false
}

// hexAddr writes an IPv4 host:port as /proc/net/tcp does: "127.0.0.1:8080" is
// "0100007F:1F90" (the address in host byte order, little-endian here).
func hexAddr(t *testing.T, hostport string) string {
	t.Helper()
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil || !ap.Addr().Is4() {
		t.Fatalf("not an IPv4 address: %q (%v)", hostport, err)
	}
	ip := ap.Addr().As4()
	return fmt.Sprintf("%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], ap.Port())
}

// until polls cond until it holds, failing the test after 10 s.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
