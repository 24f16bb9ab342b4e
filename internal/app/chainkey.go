package app

import (
	"context"
	"fmt"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/config"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/integrity"
)

// useChainKey gives db the key that seals the audit trails: DUBAN_AUDIT_KEY, or
// the key kept in DATA_DIR/audit.key (generated on first use, like jwt.secret).
// Every process writing to one database needs the same key.
func useChainKey(cfg config.Config, db *database.DB) error {
	if len(audit.ChainKeyOf(db)) > 0 {
		return nil
	}
	key := []byte(cfg.AuditKey)
	if len(key) == 0 {
		k, err := secretFile(cfg, "audit.key")
		if err != nil {
			return fmt.Errorf("audit chain key: %w", err)
		}
		key = k
	}
	audit.UseChainKey(db, key)
	return nil
}

// sealChains makes sure the trails are sealed with the configured key (once,
// after the upgrade that keyed them) and refuses to go on with another key.
func sealChains(ctx context.Context, cfg config.Config, db *database.DB) error {
	if err := useChainKey(cfg, db); err != nil {
		return err
	}
	return integrity.Seal(ctx, db)
}
