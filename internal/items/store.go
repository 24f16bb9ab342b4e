package items

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// errStale is returned by the versioned writes when the row changed meanwhile.
var errStale = errors.New("stale version")

// loadItem reads one item with its join tables. forUpdate locks the row on
// PostgreSQL so that concurrent actions on the item queue up (SQLite's write
// transactions are serial anyway).
func (s *Service) loadItem(ctx context.Context, id uuid.UUID, forUpdate bool) (*Item, error) {
	q := s.db.Conn(ctx).Where("id = ?", id)
	if forUpdate && s.db.Dialect() == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var it Item
	if err := q.Take(&it).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("item")
		}
		return nil, fmt.Errorf("load item: %w", err)
	}
	// Inside a transaction SQLite holds the write lock from BEGIN (immediate), so
	// any read is as good as a locked one; PostgreSQL locks the row.
	it.locked = forUpdate && database.InTransaction(ctx)
	if err := s.loadRefs(ctx, []*Item{&it}); err != nil {
		return nil, err
	}
	return &it, nil
}

// loadRefs fills cooperating units, assisting leaders and tags of the items, in
// one query.
func (s *Service) loadRefs(ctx context.Context, items []*Item) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(items))
	byID := make(map[uuid.UUID]*Item, len(items))
	for i, it := range items {
		ids[i] = it.ID
		byID[it.ID] = it
		it.CooperatingUnitIDs, it.AssistingLeaderIDs, it.Tags = []uuid.UUID{}, []uuid.UUID{}, []string{}
		it.JointUnitIDs = []uuid.UUID{}
	}
	var rows []struct {
		ItemID uuid.UUID  `gorm:"type:uuid"`
		K      string     //
		Ref    *uuid.UUID `gorm:"type:uuid"`
		Tag    string
		Sort   int
	}
	err := s.db.Conn(ctx).Raw(`SELECT item_id, 'c' AS k, unit_id AS ref, '' AS tag, sort FROM item_cooperating_units WHERE item_id IN ?
		UNION ALL SELECT item_id, 'a' AS k, user_id AS ref, '' AS tag, sort FROM item_assisting_leaders WHERE item_id IN ?
		UNION ALL SELECT item_id, 't' AS k, NULL AS ref, tag, 0 AS sort FROM item_tags WHERE item_id IN ?
		UNION ALL SELECT item_id, 'j' AS k, unit_id AS ref, '' AS tag, 0 AS sort FROM item_joint_units WHERE item_id IN ?
		ORDER BY item_id, k, sort, tag, ref`, ids, ids, ids, ids).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("load cooperating units, assisting leaders and tags: %w", err)
	}
	for _, r := range rows {
		it := byID[r.ItemID]
		switch {
		case r.K == "c" && r.Ref != nil:
			it.CooperatingUnitIDs = append(it.CooperatingUnitIDs, *r.Ref)
		case r.K == "a" && r.Ref != nil:
			it.AssistingLeaderIDs = append(it.AssistingLeaderIDs, *r.Ref)
		case r.K == "j" && r.Ref != nil:
			it.JointUnitIDs = append(it.JointUnitIDs, *r.Ref)
		case r.K == "t":
			it.Tags = append(it.Tags, r.Tag)
		}
	}
	return nil
}

// assignmentsOf returns the assignments of the items, oldest first.
func (s *Service) assignmentsOf(ctx context.Context, ids ...uuid.UUID) (map[uuid.UUID][]Assignment, error) {
	out := map[uuid.UUID][]Assignment{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Assignment
	if err := s.db.Conn(ctx).Where("item_id IN ?", ids).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load assignments: %w", err)
	}
	for _, a := range rows {
		out[a.ItemID] = append(out[a.ItemID], a)
	}
	return out, nil
}

// openMilestoneDates returns the due dates of the milestones not yet done.
func (s *Service) openMilestoneDates(ctx context.Context, ids ...uuid.UUID) (map[uuid.UUID][]civil.Date, error) {
	out := map[uuid.UUID][]civil.Date{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ItemID  uuid.UUID `gorm:"type:uuid"`
		DueDate civil.Date
	}
	if err := s.db.Conn(ctx).Table("item_milestones").Select("item_id, due_date").
		Where("item_id IN ? AND done = ?", ids, false).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load milestones: %w", err)
	}
	for _, r := range rows {
		out[r.ItemID] = append(out[r.ItemID], r.DueDate)
	}
	return out, nil
}

// childStats is the roll-up of an item's sub-items (cancelled ones left out).
type childStats struct {
	Count    int
	Progress int
}

