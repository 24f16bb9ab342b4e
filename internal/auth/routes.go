package auth

import "github.com/duban/duban/internal/httpserver"

// Mount registers the auth routes: public ones (login, refresh, logout) on public,
// the caller's own (/me, password, tokens) on authed.
func Mount(public, authed httpserver.Router, s *Service) {}
