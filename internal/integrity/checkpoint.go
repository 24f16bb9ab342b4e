package integrity

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// Margin is how far a checkpoint's cutoff lies behind its time: a transaction that
// stamped its timeline event before the cutoff has committed by then (requests are
// bounded by DUBAN_REQUEST_TIMEOUT, statements by DUBAN_DB_STATEMENT_TIMEOUT).
const Margin = 10 * time.Minute

// chainCheckpoints is the checkpoints' row in audit_chain_heads.
const chainCheckpoints = "checkpoints"

// Point is a row of audit_checkpoints.
type Point struct {
	Seq          int64 `gorm:"primaryKey;autoIncrement:false"`
	At           time.Time
	Cutoff       time.Time
	Events       int64
	EventsDigest string
	AuditSeq     int64
	AuditHash    string
	PrevHash     string
	Hash         string
}

// TableName pins the table.
func (Point) TableName() string { return "audit_checkpoints" }

type head struct {
	Kind string `gorm:"primaryKey"`
	Seq  int64
	Hash string
}

func (head) TableName() string { return "audit_chain_heads" }

func (p *Point) seal(key []byte) string {
	b, _ := json.Marshal(map[string]any{
		"seq": p.Seq, "at": stamp(p.At), "cutoff": stamp(p.Cutoff), "events": p.Events,
		"events_digest": p.EventsDigest, "audit_seq": p.AuditSeq, "audit_hash": p.AuditHash,
	})
	return audit.Seal(key, p.PrevHash, b)
}

func stamp(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// digest is a sum of 256-bit numbers modulo 2^256: the same whatever the order in
// which the hashes are added, and no subset of other hashes adds up to it.
type digest [4]uint64

func (d *digest) add(hexHash string) {
	b, err := hex.DecodeString(hexHash)
	if err != nil || len(b) != 32 {
		sum := [32]byte{}
		copy(sum[:], hexHash) // a malformed hash still counts, differently
		b = sum[:]
	}
	var carry uint64
	for i := 3; i >= 0; i-- {
		v := binary.BigEndian.Uint64(b[i*8:])
		s := d[i] + v
		c1 := boolU(s < d[i])
		s2 := s + carry
		c2 := boolU(s2 < s)
		d[i], carry = s2, c1+c2
	}
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (d digest) String() string {
	var b [32]byte
	for i := range d {
		binary.BigEndian.PutUint64(b[i*8:], d[i])
	}
	return hex.EncodeToString(b[:])
}

// Checkpoint takes a signed checkpoint now: the timeline events recorded up to
// now minus Margin, counted and digested, and the security log's head. A periodic
// job should take one (hourly); deletions are detectable from the first
// checkpoint that covered the deleted events. It is written to log too, so that a
// copy outside the database exists.
func Checkpoint(ctx context.Context, db *database.DB, now time.Time, log *slog.Logger) (*Point, error) {
	key := audit.ChainKeyOf(db)
	var p Point
	err := db.InTx(ctx, func(ctx context.Context) error {
		if db.Dialect() == database.Postgres {
			// One snapshot for the log's head and the events: a deletion
			// committing in between would otherwise be half in the checkpoint.
			if err := db.Conn(ctx).Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").Error; err != nil {
				return err
			}
		}
		h, err := lockCheckpointHead(ctx, db)
		if err != nil {
			return err
		}
		p = Point{Seq: h.Seq + 1, At: now.UTC().Truncate(time.Microsecond), PrevHash: h.Hash}
		p.Cutoff = p.At.Add(-Margin)
		if p.AuditSeq, p.AuditHash, err = audit.Head(ctx, db); err != nil {
			return err
		}
		var d digest
		err = eachEvent(ctx, db, func(at time.Time, hash string) error {
			if !at.After(p.Cutoff) {
				p.Events++
				d.add(hash)
			}
			return nil
		})
		if err != nil {
			return err
		}
		p.EventsDigest = d.String()
		p.Hash = p.seal(key)
		if err := db.Conn(ctx).Create(&p).Error; err != nil {
			return fmt.Errorf("store checkpoint: %w", err)
		}
		return db.Conn(ctx).Model(&head{}).Where("kind = ?", chainCheckpoints).
			Updates(map[string]any{"seq": p.Seq, "hash": p.Hash}).Error
	})
	if err != nil {
		return nil, err
	}
	if log != nil {
		log.Info("audit checkpoint", "seq", p.Seq, "cutoff", p.Cutoff, "timeline_events", p.Events,
			"events_digest", p.EventsDigest, "audit_seq", p.AuditSeq, "audit_hash", p.AuditHash, "hash", p.Hash)
	}
	return &p, nil
}

func lockCheckpointHead(ctx context.Context, db *database.DB) (head, error) {
	conn := db.Conn(ctx)
	if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&head{Kind: chainCheckpoints}).Error; err != nil {
		return head{}, fmt.Errorf("checkpoint head: %w", err)
	}
	var h head
	q := conn.Where("kind = ?", chainCheckpoints)
	if db.Dialect() == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&h).Error; err != nil {
		return head{}, fmt.Errorf("checkpoint head: %w", err)
	}
	return h, nil
}

