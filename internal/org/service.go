// Package org holds the organisation tree (集团 → departments and enterprises →
// their departments), unit heads and liaisons, and supervision scopes.
package org

import (
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// Service manages org units.
type Service struct {
	db    *database.DB
	audit *audit.Log
}

// NewService returns the org service.
func NewService(db *database.DB, log *audit.Log) *Service { return &Service{db: db, audit: log} }
