package authzmatrix

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/notifications"
)

// Notifications, their settings and the calendar feed are the caller's own:
// every signed-in user has theirs and no way to reach another's. The relation
// picks whose notification a cell acts on: own is one of the caller's, other and
// none one of another user (of the same scope, of an enterprise) — 404, never
// 403, so that nothing leaks. The stream is read with timeout=0 (what is waiting,
// then the end).
func init() {
	register(
		row{
			method: "GET", route: "/api/v1/notifications",
			setup: func(f *fixture, c *cell) (string, any) {
				f.notification(c, own)
				return "/api/v1/notifications?unread=true", nil
			},
			want: all(http.StatusOK),
			check: func(f *fixture, c *cell, body []byte) string {
				if !strings.Contains(string(body), `"unread":`) || strings.Contains(string(body), `"total":0`) {
					return "the list lacks the caller's own notification"
				}
				return ""
			},
		},
		row{
			method: "GET", route: "/api/v1/notifications/unread-count",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/notifications/unread-count", nil },
			want:  all(http.StatusOK),
		},
		row{
			method: "GET", route: "/api/v1/notifications/stream",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/notifications/stream?timeout=0", nil },
			want:  all(http.StatusOK),
			check: func(f *fixture, c *cell, body []byte) string {
				if !strings.Contains(string(body), "event: unread") {
					return "the stream sent no unread count"
				}
				return ""
			},
		},
		row{
			method: "POST", route: "/api/v1/notifications/read-all",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/notifications/read-all", nil },
			want:  all(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/notifications/:id/read",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/notifications/" + f.notification(c, c.rel).String() + "/read", nil
			},
			want: grid{admin: {200, 404, 404}, supervisor: {200, 404, 404}, leader: {200, 404, 404}, member: {200, 404, 404},
				undertaker: {200, 404, 404}, auditor: {200, 404, 404}},
		},
		row{
			method: "GET", route: "/api/v1/me/notification-settings",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/notification-settings", nil },
			want:  all(http.StatusOK),
		},
		row{
			method: "PUT", route: "/api/v1/me/notification-settings",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/me/notification-settings", map[string]any{"digest": true, "digest_time": "08:30"}
			},
			want: all(http.StatusOK),
		},
		row{
			method: "GET", route: "/api/v1/me/calendar-token",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/calendar-token", nil },
			want:  all(http.StatusOK),
		},
		row{
			method: "POST", route: "/api/v1/me/calendar-token",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/calendar-token", nil },
			want:  all(http.StatusCreated),
		},
		row{
			method: "DELETE", route: "/api/v1/me/calendar-token",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/me/calendar-token", nil },
			want:  all(http.StatusNoContent),
		},
		// The feed is public (calendar clients send no header): its token is the
		// credential. Anonymous here means no token (401); each role fetches the
		// feed with a token of its own (own), another user's revoked one (other,
		// 401) and a made-up one (none, 401).
		row{
			method: "GET", route: "/api/v1/me/calendar.ics", public: true,
			setup: func(f *fixture, c *cell) (string, any) {
				if c.role == anon {
					return "/api/v1/me/calendar.ics", nil
				}
				switch c.rel {
				case own:
					return "/api/v1/me/calendar.ics?token=" + f.calendarToken(c.user.session), nil
				case other:
					other := f.freshActor(member)
					old := f.calendarToken(other.session)
					f.calendarToken(other.session) // replaces it
					return "/api/v1/me/calendar.ics?token=" + old, nil
				}
				return "/api/v1/me/calendar.ics?token=dcal_" + uuid.NewString(), nil
			},
			want: grid{anon: {401, 401, 401}, admin: {200, 401, 401}, supervisor: {200, 401, 401}, leader: {200, 401, 401},
				member: {200, 401, 401}, undertaker: {200, 401, 401}, auditor: {200, 401, 401}},
			check: func(f *fixture, c *cell, body []byte) string {
				if !strings.HasPrefix(string(body), "BEGIN:VCALENDAR\r\n") {
					return "not a calendar"
				}
				return ""
			},
		},
	)
}

// notification writes a notification for the caller (own) or for another user
// (other: of the caller's scope, none: of an enterprise) and returns its id.
func (f *fixture) notification(c *cell, rel relation) uuid.UUID {
	user := c.user.id
	switch rel {
	case other:
		user = f.actors[supervisor].id
		if c.role == supervisor {
			user = f.actors[admin].id
		}
	case none:
		user = f.enterpriseUser()
	}
	now := time.Now().UTC()
	id := uuid.Must(uuid.NewV7())
	seq := time.Now().UnixNano()
	n := notifications.Notification{ID: id, UserID: user, Seq: seq, EventID: uuid.Must(uuid.NewV7()), EventKind: "urge.sent",
		Kind: notifications.KindUrge, Link: "/items", TitleZh: "催办", TitleEn: "Urge", BodyZh: "请办理", BodyEn: "Please act",
		InApp: true, CreatedAt: now}
	if err := f.env.DB.Conn(context.Background()).Create(&n).Error; err != nil {
		f.failf("notification: %v", err)
	}
	return id
}

// enterpriseUser is a user of the enterprise's scope.
func (f *fixture) enterpriseUser() uuid.UUID {
	var ids []uuid.UUID
	f.env.DB.Gorm().Table("users u").Joins("JOIN org_units ou ON ou.id = u.org_unit_id").
		Where("ou.scope_id <> ? AND u.is_system = ?", f.actors[admin].scope, false).Limit(1).Pluck("u.id", &ids)
	if len(ids) == 0 {
		f.failf("no user outside the group's scope")
	}
	return ids[0]
}

// calendarToken makes a feed token with the session's user and returns it.
func (f *fixture) calendarToken(session string) string {
	status, body := f.send("POST", "/api/v1/me/calendar-token", nil, session)
	if status != http.StatusCreated {
		f.failf("calendar token: %d %s", status, body)
	}
	i := strings.Index(string(body), `"token":"`)
	if i < 0 {
		f.failf("calendar token: %s", body)
	}
	rest := string(body)[i+len(`"token":"`):]
	return rest[:strings.IndexByte(rest, '"')]
}
