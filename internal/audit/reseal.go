package audit

import (
	"context"
	"fmt"

	"github.com/duban/duban/internal/database"
)

// ResealLog seals the security log's events with the chain key in their sequence
// order, and sets the head. It runs once, when the events written before the log
// was chained (migration 0032 numbered them) get their hashes.
func ResealLog(ctx context.Context, db *database.DB) (int64, error) {
	key := ChainKeyOf(db)
	const batch = 1000
	var (
		prev string
		last int64
		n    int64
	)
	if _, err := lockHead(ctx, db, ChainAudit); err != nil {
		return 0, err
	}
	for {
		var evs []Event
		if err := db.Conn(ctx).Where("seq > ?", last).Order("seq").Limit(batch).Find(&evs).Error; err != nil {
			return n, fmt.Errorf("read the security log: %w", err)
		}
		for i := range evs {
			ev := &evs[i]
			ev.PrevHash = prev
			ev.Hash = EventHash(key, ev)
			if err := db.Conn(ctx).Model(&Event{}).Where("id = ?", ev.ID).
				Updates(map[string]any{"prev_hash": ev.PrevHash, "hash": ev.Hash}).Error; err != nil {
				return n, fmt.Errorf("seal the security log: %w", err)
			}
			prev, last = ev.Hash, ev.Seq
			n++
		}
		if len(evs) < batch {
			break
		}
	}
	err := db.Conn(ctx).Model(&chainHead{}).Where("kind = ?", ChainAudit).Updates(map[string]any{"seq": last, "hash": prev}).Error
	return n, err
}
