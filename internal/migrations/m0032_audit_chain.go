package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0032AuditChain makes the security log tamper-evident and deletions detectable:
//   - audit_events gets seq (gapless, in commit order), prev_hash and hash: a chain
//     keyed like the item timelines. Existing events are numbered here in the
//     order they happened; their hashes, which need the chain key (kept outside
//     the database), are computed when the application next starts
//     (integrity.Seal), which also re-seals the item timelines with the key.
//   - audit_chain_heads holds the head of each chain (the security log's, the
//     checkpoints').
//   - audit_checkpoints are signed summaries taken periodically: how many timeline
//     events there were up to a moment and a digest of their hashes, and the
//     security log's head then. A deleted item, a deleted timeline event or events
//     cut from the end of the log no longer match the summary.
func m0032AuditChain() *gormigrate.Migration {
	type AuditEvent struct {
		Seq      *int64
		PrevHash string `gorm:"size:64;not null;default:''"`
		Hash     string `gorm:"size:64;not null;default:''"`
	}
	type AuditChainHead struct {
		Kind string `gorm:"size:32;primaryKey"`
		Seq  int64  `gorm:"not null;default:0"`
		Hash string `gorm:"size:64;not null;default:''"`
	}
	type AuditCheckpoint struct {
		Seq int64     `gorm:"primaryKey;autoIncrement:false"`
		At  time.Time `gorm:"not null"`
		// Cutoff: the summary covers the timeline events recorded at or before it.
		Cutoff       time.Time `gorm:"not null"`
		Events       int64     `gorm:"not null"`
		EventsDigest string    `gorm:"size:64;not null"`
		AuditSeq     int64     `gorm:"not null"`
		AuditHash    string    `gorm:"size:64;not null;default:''"`
		PrevHash     string    `gorm:"size:64;not null;default:''"`
		Hash         string    `gorm:"size:64;not null"`
	}
	return &gormigrate.Migration{
		ID: "0032_audit_chain",
		Migrate: func(tx *gorm.DB) error {
			for _, col := range []string{"Seq", "PrevHash", "Hash"} {
				if err := tx.Migrator().AddColumn(&AuditEvent{}, col); err != nil {
					return err
				}
			}
			if err := tx.Exec(`UPDATE audit_events SET seq = n.rn FROM
				(SELECT id, ROW_NUMBER() OVER (ORDER BY at, id) AS rn FROM audit_events) AS n
				WHERE audit_events.id = n.id`).Error; err != nil {
				return err
			}
			if err := tx.Exec("CREATE UNIQUE INDEX ux_audit_events_seq ON audit_events (seq)").Error; err != nil {
				return err
			}
			return tx.Migrator().CreateTable(&AuditChainHead{}, &AuditCheckpoint{})
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropTable("audit_checkpoints", "audit_chain_heads"); err != nil {
				return err
			}
			if err := tx.Exec("DROP INDEX IF EXISTS ux_audit_events_seq").Error; err != nil {
				return err
			}
			for _, col := range []string{"Hash", "PrevHash", "Seq"} {
				if err := tx.Migrator().DropColumn(&AuditEvent{}, col); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
