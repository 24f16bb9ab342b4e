package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// SSO is the single sign-on and directory configuration: OIDC, LDAP / Active
// Directory, and whether local passwords still work. Everything is off unless
// configured.
type SSO struct {
	// PublicURL is the address people open Duban at (https://duban.example.com): the
	// OIDC redirect URI and the web app's landing page after an OIDC login are built
	// from it. Required with OIDC.
	PublicURL string `env:"-"`
	// PasswordLogin false turns local passwords off for everyone but the
	// break-glass account.
	PasswordLogin bool `env:"DUBAN_PASSWORD_LOGIN" envDefault:"true"`
	// BreakGlassUsername keeps its password login when PasswordLogin is false.
	BreakGlassUsername string `env:"DUBAN_BREAK_GLASS_USERNAME" envDefault:"admin"`
	// CreateUsers creates an unknown person at their first SSO login, in
	// DefaultUnit with the role member; otherwise only known people get in.
	CreateUsers bool `env:"DUBAN_SSO_CREATE_USERS" envDefault:"false"`
	// DefaultUnit is where CreateUsers puts new people: a unit's code (单位编码), id
	// or unique name.
	DefaultUnit string `env:"DUBAN_SSO_DEFAULT_UNIT"`

	OIDC OIDC
	LDAP LDAP
}

// OIDC configures login through an OpenID Connect provider (authorization code
// with PKCE).
type OIDC struct {
	// Issuer is the provider's issuer URL; its discovery document is read at start.
	Issuer       string `env:"DUBAN_OIDC_ISSUER"`
	ClientID     string `env:"DUBAN_OIDC_CLIENT_ID"`
	ClientSecret string `env:"DUBAN_OIDC_CLIENT_SECRET"`
	// Scopes requested besides openid.
	Scopes []string `env:"DUBAN_OIDC_SCOPES" envSeparator:"," envDefault:"profile,email"`
	// MatchClaim is the claim that names the person, MatchField the Duban field it
	// is compared with (username, employee_no or email).
	MatchClaim string `env:"DUBAN_OIDC_MATCH_CLAIM" envDefault:"preferred_username"`
	MatchField string `env:"DUBAN_OIDC_MATCH_FIELD" envDefault:"username"`
	// Label is the login button's text; empty shows "使用统一身份认证登录".
	Label string `env:"DUBAN_OIDC_LABEL"`
}

// Enabled reports whether OIDC login is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// LDAP configures login against an LDAP directory or Active Directory (search the
// person with a service account, then bind as them) and the directory sync.
type LDAP struct {
	// URL is ldap://host:389 or ldaps://host:636.
	URL string `env:"DUBAN_LDAP_URL"`
	// StartTLS upgrades an ldap:// connection to TLS before anything is sent.
	StartTLS bool `env:"DUBAN_LDAP_STARTTLS" envDefault:"false"`
	// CAFile is a PEM file of the CA that signed the server's certificate; the
	// system's roots are used without it.
	CAFile string `env:"DUBAN_LDAP_CA_FILE"`
	// BindDN and BindPassword are the service account that searches.
	BindDN       string `env:"DUBAN_LDAP_BIND_DN"`
	BindPassword string `env:"DUBAN_LDAP_BIND_PASSWORD"`
	// UserBaseDN and UserFilter find people; {username} in the filter is the login
	// name typed, escaped.
	UserBaseDN string `env:"DUBAN_LDAP_USER_BASE_DN"`
	UserFilter string `env:"DUBAN_LDAP_USER_FILTER" envDefault:"(&(objectClass=inetOrgPerson)(uid={username}))"`
	// UserAttrs maps Duban's fields to the directory's attributes.
	UserAttrs map[string]string `env:"DUBAN_LDAP_USER_ATTRS" envSeparator:"," envKeyValSeparator:"=" envDefault:"username=uid,display_name=cn,email=mail,phone=telephoneNumber,employee_no=employeeNumber,title=title"`
	// MatchField is the Duban field a directory entry is matched by (username,
	// employee_no or email); the attribute is UserAttrs' entry for it.
	MatchField string `env:"DUBAN_LDAP_MATCH_FIELD" envDefault:"username"`
	// IDAttr is the directory's stable id of an entry (entryUUID; objectGUID on AD).
	IDAttr string `env:"DUBAN_LDAP_ID_ATTR" envDefault:"entryUUID"`
	// GroupBaseDN and GroupFilter find a person's groups; {dn} is their DN.
	GroupBaseDN string `env:"DUBAN_LDAP_GROUP_BASE_DN"`
	GroupFilter string `env:"DUBAN_LDAP_GROUP_FILTER" envDefault:"(|(member={dn})(uniqueMember={dn}))"`
	// GroupRoles maps groups to roles: "role:groupDN;role:groupDN".
	GroupRoles string `env:"DUBAN_LDAP_GROUP_ROLES"`
	// UnitBaseDN and UnitFilter find the units for the sync: the base entry is the
	// group (集团), the entries below it units; people sit in the unit whose entry
	// holds theirs.
	UnitBaseDN string `env:"DUBAN_LDAP_UNIT_BASE_DN"`
	UnitFilter string `env:"DUBAN_LDAP_UNIT_FILTER" envDefault:"(objectClass=organizationalUnit)"`
	// UnitNameAttr names a unit; UnitKindAttr, when set, holds its kind (group,
	// enterprise, department or 集团, 企业, 部门); without it units below the base
	// are departments.
	UnitNameAttr string `env:"DUBAN_LDAP_UNIT_NAME_ATTR" envDefault:"ou"`
	UnitKindAttr string `env:"DUBAN_LDAP_UNIT_KIND_ATTR"`
	// Label is the name of the directory login on the login page.
	Label string `env:"DUBAN_LDAP_LABEL"`
}

