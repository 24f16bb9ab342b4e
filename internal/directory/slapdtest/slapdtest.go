// Package slapdtest starts a real OpenLDAP server (Debian's slapd) for tests: a
// private process on loopback ports with a temporary configuration, database and
// TLS certificate, stopped when the test ends. Tests put their own entries in it.
//
// Without slapd installed a test is skipped, except under CI=true, where it fails:
// CI installs slapd (.ci/run), so its absence there is a broken machine.
package slapdtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// BaseDN is the suffix of the test directory.
const BaseDN = "dc=example,dc=org"

// Admin is the directory's root account (it bypasses access control).
const (
	AdminDN       = "cn=admin," + BaseDN
	AdminPassword = "slapd-admin-secret"
)

// Server is a running slapd.
type Server struct {
	// URL is ldap://127.0.0.1:port (plain, StartTLS capable); TLSURL is ldaps://.
	URL    string
	TLSURL string
	// CAFile is the PEM certificate of the CA that signed the server's certificate.
	CAFile string
	// ServiceDN / ServicePassword are a read-only account for searches.
	ServiceDN       string
	ServicePassword string
}

// binary finds slapd: on PATH or where Debian puts it.
func binary() string {
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/slapd"); err == nil {
		return "/usr/sbin/slapd"
	}
	return ""
}

// Start starts a slapd with the suffix BaseDN, its base entry and a service
// account, and stops it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		msg := "slapd is not installed (apt-get install slapd): the LDAP tests need a real directory server"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	caFile, certFile, keyFile := writeCerts(t, dir)
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
TLSCACertificateFile %[2]s
TLSCertificateFile %[3]s
TLSCertificateKeyFile %[4]s
database mdb
maxsize 33554432
suffix "%[5]s"
rootdn "%[6]s"
rootpw %[7]s
directory %[1]s/db
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`, dir, caFile, certFile, keyFile, BaseDN, AdminDN, AdminPassword)
	confFile := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	plain, secure := freePort(t), freePort(t)
	s := &Server{
		URL:             fmt.Sprintf("ldap://127.0.0.1:%d", plain),
		TLSURL:          fmt.Sprintf("ldaps://127.0.0.1:%d", secure),
		CAFile:          caFile,
		ServiceDN:       "cn=duban-svc," + BaseDN,
		ServicePassword: "service-secret-2026",
	}
	// -d 0 keeps slapd in the foreground (a child we can stop) without debug output.
	cmd := exec.Command(bin, "-f", confFile, "-h", s.URL+"/ "+s.TLSURL+"/", "-d", "0")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start slapd: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		conn, err := ldap.DialURL(s.URL)
		if err == nil {
			err = conn.Bind(AdminDN, AdminPassword)
			conn.Close()
			if err == nil {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("slapd exited at start: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd did not answer within 15 s: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Add(t, BaseDN, map[string][]string{"objectClass": {"dcObject", "organization"}, "dc": {"example"}, "o": {"Example"}})
	s.Add(t, s.ServiceDN, map[string][]string{
		"objectClass": {"person"}, "cn": {"duban-svc"}, "sn": {"service"}, "userPassword": {s.ServicePassword},
	})
	return s
}

// Admin returns a connection bound as the root account.
func (s *Server) Admin(t testing.TB) *ldap.Conn {
	t.Helper()
	conn, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatalf("connect to slapd: %v", err)
	}
	if err := conn.Bind(AdminDN, AdminPassword); err != nil {
		conn.Close()
		t.Fatalf("bind as admin: %v", err)
	}
	return conn
}

// Add adds an entry as the root account.
func (s *Server) Add(t testing.TB, dn string, attrs map[string][]string) {
	t.Helper()
	conn := s.Admin(t)
	defer conn.Close()
	req := ldap.NewAddRequest(dn, nil)
	for k, v := range attrs {
		req.Attribute(k, v)
	}
	if err := conn.Add(req); err != nil {
		t.Fatalf("add %s: %v", dn, err)
	}
}

// Delete removes an entry.
func (s *Server) Delete(t testing.TB, dn string) {
	t.Helper()
	conn := s.Admin(t)
	defer conn.Close()
	if err := conn.Del(ldap.NewDelRequest(dn, nil)); err != nil {
		t.Fatalf("delete %s: %v", dn, err)
	}
}

// Replace sets an attribute of an entry.
func (s *Server) Replace(t testing.TB, dn, attr string, values ...string) {
	t.Helper()
	conn := s.Admin(t)
	defer conn.Close()
	req := ldap.NewModifyRequest(dn, nil)
	req.Replace(attr, values)
	if err := conn.Modify(req); err != nil {
		t.Fatalf("modify %s: %v", dn, err)
	}
}

// OU adds an organizationalUnit under parent and returns its DN; kind, when not
// empty, goes to businessCategory.
func (s *Server) OU(t testing.TB, parent, name, kind string) string {
	t.Helper()
	dn := "ou=" + ldap.EscapeDN(name) + "," + parent
	attrs := map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {name}}
	if kind != "" {
		attrs["businessCategory"] = []string{kind}
	}
	s.Add(t, dn, attrs)
	return dn
}

// Person adds an inetOrgPerson under parent and returns its DN.
type Person struct {
	UID, Name, Password, Mail, Phone, EmployeeNo, Title string
}

// AddPerson adds p under parent and returns the DN.
func (s *Server) AddPerson(t testing.TB, parent string, p Person) string {
	t.Helper()
	dn := "uid=" + ldap.EscapeDN(p.UID) + "," + parent
	attrs := map[string][]string{
		"objectClass": {"inetOrgPerson"}, "uid": {p.UID}, "cn": {p.Name}, "sn": {p.Name},
	}
	for k, v := range map[string]string{"userPassword": p.Password, "mail": p.Mail, "telephoneNumber": p.Phone,
		"employeeNumber": p.EmployeeNo, "title": p.Title} {
		if v != "" {
			attrs[k] = []string{v}
		}
	}
	s.Add(t, dn, attrs)
	return dn
}

// Group adds a groupOfNames with the members and returns its DN.
func (s *Server) Group(t testing.TB, parent, name string, members ...string) string {
	t.Helper()
	dn := "cn=" + ldap.EscapeDN(name) + "," + parent
	s.Add(t, dn, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {name}, "member": members})
	return dn
}

// writeCerts makes a CA and a server certificate for 127.0.0.1 and localhost.
func writeCerts(t testing.TB, dir string) (caFile, certFile, keyFile string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Duban test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("ca.pem", "CERTIFICATE", caDER), write("server.pem", "CERTIFICATE", der), write("server.key", "PRIVATE KEY", keyDER)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects slapd's output for failure messages.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
