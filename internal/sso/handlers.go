package sso

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// AuthMethods says which logins the server offers.
type AuthMethods struct {
	Password PasswordMethod `json:"password"`
	OIDC     OIDCMethod     `json:"oidc"`
	LDAP     LDAPMethod     `json:"ldap"`
} // @name AuthMethods

// PasswordMethod is the local password login.
type PasswordMethod struct {
	Enabled bool `json:"enabled"`
	// BreakGlassOnly: local passwords are turned off for everyone but the
	// break-glass admin; the web app keeps the form out of the way.
	BreakGlassOnly bool `json:"break_glass_only"`
} // @name PasswordMethod

// OIDCMethod is the login through the OpenID Connect provider.
type OIDCMethod struct {
	Enabled bool `json:"enabled"`
	// Label is the button's text; empty means the web app's "使用统一身份认证登录".
	Label string `json:"label" example:"使用统一身份认证登录"`
	// LoginURL starts the login: navigate the browser there (with ?return_to=/path).
	LoginURL string `json:"login_url,omitempty" example:"/api/v1/auth/oidc/login"`
} // @name OIDCMethod

// LDAPMethod is the login with the directory's (LDAP / AD) name and password.
type LDAPMethod struct {
	Enabled bool   `json:"enabled"`
	Label   string `json:"label" example:"集团域账号"`
} // @name LDAPMethod

// ExchangeRequest is the body of POST /auth/oidc/session.
type ExchangeRequest struct {
	// Code is the one-time code the web app found in /login/sso#code=….
	Code string `json:"code" validate:"required,max=100"`
} // @name OIDCExchangeRequest

type handlers struct{ s *Service }

// methods answers GET /auth/methods.
//
//	@Summary		Login methods
//	@Description	Which logins this server offers, for the login page: the local password (possibly only for the break-glass admin), the OIDC provider (统一身份认证) and the LDAP / Active Directory login. Public.
//	@ID				getAuthMethods
//	@Tags			auth
//	@Produce		json
//	@Success		200	{object}	AuthMethods
//	@Router			/auth/methods [get]
func (h handlers) methods(c echo.Context) error {
	return c.JSON(http.StatusOK, h.s.Methods())
}

// oidcLogin answers GET /auth/oidc/login.
//
//	@Summary		Start an OIDC login
//	@Description	Navigate the browser here (not an XHR): it is sent to the identity provider with an authorization-code request (PKCE S256, state, nonce) and comes back to /auth/oidc/callback. `return_to` is the web app's path to land on afterwards. 404 `sso_not_configured` without OIDC; 503 `identity_provider_unavailable` when the provider's discovery document cannot be read.
//	@ID				startOIDCLogin
//	@Tags			auth
//	@Param			return_to	query	string	false	"web app path to open after the login, e.g. /items"
//	@Success		302			"to the provider's authorization endpoint; sets the cookie duban_oidc"
//	@Failure		404			{object}	problem.Problem	"sso_not_configured"
//	@Failure		503			{object}	problem.Problem	"identity_provider_unavailable"
//	@Router			/auth/oidc/login [get]
func (h handlers) oidcLogin(c echo.Context) error {
	started, err := h.s.StartOIDC(c.Request().Context(), c.QueryParam("return_to"))
	if err != nil {
		return err
	}
	c.SetCookie(started.Cookie)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Redirect(http.StatusFound, started.AuthURL)
}

