package authzmatrix

import (
	"fmt"
	"net/http"
)

// Settings: the holiday calendar and the warning-light thresholds. Everyone signed
// in reads them; only admins change them.
func init() {
	register(calendarRows()...)
	register(warningSettingsRows()...)
	// The initiation routes (第十四条) are the same rules for everyone signed in.
	register(row{
		method: "GET", route: "/api/v1/item-sources",
		setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/item-sources", nil },
		want:  all(http.StatusOK),
	})
}

// calendarRows: the calendar has no owner; the relation picks the year (own: this
// year's shipped data, other: next year's, none: a year without data). PUT writes
// years nobody else uses (2097 to 2099), so the items' working days stay as they
// are.
func calendarRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/calendar/:year",
			setup: func(f *fixture, c *cell) (string, any) {
				y := f.items.Today().Year + [...]int{0, 1, 0}[c.rel]
				if c.rel == none {
					y = 2099
				}
				return fmt.Sprintf("/api/v1/calendar/%d", y), nil
			},
			want: all(http.StatusOK),
		},
		{
			method: "PUT", route: "/api/v1/calendar/:year",
			setup: func(f *fixture, c *cell) (string, any) {
				y := 2097 + int(c.rel)
				return fmt.Sprintf("/api/v1/calendar/%d", y), map[string]any{
					"note": "授权矩阵测试",
					"days": []map[string]string{{"date": fmt.Sprintf("%d-01-01", y), "kind": "holiday", "name": "元旦"}},
				}
			},
			want: adminOnly(http.StatusOK),
		},
	}
}

// warningSettingsRows: the thresholds of the warning lights have no owner either;
// the relation does not apply. PUT writes the defaults (blue 3 working days before,
// no feedback grace), so the other cells' lights stay as they are.
func warningSettingsRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/settings/warnings",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/settings/warnings", nil },
			want:  all(http.StatusOK),
		},
		{
			method: "PUT", route: "/api/v1/settings/warnings",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/settings/warnings", map[string]int{"blue_workdays": 3, "feedback_grace_workdays": 0}
			},
			want: adminOnly(http.StatusOK),
		},
	}
}
