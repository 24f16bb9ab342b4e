package changes

import (
	"context"
	"fmt"
	"net/url"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Table describes a synced table whose rows belong to an item.
type Table struct {
	Name string
	// Updated is the SQL expression of a row's last change time (updated_since).
	Updated string
	// Where narrows the rows (e.g. no drafts); nil for all.
	Where func(*gorm.DB) *gorm.DB
}

// Filter is what a cross-item list filters on besides the sync query.
type Filter struct {
	ItemID *uuid.UUID
	UnitID *uuid.UUID
}

// ListPage is a page of a cross-item list.
type ListPage[V any] struct {
	Views   []V
	Next    Cursor
	HasMore bool
}

// List pages t's rows in change order among the items the reader sees (visible
// and visibleArgs: the items list's visibility condition, items.VisibleSQL), then
// reads each through get, the row's own read with its own permission check: a row
// get answers 404 or 403 for is left out (the cursor still moves past it).
func List[V any](ctx context.Context, db *database.DB, t Table, visible string, visibleArgs []any, f Filter, q Query,
	get func(context.Context, uuid.UUID) (V, error)) (*ListPage[V], error) {
	out := &ListPage[V]{Views: []V{}, Next: q.Cursor}
	qy := db.Conn(ctx).Table(t.Name).Where(t.Name+".item_id IN (SELECT items.id FROM items WHERE "+visible+")", visibleArgs...)
	if f.ItemID != nil {
		qy = qy.Where(t.Name+".item_id = ?", *f.ItemID)
	}
	if f.UnitID != nil {
		qy = qy.Where(t.Name+".unit_id = ?", *f.UnitID)
	}
	if t.Where != nil {
		qy = t.Where(qy)
	}
	qy = q.Page(q.Filter(qy, t.Name, t.Updated), db.Dialect(), t.Name)
	var rows []Row
	if err := qy.Select(t.Name + ".id, " + t.Name + ".change_seq").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list %s changes: %w", t.Name, err)
	}
	rows, out.Next, out.HasMore = q.Next(rows)
	for _, r := range rows {
		v, err := get(ctx, r.ID)
		if problem.IsNotFound(err) || problem.IsForbidden(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.Views = append(out.Views, v)
	}
	return out, nil
}

// ParseFilter reads item_id and unit_id.
func ParseFilter(get func(string) string) (Filter, error) {
	var f Filter
	for _, p := range []struct {
		name string
		dst  **uuid.UUID
	}{{"item_id", &f.ItemID}, {"unit_id", &f.UnitID}} {
		v := get(p.name)
		if v == "" {
			continue
		}
		id, err := uuid.Parse(v)
		if err != nil {
			return f, problem.Field(p.name, "uuid", "must be a UUID")
		}
		*p.dst = &id
	}
	return f, nil
}

// ParseRequest reads a cross-item list's query: item_id, unit_id and the sync
// query. These lists are always in change order (an absent cursor starts).
func ParseRequest(q url.Values) (Filter, Query, error) {
	f, err := ParseFilter(q.Get)
	if err != nil {
		return f, Query{}, err
	}
	sq, err := ParseQuery(q)
	sq.Sync = true
	return f, sq, err
}
