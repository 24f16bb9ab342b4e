package org

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// structureLock is the PostgreSQL advisory lock key that serialises changes to the
// shape of the tree (create, move, delete), so two concurrent moves cannot build a
// cycle and two creations cannot make two roots. SQLite needs none: its write
// transactions are already serial (BEGIN IMMEDIATE).
const structureLock = 0x6f7267 // "org"

// lockStructure takes the structure lock for the rest of the transaction in ctx.
func lockStructure(ctx context.Context, db *database.DB) error {
	if db.Dialect() != database.Postgres {
		return nil
	}
	if err := db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", structureLock).Error; err != nil {
		return fmt.Errorf("lock org structure: %w", err)
	}
	return nil
}

// getUnit loads one unit; an absent one is a 404 problem.
func getUnit(ctx context.Context, db *database.DB, id uuid.UUID) (*Unit, error) {
	var u Unit
	if err := db.Conn(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("org unit")
		}
		return nil, fmt.Errorf("load org unit: %w", err)
	}
	return &u, nil
}

// findUnit loads one unit, or nil when absent.
func findUnit(ctx context.Context, db *database.DB, id uuid.UUID) (*Unit, error) {
	var units []Unit
	if err := db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&units).Error; err != nil {
		return nil, fmt.Errorf("load org unit: %w", err)
	}
	if len(units) == 0 {
		return nil, nil
	}
	return &units[0], nil
}

// Root returns the root unit (the group), or nil when the tree is empty.
func Root(ctx context.Context, db *database.DB) (*Unit, error) {
	var units []Unit
	if err := db.Conn(ctx).Where("parent_id IS NULL AND kind = ?", KindGroup).Order("created_at").Limit(1).Find(&units).Error; err != nil {
		return nil, fmt.Errorf("load root unit: %w", err)
	}
	if len(units) == 0 {
		return nil, nil
	}
	return &units[0], nil
}

// subtreeSQL selects the ids of a unit and all its descendants.
const subtreeSQL = `WITH RECURSIVE sub(id) AS (
	SELECT id FROM org_units WHERE id = ?
	UNION ALL
	SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id
) SELECT id FROM sub`

// Subtree returns the ids of the unit and all its descendants.
func Subtree(ctx context.Context, db *database.DB, id uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.Conn(ctx).Raw(subtreeSQL, id).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("load subtree: %w", err)
	}
	return ids, nil
}

// Filter narrows a flat list of units. Zero fields do not filter.
type Filter struct {
	Kind     Kind
	ParentID *uuid.UUID
	ScopeID  *uuid.UUID
	// Q matches name or short name, case-insensitively.
	Q string
}

// Page is a 1-based page of a list.
type Page = database.Page

func (f Filter) apply(q *gorm.DB) *gorm.DB {
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.ParentID != nil {
		q = q.Where("parent_id = ?", *f.ParentID)
	}
	if f.ScopeID != nil {
		q = q.Where("scope_id = ?", *f.ScopeID)
	}
	if s := strings.TrimSpace(f.Q); s != "" {
		p := database.LikePattern(s)
		q = q.Where(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(short_name) LIKE ? ESCAPE '\')`, p, p)
	}
	return q
}

// listUnits returns one page of the units matching f, in display order, and the
// number of all matches.
func listUnits(ctx context.Context, db *database.DB, f Filter, page Page, order string) ([]Unit, int64, error) {
	var total int64
	if err := f.apply(db.Conn(ctx).Model(&Unit{})).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count org units: %w", err)
	}
	units := []Unit{}
	if err := f.apply(db.Conn(ctx).Model(&Unit{})).Order(order).Offset(page.Offset()).Limit(page.Size).Find(&units).Error; err != nil {
		return nil, 0, fmt.Errorf("list org units: %w", err)
	}
	return units, total, nil
}

// allUnits returns every unit in display order.
func allUnits(ctx context.Context, db *database.DB) ([]Unit, error) {
	var units []Unit
	if err := db.Conn(ctx).Order("sort_order, name, id").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("list org units: %w", err)
	}
	return units, nil
}

// details resolves heads and liaisons of units with two queries.
func details(ctx context.Context, db *database.DB, units []Unit) ([]Detail, error) {
	out := make([]Detail, len(units))
	if len(units) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(units))
	var headIDs []uuid.UUID
	for i, u := range units {
		ids[i] = u.ID
		if u.HeadUserID != nil {
			headIDs = append(headIDs, *u.HeadUserID)
		}
	}
	var links []struct {
		OrgUnitID   uuid.UUID `gorm:"type:uuid"`
		ID          uuid.UUID `gorm:"type:uuid"`
		Username    string
		DisplayName string
	}
	if err := db.Conn(ctx).Table("org_unit_liaisons l").
		Select("l.org_unit_id, u.id, u.username, u.display_name").
		Joins("JOIN users u ON u.id = l.user_id").
		Where("l.org_unit_id IN ?", ids).Order("u.display_name, u.username").Scan(&links).Error; err != nil {
		return nil, fmt.Errorf("load liaisons: %w", err)
	}
	liaisons := map[uuid.UUID][]Person{}
	for _, l := range links {
		liaisons[l.OrgUnitID] = append(liaisons[l.OrgUnitID], Person{ID: l.ID, Username: l.Username, DisplayName: l.DisplayName})
	}
	heads := map[uuid.UUID]Person{}
	if len(headIDs) > 0 {
		var people []Person
		if err := db.Conn(ctx).Table("users").Select("id, username, display_name").Where("id IN ?", headIDs).Scan(&people).Error; err != nil {
			return nil, fmt.Errorf("load heads: %w", err)
		}
		for _, p := range people {
			heads[p.ID] = p
		}
	}
	for i, u := range units {
		out[i] = Detail{Unit: u, Liaisons: liaisons[u.ID]}
		if out[i].Liaisons == nil {
			out[i].Liaisons = []Person{}
		}
		if u.HeadUserID != nil {
			if p, ok := heads[*u.HeadUserID]; ok {
				out[i].Head = &p
			}
		}
	}
	return out, nil
}

