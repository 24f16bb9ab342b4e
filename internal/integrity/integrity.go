// Package integrity keeps the audit trails tamper-evident as a whole: it seals the
// chains with the key when the application starts (Seal), takes signed checkpoints
// that make deletions detectable (Checkpoint), and verifies every kind of trail
// (Verify, behind `duban audit verify`):
//
//   - item timelines: each item's chain of events (items.VerifyChain);
//   - the security log: one chain over every audit event (audit.VerifyLog);
//   - deletions: a checkpoint records, under the chain key, how many timeline
//     events were recorded up to a moment (its cutoff) and a digest of their
//     hashes, and the security log's head. Later, the events up to each cutoff
//     must still be there (or be named by the tombstone of a draft deleted through
//     the application, which the security log keeps), and the log must still hold
//     the checkpoint's head. Deleting an item with its events, a single event, or
//     the newest security events breaks a checkpoint. Checkpoints are themselves
//     chained, and each is written to the application log too, outside the
//     database.
//
// The chain key is a secret outside the database (DUBAN_AUDIT_KEY or
// DATA_DIR/audit.key): whoever can write the database but not read the key cannot
// forge a hash. Lose the key and nothing can be verified any more; keep a copy with
// the backups of the key file, apart from the database backups.
package integrity

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// settingKey is the app_settings row that holds the chain key's fingerprint.
const settingKey = "audit.chain_key"

// ErrWrongKey means the configured chain key is not the one the chains were
// sealed with.
var ErrWrongKey = errors.New("the audit chain key is not the one the chains were sealed with")

// Fingerprint identifies a key without revealing it.
func Fingerprint(key []byte) string {
	if len(key) == 0 {
		return "unkeyed"
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("duban audit chain key fingerprint"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (setting) TableName() string { return "app_settings" }

// Seal makes sure the chains of db are sealed with its chain key (audit.ChainKeyOf):
// on the first start with a key it seals what was written before (the timelines
// that still hold under the old unkeyed hash, and the security log), and records
// the key's fingerprint; on every later start it refuses a different key, which
// would break every chain from then on.
func Seal(ctx context.Context, db *database.DB) error {
	key := audit.ChainKeyOf(db)
	fp := Fingerprint(key)
	return db.InTx(ctx, func(ctx context.Context) error {
		res := db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&setting{Key: settingKey, Value: fp})
		if res.Error != nil {
			return fmt.Errorf("record the chain key: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			var cur setting
			if err := db.Conn(ctx).Where(`"key" = ?`, settingKey).Take(&cur).Error; err != nil {
				return fmt.Errorf("read the chain key: %w", err)
			}
			if cur.Value != fp {
				return fmt.Errorf("%w (configured %s, sealed with %s): restore DUBAN_AUDIT_KEY or DATA_DIR/audit.key", ErrWrongKey, fp, cur.Value)
			}
			return nil
		}
		if _, _, err := items.ResealTimelines(ctx, db, nil, key); err != nil {
			return err
		}
		_, err := audit.ResealLog(ctx, db)
		return err
	})
}
