package auth

import "github.com/duban/duban/internal/httpserver"

// Mount registers the auth routes: public ones (login, refresh, logout) on public,
// the caller's own (/me, password, tokens) on authed.
func Mount(public, authed httpserver.Router, s *Service) {
	h := handlers{s: s}
	public.POST("/auth/login", h.login)
	public.POST("/auth/refresh", h.refresh)
	public.POST("/auth/logout", h.logout)

	authed.GET("/me", h.me)
	authed.PUT("/me/password", h.changePassword)
	authed.GET("/me/tokens", h.listTokens)
	authed.POST("/me/tokens", h.createToken)
	authed.DELETE("/me/tokens/:id", h.deleteToken)
	authed.POST("/users/:id/unlock", h.unlock)
}
