package auth

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// handlers translate HTTP to the service and back; the rules live in the service.
type handlers struct{ s *Service }

// login opens a session.
//
//	@Summary		Log in
//	@Description	Checks username and password and opens a session: a short-lived access JWT and a refresh token. The refresh token is in the body for API clients (not for a browser page that sends X-Requested-With: it gets the cookie only) and in the `duban_refresh` cookie (HttpOnly, SameSite=Strict, path /api/v1/auth, Secure over https and on localhost; see DUBAN_COOKIE_SECURE), with which every tab of a browser shares the session. Every failure (unknown user, wrong password, inactive account) answers the same 401 `invalid_credentials`. Attempts are counted before the password is checked. Five failures for a username from one client address (within 15 minutes) lock that username at that address only (the account keeps working elsewhere) for 15 minutes, each further lock in a row twice as long (at most a day); twenty failures from one address lock the address. A locked attempt answers 429 `rate_limited` with `Retry-After`; an admin may lift a user's locks (POST /users/{id}/unlock). When too many passwords are being checked at once the answer is 503 `login_busy` with `Retry-After`, before anything is checked.
//	@ID				login
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		LoginRequest	true	"credentials"
//	@Success		200		{object}	TokenPair
//	@Header			200		{string}	Set-Cookie	"duban_refresh: the refresh token for the browser"
//	@Failure		400		{object}	problem.Problem	"malformed body"
//	@Failure		401		{object}	problem.Problem	"invalid_credentials"
//	@Failure		403		{object}	problem.Problem	"password_login_disabled: local passwords are turned off (DUBAN_PASSWORD_LOGIN=false) for everyone but the break-glass account"
//	@Failure		422		{object}	problem.Problem	"validation_failed"
//	@Failure		429		{object}	problem.Problem	"rate_limited; see Retry-After"
//	@Failure		503		{object}	problem.Problem	"login_busy: too many logins at once; see Retry-After"
//	@Router			/auth/login [post]
func (h handlers) login(c echo.Context) error {
	req, err := httpserver.Bind[LoginRequest](c)
	if err != nil {
		return err
	}
	pair, err := h.s.Login(c.Request().Context(), req.Username, req.Password)
	if err != nil {
		return err
	}
	return h.s.WriteSession(c, pair)
}

// refresh rotates a refresh token.
//
//	@Summary		Refresh the session
//	@Description	Exchanges a refresh token for a new access token and a new refresh token of the same session. The token comes in the body (`refresh_token`, API clients) or, without one, from the `duban_refresh` cookie a login set (browsers: every tab shares it, so a link opened in a new tab is logged in); a cookie refresh needs the `X-Requested-With` header and an Origin of this server or of DUBAN_CORS_ORIGINS, else 403 `cross_site_request`. The answer sets the cookie to the new token. The presented refresh token dies; presenting it again revokes the whole session (theft detection) and answers 401 (and clears the cookie). Refreshing never extends a session past its maximum age (DUBAN_SESSION_MAX_AGE, 30 days from the login).
//	@ID				refreshSession
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			X-Requested-With	header		string			false	"required when the token comes from the cookie (any value, e.g. fetch)"
//	@Param			body				body		RefreshRequest	false	"the current refresh token; omit to use the cookie"
//	@Success		200					{object}	TokenPair
//	@Header			200					{string}	Set-Cookie	"duban_refresh: the new refresh token"
//	@Failure		400					{object}	problem.Problem	"malformed body"
//	@Failure		401					{object}	problem.Problem	"no token, or an unknown, expired, used or revoked refresh token"
//	@Failure		403					{object}	problem.Problem	"cross_site_request: a cookie refresh from another site or without X-Requested-With"
//	@Failure		422					{object}	problem.Problem	"validation_failed"
//	@Router			/auth/refresh [post]
func (h handlers) refresh(c echo.Context) error {
	req, err := optionalBody(c)
	if err != nil {
		return err
	}
	raw, fromCookie, err := h.s.refreshFrom(c, req.RefreshToken)
	if err != nil {
		return err
	}
	if raw == "" {
		return errInvalidRefresh()
	}
	pair, err := h.s.Refresh(c.Request().Context(), raw)
	if err != nil {
		if fromCookie && problem.IsUnauthenticated(err) {
			h.s.ClearSessionCookie(c)
		}
		return err
	}
	return h.s.WriteSession(c, pair)
}

