package authzmatrix

import "net/http"

// The supervision office's contact (issue 11, point 16): per scope, the caller's;
// the relation does not apply. Everyone signed in reads it (the task notice prints
// it); the office and admins change it (the body's version stands for If-Match).
func init() {
	change := all(http.StatusForbidden)
	change[admin], change[supervisor] = [3]int{200, 200, 200}, [3]int{200, 200, 200}
	register(
		row{method: "GET", route: "/api/v1/settings/office-contact", setup: func(f *fixture, c *cell) (string, any) {
			return "/api/v1/settings/office-contact", nil
		}, want: all(http.StatusOK)},
		row{method: "PUT", route: "/api/v1/settings/office-contact", setup: func(f *fixture, c *cell) (string, any) {
			cur, _, err := f.env.App.OfficeContact.Get(f.ctx, c.user.scope)
			if err != nil {
				f.t.Fatal(err)
			}
			return "/api/v1/settings/office-contact", map[string]any{"phone": "0571-87001234", "person": "王敏", "version": cur.Version}
		}, want: change},
	)
}
