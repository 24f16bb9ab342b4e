package urges

import (
	"time"

	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// find reads one urge (404 when absent).
func find(ctx context.Context, db *database.DB, id uuid.UUID) (*Urge, error) {
	var u Urge
	if err := db.Conn(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("urge")
		}
		return nil, fmt.Errorf("load urge: %w", err)
	}
	return &u, nil
}

func insert(ctx context.Context, db *database.DB, u *Urge) error {
	if err := db.Conn(ctx).Create(u).Error; err != nil {
		return fmt.Errorf("insert urge: %w", err)
	}
	return nil
}

// insertOnce inserts an automatic reminder's urge unless the one of its item,
// unit, reminder and day exists (ux_item_urges_reminder, migration 0015): it
// reports whether it inserted.
func insertOnce(ctx context.Context, db *database.DB, u *Urge) (bool, error) {
	res := db.Conn(ctx).Clauses(clause.OnConflict{
		Columns:     []clause.Column{{Name: "item_id"}, {Name: "unit_id"}, {Name: "reminder"}, {Name: "reminder_day"}},
		TargetWhere: clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "reminder IS NOT NULL"}}}, DoNothing: true}).Create(u)
	if res.Error != nil {
		return false, fmt.Errorf("insert reminder urge: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// acknowledge marks the urge acknowledged by user unless someone did meanwhile.
func acknowledge(ctx context.Context, db *database.DB, u *Urge, by uuid.UUID, at time.Time) error {
	res := db.Conn(ctx).Model(&Urge{}).Where("id = ? AND version = ? AND acknowledged_at IS NULL", u.ID, u.Version).
		Updates(map[string]any{"acknowledged_at": at, "acknowledged_by": by, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return fmt.Errorf("acknowledge urge: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.InvalidTransition(ActAcknowledge, "acknowledged", []string{})
	}
	u.AcknowledgedAt, u.AcknowledgedBy = &at, &by
	u.Version++
	return nil
}

// list is a page of an item's urges, newest first.
func list(ctx context.Context, db *database.DB, itemID uuid.UUID, unit *uuid.UUID, offset, limit int) ([]Urge, int64, error) {
	q := db.Conn(ctx).Model(&Urge{}).Where("item_id = ?", itemID)
	if unit != nil {
		q = q.Where("unit_id = ?", *unit)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count urges: %w", err)
	}
	var out []Urge
	if err := q.Order("created_at DESC, id DESC").Offset(offset).Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list urges: %w", err)
	}
	return out, total, nil
}

// counts are the urges of the item per unit.
func counts(ctx context.Context, db *database.DB, itemID uuid.UUID) (map[uuid.UUID]Count, error) {
	var rows []Count
	err := db.Conn(ctx).Model(&Urge{}).
		Select("unit_id, COUNT(*) AS total, SUM(CASE WHEN acknowledged_at IS NULL THEN 1 ELSE 0 END) AS unacknowledged").
		Where("item_id = ?", itemID).Group("unit_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count urges: %w", err)
	}
	out := make(map[uuid.UUID]Count, len(rows))
	for _, r := range rows {
		out[r.UnitID] = r
	}
	return out, nil
}
