package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/database"
)

// ResealTimelines re-seals the timelines that hold under the key from with the key
// to: every event's prev_hash and hash, and the item's head. It runs once, when
// the timelines written before the chain was keyed get the key (from is nil), and
// would run again for a key rotation. A timeline that does not hold under from is
// left as it is, so that tampering done before stays visible; those are returned.
func ResealTimelines(ctx context.Context, db *database.DB, from, to []byte) (resealed int, broken []ChainBreak, err error) {
	const batch = 200
	var after *uuid.UUID
	for {
		var heads []struct {
			ID            uuid.UUID `gorm:"type:uuid"`
			EventSeq      int
			LastEventHash string
		}
		q := db.Conn(ctx).Table("items").Select("id, event_seq, last_event_hash").Order("id").Limit(batch)
		if after != nil {
			q = q.Where("id > ?", *after)
		}
		if err := q.Find(&heads).Error; err != nil {
			return resealed, broken, fmt.Errorf("read items: %w", err)
		}
		for _, h := range heads {
			var evs []Event
			if err := db.Conn(ctx).Where("item_id = ?", h.ID).Order("seq").Find(&evs).Error; err != nil {
				return resealed, broken, fmt.Errorf("read events: %w", err)
			}
			if b := verifyItemChain(from, h.EventSeq, h.LastEventHash, evs); b != nil {
				b.ItemID = h.ID
				broken = append(broken, *b)
				continue
			}
			prev := ""
			for i := range evs {
				evs[i].PrevHash = prev
				evs[i].Hash = EventHash(to, &evs[i])
				prev = evs[i].Hash
				if err := db.Conn(ctx).Model(&Event{}).Where("id = ?", evs[i].ID).
					Updates(map[string]any{"prev_hash": evs[i].PrevHash, "hash": evs[i].Hash}).Error; err != nil {
					return resealed, broken, fmt.Errorf("reseal event: %w", err)
				}
			}
			if len(evs) > 0 {
				if err := db.Conn(ctx).Table("items").Where("id = ?", h.ID).Update("last_event_hash", prev).Error; err != nil {
					return resealed, broken, fmt.Errorf("reseal item head: %w", err)
				}
			}
			resealed++
		}
		if len(heads) < batch {
			return resealed, broken, nil
		}
		last := heads[len(heads)-1].ID
		after = &last
	}
}
