package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0030LoginHardening supports the reworked brute-force guard and sessions:
//   - login_throttles.lock_count: how many locks in a row a key has had, so each
//     lock lasts longer than the one before. The guard's keys change from
//     "user:<name>" to "login:<name>|<address>"; the old rows would lock a username
//     everywhere, so they are dropped.
//   - refresh_tokens.session_started_at: when the session (the token family) began,
//     so refreshing cannot keep a session alive past its maximum age. Existing rows
//     get the creation time of their family's first token.
//   - API tokens of deactivated users are revoked: deactivation revokes them from
//     now on, and a token that survived an earlier deactivation would come back to
//     life with a reactivation.
func m0030LoginHardening() *gormigrate.Migration {
	type LoginThrottle struct {
		LockCount int `gorm:"not null;default:0"`
	}
	type RefreshToken struct {
		SessionStartedAt *time.Time
	}
	return &gormigrate.Migration{
		ID: "0030_login_hardening",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&LoginThrottle{}, "LockCount"); err != nil {
				return err
			}
			if err := tx.Exec(`DELETE FROM login_throttles WHERE "key" LIKE 'user:%'`).Error; err != nil {
				return err
			}
			if err := tx.Migrator().AddColumn(&RefreshToken{}, "SessionStartedAt"); err != nil {
				return err
			}
			if err := tx.Exec(`UPDATE refresh_tokens SET session_started_at =
				(SELECT MIN(f.created_at) FROM refresh_tokens f WHERE f.family_id = refresh_tokens.family_id)`).Error; err != nil {
				return err
			}
			return tx.Exec(`UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP
				WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE active = ?)`, false).Error
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropColumn(&RefreshToken{}, "SessionStartedAt"); err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&LoginThrottle{}, "LockCount")
		},
	}
}
