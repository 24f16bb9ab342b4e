package users

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
)

// The system user is the named principal that background work acts as (automatic
// reminders, cleanups): timelines show it as 督办系统 rather than as nobody. It is
// a row of users with is_system set, in the group's root unit, inactive and
// without a password (it never logs in), and left out of every user list.

// SystemUsername is the system user's username.
const SystemUsername = "system"

// SystemDisplayName is how timelines name it.
const SystemDisplayName = "督办系统"

// ErrNoOrganisation: the system user needs the group's root unit, which an empty
// database does not have yet.
var ErrNoOrganisation = errors.New("no organisation yet: the system user needs the group's root unit")

// SystemUser returns the system user's id, creating the user on first use.
func SystemUser(ctx context.Context, db *database.DB, now func() time.Time) (uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.Conn(ctx).Model(&User{}).Where("is_system = ?", true).Limit(1).Pluck("id", &ids).Error; err != nil {
		return uuid.Nil, fmt.Errorf("find the system user: %w", err)
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	var id uuid.UUID
	err := db.InTx(ctx, func(ctx context.Context) error {
		var roots []uuid.UUID
		if err := db.Conn(ctx).Table("org_units").Where("parent_id IS NULL AND kind = ?", "group").Limit(1).
			Pluck("id", &roots).Error; err != nil {
			return fmt.Errorf("find the root unit: %w", err)
		}
		if len(roots) == 0 {
			return ErrNoOrganisation
		}
		id = uuid.Must(uuid.NewV7())
		at := now()
		return db.Conn(ctx).Table("users").Create(map[string]any{
			"id": id, "username": SystemUsername, "display_name": SystemDisplayName, "password_hash": "",
			"org_unit_id": roots[0], "email": "", "phone": "", "title": "", "active": false,
			"must_change_password": false, "version": 1, "created_at": at, "updated_at": at, "is_system": true,
		}).Error
	})
	if err != nil {
		if database.IsUniqueViolation(err) { // another process made it first
			return SystemUser(ctx, db, now)
		}
		return uuid.Nil, err
	}
	return id, nil
}

// SystemPrincipal is the system acting as the supervision office of scope: what
// an automatic reminder may do on an item of that scope.
func SystemPrincipal(id, scope uuid.UUID) *access.Principal {
	return &access.Principal{UserID: id, Username: SystemUsername, DisplayName: SystemDisplayName,
		Roles: []access.Role{access.RoleSupervisor}, ScopeID: scope}
}