// logout ends a session.
//
//	@Summary		Log out
//	@Description	Ends the session the refresh token belongs to (from the body, or else from the `duban_refresh` cookie, with the same CSRF checks as a refresh): its refresh tokens and its access tokens stop working in every tab, and the cookie is cleared. Answers 204 also for an unknown or missing token.
//	@ID				logout
//	@Tags			auth
//	@Accept			json
//	@Param			X-Requested-With	header	string			false	"required when the token comes from the cookie (any value)"
//	@Param			body				body	RefreshRequest	false	"the session's refresh token; omit to use the cookie"
//	@Success		204
//	@Header			204	{string}	Set-Cookie	"duban_refresh cleared"
//	@Failure		400	{object}	problem.Problem	"malformed body"
//	@Failure		403	{object}	problem.Problem	"cross_site_request: a cookie logout from another site or without X-Requested-With"
//	@Failure		422	{object}	problem.Problem	"validation_failed"
//	@Router			/auth/logout [post]
func (h handlers) logout(c echo.Context) error {
	req, err := optionalBody(c)
	if err != nil {
		return err
	}
	raw, _, err := h.s.refreshFrom(c, req.RefreshToken)
	if err != nil {
		return err
	}
	if raw != "" {
		if err := h.s.Logout(c.Request().Context(), raw); err != nil {
			return err
		}
	}
	h.s.ClearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// optionalBody reads a RefreshRequest when the request has a body; a browser
// relying on the cookie sends none.
func optionalBody(c echo.Context) (RefreshRequest, error) {
	if c.Request().ContentLength == 0 {
		return RefreshRequest{}, nil
	}
	req, err := httpserver.Bind[RefreshRequest](c)
	if err != nil {
		return RefreshRequest{}, err
	}
	return req, nil
}

// WriteSession answers a new or refreshed session: the tokens in the body, the
// refresh token also in the browser's cookie. A browser page (it sends
// X-Requested-With) gets the refresh token in the cookie only: a script injected
// into the page could read the body. The SSO logins answer with it too.
func (s *Service) WriteSession(c echo.Context, pair *TokenPair) error {
	s.SetSessionCookie(c, pair.RefreshToken)
	noStore(c)
	out := *pair
	if c.Request().Header.Get(CSRFHeader) != "" {
		out.RefreshToken = ""
	}
	return c.JSON(http.StatusOK, out)
}

// me shows the caller.
//
//	@Summary		Current user
//	@Description	The caller's account: roles, unit, supervision scope, and the units they head or liaise for.
//	@ID				getMe
//	@Tags			auth
//	@Produce		json
//	@Success		200	{object}	Me
//	@Failure		401	{object}	problem.Problem	"unauthorized"
//	@Security		BearerAuth
//	@Router			/me [get]
func (h handlers) me(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	me, err := h.s.Me(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, me)
}

// changePassword sets a new password.
//
//	@Summary		Change my password
//	@Description	Needs the current password. Ends every other session of the user, revokes the user's personal API tokens unless `keep_api_tokens` is true, and clears `must_change_password`. Needs a login session (not an API token). Wrong current passwords count towards the login lockout of the username at the caller's address. The new password must meet the policy: 8 to 128 characters with letters and digits, not containing the username, not a common password, and not easy to guess.
//	@ID				changeMyPassword
//	@Tags			auth
//	@Accept			json
//	@Param			body	body	ChangePasswordRequest	true	"current and new password"
//	@Success		204
//	@Failure		400	{object}	problem.Problem	"malformed body"
//	@Failure		401	{object}	problem.Problem	"unauthorized"
//	@Failure		403	{object}	problem.Problem	"session_required"
//	@Failure		422	{object}	problem.Problem	"validation_failed: current_password wrong, or new_password against the policy"
//	@Failure		429	{object}	problem.Problem	"rate_limited"
//	@Failure		503	{object}	problem.Problem	"login_busy"
//	@Security		BearerAuth
//	@Router			/me/password [put]
func (h handlers) changePassword(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[ChangePasswordRequest](c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	session, _ := SessionFrom(ctx)
	if err := h.s.ChangePassword(ctx, p, session, req); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listTokens lists the caller's API tokens.
//
//	@Summary		List my API tokens
//	@Description	The caller's active personal API tokens, newest first. Secrets are never shown again; `prefix` identifies a token.
//	@ID				listMyTokens
//	@Tags			auth
//	@Produce		json
//	@Param			page		query		int	false	"page, from 1"			minimum(1)	default(1)
//	@Param			page_size	query		int	false	"entries per page"		minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	APITokenList
//	@Failure		401			{object}	problem.Problem	"unauthorized"
//	@Failure		422			{object}	problem.Problem	"validation_failed"
//	@Security		BearerAuth
//	@Router			/me/tokens [get]
func (h handlers) listTokens(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	list, err := h.s.ListAPITokens(c.Request().Context(), p, pg.Page, pg.Size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// createToken issues an API token.
//
//	@Summary		Create an API token
//	@Description	Issues a personal API token, optionally expiring, acting as the caller within its scopes: items:read, items:write, feedback:write, webhooks:manage, todo:read (or the aliases read and write). The secret (`token`) is in this answer only. Needs a login session. expires_at is bounded by DUBAN_API_TOKEN_MAX_TTL when set (and defaults to it).
//	@ID				createMyToken
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateAPITokenRequest	true	"name, scopes, expiry"
//	@Success		201		{object}	CreatedAPIToken
//	@Failure		400		{object}	problem.Problem	"malformed body"
//	@Failure		401		{object}	problem.Problem	"unauthorized"
//	@Failure		403		{object}	problem.Problem	"session_required"
//	@Failure		409		{object}	problem.Problem	"too_many_tokens"
//	@Failure		422		{object}	problem.Problem	"validation_failed"
//	@Security		BearerAuth
//	@Router			/me/tokens [post]
func (h handlers) createToken(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateAPITokenRequest](c)
	if err != nil {
		return err
	}
	tok, err := h.s.CreateAPIToken(c.Request().Context(), p, req)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, tok)
}

// deleteToken revokes an API token.
//
//	@Summary		Revoke an API token
//	@Description	Revokes one of the caller's API tokens at once. Needs a login session.
//	@ID				revokeMyToken
//	@Tags			auth
//	@Param			id	path	string	true	"token id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem	"unauthorized"
//	@Failure		403	{object}	problem.Problem	"session_required"
//	@Failure		404	{object}	problem.Problem	"not_found"
//	@Security		BearerAuth
//	@Router			/me/tokens/{id} [delete]
func (h handlers) deleteToken(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "API token")
	if err != nil {
		return err
	}
	if err := h.s.RevokeAPIToken(c.Request().Context(), p, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// noStore keeps responses carrying secrets out of caches.
func noStore(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	c.Response().Header().Set("Pragma", "no-cache")
}
