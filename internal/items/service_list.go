package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
)

// ItemPage is one page of a list.
type ItemPage struct {
	Items []ItemView
	Total int64
	Page  Page
}

// List returns the items visible to p that match the filter, one page of them. The
// visibility is part of the SQL, so totals and pages are exact.
func (s *Service) List(ctx context.Context, p *access.Principal, f Filter) (*ItemPage, error) {
	if p == nil {
		return &ItemPage{Items: []ItemView{}, Page: f.Page}, nil
	}
	if f.Page.Size == 0 {
		f.Page = Page{Page: 1, Size: DefaultPageSize}
	}
	clk, err := s.dayOf(ctx)
	if err != nil {
		return nil, err
	}
	vis, visArgs := visibleSQL(p)
	base := func() *gorm.DB { return f.apply(s.db.Conn(ctx).Table("items").Where(vis, visArgs...), clk) }
	total, err := s.count(ctx, p, f, clk, base)
	if err != nil {
		return nil, err
	}
	out := &ItemPage{Items: []ItemView{}, Total: total, Page: f.Page}
	if total == 0 || int64(f.Page.Offset()) >= total {
		return out, nil
	}
	var rows []*Item
	if err := f.order(base()).Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	if err := s.loadRefs(ctx, rows); err != nil {
		return nil, err
	}
	if out.Items, err = s.views(ctx, p, rows, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// EventPage is one page of an item's timeline.
type EventPage struct {
	Events []Event
	Total  int64
	Page   Page
}

// ListEvents returns the item's timeline, oldest first.
func (s *Service) ListEvents(ctx context.Context, p *access.Principal, itemID uuid.UUID, pg Page) (*EventPage, error) {
	if _, _, err := s.visibleItem(ctx, p, itemID, false); err != nil {
		return nil, err
	}
	out := &EventPage{Events: []Event{}, Page: pg}
	conn := s.db.Conn(ctx)
	if err := conn.Model(&Event{}).Where("item_id = ?", itemID).Count(&out.Total).Error; err != nil {
		return nil, fmt.Errorf("count events: %w", err)
	}
	if err := conn.Where("item_id = ?", itemID).Order("seq").Limit(pg.Size).Offset(pg.Offset()).Find(&out.Events).Error; err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return out, nil
}

// count is the exact total of a list. For callers who see their whole scope it adds
// the scope's rows (an index count, without the visibility condition, which holds
// for all of them) to the visible rows outside the scope (found through two range
// scans of the scope index), instead of testing the visibility of every row.
func (s *Service) count(ctx context.Context, p *access.Principal, f Filter, clk day, base func() *gorm.DB) (int64, error) {
	var total, outside int64
	if !privileged(p) {
		if err := base().Count(&total).Error; err != nil {
			return 0, fmt.Errorf("count items: %w", err)
		}
		return total, nil
	}
	if err := f.apply(s.db.Conn(ctx).Table("items").Where("items.scope_id = ?", p.ScopeID), clk).Count(&total).Error; err != nil {
		return 0, fmt.Errorf("count items: %w", err)
	}
	if err := base().Where("(items.scope_id < ? OR items.scope_id > ?)", p.ScopeID, p.ScopeID).Count(&outside).Error; err != nil {
		return 0, fmt.Errorf("count items: %w", err)
	}
	return total + outside, nil
}