// oidcCallback answers GET /auth/oidc/callback.
//
//	@Summary		OIDC redirect endpoint
//	@Description	The provider sends the browser here. On success the browser goes to the web app's `/login/sso#code=<one-time code>` (with `?next=` when a return path was given), which trades the code at POST /auth/oidc/session. On failure it goes to `/login?sso_error=<code>`: `sso_denied` (the provider refused), `sso_expired` (unknown, used or expired state, or another browser), `sso_failed` (the answer did not verify), `sso_unknown_user` (no Duban account matches), `sso_inactive` (the account is deactivated).
//	@ID				finishOIDCLogin
//	@Tags			auth
//	@Param			code				query	string	false	"authorization code"
//	@Param			state				query	string	false	"the state of the login"
//	@Param			error				query	string	false	"the provider's error"
//	@Param			error_description	query	string	false	"the provider's error text"
//	@Success		302					"to the web app"
//	@Failure		404					{object}	problem.Problem	"sso_not_configured"
//	@Router			/auth/oidc/callback [get]
func (h handlers) oidcCallback(c echo.Context) error {
	if h.s.oidc == nil {
		return problem.New(problem.KindNotFound, CodeSSODisabled, "OIDC login is not configured")
	}
	browser := ""
	if ck, err := c.Cookie(cookieName); err == nil {
		browser = ck.Value
	}
	res := h.s.FinishOIDC(c.Request().Context(), c.QueryParams(), browser)
	c.SetCookie(&http.Cookie{Name: cookieName, Value: "", Path: cookiePath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Redirect(http.StatusFound, res.Redirect)
}

// oidcSession answers POST /auth/oidc/session.
//
//	@Summary		Finish an OIDC login
//	@Description	Trades the one-time code of a finished OIDC login (valid two minutes, once) for a session: the same access and refresh tokens as a password login.
//	@ID				exchangeOIDCLogin
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		ExchangeRequest	true	"the one-time code"
//	@Success		200		{object}	auth.TokenPair
//	@Header			200		{string}	Set-Cookie	"duban_refresh: the refresh token for the browser (as POST /auth/login)"
//	@Failure		400		{object}	problem.Problem	"malformed body"
//	@Failure		401		{object}	problem.Problem	"invalid_login_code, or invalid_credentials (the account was deactivated meanwhile)"
//	@Failure		422		{object}	problem.Problem	"validation_failed"
//	@Router			/auth/oidc/session [post]
func (h handlers) oidcSession(c echo.Context) error {
	req, err := httpserver.Bind[ExchangeRequest](c)
	if err != nil {
		return err
	}
	pair, err := h.s.ExchangeOIDC(c.Request().Context(), req.Code)
	if err != nil {
		return err
	}
	return h.s.auth.WriteSession(c, pair)
}

// ldapLogin answers POST /auth/ldap/login.
//
//	@Summary		Log in with the directory
//	@Description	Checks the login name and password against LDAP / Active Directory (the person's entry is searched, then bound as) and opens a session like POST /auth/login. Every failure answers the same 401 `invalid_credentials`; the brute-force guard of password logins applies (429 `rate_limited`). 404 `sso_not_configured` without LDAP; 503 `identity_provider_unavailable` when the directory does not answer.
//	@ID				ldapLogin
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		auth.LoginRequest	true	"the directory's login name and password"
//	@Success		200		{object}	auth.TokenPair
//	@Header			200		{string}	Set-Cookie	"duban_refresh: the refresh token for the browser (as POST /auth/login)"
//	@Failure		400		{object}	problem.Problem	"malformed body"
//	@Failure		401		{object}	problem.Problem	"invalid_credentials"
//	@Failure		404		{object}	problem.Problem	"sso_not_configured"
//	@Failure		422		{object}	problem.Problem	"validation_failed"
//	@Failure		429		{object}	problem.Problem	"rate_limited; see Retry-After"
//	@Failure		503		{object}	problem.Problem	"identity_provider_unavailable"
//	@Router			/auth/ldap/login [post]
func (h handlers) ldapLogin(c echo.Context) error {
	req, err := httpserver.Bind[auth.LoginRequest](c)
	if err != nil {
		return err
	}
	pair, err := h.s.LDAPLogin(c.Request().Context(), req.Username, req.Password)
	if err != nil {
		return err
	}
	return h.s.auth.WriteSession(c, pair)
}

// Mount registers the public login routes.
func Mount(public httpserver.Router, s *Service) {
	h := handlers{s: s}
	public.GET("/auth/methods", h.methods)
	public.GET("/auth/oidc/login", h.oidcLogin)
	public.GET("/auth/oidc/callback", h.oidcCallback)
	public.POST("/auth/oidc/session", h.oidcSession)
	public.POST("/auth/ldap/login", h.ldapLogin)
}
