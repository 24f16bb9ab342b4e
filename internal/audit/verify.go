package audit

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
)

// LogBreak is one place where the security log's chain does not hold.
type LogBreak struct {
	// Seq is the event at fault (0: the chain's head).
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

func (b LogBreak) String() string { return fmt.Sprintf("security log event %d: %s", b.Seq, b.Reason) }

// LogReport is the result of VerifyLog.
type LogReport struct {
	Events int64      `json:"events"`
	Head   int64      `json:"head"`
	Breaks []LogBreak `json:"breaks"`
}

// OK reports whether the chain holds.
func (r *LogReport) OK() bool { return len(r.Breaks) == 0 }

const maxLogBreaks = 100

// VerifyLog walks the security log in sequence order and reports where the chain
// breaks: a missing sequence number (an event deleted), a link to the wrong
// previous hash (an event replaced or inserted), content that does not match its
// hash (an event edited, or sealed without the key), a head that is not the last
// event (events removed at the end, or the head edited).
func VerifyLog(ctx context.Context, db *database.DB) (*LogReport, error) {
	key := ChainKeyOf(db)
	rep := &LogReport{Breaks: []LogBreak{}}
	var head chainHead
	err := db.Conn(ctx).Where("kind = ?", ChainAudit).Take(&head).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("read the security log's head: %w", err)
	}
	rep.Head = head.Seq
	add := func(b LogBreak) {
		if len(rep.Breaks) < maxLogBreaks {
			rep.Breaks = append(rep.Breaks, b)
		}
	}
	const batch = 1000
	var (
		want int64 = 1
		prev string
	)
	for {
		var evs []Event
		if err := db.Conn(ctx).Where("seq >= ?", want).Order("seq").Limit(batch).Find(&evs).Error; err != nil {
			return nil, fmt.Errorf("read the security log: %w", err)
		}
		for i := range evs {
			ev := &evs[i]
			rep.Events++
			if ev.Seq != want {
				add(LogBreak{Seq: want, Reason: fmt.Sprintf("events %d to %d are missing (deleted)", want, ev.Seq-1)})
				prev = "" // the link after a gap cannot be checked; the content can
			} else if ev.PrevHash != prev {
				add(LogBreak{Seq: ev.Seq, Reason: "prev_hash does not match the previous event's hash (an event was replaced or inserted)"})
			}
			if EventHash(key, ev) != ev.Hash {
				add(LogBreak{Seq: ev.Seq, Reason: "the event's content does not match its hash (edited, or sealed without the chain key)"})
			}
			prev, want = ev.Hash, ev.Seq+1
		}
		if len(evs) < batch {
			break
		}
	}
	// Events appended while this ran may pass the head read first; the head must
	// be one of the chain's links.
	var at Event
	switch err := db.Conn(ctx).Where("seq = ?", head.Seq).Take(&at).Error; {
	case head.Seq == 0 && rep.Events == 0:
	case errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && at.Hash != head.Hash):
		add(LogBreak{Seq: 0, Reason: fmt.Sprintf("the chain's head (event %d) is not an event of the log (events removed at the end, or the head edited)", head.Seq)})
	case err != nil:
		return nil, fmt.Errorf("read the security log: %w", err)
	}
	var unsealed int64
	if err := db.Conn(ctx).Model(&Event{}).Where("seq IS NULL OR seq <= 0").Count(&unsealed).Error; err != nil {
		return nil, fmt.Errorf("read the security log: %w", err)
	}
	if unsealed > 0 {
		add(LogBreak{Seq: 0, Reason: fmt.Sprintf("%d events are outside the chain (inserted behind the application's back)", unsealed)})
	}
	return rep, nil
}

// Head returns the security log's last sequence number and hash.
func Head(ctx context.Context, db *database.DB) (int64, string, error) {
	var h chainHead
	err := db.Conn(ctx).Where("kind = ?", ChainAudit).Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, "", nil
	}
	return h.Seq, h.Hash, err
}