// activeUsersWithin returns which of ids are active users whose unit is one of units.
func activeUsersWithin(ctx context.Context, db *database.DB, ids, units []uuid.UUID) (map[uuid.UUID]bool, error) {
	found := map[uuid.UUID]bool{}
	if len(ids) == 0 || len(units) == 0 {
		return found, nil
	}
	var ok []uuid.UUID
	if err := db.Conn(ctx).Table("users").Where("id IN ? AND active = ? AND org_unit_id IN ?", ids, true, units).
		Pluck("id", &ok).Error; err != nil {
		return nil, fmt.Errorf("check users: %w", err)
	}
	for _, id := range ok {
		found[id] = true
	}
	return found, nil
}

// siblingNameTaken reports whether another unit under the same parent has name.
func siblingNameTaken(ctx context.Context, db *database.DB, parent *uuid.UUID, name string, except uuid.UUID) (bool, error) {
	q := db.Conn(ctx).Model(&Unit{}).Where("name = ? AND id <> ?", name, except)
	if parent == nil {
		q = q.Where("parent_id IS NULL")
	} else {
		q = q.Where("parent_id = ?", *parent)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return false, fmt.Errorf("check unit name: %w", err)
	}
	return n > 0, nil
}

// replaceLiaisons sets the liaisons of a unit to exactly ids.
func replaceLiaisons(ctx context.Context, db *database.DB, unit uuid.UUID, ids []uuid.UUID) error {
	conn := db.Conn(ctx)
	if err := conn.Where("org_unit_id = ?", unit).Delete(&Liaison{}).Error; err != nil {
		return fmt.Errorf("clear liaisons: %w", err)
	}
	for _, id := range ids {
		if err := conn.Create(&Liaison{OrgUnitID: unit, UserID: id}).Error; err != nil {
			return fmt.Errorf("add liaison: %w", err)
		}
	}
	return nil
}

// recomputeScopes brings scope_id of the descendants of unit in step with the unit's
// own (already written) scope, bumping the version of every row whose scope changes.
func recomputeScopes(ctx context.Context, db *database.DB, unit uuid.UUID) error {
	ids, err := Subtree(ctx, db, unit)
	if err != nil {
		return err
	}
	var rows []Unit
	if err := db.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return fmt.Errorf("load subtree: %w", err)
	}
	var top *Unit
	children := map[uuid.UUID][]*Unit{}
	for i := range rows {
		if rows[i].ID == unit {
			top = &rows[i]
		} else if rows[i].ParentID != nil {
			children[*rows[i].ParentID] = append(children[*rows[i].ParentID], &rows[i])
		}
	}
	if top == nil {
		return nil
	}
	changed := map[uuid.UUID][]uuid.UUID{} // new scope → units
	var walk func(u *Unit, parentScope uuid.UUID)
	walk = func(u *Unit, parentScope uuid.UUID) {
		scope := parentScope
		if u.Kind.IsScope() {
			scope = u.ID
		}
		if scope != u.ScopeID {
			changed[scope] = append(changed[scope], u.ID)
		}
		for _, c := range children[u.ID] {
			walk(c, scope)
		}
	}
	for _, c := range children[top.ID] {
		walk(c, top.ScopeID)
	}
	for scope, units := range changed {
		if err := db.Conn(ctx).Model(&Unit{}).Where("id IN ?", units).
			Updates(map[string]any{"scope_id": scope, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("update scopes: %w", err)
		}
	}
	return nil
}

// unitSorts maps the keys accepted by `sort` to columns.
var unitSorts = map[string]string{
	"name": "name", "short_name": "short_name", "sort_order": "sort_order", "kind": "kind",
	"created_at": "created_at", "updated_at": "updated_at",
}

// orderBy turns `sort=-created_at,name` into an ORDER BY clause over the allowed keys;
// the display order (sort_order, name) and the id break ties so pages are stable.
func orderBy(raw string) (string, error) {
	var parts []string
	for key := range strings.SplitSeq(raw, ",") {
		key = strings.TrimSpace(key)
		if key == "" {
			continue
		}
		dir := "ASC"
		if rest, ok := strings.CutPrefix(key, "-"); ok {
			key, dir = rest, "DESC"
		}
		col, ok := unitSorts[key]
		if !ok {
			return "", problem.Field("sort", "oneof", "unknown sort key "+key+"; use name, short_name, sort_order, kind, created_at or updated_at, with - for descending")
		}
		parts = append(parts, col+" "+dir)
	}
	parts = append(parts, "sort_order ASC", "name ASC", "id ASC")
	return strings.Join(parts, ", "), nil
}