// eachEvent calls fn with the time and hash of every timeline event, in no
// particular order, in batches.
func eachEvent(ctx context.Context, db *database.DB, fn func(at time.Time, hash string) error) error {
	const batch = 5000
	var after *uuid.UUID
	for {
		var rows []struct {
			ID   uuid.UUID `gorm:"type:uuid"`
			At   time.Time
			Hash string
		}
		q := db.Conn(ctx).Table("item_events").Select("id, at, hash").Order("id").Limit(batch)
		if after != nil {
			q = q.Where("id > ?", *after)
		}
		if err := q.Find(&rows).Error; err != nil {
			return fmt.Errorf("read timeline events: %w", err)
		}
		for _, r := range rows {
			if err := fn(r.At.UTC(), r.Hash); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
		last := rows[len(rows)-1].ID
		after = &last
	}
}

// tombstone is a timeline event of an item deleted through the application.
type tombstone struct {
	at       time.Time
	hash     string
	auditSeq int64 // the deletion's place in the security log
}

// tombstones reads the timelines of deleted items from the security log.
func tombstones(ctx context.Context, db *database.DB) ([]tombstone, error) {
	var evs []audit.Event
	if err := db.Conn(ctx).Where("action = ?", "item.deleted").Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("read item deletions: %w", err)
	}
	var out []tombstone
	for _, ev := range evs {
		var d struct {
			Timeline [][2]string `json:"timeline"`
		}
		if err := json.Unmarshal([]byte(ev.Details), &d); err != nil {
			return nil, fmt.Errorf("item deletion %d: %w", ev.Seq, err)
		}
		for _, e := range d.Timeline {
			at, err := time.Parse(time.RFC3339Nano, e[0])
			if err != nil {
				return nil, fmt.Errorf("item deletion %d: %w", ev.Seq, err)
			}
			out = append(out, tombstone{at: at.UTC(), hash: e[1], auditSeq: ev.Seq})
		}
	}
	return out, nil
}

// errNoCheckpoints tells Verify that there is nothing to compare deletions with.
var errNoCheckpoints = errors.New("no checkpoint yet")

func loadPoints(ctx context.Context, db *database.DB) ([]Point, head, error) {
	var pts []Point
	if err := db.Conn(ctx).Order("seq").Find(&pts).Error; err != nil {
		return nil, head{}, fmt.Errorf("read checkpoints: %w", err)
	}
	var h head
	err := db.Conn(ctx).Where("kind = ?", chainCheckpoints).Take(&h).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, head{}, fmt.Errorf("read checkpoints: %w", err)
	}
	if len(pts) == 0 && h.Seq == 0 {
		return nil, h, errNoCheckpoints
	}
	return pts, h, nil
}
