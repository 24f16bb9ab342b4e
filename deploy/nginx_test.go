package deploy_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The nginx of docker-compose.yml (deploy/nginx/templates), run by Debian's nginx in
// front of a real duban process, in both modes: plain HTTP (no HSTS) and TLS (HSTS,
// :80 redirecting), with the edge's rate limit on logins answering 429, and duban
// seeing the real client address even when the client forges X-Forwarded-For,
// because it trusts nginx's own address only.
func TestNginxInFrontOfDuban(t *testing.T) {
	t.Parallel()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
		if _, err := os.Stat(nginx); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("nginx is required under CI=true (apt-get install nginx-light)")
			}
			t.Skip("nginx not installed (apt-get install nginx-light)")
		}
	}
	duban := startDuban(t)
	for _, mode := range []string{"off", "on"} {
		t.Run("tls-"+mode, func(t *testing.T) {
			t.Parallel()
			httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
			runNginx(t, nginx, mode, duban.addr, httpAddr, httpsAddr)
			client := &http.Client{
				Timeout:       10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
				Transport: &http.Transport{
					TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // a certificate made by this test
					// Connect from 127.0.0.3: an address that is not nginx's.
					DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")}}).DialContext,
				},
			}
			base := "http://" + httpAddr
			if mode == "on" {
				resp := get(t, client, base+"/api/v1/openapi.json", nil)
				if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(resp.Header.Get("Location"), "https://") {
					t.Fatalf("HTTP with TLS on: %d %q", resp.StatusCode, resp.Header.Get("Location"))
				}
				base = "https://" + httpsAddr
			}
			resp := get(t, client, base+"/api/v1/openapi.json", nil)
			hsts := resp.Header.Get("Strict-Transport-Security")
			if resp.StatusCode != 200 || (mode == "on") != strings.Contains(hsts, "max-age=31536000") {
				t.Fatalf("openapi.json through nginx (TLS %s): %d, HSTS %q", mode, resp.StatusCode, hsts)
			}
			if r := get(t, client, base+"/metrics", nil); r.StatusCode != 404 {
				t.Fatalf("/metrics through nginx: %d", r.StatusCode)
			}

			// A burst of logins from one address: the edge lets the first few through
			// (burst 5) and answers the rest 429 itself.
			user := "edge-" + mode
			statuses := map[int]int{}
			for range 12 {
				req, _ := http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(`{"username":"`+user+`","password":"wrong-password-1"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", "6.6.6.6")
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses[resp.StatusCode]++
			}
			t.Logf("login burst: %v; duban saw %v", statuses, duban.remoteIPs("/api/v1/auth/login"))
			if statuses[429] < 5 || statuses[401]+statuses[429] != 12 {
				t.Fatalf("login burst through the edge: %v", statuses)
			}
			// Duban logged the real client, not the forged address.
			ips := duban.remoteIPs("/api/v1/auth/login")
			if len(ips) == 0 {
				t.Fatal("duban logged no login")
			}
			for _, ip := range ips {
				if ip != "127.0.0.3" {
					t.Fatalf("duban saw the client as %q (forged X-Forwarded-For believed?)", ip)
				}
			}
		})
	}
}

type dubanProcess struct {
	addr string
	mu   sync.Mutex
	log  []map[string]any
}

func (d *dubanProcess) remoteIPs(path string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, l := range d.log {
		if l["msg"] == "request" && l["path"] == path {
			out = append(out, fmt.Sprint(l["remote_ip"]))
		}
	}
	return out
}

// startDuban builds and runs duban on SQLite, trusting X-Forwarded-For from
// 127.0.0.1/32 only: the address nginx connects from, as 172.28.0.10/32 is in
// docker-compose.yml.
func startDuban(t *testing.T) *dubanProcess {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "duban")
	build := exec.Command("go", "build", "-o", bin, "github.com/duban/duban/cmd/duban")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build duban: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DUBAN_DATA_DIR=" + filepath.Join(dir, "data"), "DUBAN_HTTP_ADDR=127.0.0.1:0",
		"DUBAN_LOG_FORMAT=json", "DUBAN_TRUSTED_PROXIES=127.0.0.1/32"}
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	d := &dubanProcess{}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				d.mu.Lock()
				d.log = append(d.log, m)
				d.mu.Unlock()
			}
		}
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`listening on (\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case d.addr = <-addr:
	case <-time.After(60 * time.Second):
		t.Fatal("duban did not start")
	}
	return d
}

// runNginx renders the templates as the nginx image does (only DUBAN_* variables),
// points them at this test's addresses and files, and runs nginx in the foreground.
func runNginx(t *testing.T, nginx, tlsMode, upstream, httpAddr, httpsAddr string) {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{
		"DUBAN_UPSTREAMS":       "server " + upstream + ";",
		"DUBAN_TLS":             tlsMode,
		"DUBAN_EDGE_RATE":       "20r/s",
		"DUBAN_EDGE_BURST":      "40",
		"DUBAN_EDGE_LOGIN_RATE": "10r/m",
	}
	fixed := strings.NewReplacer(
		"/etc/nginx/conf.d/", dir+"/conf.d/",
		"/etc/nginx/tls/", dir+"/tls/",
		"/usr/share/nginx/html", dir+"/html",
		"listen [::]:80;", "",
		"listen [::]:443 ssl http2;", "",
		"listen 80;", "listen "+httpAddr+";",
		"listen 443 ssl http2;", "listen "+httpsAddr+" ssl http2;",
	)
	templates, _ := filepath.Glob("nginx/templates/*.template")
	more, _ := filepath.Glob("nginx/templates/duban/*.template")
	for _, src := range append(templates, more...) {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		out := regexp.MustCompile(`\$\{(DUBAN_[A-Z_]+)\}`).ReplaceAllStringFunc(string(b), func(m string) string {
			v, ok := vars[m[2:len(m)-1]]
			if !ok {
				t.Fatalf("%s uses %s, which the image does not set", src, m)
			}
			return v
		})
		rel, _ := filepath.Rel("nginx/templates", strings.TrimSuffix(src, ".template"))
		dst := filepath.Join(dir, "conf.d", rel)
		_ = os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, []byte(fixed.Replace(out)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.MkdirAll(filepath.Join(dir, "html"), 0o755)
	_ = os.WriteFile(filepath.Join(dir, "html", "index.html"), []byte("<!doctype html><title>督办</title>"), 0o644)
	writeCert(t, filepath.Join(dir, "tls"))
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the workers must read this test's private files
	}
	main := fmt.Sprintf(`%s
daemon off;
master_process on;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/conf.d/*.conf;
}
`, user, dir)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t (TLS %s): %v\n%s", tlsMode, err, out)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", conf)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", httpAddr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if i == 100 {
			t.Fatalf("nginx does not listen on %s: %s", httpAddr, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func get(t *testing.T, c *http.Client, url string, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func writeCert(t *testing.T, dir string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "duban.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.2")}, DNSNames: []string{"duban.test"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	_ = os.MkdirAll(dir, 0o700)
	_ = os.WriteFile(filepath.Join(dir, "tls.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "tls.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
}
