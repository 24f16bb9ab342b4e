package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0002Identity creates the organisation tree, users and roles, login sessions
// (refresh tokens), personal API tokens, the brute-force guard and the audit log of
// security events.
func m0002Identity() *gormigrate.Migration {
	type OrgUnit struct {
		ID                  uuid.UUID  `gorm:"type:uuid;primaryKey"`
		ParentID            *uuid.UUID `gorm:"type:uuid;index"`
		Parent              *OrgUnit   `gorm:"foreignKey:ParentID;constraint:OnDelete:RESTRICT"`
		ScopeID             uuid.UUID  `gorm:"type:uuid;not null;index"`
		Name                string     `gorm:"size:200;not null"`
		ShortName           string     `gorm:"size:100;not null;default:''"`
		Kind                string     `gorm:"size:20;not null"`
		IsSupervisionOffice bool       `gorm:"not null;default:false"`
		HeadUserID          *uuid.UUID `gorm:"type:uuid;index"`
		SortOrder           int        `gorm:"not null;default:0"`
		Version             int        `gorm:"not null;default:1"`
		CreatedAt           time.Time  `gorm:"not null"`
		UpdatedAt           time.Time  `gorm:"not null"`
	}
	type User struct {
		ID                 uuid.UUID `gorm:"type:uuid;primaryKey"`
		Username           string    `gorm:"size:64;not null;uniqueIndex"`
		DisplayName        string    `gorm:"size:100;not null"`
		PasswordHash       string    `gorm:"size:255;not null"`
		OrgUnitID          uuid.UUID `gorm:"type:uuid;not null;index"`
		OrgUnit            *OrgUnit  `gorm:"foreignKey:OrgUnitID;constraint:OnDelete:RESTRICT"`
		Email              string    `gorm:"size:200;not null;default:''"`
		Phone              string    `gorm:"size:50;not null;default:''"`
		Title              string    `gorm:"size:100;not null;default:''"`
		Active             bool      `gorm:"not null;default:true"`
		MustChangePassword bool      `gorm:"not null;default:false"`
		PasswordChangedAt  *time.Time
		Version            int       `gorm:"not null;default:1"`
		CreatedAt          time.Time `gorm:"not null"`
		UpdatedAt          time.Time `gorm:"not null"`
	}
	type UserRole struct {
		UserID uuid.UUID `gorm:"type:uuid;primaryKey"`
		User   *User     `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
		Role   string    `gorm:"size:20;primaryKey;index"`
	}
	type OrgUnitLiaison struct {
		OrgUnitID uuid.UUID `gorm:"type:uuid;primaryKey"`
		OrgUnit   *OrgUnit  `gorm:"foreignKey:OrgUnitID;constraint:OnDelete:CASCADE"`
		UserID    uuid.UUID `gorm:"type:uuid;primaryKey;index"`
		User      *User     `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	}
	type RefreshToken struct {
		ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
		FamilyID  uuid.UUID `gorm:"type:uuid;not null;index"`
		UserID    uuid.UUID `gorm:"type:uuid;not null;index"`
		User      *User     `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
		TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
		ExpiresAt time.Time `gorm:"not null"`
		UsedAt    *time.Time
		RevokedAt *time.Time
		UserAgent string    `gorm:"size:300;not null;default:''"`
		IP        string    `gorm:"size:64;not null;default:''"`
		CreatedAt time.Time `gorm:"not null"`
	}
	type APIToken struct {
		ID         uuid.UUID `gorm:"type:uuid;primaryKey"`
		UserID     uuid.UUID `gorm:"type:uuid;not null;index"`
		User       *User     `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
		Name       string    `gorm:"size:100;not null"`
		Prefix     string    `gorm:"size:16;not null"`
		TokenHash  string    `gorm:"size:64;not null;uniqueIndex"`
		Scopes     string    `gorm:"size:100;not null"`
		ExpiresAt  *time.Time
		LastUsedAt *time.Time
		RevokedAt  *time.Time
		CreatedAt  time.Time `gorm:"not null"`
	}
	type LoginThrottle struct {
		Key         string    `gorm:"size:200;primaryKey"`
		Failures    int       `gorm:"not null;default:0"`
		WindowStart time.Time `gorm:"not null"`
		LockedUntil *time.Time
		UpdatedAt   time.Time `gorm:"not null"`
	}
	type AuditEvent struct {
		ID         uuid.UUID  `gorm:"type:uuid;primaryKey"`
		At         time.Time  `gorm:"not null;index"`
		ActorID    *uuid.UUID `gorm:"type:uuid;index"`
		Action     string     `gorm:"size:64;not null;index"`
		TargetType string     `gorm:"size:32;not null;default:''"`
		TargetID   string     `gorm:"size:64;not null;default:''"`
		IP         string     `gorm:"size:64;not null;default:''"`
		RequestID  string     `gorm:"size:64;not null;default:''"`
		Details    string     `gorm:"type:text;not null;default:'{}'"`
	}
	tables := []any{&OrgUnit{}, &User{}, &UserRole{}, &OrgUnitLiaison{}, &RefreshToken{}, &APIToken{}, &LoginThrottle{}, &AuditEvent{}}
	return &gormigrate.Migration{
		ID: "0002_identity",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(tables...)
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(tables) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(tables[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
