package users

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
)

// BootstrapUsername is the account Bootstrap creates.
const BootstrapUsername = "admin"

// Bootstrap creates the user "admin" with the given password (and, on an empty
// database, the root unit of the group) when no such user exists yet. The admin must
// change the password at first login. It is idempotent: an existing admin account is
// left alone, whatever its password. A password that fails the policy is an error
// naming DUBAN_BOOTSTRAP_ADMIN_PASSWORD.
func Bootstrap(ctx context.Context, db *database.DB, log *audit.Log, password string) error {
	existing, err := findByUsername(ctx, db, BootstrapUsername)
	if err != nil || existing != nil {
		return err
	}
	if msg := CheckPasswordPolicy(BootstrapUsername, password); msg != "" {
		return fmt.Errorf("DUBAN_BOOTSTRAP_ADMIN_PASSWORD is not acceptable: it %s", msg)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	err = db.InTx(ctx, func(ctx context.Context) error {
		root, _, err := org.EnsureRoot(ctx, db, log, org.RootName)
		if err != nil {
			return err
		}
		if existing, err := findByUsername(ctx, db, BootstrapUsername); err != nil || existing != nil {
			return err // another process was quicker
		}
		now := log.Now()
		u := User{ID: uuid.Must(uuid.NewV7()), Username: BootstrapUsername, DisplayName: "系统管理员", PasswordHash: hash,
			OrgUnitID: root.ID, Active: true, MustChangePassword: true, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := db.Conn(ctx).Create(&u).Error; err != nil {
			return fmt.Errorf("create admin: %w", err)
		}
		if err := replaceRoles(ctx, db, u.ID, []string{string(access.RoleAdmin)}); err != nil {
			return err
		}
		return log.Record(ctx, nil, audit.UserCreated, "user", u.ID.String(), map[string]any{
			"username": u.Username, "roles": []string{string(access.RoleAdmin)}, "bootstrap": true,
		})
	})
	if database.IsUniqueViolation(err) {
		return nil // another process created the admin at the same moment
	}
	return err
}
