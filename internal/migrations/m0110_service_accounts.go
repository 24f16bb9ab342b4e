package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0110ServiceAccounts brings identities for integrators (issue 15):
//
//   - users.kind: 'person', or 'service' for a service account, a non-person
//     principal owned by its unit (a department, or a scope's own unit: the group
//     or an enterprise) that acts through API tokens only;
//   - api_tokens.last_used_ip: the address of the last use, written with
//     last_used_at (at most once a minute per token);
//   - the scopes of the first tokens, read and write, rewritten to the fine scopes
//     they stand for (the aliases stay accepted when a token is made).
func m0110ServiceAccounts() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0110_service_accounts",
		Migrate: func(tx *gorm.DB) error {
			for _, s := range []string{
				`ALTER TABLE users ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'person'`,
				`ALTER TABLE api_tokens ADD COLUMN last_used_ip VARCHAR(64) NOT NULL DEFAULT ''`,
				`UPDATE api_tokens SET scopes = 'feedback:write,items:read,items:write,todo:read,webhooks:manage'
					WHERE scopes IN ('write', 'read,write', 'write,read')`,
				`UPDATE api_tokens SET scopes = 'items:read,todo:read' WHERE scopes = 'read'`,
				`CREATE INDEX idx_users_kind ON users (kind) WHERE kind <> 'person'`,
			} {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, s := range []string{
				`DROP INDEX IF EXISTS idx_users_kind`,
				`ALTER TABLE api_tokens DROP COLUMN last_used_ip`,
				`ALTER TABLE users DROP COLUMN kind`,
			} {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
