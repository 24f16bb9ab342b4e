package calfeed

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// TokenResponse is a new feed token, shown once.
type TokenResponse struct {
	// Token is the secret; it is never shown again (only its hash is kept).
	Token string `json:"token" example:"dcal_Xq3v…"`
	// URL is the feed's address to subscribe to.
	URL       string    `json:"url" example:"https://duban.example.com/api/v1/me/calendar.ics?token=dcal_Xq3v…"`
	CreatedAt time.Time `json:"created_at"`
} // @name CalendarToken

// StatusResponse says whether the caller's feed is on (the token itself is
// never shown again).
type StatusResponse struct {
	Active     bool       `json:"active" example:"true"`
	CreatedAt  *time.Time `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
} // @name CalendarTokenStatus

// Mount registers the feed (public: its token is in the URL) and the token
// routes (authenticated).
func Mount(public, authed httpserver.Router, s *Service) {
	h := handlers{s: s}
	public.GET("/me/calendar.ics", h.feed)
	authed.GET("/me/calendar-token", h.status)
	authed.POST("/me/calendar-token", h.newToken)
	authed.DELETE("/me/calendar-token", h.revoke)
}

type handlers struct{ s *Service }

// feed answers GET /me/calendar.ics.
//
//	@Summary		My deadlines as a calendar feed (iCalendar)
//	@Description	The deadlines (办结时限) and milestones (节点) not done of the open items the token's owner takes part in — initiated, supervised or assisted, led, cooperated on or assigned to one of their units, named responsible; for the supervision office every item of its scope — and may see, as an iCalendar (RFC 5545) document for Outlook, WeCom and phone calendars: all-day events with UIDs stable across fetches, a reminder at 09:00 the day before, the company time zone. Calendar clients cannot send headers, so the token (POST /me/calendar-token) is in the URL: it opens this feed and nothing else. An unknown, replaced or revoked token, or one of an inactive user, is 401.
//	@ID				getCalendarFeed
//	@Tags			calendar-feed
//	@Produce		text/calendar
//	@Param			token	query		string	true	"the feed token"
//	@Success		200		{string}	string	"the calendar"
//	@Failure		401		{object}	problem.Problem
//	@Router			/me/calendar.ics [get]
func (h handlers) feed(c echo.Context) error {
	b, err := h.s.Feed(c.Request().Context(), c.QueryParam("token"))
	if err != nil {
		return err
	}
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderContentDisposition, `inline; filename="duban.ics"`)
	hdr.Set(echo.HeaderCacheControl, "private, max-age=300")
	// The URL carries a secret: never send it on as a referrer.
	hdr.Set("Referrer-Policy", "no-referrer")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", b)
}

// newToken answers POST /me/calendar-token.
//
//	@Summary		A new link for my calendar feed
//	@Description	Makes a new feed token and returns it with the feed's URL, once (only a hash is kept). The previous token stops working at once: this is how a leaked link is revoked.
//	@ID				newCalendarToken
//	@Tags			calendar-feed
//	@Produce		json
//	@Success		201	{object}	TokenResponse
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"a read-only token"
//	@Security		BearerAuth
//	@Router			/me/calendar-token [post]
func (h handlers) newToken(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	tok, at, err := h.s.NewToken(c.Request().Context(), p)
	if err != nil {
		return err
	}
	base := h.s.PublicURL
	if base == "" {
		base = c.Scheme() + "://" + c.Request().Host
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, TokenResponse{Token: tok, CreatedAt: at,
		URL: strings.TrimRight(base, "/") + httpserver.APIPrefix + "/me/calendar.ics?token=" + tok})
}

// revoke answers DELETE /me/calendar-token.
//
//	@Summary		Turn my calendar feed off
//	@Description	The feed's token stops working; a new one can be made at any time.
//	@ID				revokeCalendarToken
//	@Tags			calendar-feed
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"a read-only token"
//	@Security		BearerAuth
//	@Router			/me/calendar-token [delete]
func (h handlers) revoke(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	if err := h.s.Revoke(c.Request().Context(), p); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// status answers GET /me/calendar-token.
//
//	@Summary		Is my calendar feed on
//	@Description	Whether the caller has a feed token, since when, and when a calendar last fetched the feed (to the hour). The token itself is shown only when made.
//	@ID				getCalendarTokenStatus
//	@Tags			calendar-feed
//	@Produce		json
//	@Success		200	{object}	StatusResponse
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/calendar-token [get]
func (h handlers) status(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	t, err := h.s.Status(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out := StatusResponse{}
	if t != nil {
		created := t.CreatedAt.UTC()
		out.Active, out.CreatedAt, out.LastUsedAt = true, &created, t.LastUsedAt
	}
	return c.JSON(http.StatusOK, out)
}
