package hardening_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// proxy stands between the application and PostgreSQL, so that a test can take
// the database away (stop: connections cut, new ones refused) or freeze the
// network (freeze: connections stay open but nothing passes) without touching the
// shared server.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
	frozen bool
	thaw   chan struct{}
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, conns: map[net.Conn]bool{}, thaw: make(chan struct{})}
	close(p.thaw)
	p.listen("127.0.0.1:0")
	t.Cleanup(p.stop)
	return p
}

// through rewrites a PostgreSQL URL to go through the proxy.
func (p *proxy) through(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		p.t.Fatal(err)
	}
	u.Host = p.addr
	return u.String()
}

func (p *proxy) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
}

func (p *proxy) serve(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.mu.Lock()
				thaw := p.thaw
				p.mu.Unlock()
				<-thaw // frozen: hold the bytes
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		dst.Close()
		src.Close()
	}
	go pipe(s, c)
	go pipe(c, s)
}

// stop cuts every connection and refuses new ones: the database is down.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// start listens again on the same address: the database is back.
func (p *proxy) start() { p.listen(p.addr) }

// freeze holds every byte in flight until thawed: a network partition.
func (p *proxy) freeze() {
	p.mu.Lock()
	p.thaw = make(chan struct{})
	p.mu.Unlock()
}

func (p *proxy) unfreeze() {
	p.mu.Lock()
	close(p.thaw)
	p.mu.Unlock()
}

var _ = io.EOF
