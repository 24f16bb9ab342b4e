// Package directory talks to the company's LDAP directory or Active Directory: it
// checks a person's password by binding as them (after finding their entry with a
// service account), maps their groups to Duban roles, and reads the units and
// people for the org sync.
//
// Connections are ldaps:// or ldap:// upgraded with StartTLS (or plain ldap:// on
// a trusted network); each operation opens its own connection and closes it, so
// nothing is shared between requests and a directory restart costs nothing.
package directory

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"

	"github.com/duban/duban/internal/config"
)

// Timeout bounds connecting and every request to the directory.
const Timeout = 10 * time.Second

// pageSize is the paging of large searches (Active Directory answers at most 1000
// entries per page).
const pageSize = 500

// Errors of Authenticate.
var (
	// ErrInvalidCredentials: no such person, or the password is wrong.
	ErrInvalidCredentials = errors.New("directory: invalid credentials")
	// ErrAmbiguous: the login name finds more than one entry.
	ErrAmbiguous = errors.New("directory: the login name matches several entries")
)

// Person is an entry of a person, with the fields Duban reads from it.
type Person struct {
	DN string
	// ID is the entry's stable id (entryUUID, objectGUID), hex when binary.
	ID          string
	Username    string
	DisplayName string
	Email       string
	Phone       string
	EmployeeNo  string
	Title       string
	// Roles are the roles their groups grant (only with DUBAN_LDAP_GROUP_ROLES).
	Roles []string
}

// Field returns the Duban field name's value: username, employee_no or email.
func (p Person) Field(name string) string {
	switch name {
	case "username":
		return p.Username
	case "employee_no":
		return p.EmployeeNo
	case "email":
		return p.Email
	}
	return ""
}

// Client is a configured directory.
type Client struct {
	cfg        config.LDAP
	tls        *tls.Config
	groupRoles []config.GroupRole
}

// New checks the configuration and loads the CA certificate.
func New(cfg config.LDAP) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("DUBAN_LDAP_URL: %w", err)
	}
	tc := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("DUBAN_LDAP_CA_FILE: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("DUBAN_LDAP_CA_FILE %s holds no PEM certificate", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	gr, err := config.ParseGroupRoles(cfg.GroupRoles)
	if err != nil {
		return nil, fmt.Errorf("DUBAN_LDAP_GROUP_ROLES: %w", err)
	}
	return &Client{cfg: cfg, tls: tc, groupRoles: gr}, nil
}

// Config is the client's configuration.
func (c *Client) Config() config.LDAP { return c.cfg }

// ManagedRoles are the roles the group mapping decides: a person has one of them
// exactly when one of their groups grants it. Other roles are left to Duban's
// admins. Empty without a mapping.
func (c *Client) ManagedRoles() []string {
	var out []string
	for _, g := range c.groupRoles {
		if !slices.Contains(out, g.Role) {
			out = append(out, g.Role)
		}
	}
	return out
}

// connect opens a connection (TLS as configured) bound as the service account.
func (c *Client) connect(ctx context.Context) (*ldap.Conn, error) {
	d := &net.Dialer{Timeout: Timeout}
	if dl, ok := ctx.Deadline(); ok {
		d.Deadline = dl
	}
	conn, err := ldap.DialURL(c.cfg.URL, ldap.DialWithDialer(d), ldap.DialWithTLSConfig(c.tls))
	if err != nil {
		return nil, fmt.Errorf("connect to the directory: %w", err)
	}
	conn.SetTimeout(Timeout)
	if c.cfg.StartTLS {
		if err := conn.StartTLS(c.tls); err != nil {
			conn.Close()
			return nil, fmt.Errorf("directory StartTLS: %w", err)
		}
	}
	if c.cfg.BindDN != "" {
		if err := conn.Bind(c.cfg.BindDN, c.cfg.BindPassword); err != nil {
			conn.Close()
			return nil, fmt.Errorf("bind as the directory service account: %w", err)
		}
	}
	return conn, nil
}

