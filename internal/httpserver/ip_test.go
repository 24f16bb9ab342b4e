package httpserver

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestIPExtractor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		trusted []string
		remote  string
		xff     string
		want    string
	}{
		{"no proxies trusted: the peer", nil, "127.0.0.1:5000", "203.0.113.7", "127.0.0.1"},
		{"trusted proxy: the forwarded client", []string{"127.0.0.1/32"}, "127.0.0.1:5000", "203.0.113.7", "203.0.113.7"},
		{"untrusted peer cannot spoof", []string{"127.0.0.1/32"}, "198.51.100.9:5000", "203.0.113.7", "198.51.100.9"},
		{"chain through two trusted proxies", []string{"10.0.0.0/8"}, "10.0.0.2:5000", "203.0.113.7, 10.0.0.5", "203.0.113.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tc.remote
			req.Header.Set("X-Forwarded-For", tc.xff)
			if got := ipExtractor(tc.trusted)(req); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// Issue 14 §5: the compose file trusted all of 10/8, 172.16/12 and 192.168/16, so
// any intranet client could forge X-Forwarded-For. Trusting a whole network is
// warned about at start; the proxy's own address is not.
func TestBroadTrustedProxiesAreWarnedAbout(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	if n := warnBroadProxies(logger, []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "172.18.0.5/32", "fd00::/8"}); n != 4 {
		t.Fatalf("%d warnings, want 4: %s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "10.0.0.0/8") || strings.Contains(buf.String(), "range=172.18.0.5") {
		t.Errorf("warnings: %s", buf.String())
	}
}
