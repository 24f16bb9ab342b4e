// Command duban-testidp runs the test OpenID Connect provider of internal/sso/testidp
// (zitadel/oidc's provider with a small login page) for the browser suite. It is a
// test tool, never shipped:
//
//	duban-testidp -addr 127.0.0.1:9998 -client-id duban -client-secret s \
//	    -redirect http://127.0.0.1:8080/api/v1/auth/oidc/callback \
//	    -user 'zhang.wei:password:张伟:E1001'
//
// It prints "issuer <url>" once it listens, and serves until SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/duban/duban/internal/sso/testidp"
)

type userFlags []testidp.User

func (u *userFlags) String() string { return fmt.Sprint(len(*u), " users") }

// Set reads username:password:name[:employee number[:email]].
func (u *userFlags) Set(v string) error {
	p := strings.Split(v, ":")
	if len(p) < 3 {
		return fmt.Errorf("-user %q: want username:password:name[:employee number[:email]]", v)
	}
	x := testidp.User{ID: "sub-" + p[0], Username: p[0], Password: p[1], Name: p[2]}
	if len(p) > 3 && p[3] != "" {
		x.Claims = map[string]any{"employee_number": p[3]}
	}
	if len(p) > 4 && p[4] != "" {
		x.Email, x.EmailVerified = p[4], true
	}
	*u = append(*u, x)
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	id := flag.String("client-id", "duban", "client id")
	secret := flag.String("client-secret", "", "client secret")
	redirect := flag.String("redirect", "", "the client's redirect URI")
	var users userFlags
	flag.Var(&users, "user", "a user: username:password:name[:employee number[:email]] (repeatable)")
	flag.Parse()
	s, err := testidp.Start(*addr, testidp.Options{ClientID: *id, ClientSecret: *secret, RedirectURIs: []string{*redirect}, Users: users})
	if err != nil {
		fmt.Fprintln(os.Stderr, "duban-testidp:", err)
		os.Exit(1)
	}
	fmt.Println("issuer", s.Issuer)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	_ = s.Close()
}
