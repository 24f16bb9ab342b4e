package org

import "github.com/duban/duban/internal/httpserver"

// Mount registers the org routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {}
