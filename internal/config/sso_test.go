package config

import (
	"strings"
	"testing"
)

func TestSSODefaultsAndParsing(t *testing.T) {
	t.Parallel()
	c, err := LoadFrom(map[string]string{
		"DUBAN_LDAP_URL":           "ldaps://dir.example.com:636",
		"DUBAN_LDAP_USER_BASE_DN":  "ou=people,dc=example,dc=com",
		"DUBAN_LDAP_GROUP_BASE_DN": "ou=groups,dc=example,dc=com",
		"DUBAN_LDAP_GROUP_ROLES":   "admin:cn=admins,ou=groups,dc=example,dc=com; supervisor:cn=office,ou=groups,dc=example,dc=com",
		"DUBAN_LDAP_USER_ATTRS":    "username=sAMAccountName,display_name=displayName,employee_no=employeeID",
		"DUBAN_LDAP_MATCH_FIELD":   "employee_no",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !c.SSO.PasswordLogin || c.SSO.BreakGlassUsername != "admin" || c.SSO.OIDC.Enabled() || !c.SSO.LDAP.Enabled() {
		t.Fatalf("defaults: %+v", c.SSO)
	}
	if got := c.SSO.LDAP.UserAttrs["username"]; got != "sAMAccountName" {
		t.Fatalf("user attrs %v", c.SSO.LDAP.UserAttrs)
	}
	gr, err := ParseGroupRoles(c.SSO.LDAP.GroupRoles)
	if err != nil || len(gr) != 2 || gr[1].Role != "supervisor" || gr[1].GroupDN != "cn=office,ou=groups,dc=example,dc=com" {
		t.Fatalf("group roles %v %v", gr, err)
	}
}

func TestSSOValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DUBAN_OIDC_ISSUER": "https://idp.example.com"}, "DUBAN_OIDC_CLIENT_ID is required"},
		{map[string]string{"DUBAN_OIDC_ISSUER": "https://idp.example.com", "DUBAN_OIDC_CLIENT_ID": "duban"}, "DUBAN_PUBLIC_URL is required"},
		{map[string]string{"DUBAN_OIDC_ISSUER": "https://idp", "DUBAN_OIDC_CLIENT_ID": "d", "DUBAN_PUBLIC_URL": "https://d", "DUBAN_OIDC_MATCH_FIELD": "phone"}, "DUBAN_OIDC_MATCH_FIELD"},
		{map[string]string{"DUBAN_PASSWORD_LOGIN": "false"}, "needs single sign-on"},
		{map[string]string{"DUBAN_SSO_CREATE_USERS": "true"}, "DUBAN_SSO_DEFAULT_UNIT"},
		{map[string]string{"DUBAN_LDAP_URL": "http://dir"}, "DUBAN_LDAP_URL"},
		{map[string]string{"DUBAN_LDAP_URL": "ldaps://dir", "DUBAN_LDAP_STARTTLS": "true", "DUBAN_LDAP_USER_BASE_DN": "dc=x"}, "DUBAN_LDAP_STARTTLS"},
		{map[string]string{"DUBAN_LDAP_URL": "ldap://dir", "DUBAN_LDAP_USER_BASE_DN": "dc=x", "DUBAN_LDAP_GROUP_BASE_DN": "dc=x", "DUBAN_LDAP_GROUP_ROLES": "boss:cn=x"}, "unknown role"},
		{map[string]string{"DUBAN_LDAP_URL": "ldap://dir", "DUBAN_LDAP_USER_BASE_DN": "dc=x", "DUBAN_LDAP_USER_FILTER": "(uid=x)"}, "{username}"},
		{map[string]string{"DUBAN_LDAP_URL": "ldap://dir", "DUBAN_LDAP_USER_BASE_DN": "dc=x", "DUBAN_LDAP_CA_FILE": "/nonexistent/ca.pem"}, "DUBAN_LDAP_CA_FILE"},
	} {
		_, err := LoadFrom(tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one mentioning %q", tc.env, err, tc.want)
		}
	}
}
