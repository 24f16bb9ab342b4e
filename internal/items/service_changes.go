package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/changes"
)

// ChangePage is a page of items in change order (issue 15).
type ChangePage struct {
	Items   []ItemView
	Next    changes.Cursor
	HasMore bool
}

// Changes returns the items visible to p that match f and the sync query, in the
// order they were last written, after q's cursor (internal/changes). f's sort and
// page are ignored; q.Limit bounds the page.
func (s *Service) Changes(ctx context.Context, p *access.Principal, f Filter, q changes.Query) (*ChangePage, error) {
	out := &ChangePage{Items: []ItemView{}, Next: q.Cursor}
	if p == nil {
		return out, nil
	}
	clk, err := s.dayOf(ctx)
	if err != nil {
		return nil, err
	}
	vis, visArgs := visibleSQL(p)
	db := f.apply(s.db.Conn(ctx).Table("items").Where(vis, visArgs...), clk)
	db = q.Page(q.Filter(db, "items", "items.updated_at"), s.db.Dialect(), "items")
	var seen []changes.Row
	if err := db.Select("items.id, items.change_seq").Find(&seen).Error; err != nil {
		return nil, fmt.Errorf("list item changes: %w", err)
	}
	seen, out.Next, out.HasMore = q.Next(seen)
	if len(seen) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(seen))
	for i, r := range seen {
		ids[i] = r.ID
	}
	var rows []*Item
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load item changes: %w", err)
	}
	byID := make(map[uuid.UUID]*Item, len(rows))
	for _, it := range rows {
		byID[it.ID] = it
	}
	// Back in change order; a row deleted since the first query drops out.
	rows = rows[:0]
	for _, id := range ids {
		if it := byID[id]; it != nil {
			rows = append(rows, it)
		}
	}
	if err := s.loadRefs(ctx, rows); err != nil {
		return nil, err
	}
	if out.Items, err = s.views(ctx, p, rows, nil); err != nil {
		return nil, err
	}
	return out, nil
}