// Enabled reports whether LDAP login is configured.
func (l LDAP) Enabled() bool { return l.URL != "" }

// SyncEnabled reports whether the directory sync is configured.
func (l LDAP) SyncEnabled() bool { return l.Enabled() && l.UnitBaseDN != "" }

// MatchFields are the Duban fields a person can be matched by.
var MatchFields = []string{"username", "employee_no", "email"}

// userAttrKeys are the fields DUBAN_LDAP_USER_ATTRS may map.
var userAttrKeys = []string{"username", "display_name", "email", "phone", "employee_no", "title"}

func (s *SSO) validate() []error {
	var errs []error
	if s.PublicURL != "" {
		u, err := url.Parse(s.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("DUBAN_PUBLIC_URL %q must be an http(s) URL like https://duban.example.com", s.PublicURL))
		}
		s.PublicURL = strings.TrimRight(s.PublicURL, "/")
	}
	if !s.PasswordLogin && strings.TrimSpace(s.BreakGlassUsername) == "" {
		errs = append(errs, errors.New("DUBAN_BREAK_GLASS_USERNAME must name an account when DUBAN_PASSWORD_LOGIN=false"))
	}
	if !s.PasswordLogin && !s.OIDC.Enabled() && !s.LDAP.Enabled() {
		errs = append(errs, errors.New("DUBAN_PASSWORD_LOGIN=false needs single sign-on: set DUBAN_OIDC_ISSUER or DUBAN_LDAP_URL"))
	}
	if s.CreateUsers && strings.TrimSpace(s.DefaultUnit) == "" {
		errs = append(errs, errors.New("DUBAN_SSO_CREATE_USERS=true needs DUBAN_SSO_DEFAULT_UNIT (the unit new people join)"))
	}
	if o := s.OIDC; o.Enabled() {
		if u, err := url.Parse(o.Issuer); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("DUBAN_OIDC_ISSUER %q must be the provider's issuer URL", o.Issuer))
		}
		if o.ClientID == "" {
			errs = append(errs, errors.New("DUBAN_OIDC_CLIENT_ID is required with DUBAN_OIDC_ISSUER"))
		}
		if s.PublicURL == "" {
			errs = append(errs, errors.New("DUBAN_PUBLIC_URL is required with DUBAN_OIDC_ISSUER (the redirect URI is built from it)"))
		}
		if strings.TrimSpace(o.MatchClaim) == "" {
			errs = append(errs, errors.New("DUBAN_OIDC_MATCH_CLAIM must name a claim"))
		}
		if !oneOf(o.MatchField, MatchFields) {
			errs = append(errs, fmt.Errorf("DUBAN_OIDC_MATCH_FIELD %q must be one of %s", o.MatchField, strings.Join(MatchFields, ", ")))
		}
	}
	if l := s.LDAP; l.Enabled() {
		errs = append(errs, l.validate()...)
	}
	return errs
}

