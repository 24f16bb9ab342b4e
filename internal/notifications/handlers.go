package notifications

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Stream lifetimes (seconds).
const (
	DefaultStreamSeconds = 300
	MaxStreamSeconds     = 3600
)

// Mount registers the notification routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service, tz string) {
	h := handlers{s: s, tz: tz}
	r.GET("/notifications", h.list)
	r.GET("/notifications/unread-count", h.count)
	r.GET("/notifications/stream", h.stream)
	r.POST("/notifications/read-all", h.readAll)
	r.POST("/notifications/:id/read", h.read)
	r.GET("/me/notification-settings", h.getSettings)
	r.PUT("/me/notification-settings", h.putSettings)
}

type handlers struct {
	s  *Service
	tz string
}

// list answers GET /notifications.
//
//	@Summary		My notifications
//	@Description	The caller's in-app notifications, newest first (only their own: there is no way to read another user's). Each has its title and body in Chinese and English, the kind (what the settings choose channels for), the domain event that caused it and a link to the object in the web app. `unread=true` lists only those not yet read; `unread` in the answer counts all unread ones. Who is notified of what: an item issued or assigned to my unit (the heads and liaisons of the unit, its responsible person, and whoever must accept it by the to-do list's rules); an assignment returned (the supervision office of the item's scope, the item's initiator); my item approved or rejected (the initiator; on approval also who must issue it); feedback accepted or returned (the unit's heads and liaisons and responsible person; on return whoever must resubmit); an urge to my unit, manual or an automatic reminder (the unit's heads and liaisons and responsible person, whoever must acknowledge it; escalations also the item's leaders); an approval, extension or completion request waiting for my decision (whoever must decide, by the to-do list's rules) and its outcome (the requester and the item's followers: initiator, supervising and assisting leaders, the units' heads and liaisons, responsible persons); a failed verification (反弹) and a leader's instruction (批示) (the item's followers); a webhook disabled after failures (the administrators). Never the person who acted; inactive users are left out. One notification per person per event.
//	@ID				listNotifications
//	@Tags			notifications
//	@Produce		json
//	@Param			unread		query		bool	false	"only unread ones"
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	ListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notifications [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	pg, errs := httpserver.ParsePage(c.QueryParams(), httpserver.DefaultPageSize)
	unread := false
	if v := c.QueryParam("unread"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "unread", Rule: "bool", Message: "must be true or false"})
		}
		unread = b
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	out, err := h.s.List(c.Request().Context(), p, unread, pg)
	if err != nil {
		return err
	}
	res := ListResponse{Data: make([]Response, len(out.Items)), Total: out.Total, Page: pg.Page, PageSize: pg.Size, Unread: out.Unread}
	for i := range out.Items {
		res.Data[i] = ToResponse(&out.Items[i])
	}
	return c.JSON(http.StatusOK, res)
}

// count answers GET /notifications/unread-count.
//
//	@Summary		How many of my notifications are unread
//	@Description	The bell's number. The stream (GET /notifications/stream) sends it too, whenever it changes.
//	@ID				countUnreadNotifications
//	@Tags			notifications
//	@Produce		json
//	@Success		200	{object}	CountResponse
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notifications/unread-count [get]
func (h handlers) count(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	n, err := h.s.UnreadCount(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CountResponse{Count: n})
}

// read answers POST /notifications/{id}/read.
//
//	@Summary		Mark a notification read
//	@Description	One of the caller's own notifications (another user's is 404). Marking it again changes nothing. The caller's open streams, in every process, get the new unread count.
//	@ID				readNotification
//	@Tags			notifications
//	@Produce		json
//	@Param			id	path		string	true	"notification id"	format(uuid)
//	@Success		200	{object}	Response
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"a read-only token"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notifications/{id}/read [post]
func (h handlers) read(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "notification")
	if err != nil {
		return err
	}
	n, err := h.s.MarkRead(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(n))
}

// readAll answers POST /notifications/read-all.
//
//	@Summary		Mark all my notifications read
//	@Description	Marks every unread notification of the caller read; the answer says how many were. Only the caller's own notifications change.
//	@ID				readAllNotifications
//	@Tags			notifications
//	@Produce		json
//	@Success		200	{object}	ReadAllResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"a read-only token"
//	@Security		BearerAuth
//	@Router			/notifications/read-all [post]
func (h handlers) readAll(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	n, err := h.s.MarkAllRead(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReadAllResponse{Marked: n})
}

