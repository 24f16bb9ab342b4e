package authzmatrix

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/users"
)

// Identities for integrators (issue 15): service accounts and every token are the
// admins' (with a login session: the ro column is 403 session_required); the
// relation does not apply to them (each cell makes its own account or token). The
// organisation's to-do feed: own is department A, other department B, none the
// enterprise's department; admins read every unit, the supervision office's
// supervisors the units of their scope, nobody else (service accounts are tested
// in internal/svcaccounts).
func init() {
	register(byRelation([]row{
		{
			method: "GET", route: "/api/v1/service-accounts",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/service-accounts", nil },
			want:  adminOnly(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/service-accounts",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts", map[string]any{"username": fmt.Sprintf("bot-%d", f.next()),
					"display_name": "集成", "org_unit_id": f.deptA.String()}
			},
			want: adminOnly(http.StatusCreated),
		},
		{
			method: "GET", route: "/api/v1/service-accounts/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts/" + f.serviceAccount().String(), nil
			},
			want: adminOnly(http.StatusOK),
		},
		{
			method: "PATCH", route: "/api/v1/service-accounts/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts/" + f.serviceAccount().String(), map[string]any{"description": "改"}
			},
			want: adminOnly(http.StatusOK),
		},
		{
			method: "DELETE", route: "/api/v1/service-accounts/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts/" + f.serviceAccount().String(), nil
			},
			want: adminOnly(http.StatusNoContent),
		},
		{
			method: "POST", route: "/api/v1/service-accounts/:id/tokens",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts/" + f.serviceAccount().String() + "/tokens",
					map[string]any{"name": "feed", "scopes": []string{"todo:read"}}
			},
			want: adminOnly(http.StatusCreated),
		},
		{
			method: "GET", route: "/api/v1/service-accounts/:id/activity",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/service-accounts/" + f.serviceAccount().String() + "/activity", nil
			},
			want: adminOnly(http.StatusOK),
		},
		{
			method: "GET", route: "/api/v1/tokens",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/tokens?kind=service", nil },
			want:  adminOnly(http.StatusOK),
		},
		{
			method: "DELETE", route: "/api/v1/tokens/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				id, _ := f.apiTokenRow(f.serviceAccount(), "todo:read")
				return "/api/v1/tokens/" + id.String(), nil
			},
			want: adminOnly(http.StatusNoContent),
		},
		{
			method: "GET", route: "/api/v1/todo",
			setup: func(f *fixture, c *cell) (string, any) {
				unit := [...]uuid.UUID{f.deptA, f.deptB, f.entDept}[c.rel]
				return "/api/v1/todo?unit_id=" + unit.String(), nil
			},
			want: func() grid {
				g := adminOnly(http.StatusOK)
				g[supervisor] = [3]int{http.StatusOK, http.StatusOK, http.StatusForbidden}
				return g
			}(),
		},
	})...)
}

// serviceAccount inserts a fresh service account of department A.
func (f *fixture) serviceAccount() uuid.UUID {
	now := time.Now().UTC()
	u := users.User{ID: uuid.Must(uuid.NewV7()), Username: fmt.Sprintf("svc-%d", f.next()), DisplayName: "集成",
		OrgUnitID: f.deptA, Active: true, Kind: users.KindService, Version: 1, CreatedAt: now, UpdatedAt: now}
	f.must(f.env.DB.Gorm().Create(&u).Error, "insert service account")
	f.must(f.env.DB.Gorm().Create(&users.UserRole{UserID: u.ID, Role: "member"}).Error, "service account role")
	return u.ID
}
