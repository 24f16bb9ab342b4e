package todo

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

// row is what a group query returns.
type row struct {
	ItemID uuid.UUID  `gorm:"type:uuid"`
	RefID  *uuid.UUID `gorm:"type:uuid"`
	UnitID *uuid.UUID `gorm:"type:uuid"`
	Since  *time.Time
	// SinceDate is the wait column when it holds a date.
	SinceDate *civil.Date
	Total     int64
	// kind is the group's, set after the scan.
	kind waitKind `gorm:"-"`
}

// target narrows a group's query to one item and, when ref is set, one entry.
type target struct {
	item uuid.UUID
	ref  *uuid.UUID
}

// rows runs group key's query for p: the first limit rows (all when limit is 0),
// oldest first, each with the group's total; only narrows it to one item.
func (s *Service) rows(ctx context.Context, p *access.Principal, key string, d day, limit int, only *target) ([]row, error) {
	q, ok := spec(person(p), key, d)
	if !ok {
		return nil, nil
	}
	cols := "items.id AS item_id, COUNT(*) OVER () AS total"
	if q.ref != "" {
		cols += ", " + q.ref + " AS ref_id"
	}
	if q.unit != "" {
		cols += ", " + q.unit + " AS unit_id"
	}
	if q.kind == sinceTime {
		cols += ", " + q.wait + " AS since"
	} else {
		cols += ", " + q.wait + " AS since_date"
	}
	vis, visArgs := items.VisibleSQL(p)
	tx := s.db.Conn(ctx).Table("items").Select(cols)
	if q.join != "" {
		tx = tx.Joins(q.join)
	}
	for _, c := range q.where {
		tx = tx.Where(c.sql, c.args...)
	}
	if only != nil {
		tx = tx.Where("items.id = ?", only.item)
		if only.ref != nil {
			if q.ref == "" {
				return nil, nil
			}
			tx = tx.Where(q.ref+" = ?", *only.ref)
		}
	}
	tx = tx.Where(vis, visArgs...).Order(q.wait + " ASC").Order("items.id ASC")
	if q.ref != "" {
		tx = tx.Order(q.ref + " ASC")
	}
	if limit > 0 {
		tx = tx.Limit(limit)
	}
	var rows []row
	if err := tx.Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].kind = q.kind
	}
	return rows, nil
}

// entry turns a row of group key into an entry (without its item view).
func (s *Service) entry(key string, r row) Entry {
	e := Entry{ItemID: r.ItemID, RefID: r.RefID, UnitID: r.UnitID}
	if r.RefID != nil {
		e.RefType = RefTypes[key]
	}
	loc := s.cal.Location()
	switch {
	case r.Since != nil:
		e.Since = r.Since.UTC()
	case r.SinceDate != nil && r.kind == sinceDue:
		d := *r.SinceDate
		e.DueDate, e.Since = &d, d.In(loc).UTC()
	case r.SinceDate != nil:
		// Overdue since the day after the deadline began.
		e.Since = r.SinceDate.AddDays(1).In(loc).UTC()
	}
	return e
}
