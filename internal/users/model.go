// Package users holds Duban's user accounts: the model, password hashing and policy,
// roles, admin CRUD, bootstrap of the first admin, and loading the Principal that
// authorization rules run on.
package users

import (
	"time"

	"github.com/google/uuid"
)

// User is a row of the users table.
type User struct {
	ID                 uuid.UUID `gorm:"type:uuid;primaryKey"`
	Username           string
	DisplayName        string
	PasswordHash       string
	OrgUnitID          uuid.UUID `gorm:"type:uuid"`
	Email              string
	Phone              string
	Title              string
	Active             bool
	MustChangePassword bool
	PasswordChangedAt  *time.Time
	// EmployeeNo (工号) is the key the org import and the directory name a person by.
	EmployeeNo *string
	// Source says who keeps the account: local (by hand), import or ldap.
	Source string `gorm:"default:local"`
	// ExternalID is the directory's stable id of the person (LDAP entryUUID).
	ExternalID *string
	// Kind is KindPerson, or KindService for a service account (no password, no
	// single sign-on; API tokens only).
	Kind      string `gorm:"default:person"`
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table.
func (User) TableName() string { return "users" }

// The kinds of accounts.
const (
	KindPerson  = "person"
	KindService = "service"
)

// UserRole is a row of user_roles: one role of one user.
type UserRole struct {
	UserID uuid.UUID `gorm:"type:uuid;primaryKey"`
	Role   string    `gorm:"primaryKey"`
}

// TableName pins the table.
func (UserRole) TableName() string { return "user_roles" }