func (s *Service) childrenOf(ctx context.Context, ids ...uuid.UUID) (map[uuid.UUID]childStats, error) {
	out := map[uuid.UUID]childStats{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ParentID uuid.UUID `gorm:"type:uuid"`
		N        int
		Total    int
	}
	if err := s.db.Conn(ctx).Table("items").Select("parent_id, COUNT(*) AS n, SUM(CASE WHEN state IN ? THEN 100 ELSE progress END) AS total", []string{string(StateClosed), string(StateArchived)}).
		Where("parent_id IN ? AND state <> ?", ids, string(StateCancelled)).Group("parent_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load sub-items: %w", err)
	}
	for _, r := range rows {
		if r.N > 0 {
			out[r.ParentID] = childStats{Count: r.N, Progress: (r.Total + r.N/2) / r.N}
		}
	}
	return out, nil
}

// writePatch writes an edit's columns (ItemPatch: titles, texts, units) to the item
// if its version is still it.Version, bumping the version and updated_at; errStale
// when someone else changed it first. Changes of state go through write (record.go).
func (s *Service) writePatch(ctx context.Context, it *Item, cols map[string]any) error {
	cols["version"] = gorm.Expr("version + 1")
	cols["updated_at"] = s.now()
	res := s.db.Conn(ctx).Table("items").Where("id = ? AND version = ?", it.ID, it.Version).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update item: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errStale
	}
	it.Version++
	if _, ok := cols["lead_unit_id"]; ok {
		return s.syncVisibility(ctx, it.ID)
	}
	return nil
}

// replaceCooperating rewrites the item's cooperating units.
func (s *Service) replaceCooperating(ctx context.Context, itemID uuid.UUID, units []uuid.UUID) error {
	conn := s.db.Conn(ctx)
	if err := conn.Where("item_id = ?", itemID).Delete(&cooperatingUnit{}).Error; err != nil {
		return fmt.Errorf("clear cooperating units: %w", err)
	}
	for i, u := range units {
		if err := conn.Create(&cooperatingUnit{ItemID: itemID, UnitID: u, Sort: i}).Error; err != nil {
			return fmt.Errorf("add cooperating unit: %w", err)
		}
	}
	return s.syncVisibility(ctx, itemID)
}

// replaceAssisting rewrites the item's assisting leaders.
func (s *Service) replaceAssisting(ctx context.Context, itemID uuid.UUID, users []uuid.UUID) error {
	conn := s.db.Conn(ctx)
	if err := conn.Where("item_id = ?", itemID).Delete(&assistingLeader{}).Error; err != nil {
		return fmt.Errorf("clear assisting leaders: %w", err)
	}
	for i, u := range users {
		if err := conn.Create(&assistingLeader{ItemID: itemID, UserID: u, Sort: i}).Error; err != nil {
			return fmt.Errorf("add assisting leader: %w", err)
		}
	}
	return nil
}

// replaceTags rewrites the item's tags.
func (s *Service) replaceTags(ctx context.Context, itemID uuid.UUID, tags []string) error {
	conn := s.db.Conn(ctx)
	if err := conn.Where("item_id = ?", itemID).Delete(&itemTag{}).Error; err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	for _, t := range tags {
		if err := conn.Create(&itemTag{ItemID: itemID, Tag: t}).Error; err != nil {
			return fmt.Errorf("add tag: %w", err)
		}
	}
	return nil
}

// CountByUnit counts the items and assignments that name the unit (lead,
// cooperating, initiator, notice issuer, assignment): the org package's in-use
// guard asks it before a unit is deleted.
func CountByUnit(ctx context.Context, db *database.DB, unit uuid.UUID) (int64, error) {
	var n int64
	err := db.Conn(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM items WHERE lead_unit_id = ? OR initiator_unit_id = ? OR notice_issuer_unit_id = ? OR scope_id = ?) +
		(SELECT COUNT(*) FROM item_cooperating_units WHERE unit_id = ?) +
		(SELECT COUNT(*) FROM item_assignments WHERE unit_id = ?)`, unit, unit, unit, unit, unit, unit).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count items of unit: %w", err)
	}
	return n, nil
}

// InUseCheck is the org package's delete guard for units: a unit that items or
// assignments still name cannot be deleted.
func InUseCheck(db *database.DB) func(ctx context.Context, unit uuid.UUID) (string, error) {
	return func(ctx context.Context, unit uuid.UUID) (string, error) {
		n, err := CountByUnit(ctx, db, unit)
		if err != nil || n == 0 {
			return "", err
		}
		return fmt.Sprintf("supervision items reference it %d times (lead, cooperating, initiator, issuer, scope or assignment)", n), nil
	}
}
