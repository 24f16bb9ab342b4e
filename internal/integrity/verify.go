package integrity

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// Report is the result of Verify, one part per kind of trail.
type Report struct {
	Timelines *items.ChainReport `json:"timelines"`
	Log       *audit.LogReport   `json:"security_log"`
	Deletions DeletionReport     `json:"deletions"`
	// KeyFingerprint identifies the chain key the verification used.
	KeyFingerprint string `json:"key_fingerprint"`
}

// DeletionReport says whether the checkpoints still add up.
type DeletionReport struct {
	Checkpoints int      `json:"checkpoints"`
	Breaks      []string `json:"breaks"`
}

// OK reports whether every trail holds.
func (r *Report) OK() bool {
	return r.Timelines.OK() && r.Log.OK() && len(r.Deletions.Breaks) == 0
}

// Verify checks every kind of trail of db with its chain key.
func Verify(ctx context.Context, db *database.DB) (*Report, error) {
	rep := &Report{KeyFingerprint: Fingerprint(audit.ChainKeyOf(db)), Deletions: DeletionReport{Breaks: []string{}}}
	var err error
	if rep.Timelines, err = items.VerifyChain(ctx, db); err != nil {
		return nil, err
	}
	if rep.Log, err = audit.VerifyLog(ctx, db); err != nil {
		return nil, err
	}
	breaks, n, err := verifyDeletions(ctx, db)
	if err != nil {
		return nil, err
	}
	rep.Deletions.Checkpoints, rep.Deletions.Breaks = n, append(rep.Deletions.Breaks, breaks...)
	return rep, nil
}

// verifyDeletions checks the checkpoints' own chain, then that the security log
// still holds each checkpoint's head and that the timeline events up to each
// cutoff still add up to what the checkpoint recorded.
func verifyDeletions(ctx context.Context, db *database.DB) ([]string, int, error) {
	key := audit.ChainKeyOf(db)
	pts, h, err := loadPoints(ctx, db)
	if errors.Is(err, errNoCheckpoints) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var breaks []string
	prev := ""
	for i := range pts {
		p := &pts[i]
		switch {
		case p.Seq != int64(i+1):
			breaks = append(breaks, fmt.Sprintf("checkpoint %d is missing (deleted)", i+1))
		case p.PrevHash != prev:
			breaks = append(breaks, fmt.Sprintf("checkpoint %d does not follow the one before (replaced or inserted)", p.Seq))
		}
		if p.seal(key) != p.Hash {
			breaks = append(breaks, fmt.Sprintf("checkpoint %d does not match its hash (edited, or made without the chain key)", p.Seq))
		}
		prev = p.Hash
	}
	if len(pts) == 0 || pts[len(pts)-1].Seq != h.Seq || pts[len(pts)-1].Hash != h.Hash {
		breaks = append(breaks, fmt.Sprintf("the checkpoints' head (%d) is not the last checkpoint (checkpoints removed at the end)", h.Seq))
	}
	if len(breaks) > 0 {
		return breaks, len(pts), nil // the summaries themselves cannot be trusted
	}

	// The security log still reaches each checkpoint's head.
	for _, p := range pts {
		if p.AuditSeq == 0 {
			continue
		}
		var ev audit.Event
		err := db.Conn(ctx).Where("seq = ?", p.AuditSeq).Take(&ev).Error
		if err != nil || ev.Hash != p.AuditHash {
			breaks = append(breaks, fmt.Sprintf("the security log no longer holds event %d that checkpoint %d recorded (events deleted)", p.AuditSeq, p.Seq))
		}
	}

	// The timeline events up to each cutoff, with those of items deleted through
	// the application after the checkpoint, add up to the checkpoint's summary.
	tombs, err := tombstones(ctx, db)
	if err != nil {
		return nil, len(pts), err
	}
	counts := make([]int64, len(pts))
	sums := make([]digest, len(pts))
	err = eachEvent(ctx, db, func(at time.Time, hash string) error {
		for i := range pts {
			if !at.After(pts[i].Cutoff) {
				counts[i]++
				sums[i].add(hash)
			}
		}
		return nil
	})
	if err != nil {
		return nil, len(pts), err
	}
	for _, t := range tombs {
		for i := range pts {
			if t.auditSeq > pts[i].AuditSeq && !t.at.After(pts[i].Cutoff) {
				counts[i]++
				sums[i].add(t.hash)
			}
		}
	}
	for i, p := range pts {
		switch {
		case counts[i] < p.Events:
			breaks = append(breaks, fmt.Sprintf("checkpoint %d counted %d timeline events up to %s; %d are left (events or whole items deleted)",
				p.Seq, p.Events, stamp(p.Cutoff), counts[i]))
		case counts[i] > p.Events:
			breaks = append(breaks, fmt.Sprintf("checkpoint %d counted %d timeline events up to %s; there are %d (events inserted with an earlier date)",
				p.Seq, p.Events, stamp(p.Cutoff), counts[i]))
		case sums[i].String() != p.EventsDigest:
			breaks = append(breaks, fmt.Sprintf("checkpoint %d: the timeline events up to %s are not the ones it recorded (replaced)", p.Seq, stamp(p.Cutoff)))
		}
	}
	return breaks, len(pts), nil
}
