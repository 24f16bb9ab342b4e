package feedback

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// find reads one feedback (404 when absent).
func find(ctx context.Context, db *database.DB, id uuid.UUID) (*Feedback, error) {
	var f Feedback
	if err := db.Conn(ctx).Where("id = ?", id).Take(&f).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("feedback")
		}
		return nil, fmt.Errorf("load feedback: %w", err)
	}
	return &f, nil
}

// insert writes a new feedback; a second open one of the unit is a 409.
func insert(ctx context.Context, db *database.DB, f *Feedback) error {
	if err := db.Conn(ctx).Create(f).Error; err != nil {
		if database.IsUniqueViolation(err) {
			return problem.Conflict(CodeOpenExists, "the unit already has a feedback in the works on this item; edit that one")
		}
		return fmt.Errorf("insert feedback: %w", err)
	}
	return nil
}

// update writes cols under the optimistic lock and bumps the version.
func update(ctx context.Context, db *database.DB, f *Feedback, cols map[string]any, at time.Time) error {
	cols["version"] = gorm.Expr("version + 1")
	cols["updated_at"] = at
	res := db.Conn(ctx).Model(&Feedback{}).Where("id = ? AND version = ?", f.ID, f.Version).Updates(cols)
	if res.Error != nil {
		if database.IsUniqueViolation(res.Error) {
			return problem.Conflict(CodeOpenExists, "the unit already has a feedback in the works on this item; edit that one")
		}
		return fmt.Errorf("update feedback: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.Conflict(CodeChanged, "the feedback changed while the request ran; reload it and retry")
	}
	return nil
}

// openOf returns the unit's feedback in the works (draft or returned), if any.
func openOf(ctx context.Context, db *database.DB, itemID, unitID uuid.UUID) (*Feedback, error) {
	var out []Feedback
	err := db.Conn(ctx).Where("item_id = ? AND unit_id = ? AND state IN ?", itemID, unitID, []State{StateDraft, StateReturned}).
		Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// lastReported returns the unit's newest submitted or accepted feedback (by
// submission), or nil; accepted only when acceptedOnly.
func lastReported(ctx context.Context, db *database.DB, itemID, unitID uuid.UUID, acceptedOnly bool) (*Feedback, error) {
	states := []State{StateSubmitted, StateAccepted}
	if acceptedOnly {
		states = []State{StateAccepted}
	}
	var out []Feedback
	err := db.Conn(ctx).Where("item_id = ? AND unit_id = ? AND state IN ?", itemID, unitID, states).
		Order("submitted_at DESC, id DESC").Limit(1).Find(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// listQuery is a page of an item's feedback.
type listQuery struct {
	ItemID uuid.UUID
	// DraftUnits are the units whose drafts the caller sees.
	DraftUnits []uuid.UUID
	UnitID     *uuid.UUID
	States     []State
	Offset     int
	Limit      int
}

func list(ctx context.Context, db *database.DB, q listQuery) ([]Feedback, int64, error) {
	tx := db.Conn(ctx).Model(&Feedback{}).Where("item_id = ?", q.ItemID)
	if len(q.DraftUnits) == 0 {
		tx = tx.Where("state <> ?", StateDraft)
	} else {
		tx = tx.Where("(state <> ? OR unit_id IN ?)", StateDraft, q.DraftUnits)
	}
	if q.UnitID != nil {
		tx = tx.Where("unit_id = ?", *q.UnitID)
	}
	if len(q.States) > 0 {
		tx = tx.Where("state IN ?", q.States)
	}
	var total int64
	if err := tx.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count feedback: %w", err)
	}
	var out []Feedback
	if err := tx.Order("created_at DESC, id DESC").Offset(q.Offset).Limit(q.Limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list feedback: %w", err)
	}
	return out, total, nil
}

// reportFacts are, per unit, when it last reported and on which milestones.
type reportFacts struct {
	Last     map[uuid.UUID]time.Time
	Reported map[uuid.UUID]map[uuid.UUID]bool
}

func reports(ctx context.Context, db *database.DB, itemID uuid.UUID) (reportFacts, error) {
	out := reportFacts{Last: map[uuid.UUID]time.Time{}, Reported: map[uuid.UUID]map[uuid.UUID]bool{}}
	counted := []State{StateSubmitted, StateAccepted}
	// The newest counted report of each unit (one row per unit, ties aside) and
	// the milestones each unit reported on: bounded by units and milestones, not
	// by the number of reports.
	var last []struct {
		UnitID      uuid.UUID `gorm:"type:uuid"`
		SubmittedAt *time.Time
	}
	err := db.Conn(ctx).Table("item_feedback f").Select("f.unit_id, f.submitted_at").
		Where("f.item_id = ? AND f.state IN ? AND f.submitted_at IS NOT NULL", itemID, counted).
		Where(`NOT EXISTS (SELECT 1 FROM item_feedback g WHERE g.item_id = f.item_id AND g.unit_id = f.unit_id
			AND g.state IN ? AND g.submitted_at > f.submitted_at)`, counted).Scan(&last).Error
	if err != nil {
		return out, fmt.Errorf("read last reports: %w", err)
	}
	for _, r := range last {
		if r.SubmittedAt != nil && r.SubmittedAt.After(out.Last[r.UnitID]) {
			out.Last[r.UnitID] = *r.SubmittedAt
		}
	}
	var ms []struct {
		UnitID      uuid.UUID `gorm:"type:uuid"`
		MilestoneID uuid.UUID `gorm:"type:uuid"`
	}
	err = db.Conn(ctx).Model(&Feedback{}).Distinct("unit_id", "milestone_id").
		Where("item_id = ? AND state IN ? AND milestone_id IS NOT NULL", itemID, counted).Scan(&ms).Error
	if err != nil {
		return out, fmt.Errorf("read reported milestones: %w", err)
	}
	for _, r := range ms {
		if out.Reported[r.UnitID] == nil {
			out.Reported[r.UnitID] = map[uuid.UUID]bool{}
		}
		out.Reported[r.UnitID][r.MilestoneID] = true
	}
	return out, nil
}
