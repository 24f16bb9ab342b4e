package outbound

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/duban/duban/internal/problem"
)

func TestAllowed(t *testing.T) {
	t.Parallel()
	_, lan, _ := net.ParseCIDR("10.20.0.0/16")
	g := New([]*net.IPNet{lan}, 0)
	for addr, want := range map[string]bool{
		"203.0.113.5": true, "8.8.8.8": true, "2001:4860:4860::8888": true, "10.20.3.4": true,
		"10.21.0.1": false, "127.0.0.1": false, "::1": false, "169.254.169.254": false, "192.168.0.1": false, "172.31.255.255": false,
		"100.64.1.1": false, "0.0.0.0": false, "::": false, "fd12::1": false, "fe80::1": false, "::ffff:127.0.0.1": false,
		"::ffff:10.20.0.9": true, "224.0.0.1": false, "255.255.255.255": false, "64:ff9b::a00:1": false,
	} {
		if got := g.Allowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

// A name that resolved to a public address when it was saved and resolves to
// loopback when called (DNS rebinding) is refused at the connection.
func TestRebindingRefusedAtDial(t *testing.T) {
	t.Parallel()
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer srv.Close()
	g := New(nil, 0)
	g.resolve = func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("203.0.113.9")}, nil
	}
	if err := g.Check(context.Background(), "url", "https://rebind.example.test/hook"); err != nil {
		t.Fatalf("a public name was refused: %v", err)
	}
	// The connection goes to loopback, whatever the name said before.
	req, _ := http.NewRequest(http.MethodPost, srv.URL, nil)
	res := Do(g.Client(), req)
	if !errors.Is(res.Err, ErrRefused) || hit {
		t.Fatalf("loopback was dialled: %+v (hit %v)", res, hit)
	}
	g.resolve = func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("203.0.113.9"), netip.MustParseAddr("10.0.0.1")}, nil
	}
	if err := g.Check(context.Background(), "url", "https://mixed.example.test/"); !problem.IsInvalid(err) {
		t.Fatalf("a name with an internal address was accepted: %v", err)
	}
}

// Redirects are not followed: a public target cannot bounce the request inward.
func TestRedirectsNotFollowed(t *testing.T) {
	t.Parallel()
	inner := false
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { inner = true }))
	defer target.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	_, lo, _ := net.ParseCIDR("127.0.0.0/8")
	g := New([]*net.IPNet{lo}, 0)
	req, _ := http.NewRequest(http.MethodPost, redirector.URL, nil)
	res := Do(g.Client(), req)
	if res.Status != http.StatusTemporaryRedirect || res.OK() || inner {
		t.Fatalf("redirect: %+v, followed %v", res, inner)
	}
}