func (l LDAP) validate() []error {
	var errs []error
	u, err := url.Parse(l.URL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "ldap" && u.Scheme != "ldaps"):
		errs = append(errs, fmt.Errorf("DUBAN_LDAP_URL %q must be ldap://host:389 or ldaps://host:636", l.URL))
	case u.Scheme == "ldaps" && l.StartTLS:
		errs = append(errs, errors.New("DUBAN_LDAP_STARTTLS is for ldap:// URLs; ldaps:// is TLS already"))
	}
	if l.CAFile != "" {
		if _, err := os.Stat(l.CAFile); err != nil {
			errs = append(errs, fmt.Errorf("DUBAN_LDAP_CA_FILE: %w", err))
		}
	}
	if l.UserBaseDN == "" {
		errs = append(errs, errors.New("DUBAN_LDAP_USER_BASE_DN is required with DUBAN_LDAP_URL"))
	}
	if !strings.Contains(l.UserFilter, "{username}") {
		errs = append(errs, errors.New("DUBAN_LDAP_USER_FILTER must contain {username}"))
	}
	for k := range l.UserAttrs {
		if !oneOf(k, userAttrKeys) {
			errs = append(errs, fmt.Errorf("DUBAN_LDAP_USER_ATTRS: unknown field %q; use %s", k, strings.Join(userAttrKeys, ", ")))
		}
	}
	for _, k := range []string{"username", "display_name"} {
		if l.UserAttrs[k] == "" {
			errs = append(errs, fmt.Errorf("DUBAN_LDAP_USER_ATTRS must map %s", k))
		}
	}
	if !oneOf(l.MatchField, MatchFields) {
		errs = append(errs, fmt.Errorf("DUBAN_LDAP_MATCH_FIELD %q must be one of %s", l.MatchField, strings.Join(MatchFields, ", ")))
	} else if l.UserAttrs[l.MatchField] == "" {
		errs = append(errs, fmt.Errorf("DUBAN_LDAP_MATCH_FIELD %s has no attribute in DUBAN_LDAP_USER_ATTRS", l.MatchField))
	}
	if l.GroupBaseDN != "" && !strings.Contains(l.GroupFilter, "{dn}") {
		errs = append(errs, errors.New("DUBAN_LDAP_GROUP_FILTER must contain {dn}"))
	}
	if _, err := ParseGroupRoles(l.GroupRoles); err != nil {
		errs = append(errs, fmt.Errorf("DUBAN_LDAP_GROUP_ROLES: %w", err))
	} else if l.GroupRoles != "" && l.GroupBaseDN == "" {
		errs = append(errs, errors.New("DUBAN_LDAP_GROUP_ROLES needs DUBAN_LDAP_GROUP_BASE_DN"))
	}
	return errs
}

// GroupRole maps one directory group to one role.
type GroupRole struct {
	Role    string
	GroupDN string
}

// roles a group may grant (package access holds the same list; config cannot
// import it without a cycle).
var groupRoleNames = []string{"admin", "supervisor", "leader", "member", "auditor"}

// ParseGroupRoles reads "role:groupDN;role:groupDN".
func ParseGroupRoles(s string) ([]GroupRole, error) {
	var out []GroupRole
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		role, dn, ok := strings.Cut(part, ":")
		role, dn = strings.TrimSpace(role), strings.TrimSpace(dn)
		if !ok || dn == "" {
			return nil, fmt.Errorf("%q is not role:groupDN", part)
		}
		if !oneOf(role, groupRoleNames) {
			return nil, fmt.Errorf("unknown role %q; use %s", role, strings.Join(groupRoleNames, ", "))
		}
		out = append(out, GroupRole{Role: role, GroupDN: dn})
	}
	return out, nil
}

func oneOf(s string, list []string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}
