package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0040Directory prepares people and units for an outside source of truth (the
// Excel import, the LDAP directory, single sign-on):
//
//   - users.employee_no (工号): the key an import or a directory names a person by;
//     unique when present, NULL for accounts without one;
//   - users.source and org_units.source: who keeps the row (local: by hand in
//     Duban, import: the Excel import, ldap: the directory sync); a sync only ever
//     deactivates what it keeps;
//   - users.external_id and org_units.external_id: the directory's stable id of the
//     entry (entryUUID, objectGUID) or the OIDC subject, so a rename or a move in
//     the directory is an update and not a new person;
//   - org_units.code (单位编码): the key the import names units by; unique when present;
//   - sso_logins: OIDC logins in flight (state, PKCE verifier, nonce) and the
//     one-time code that hands the finished login to the web app. Rows live minutes;
//     any API process can finish a login another one started.
func m0040Directory() *gormigrate.Migration {
	type User struct {
		EmployeeNo *string `gorm:"size:64"`
		Source     string  `gorm:"size:16;not null;default:local"`
		ExternalID *string `gorm:"size:255"`
	}
	type OrgUnit struct {
		Code       *string `gorm:"size:64"`
		Source     string  `gorm:"size:16;not null;default:local"`
		ExternalID *string `gorm:"size:255"`
	}
	type SSOLogin struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
		// StateHash is sha256 of the OAuth state sent to the provider.
		StateHash string `gorm:"size:64;not null;uniqueIndex"`
		// BrowserHash is sha256 of the cookie set on the browser that started the
		// login: the callback must come back to the same browser (no login CSRF).
		BrowserHash  string `gorm:"size:64;not null"`
		CodeVerifier string `gorm:"size:128;not null"`
		Nonce        string `gorm:"size:64;not null"`
		ReturnTo     string `gorm:"size:500;not null;default:''"`
		// UserID and HandoffHash are set when the provider's answer was accepted;
		// the web app trades the handoff code for a session once.
		UserID      *uuid.UUID `gorm:"type:uuid"`
		HandoffHash *string    `gorm:"size:64;uniqueIndex"`
		UsedAt      *time.Time
		ExpiresAt   time.Time `gorm:"not null;index"`
		CreatedAt   time.Time `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0040_directory",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Migrator()
			for _, col := range []string{"EmployeeNo", "Source", "ExternalID"} {
				if err := m.AddColumn(&User{}, col); err != nil {
					return err
				}
			}
			for _, col := range []string{"Code", "Source", "ExternalID"} {
				if err := m.AddColumn(&OrgUnit{}, col); err != nil {
					return err
				}
			}
			for _, stmt := range []string{
				"CREATE UNIQUE INDEX idx_users_employee_no ON users (employee_no)",
				"CREATE INDEX idx_users_external_id ON users (external_id)",
				"CREATE UNIQUE INDEX idx_org_units_code ON org_units (code)",
				"CREATE INDEX idx_org_units_external_id ON org_units (external_id)",
			} {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return m.CreateTable(&SSOLogin{})
		},
		Rollback: func(tx *gorm.DB) error {
			m := tx.Migrator()
			if err := m.DropTable(&SSOLogin{}); err != nil {
				return err
			}
			for _, idx := range []string{"idx_users_employee_no", "idx_users_external_id", "idx_org_units_code", "idx_org_units_external_id"} {
				if err := tx.Exec("DROP INDEX IF EXISTS " + idx).Error; err != nil {
					return err
				}
			}
			for _, col := range []string{"EmployeeNo", "Source", "ExternalID"} {
				if err := m.DropColumn(&User{}, col); err != nil {
					return err
				}
			}
			for _, col := range []string{"Code", "Source", "ExternalID"} {
				if err := m.DropColumn(&OrgUnit{}, col); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
