package authzmatrix

import (
	"fmt"
	"net/http"

	"github.com/duban/duban/internal/orgsync"
)

// Single sign-on, the org import and bulk actions on people.
func init() {
	register(ssoRows()...)
	register(orgImportRows()...)
	register(bulkRows()...)
}

// ssoRows are public: every role answers like anonymous. The matrix's server has
// no OIDC provider or directory configured, so the flows answer 404
// sso_not_configured (internal/sso's tests run them against real servers); the
// methods list and the one-time code check answer as they always do.
func ssoRows() []row {
	public := func(status int) grid {
		g := all(status)
		g[anon] = [3]int{status}
		return g
	}
	return []row{
		{
			method: "GET", route: "/api/v1/auth/methods", public: true,
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/auth/methods", nil },
			want:  public(http.StatusOK),
		},
		{
			method: "GET", route: "/api/v1/auth/oidc/login", public: true,
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/auth/oidc/login?return_to=/items", nil },
			want:  public(http.StatusNotFound),
		},
		{
			method: "GET", route: "/api/v1/auth/oidc/callback", public: true,
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/auth/oidc/callback?code=x&state=y", nil },
			want:  public(http.StatusNotFound),
		},
		{
			method: "POST", route: "/api/v1/auth/oidc/session", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/auth/oidc/session", map[string]string{"code": fmt.Sprintf("not-a-code-%d", f.next())}
			},
			want: public(http.StatusUnauthorized),
		},
		{
			method: "POST", route: "/api/v1/auth/ldap/login", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/auth/ldap/login", map[string]string{"username": c.user.name, "password": "whatever-2026"}
			},
			want: public(http.StatusNotFound),
		},
	}
}

// orgImportRows: only admins download the template and import, in any scope (the
// relation does not apply: the import is about the whole organisation). The
// import is a dry run of the empty template, which changes nothing.
func orgImportRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/org/import-template.xlsx",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/org/import-template.xlsx", nil },
			want:  adminOnly(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/org/import",
			setup: func(f *fixture, c *cell) (string, any) {
				tpl := once(f, "org-import-template", func() []byte {
					b, err := orgsync.Template()
					if err != nil {
						f.failf("template: %v", err)
					}
					return b
				})
				return "/api/v1/org/import?dry_run=true", upload{filename: "组织机构.xlsx", content: tpl}
			},
			want: adminOnly(http.StatusOK),
		},
	}
}

// bulkRows: only admins act on many people, in any scope. own is a fresh user of
// the caller's unit, other one of another department of the scope, none one of
// the enterprise; the action adds the auditor role.
func bulkRows() []row {
	return []row{
		{
			method: "POST", route: "/api/v1/users/bulk",
			setup: func(f *fixture, c *cell) (string, any) {
				u := f.newUser(f.unitFor(c.user, c.rel))
				return "/api/v1/users/bulk", map[string]any{
					"user_ids": []string{u.String()}, "action": "set_roles", "roles": []string{"auditor"}, "roles_mode": "add",
				}
			},
			want: adminOnly(http.StatusOK),
		},
	}
}
