package users

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
)

// ErrNoUser means the user does not exist or is inactive.
var ErrNoUser = errors.New("no such active user")

// LoadPrincipal reads the user with their roles, unit, scope and the units they head
// or liaise for. An inactive or missing user yields ErrNoUser.
func LoadPrincipal(ctx context.Context, db *database.DB, userID uuid.UUID) (*access.Principal, error) {
	conn := db.Conn(ctx)
	var u User
	if err := conn.Where("id = ? AND active = ?", userID, true).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNoUser
		}
		return nil, fmt.Errorf("load user: %w", err)
	}
	var unit struct {
		ScopeID             uuid.UUID `gorm:"type:uuid"`
		IsSupervisionOffice bool
	}
	if err := conn.Table("org_units").Select("scope_id, is_supervision_office").Where("id = ?", u.OrgUnitID).Take(&unit).Error; err != nil {
		return nil, fmt.Errorf("load unit of user: %w", err)
	}
	var roles []string
	var err error
	if err := conn.Table("user_roles").Where("user_id = ?", u.ID).Order("role").Pluck("role", &roles).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	var headOf, liaisonOf []uuid.UUID
	if err := conn.Table("org_units").Where("head_user_id = ?", u.ID).Pluck("id", &headOf).Error; err != nil {
		return nil, fmt.Errorf("load headed units: %w", err)
	}
	if err := conn.Table("org_unit_liaisons").Where("user_id = ?", u.ID).Pluck("org_unit_id", &liaisonOf).Error; err != nil {
		return nil, fmt.Errorf("load liaison units: %w", err)
	}
	p := &access.Principal{
		UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		UnitID: u.OrgUnitID, ScopeID: unit.ScopeID, InSupervisionOffice: unit.IsSupervisionOffice,
		HeadOf: headOf, LiaisonOf: liaisonOf, MustChangePassword: u.MustChangePassword,
		Service: u.Kind == KindService,
	}
	for _, r := range roles {
		p.Roles = append(p.Roles, access.Role(r))
	}
	if p.DeputyWindows, err = loadDeputyWindows(ctx, db, u.ID); err != nil {
		return nil, err
	}
	return p, nil
}
