// Package outbound is how Duban calls out to other systems (outgoing webhooks,
// the group robots): an HTTP client that refuses internal addresses. A target
// is checked twice — when an administrator saves it (its host resolved now) and
// at every connection (the address actually dialled), so that a name that
// resolved to a public address when it was saved and to 127.0.0.1 later (DNS
// rebinding) is refused too. Ranges of DUBAN_OUTBOUND_ALLOW are let through.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/duban/duban/internal/problem"
)

// Guard decides which addresses may be called.
type Guard struct {
	allow   []netip.Prefix
	timeout time.Duration
	// resolve looks a host up (tests replace it).
	resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// New returns a guard that lets the allowed ranges through besides public
// addresses; timeout bounds one request (0: 10 s).
func New(allow []*net.IPNet, timeout time.Duration) *Guard {
	g := &Guard{timeout: timeout}
	if g.timeout <= 0 {
		g.timeout = 10 * time.Second
	}
	for _, n := range allow {
		if p, err := netip.ParsePrefix(n.String()); err == nil {
			g.allow = append(g.allow, p.Masked())
		}
	}
	g.resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	return g
}

// internal are the ranges refused besides what netip classifies (loopback,
// private, link-local, multicast, unspecified).
var internal = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64 (may reach IPv4 internals)
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
}

// Allowed reports whether addr may be called.
func (g *Guard) Allowed(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range g.allow {
		if p.Contains(addr) {
			return true
		}
	}
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() {
		return false
	}
	for _, p := range internal {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// ErrRefused is returned for a target on an address that may not be called.
var ErrRefused = errors.New("internal address refused")

// Check validates a target URL as an administrator saves it: http or https, a
// host, no credentials in it, and every address the host resolves to allowed.
// The answer is a problem naming field.
func (g *Guard) Check(ctx context.Context, field, raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return problem.Field(field, "url", "must be an http or https URL")
	}
	if u.User != nil {
		return problem.Field(field, "url", "must not carry a user name or password")
	}
	if u.Fragment != "" {
		return problem.Field(field, "url", "must not have a fragment (#…)")
	}
	host := u.Hostname()
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		addrs, err = g.resolve(ctx, host)
		if err != nil || len(addrs) == 0 {
			return problem.Field(field, "resolvable", fmt.Sprintf("the host %q cannot be resolved", host))
		}
	}
	for _, a := range addrs {
		if !g.Allowed(a) {
			return problem.Field(field, "public_address",
				fmt.Sprintf("the host %q is on an internal address (%s); only public addresses may be called unless DUBAN_OUTBOUND_ALLOW permits it", host, a))
		}
	}
	return nil
}

// Client returns an HTTP client that dials only allowed addresses (checked on
// the address being connected to, after resolution), follows no redirects (a
// public target must not bounce the request inward) and ignores proxy settings.
func (g *Guard) Client() *http.Client {
	d := &net.Dialer{Timeout: g.timeout, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrRefused, address)
		}
		if !g.Allowed(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrRefused, ap.Addr())
		}
		return nil
	}}
	tr := &http.Transport{Proxy: nil, DialContext: d.DialContext, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: g.timeout, ResponseHeaderTimeout: g.timeout, MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second}
	return &http.Client{Transport: tr, Timeout: g.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Result is the outcome of one request, for delivery logs.
type Result struct {
	Status  int
	Latency time.Duration
	// Excerpt is the start of the answer's body.
	Excerpt string
	// Err is the transport error (refused address, timeout, connection), if any.
	Err error
}

// ExcerptBytes is how much of an answer a log keeps.
const ExcerptBytes = 1024

// Do sends req with c and reads the start of the answer. The latency is real
// elapsed time (a measurement, not a moment: the application's clock, which
// tests stand still, would make it zero).
func Do(c *http.Client, req *http.Request) Result {
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return Result{Latency: time.Since(start), Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, ExcerptBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return Result{Status: resp.StatusCode, Latency: time.Since(start), Excerpt: strings.ToValidUTF8(string(b), "�")}
}

// OK reports whether the answer is a 2xx.
func (r Result) OK() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }
