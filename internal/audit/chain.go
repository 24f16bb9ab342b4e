package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/database"
)

// The security log is a hash chain like the items' timelines: every event has a
// gapless sequence number and a hash over the previous event's hash and its own
// content, keyed with a secret that is kept outside the database (the chain key:
// DUBAN_AUDIT_KEY, or DATA_DIR/audit.key). Whoever can write the database but does
// not hold the key cannot edit, insert or delete an event without breaking the
// chain, and the periodic checkpoints (package integrity) catch the removal of the
// newest events. The item timelines use the same key (items.EventHash).
//
// The head of the chain (the last sequence number and hash) lives in
// audit_chain_heads; appending locks it, so events are numbered in commit order.

// ChainAudit is the audit log's row in audit_chain_heads.
const ChainAudit = "audit"

// chainHead is a row of audit_chain_heads.
type chainHead struct {
	Kind string `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (chainHead) TableName() string { return "audit_chain_heads" }

// UseChainKey sets the key that seals the chains written through db: the audit
// log's and the item timelines'. The application sets it once when it opens the
// database; without one (unit tests on a bare database) the chains are plain,
// unkeyed sha256.
func UseChainKey(db *database.DB, key []byte) { db.SetChainKey(key) }

// ChainKeyOf returns the chain key of db, or nil.
func ChainKeyOf(db *database.DB) []byte { return db.ChainKey() }

// Seal is the chain hash: HMAC-SHA256 with key, or sha256 without one, over the
// previous hash, a newline and the content; hex.
func Seal(key []byte, prev string, content []byte) string {
	var sum []byte
	if len(key) > 0 {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(prev))
		m.Write([]byte("\n"))
		m.Write(content)
		sum = m.Sum(nil)
	} else {
		h := sha256.New()
		h.Write([]byte(prev))
		h.Write([]byte("\n"))
		h.Write(content)
		sum = h.Sum(nil)
	}
	return hex.EncodeToString(sum)
}

// canonicalEvent is the sealed content of an audit event, in a fixed order.
type canonicalEvent struct {
	Seq        int64  `json:"seq"`
	ID         string `json:"id"`
	At         string `json:"at"`
	ActorID    string `json:"actor_id"`
	Action     string `json:"action"`
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	IP         string `json:"ip"`
	RequestID  string `json:"request_id"`
	Details    string `json:"details"`
}

// EventHash is the chain hash of ev under key.
func EventHash(key []byte, ev *Event) string {
	c := canonicalEvent{
		Seq: ev.Seq, ID: ev.ID.String(), At: ev.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		Action: ev.Action, TargetType: ev.TargetType, TargetID: ev.TargetID, IP: ev.IP, RequestID: ev.RequestID,
		Details: ev.Details,
	}
	if ev.ActorID != nil {
		c.ActorID = ev.ActorID.String()
	}
	b, _ := json.Marshal(c) // strings and ints only: cannot fail
	return Seal(key, ev.PrevHash, b)
}

// append numbers, seals and inserts ev in the transaction of ctx (or one of its
// own), after the chain's head.
func (l *Log) append(ctx context.Context, ev *Event) error {
	return l.db.InTx(ctx, func(ctx context.Context) error {
		head, err := lockHead(ctx, l.db, ChainAudit)
		if err != nil {
			return err
		}
		ev.At = ev.At.UTC().Truncate(time.Microsecond)
		ev.Seq, ev.PrevHash = head.Seq+1, head.Hash
		ev.Hash = EventHash(ChainKeyOf(l.db), ev)
		if err := l.db.Conn(ctx).Create(ev).Error; err != nil {
			return err
		}
		return l.db.Conn(ctx).Model(&chainHead{}).Where("kind = ?", ChainAudit).
			Updates(map[string]any{"seq": ev.Seq, "hash": ev.Hash}).Error
	})
}

// lockHead returns the head of a chain, created at zero when missing, locked for
// the rest of the transaction (PostgreSQL; an SQLite transaction holds the write
// lock anyway).
func lockHead(ctx context.Context, db *database.DB, kind string) (chainHead, error) {
	conn := db.Conn(ctx)
	if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&chainHead{Kind: kind}).Error; err != nil {
		return chainHead{}, fmt.Errorf("chain head: %w", err)
	}
	var h chainHead
	q := conn.Where("kind = ?", kind)
	if db.Dialect() == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&h).Error; err != nil {
		return chainHead{}, fmt.Errorf("chain head: %w", err)
	}
	return h, nil
}