// stream answers GET /notifications/stream.
//
//	@Summary		My notifications, live (server-sent events)
//	@Description	A `text/event-stream` of the caller's notifications as they are committed, by this server process or any other on the same database. Events: `notification` (id: its seq; data: the notification as in the list) and `unread` (data: `{"count": n}`, first at once and then whenever it changes); a comment line `: heartbeat` every 15 seconds; `retry: 3000` first. Resume after a broken connection with the `Last-Event-ID` header (the last seq received; up to 200 missed notifications are replayed). The stream ends after `timeout` seconds (default 300, at most 3600; 0 sends what is waiting and ends at once), or when the server shuts down: reconnect with Last-Event-ID and a fresh access token. Authentication is the Authorization header like every route: browsers' EventSource cannot send it, so the web app reads the stream with fetch() (and tokens are never put in URLs, which end up in logs).
//	@ID				streamNotifications
//	@Tags			notifications
//	@Produce		text/event-stream
//	@Param			Last-Event-ID	header		string	false	"the seq of the last notification received"
//	@Param			timeout			query		int		false	"seconds before the stream ends"	default(300)	minimum(0)	maximum(3600)
//	@Success		200				{string}	string	"server-sent events"
//	@Failure		400				{object}	problem.Problem	"a Last-Event-ID that is not a number"
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/notifications/stream [get]
func (h handlers) stream(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	o := StreamOptions{Lifetime: DefaultStreamSeconds * time.Second, Heartbeat: h.s.Heartbeat}
	if v := c.Request().Header.Get("Last-Event-ID"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return problem.BadRequest("Last-Event-ID must be the seq of a notification (a whole number)")
		}
		o.LastEventID = &n
	}
	if v := c.QueryParam("timeout"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > MaxStreamSeconds {
			return problem.Field("timeout", "range", "must be a whole number of seconds from 0 to 3600")
		}
		o.Lifetime = time.Duration(n) * time.Second
	}
	res := c.Response()
	hdr := res.Header()
	hdr.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	hdr.Set(echo.HeaderCacheControl, "no-cache, no-store")
	// nginx and other proxies must pass every event on at once.
	hdr.Set("X-Accel-Buffering", "no")
	// The server's write timeout would cut a long stream: this one ends by its
	// own lifetime.
	_ = http.NewResponseController(res).SetWriteDeadline(time.Time{})
	res.WriteHeader(http.StatusOK)
	flush := func() error { return http.NewResponseController(res).Flush() }
	return h.s.Stream(c.Request().Context(), p.UserID, o, res, flush)
}

// getSettings answers GET /me/notification-settings.
//
//	@Summary		My notification settings
//	@Description	Per kind of notification, which channels reach the caller (in_app, email); e-mail as one message per notification or a daily digest at digest_time; quiet hours without e-mail (what falls due then is sent when they end); the language of the e-mail. Times are in the company time zone (time_zone). Until changed every kind comes in the app and by e-mail, one message each, in Chinese. E-mail needs an address on the account (email_address) and an SMTP server (email_available). The ETag carries the version.
//	@ID				getNotificationSettings
//	@Tags			notifications
//	@Produce		json
//	@Success		200	{object}	SettingsResponse
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/notification-settings [get]
func (h handlers) getSettings(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	pr, err := h.s.Prefs(ctx, p)
	if err != nil {
		return err
	}
	return h.renderSettings(c, pr)
}

func (h handlers) renderSettings(c echo.Context, pr Prefs) error {
	p, _ := httpserver.Principal(c)
	email, err := h.s.Email(c.Request().Context(), p)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, pr.Version)
	return c.JSON(http.StatusOK, settingsResponse(pr, email, h.s.EmailEnabled(), h.tz))
}

// putSettings answers PUT /me/notification-settings.
//
//	@Summary		Change my notification settings
//	@Description	Absent fields keep their value; kinds lists only the kinds to change (unknown kinds are 422). language zh-CN or en; digest_time and the quiet hours as HH:MM in the company time zone (the quiet hours may span midnight; start and end must differ). Send If-Match with the ETag (or version in the body): a different current version answers 412.
//	@ID				putNotificationSettings
//	@Tags			notifications
//	@Accept			json
//	@Produce		json
//	@Param			If-Match	header		string					false	"the ETag last read"
//	@Param			body		body		UpdateSettingsRequest	true	"the changes"
//	@Success		200			{object}	SettingsResponse
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"a read-only token"
//	@Failure		412			{object}	problem.Problem	"stale If-Match or version"
//	@Failure		415			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/notification-settings [put]
func (h handlers) putSettings(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	ifMatch := httpserver.IfMatch(c)
	req, err := httpserver.Bind[UpdateSettingsRequest](c)
	if err != nil {
		return err
	}
	if req.Version != nil {
		if ifMatch != nil && !slices.Contains(ifMatch, *req.Version) {
			return problem.PreconditionFailed("If-Match and version name different versions")
		}
		ifMatch = etag.Precondition{*req.Version}
	}
	in := PrefsInput{Language: req.Language, Digest: req.Digest, DigestTime: req.DigestTime}
	if len(req.Kinds) > 0 {
		in.Channels = map[Kind]ChannelsInput{}
		for _, k := range req.Kinds {
			in.Channels[Kind(k.Kind)] = ChannelsInput{InApp: k.InApp, Email: k.Email}
		}
	}
	if q := req.QuietHours; q != nil {
		in.Quiet = &QuietInput{Enabled: q.Enabled, Start: q.Start, End: q.End}
	}
	pr, err := h.s.UpdatePrefs(c.Request().Context(), p, in, ifMatch)
	if err != nil {
		return err
	}
	return h.renderSettings(c, pr)
}
