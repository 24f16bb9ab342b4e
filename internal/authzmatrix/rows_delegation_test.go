package authzmatrix

import (
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// Delegations (代理) and holdings (issue 17). GET /me/delegations is the caller's
// own. Creating one needs powers of one's own: the leader (L1) and heada (head of
// A) have them, the others 403. The relation picks the deputy's unit. Ending one:
// own is a delegation naming the caller as deputy (any party may end it), other
// and none one between others of the scope or the enterprise (admins end any;
// auditors see it: 403; the rest 404). A user's delegations and holdings are
// read by the user, admins (and auditors, for delegations); own/other/none pick
// the user's unit, never the caller.
func init() {
	register(
		row{
			method: "GET", route: "/api/v1/me/delegations",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/delegations", nil },
			want:  all(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/me/delegations",
			setup: func(f *fixture, c *cell) (string, any) {
				// Each cell its own period: a principal's delegations must not overlap.
				start := time.Now().Add(time.Duration(f.next()) * 48 * time.Hour)
				return "/api/v1/me/delegations", map[string]any{"deputy_id": f.newUser(f.unitFor(c.user, c.rel)),
					"starts_at": start, "ends_at": start.Add(24 * time.Hour)}
			},
			want: grid{
				admin: {403, 403, 403}, supervisor: {403, 403, 403}, leader: {201, 201, 201},
				member: {201, 201, 201}, undertaker: {403, 403, 403}, auditor: {403, 403, 403},
			},
		},
		row{
			method: "POST", route: "/api/v1/me/delegations/:id/end",
			setup: func(f *fixture, c *cell) (string, any) {
				deputy := c.user.id
				// A cell that cannot end it (anonymous, read-only) must not leave the
				// caller acting as leader2's deputy for the rows after this one.
				if c.rel != own || c.readOnly || c.role == anon {
					deputy = f.newUser(f.unitFor(c.user, c.rel))
				}
				now := time.Now().UTC()
				id := uuid.Must(uuid.NewV7())
				f.must(f.env.DB.Gorm().Table("delegations").Create(map[string]any{
					"id": id, "principal_id": f.leader2, "deputy_id": deputy, "starts_at": now, "ends_at": now.Add(time.Hour),
					"reason": fmt.Sprintf("矩阵%d", f.next()), "created_by": f.leader2, "version": 1, "created_at": now, "updated_at": now,
				}).Error, "insert delegation")
				return "/api/v1/me/delegations/" + id.String() + "/end", nil
			},
			want: grid{
				admin: {200, 200, 200}, supervisor: {200, 404, 404}, leader: {200, 404, 404},
				member: {200, 404, 404}, undertaker: {200, 404, 404}, auditor: {200, 403, 403},
			},
		},
		row{
			method: "GET", route: "/api/v1/users/:id/delegations",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/users/" + f.newUser(f.unitFor(c.user, c.rel)).String() + "/delegations", nil
			},
			want: grid{
				admin: {200, 200, 200}, supervisor: {404, 404, 404}, leader: {404, 404, 404},
				member: {404, 404, 404}, undertaker: {404, 404, 404}, auditor: {200, 200, 200},
			},
		},
		row{
			method: "GET", route: "/api/v1/users/:id/holdings",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/users/" + f.newUser(f.unitFor(c.user, c.rel)).String() + "/holdings", nil
			},
			want: grid{
				admin: {200, 200, 200}, supervisor: {404, 404, 404}, leader: {404, 404, 404},
				member: {404, 404, 404}, undertaker: {404, 404, 404}, auditor: {404, 404, 404},
			},
		},
	)
}
