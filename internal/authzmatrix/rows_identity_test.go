package authzmatrix

import (
	"fmt"
	"net/http"

	"github.com/duban/duban/internal/apitest"
)

// Identity: sessions, the caller's own account and tokens, the organisation and
// users.
func init() {
	register(authRows()...)
	register(meRows()...)
	register(orgRows()...)
	register(userRows()...)
}

// authRows are the public routes. They do not look at the Authorization header,
// so every role answers like anonymous; the relation does not apply (each cell
// uses the acting user's own credentials).
func authRows() []row {
	public := func(status int) grid {
		g := all(status)
		g[anon] = [3]int{status}
		return g
	}
	return []row{
		{
			method: "POST", route: "/api/v1/auth/login", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/auth/login", map[string]string{"username": c.user.name, "password": apitest.TestPassword}
			},
			want: public(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/auth/refresh", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/auth/refresh", map[string]string{"refresh_token": f.refreshToken(c.user.id)}
			},
			want: public(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/auth/logout", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/auth/logout", map[string]string{"refresh_token": f.refreshToken(c.user.id)}
			},
			want: public(http.StatusNoContent),
		},
	}
}

// meRows are the caller's own account. The relation does not apply except for
// DELETE /me/tokens/{id}: own is a token of the caller, other one of a user of
// another unit of the scope, none one of an enterprise's user.
func meRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/me",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me", nil },
			want:  all(http.StatusOK),
		},
		{
			// A fresh user per cell: the password changes.
			method: "PUT", route: "/api/v1/me/password", fresh: true,
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/me/password", map[string]string{
					"current_password": apitest.TestPassword, "new_password": fmt.Sprintf("Matrix-%d-2026", f.next()),
				}
			},
			want: all(http.StatusNoContent),
		},
		{
			method: "GET", route: "/api/v1/me/tokens",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/tokens", nil },
			want:  all(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/me/tokens",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/me/tokens", map[string]any{"name": fmt.Sprintf("矩阵令牌%d", f.next()), "scopes": []string{"read"}}
			},
			want: all(http.StatusCreated),
		},
		{
			method: "DELETE", route: "/api/v1/me/tokens/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				owner := c.user.id
				switch c.rel {
				case other:
					owner = f.headB
				case none:
					owner = f.entHead
				}
				id, _ := f.apiTokenRow(owner, "read")
				return "/api/v1/me/tokens/" + id.String(), nil
			},
			want: grid{
				admin: {204, 404, 404}, supervisor: {204, 404, 404}, leader: {204, 404, 404},
				member: {204, 404, 404}, undertaker: {204, 404, 404}, auditor: {204, 404, 404},
			},
		},
	}
}

// orgRows: everyone signed in reads the whole tree; only admins change it, in any
// scope (DESIGN.md: admins administer org units; they are not tied to a scope).
// Reading and editing: own is the caller's unit, other department B (A for a
// caller in B), none the enterprise's department EA; edits only change the sort
// order, so the shared units keep their names. Creating and deleting work on
// departments, whose parent is always a scope's root: own and other are the
// group's (a new empty department for DELETE), none the enterprise's.
func orgRows() []row {
	root := func(f *fixture, rel relation) string {
		if rel == none {
			return f.ent.String()
		}
		return f.group.String()
	}
	return []row{
		{
			method: "GET", route: "/api/v1/org-units",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/org-units?tree=true", nil },
			want:  all(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/org-units",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/org-units", map[string]any{
					"name": fmt.Sprintf("矩阵新部门%d", f.next()), "kind": "department", "parent_id": root(f, c.rel),
				}
			},
			want: adminOnly(http.StatusCreated),
		},
		{
			method: "GET", route: "/api/v1/org-units/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/org-units/" + f.unitFor(c.user, c.rel).String(), nil
			},
			want: all(http.StatusOK),
		},
		{
			method: "PATCH", route: "/api/v1/org-units/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/org-units/" + f.unitFor(c.user, c.rel).String(), map[string]any{"sort_order": f.next()}
			},
			want: adminOnly(http.StatusOK),
		},
		{
			method: "DELETE", route: "/api/v1/org-units/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				parent := f.group
				if c.rel == none {
					parent = f.ent
				}
				return "/api/v1/org-units/" + f.newUnit(parent).String(), nil
			},
			want: adminOnly(http.StatusNoContent),
		},
	}
}

// userRows: everyone reads the directory (GET /users/{id}: any active user of the
// group, whatever the scope); only admins create and change accounts, in any
// scope. own is a user of the caller's unit, other one of another department of the
// scope, none one of the enterprise.
func userRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/users",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/users", nil },
			want:  all(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/users",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/users", map[string]any{
					"username": fmt.Sprintf("matrix.new%d", f.next()), "display_name": "矩阵新用户",
					"password": "Initial-2026-ok", "org_unit_id": f.unitFor(c.user, c.rel).String(), "roles": []string{"member"},
				}
			},
			want: adminOnly(http.StatusCreated),
		},
		{
			method: "GET", route: "/api/v1/users/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				u := once(f, "user/"+f.unitFor(c.user, c.rel).String(), func() string { return f.newUser(f.unitFor(c.user, c.rel)).String() })
				return "/api/v1/users/" + u, nil
			},
			want: all(http.StatusOK),
		},
		{
			method: "PATCH", route: "/api/v1/users/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/users/" + f.newUser(f.unitFor(c.user, c.rel)).String(), map[string]any{"title": "科长"}
			},
			want: adminOnly(http.StatusOK),
		},
		{
			// Lifting a user's login locks: admins only, whatever the user's scope.
			method: "POST", route: "/api/v1/users/:id/unlock",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/users/" + f.newUser(f.unitFor(c.user, c.rel)).String() + "/unlock", nil
			},
			want: adminOnly(http.StatusOK),
		},
	}
}