// Ping connects and binds as the service account.
func (c *Client) Ping(ctx context.Context) error {
	conn, err := c.connect(ctx)
	if err != nil {
		return err
	}
	return conn.Close()
}

// Authenticate finds the person with the login name and checks the password by
// binding as them. A wrong password or an unknown name is ErrInvalidCredentials.
func (c *Client) Authenticate(ctx context.Context, username, password string) (*Person, error) {
	// An empty password would be an unauthenticated bind, which servers accept
	// without checking anything (RFC 4513 5.1.2).
	if username == "" || password == "" {
		return nil, ErrInvalidCredentials
	}
	conn, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	filter := strings.ReplaceAll(c.cfg.UserFilter, "{username}", ldap.EscapeFilter(username))
	res, err := conn.Search(ldap.NewSearchRequest(c.cfg.UserBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(Timeout/time.Second), false, filter, c.personAttrs(), nil))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, fmt.Errorf("search the directory: %w", err)
	}
	switch {
	case res == nil || len(res.Entries) == 0:
		return nil, ErrInvalidCredentials
	case len(res.Entries) > 1:
		return nil, ErrAmbiguous
	}
	entry := res.Entries[0]
	if err := conn.Bind(entry.DN, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return nil, ErrInvalidCredentials
		}
		return nil, fmt.Errorf("bind as %s: %w", entry.DN, err)
	}
	// Back to the service account: a person may not be allowed to read groups.
	if c.cfg.BindDN != "" {
		if err := conn.Bind(c.cfg.BindDN, c.cfg.BindPassword); err != nil {
			return nil, fmt.Errorf("bind as the directory service account: %w", err)
		}
	}
	p := c.person(entry)
	if p.Roles, err = c.roles(conn, entry.DN); err != nil {
		return nil, err
	}
	return &p, nil
}

// roles maps the person's groups to roles.
func (c *Client) roles(conn *ldap.Conn, dn string) ([]string, error) {
	if len(c.groupRoles) == 0 || c.cfg.GroupBaseDN == "" {
		return nil, nil
	}
	filter := strings.ReplaceAll(c.cfg.GroupFilter, "{dn}", ldap.EscapeFilter(dn))
	res, err := conn.SearchWithPaging(ldap.NewSearchRequest(c.cfg.GroupBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, int(Timeout/time.Second), false, filter, []string{"1.1"}, nil), pageSize)
	if err != nil {
		return nil, fmt.Errorf("search the groups of %s: %w", dn, err)
	}
	roles := []string{}
	for _, g := range res.Entries {
		gdn, err := ldap.ParseDN(g.DN)
		if err != nil {
			continue
		}
		for _, m := range c.groupRoles {
			mdn, err := ldap.ParseDN(m.GroupDN)
			if err == nil && gdn.EqualFold(mdn) && !slices.Contains(roles, m.Role) {
				roles = append(roles, m.Role)
			}
		}
	}
	return roles, nil
}

func (c *Client) personAttrs() []string {
	attrs := []string{c.cfg.IDAttr}
	for _, a := range c.cfg.UserAttrs {
		attrs = append(attrs, a)
	}
	return attrs
}

func (c *Client) person(e *ldap.Entry) Person {
	get := func(field string) string {
		if a := c.cfg.UserAttrs[field]; a != "" {
			return strings.TrimSpace(e.GetAttributeValue(a))
		}
		return ""
	}
	return Person{
		DN: e.DN, ID: c.entryID(e), Username: get("username"), DisplayName: get("display_name"),
		Email: get("email"), Phone: get("phone"), EmployeeNo: get("employee_no"), Title: get("title"),
	}
}

// entryID reads the stable id; binary ids (AD's objectGUID) come out as hex.
func (c *Client) entryID(e *ldap.Entry) string {
	raw := e.GetRawAttributeValue(c.cfg.IDAttr)
	if len(raw) == 0 {
		return ""
	}
	if utf8.Valid(raw) && !strings.ContainsFunc(string(raw), func(r rune) bool { return r < 0x20 }) {
		return string(raw)
	}
	return hex.EncodeToString(raw)
}
