package auth

import (
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/problem"
)

// A browser keeps its refresh token in a cookie, so that every tab of the browser
// shares one session (a link opened in a new tab is logged in; a logout ends it
// everywhere) while script never reads the token (HttpOnly). The access token stays
// in each tab's memory. Non-browser clients keep sending the refresh token in the
// JSON body; a body token wins over the cookie.
//
// CSRF: the cookie is SameSite=Strict and scoped to the auth routes, and the two
// routes it authenticates (refresh, logout) also need the X-Requested-With header
// (a header a cross-site form cannot send and a cross-origin script cannot send
// without passing CORS) and refuse an Origin that is neither this server nor one of
// DUBAN_CORS_ORIGINS.

// Cookie names and scope.
const (
	RefreshCookie = "duban_refresh"
	// RefreshCookiePath covers /auth/refresh and /auth/logout (and the logins, which
	// set it); the cookie goes to no other route.
	RefreshCookiePath = "/api/v1/auth"
	// CSRFHeader must accompany a refresh or logout that relies on the cookie.
	CSRFHeader = "X-Requested-With"

	// CodeCrossSite: a cookie-authenticated refresh or logout came from another site
	// or without the CSRF header (403).
	CodeCrossSite = "cross_site_request"
)

// SetSessionCookie puts the session's refresh token in the browser's cookie. It
// lives as long as a refresh token does; the server enforces the session's end.
func (s *Service) SetSessionCookie(c echo.Context, refresh string) {
	c.SetCookie(s.cookie(c, refresh, int(s.cfg.RefreshTTL.Seconds())))
}

// ClearSessionCookie removes the cookie.
func (s *Service) ClearSessionCookie(c echo.Context) {
	c.SetCookie(s.cookie(c, "", -1))
}

func (s *Service) cookie(c echo.Context, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: RefreshCookie, Value: value, Path: RefreshCookiePath, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secureCookie(c),
	}
}

// secureCookie: Secure unless the browser would drop it. Browsers keep a Secure
// cookie over https and from http://localhost (or a loopback address), not from any
// other plain-http address; there the cookie goes without Secure unless
// DUBAN_COOKIE_SECURE=always says to insist (then a new tab has to log in).
func (s *Service) secureCookie(c echo.Context) bool {
	if s.cfg.CookieSecureAlways || c.Scheme() == "https" {
		return true
	}
	return isLoopbackHost(c.Request().Host)
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refreshFrom is the refresh token of the request: the body's when it has one
// (API clients), else the cookie's after the CSRF checks. fromCookie says which.
func (s *Service) refreshFrom(c echo.Context, body string) (token string, fromCookie bool, err error) {
	if body != "" {
		return body, false, nil
	}
	ck, err := c.Cookie(RefreshCookie)
	if err != nil || ck.Value == "" {
		return "", false, nil
	}
	if err := s.checkSameSite(c); err != nil {
		return "", true, err
	}
	return ck.Value, true, nil
}

// checkSameSite refuses a cookie-authenticated request from another site.
func (s *Service) checkSameSite(c echo.Context) error {
	req := c.Request()
	if req.Header.Get(CSRFHeader) == "" {
		return problem.New(problem.KindForbidden, CodeCrossSite,
			"send the "+CSRFHeader+" header with a refresh or logout that uses the session cookie")
	}
	if site := req.Header.Get("Sec-Fetch-Site"); site == "cross-site" {
		return errCrossSite()
	}
	origin := req.Header.Get(echo.HeaderOrigin)
	if origin == "" || origin == c.Scheme()+"://"+req.Host || slices.Contains(s.cfg.TrustedOrigins, origin) {
		return nil
	}
	return errCrossSite()
}

func errCrossSite() *problem.Problem {
	return problem.New(problem.KindForbidden, CodeCrossSite, "the request comes from another site")
}
