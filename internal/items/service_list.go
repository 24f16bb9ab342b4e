package items

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
)

// ItemPage is one page of a list.
type ItemPage struct {
	Items []ItemView
	Total int64
	// TotalIsEstimate: Total is the planner's estimate, not a count (more than
	// the exact-total limit match; see count).
	TotalIsEstimate bool
	Page            Page
}

// DefaultExactTotalLimit is how many matching items a list counts exactly; above
// it the total is an estimate (PostgreSQL's planner) flagged as such.
const DefaultExactTotalLimit = 10000

// SetExactTotalLimit changes the exact-total limit (tests; n < 1 restores the
// default).
func (s *Service) SetExactTotalLimit(n int) {
	if n < 1 {
		n = DefaultExactTotalLimit
	}
	s.exactTotalUpTo = n
}

// List returns the items visible to p that match the filter, one page of them. The
// visibility is part of the SQL, so pages are exact; the total is exact up to the
// exact-total limit (count).
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
	total, estimate, err := s.count(ctx, p, f, clk, base)
	if err != nil {
		return nil, err
	}
	out := &ItemPage{Items: []ItemView{}, Total: total, TotalIsEstimate: estimate, Page: f.Page}
	if !estimate && (total == 0 || int64(f.Page.Offset()) >= total) {
		return out, nil
	}
	var rows []*Item
	if err := f.order(base()).Limit(f.Page.Size).Offset(f.Page.Offset()).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	if estimate {
		// A short page ends the list: its total is then known exactly. Otherwise
		// the estimate is at least what has been seen.
		seen := int64(f.Page.Offset() + len(rows))
		switch {
		case len(rows) < f.Page.Size && (len(rows) > 0 || f.Page.Offset() == 0):
			out.Total, out.TotalIsEstimate = seen, false
		case len(rows) == f.Page.Size:
			out.Total = max(out.Total, seen+1)
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

// count is the total of a list: exact when at most exactTotalUpTo items match,
// else (PostgreSQL) the planner's estimate of the filtered query, flagged. Counting
// every row of a large scope was most of a default page's time (an index-only scan
// of the whole scope per request); a count capped at the limit stops early.
//
// For callers who see their whole scope it adds the scope's rows (an index count,
// without the visibility condition, which holds for all of them) to the visible
// rows outside the scope (found through two range scans of the scope index),
// instead of testing the visibility of every row. SQLite has no planner estimate:
// it counts exactly.
func (s *Service) count(ctx context.Context, p *access.Principal, f Filter, clk day, base func() *gorm.DB) (int64, bool, error) {
	limit := s.exactTotalUpTo
	if s.db.Dialect() != database.Postgres {
		limit = 0
	}
	capped := func(q *gorm.DB) (int64, error) {
		var n int64
		if limit == 0 {
			err := q.Count(&n).Error
			return n, err
		}
		err := s.db.Conn(ctx).Raw("SELECT count(*) FROM (?) capped", q.Select("1").Limit(limit+1)).Scan(&n).Error
		return n, err
	}
	var total, outside int64
	var err error
	estQ := base
	// On PostgreSQL the candidates go in as an array: the planner then looks each
	// up by primary key instead of hash-joining them with a scan of the table
	// (which its cost model prefers for an IN subquery of a few thousand rows).
	among := func(cand string) string {
		if s.db.Dialect() == database.Postgres {
			return "items.id = ANY(ARRAY(" + cand + "))"
		}
		return "items.id IN (" + cand + ")"
	}
	if !privileged(p) {
		cand, candArgs := candidatesSQL(p, false)
		total, err = capped(base().Where(among(cand), candArgs...))
	} else {
		// The scope's rows are estimated on their own: the planner knows the
		// scope's share of the table, not how the visibility's disjunction adds up.
		estQ = func() *gorm.DB {
			return f.apply(s.db.Conn(ctx).Table("items").Where("items.scope_id = ?", p.ScopeID), clk)
		}
		total, err = capped(estQ())
		if err == nil {
			cand, candArgs := candidatesSQL(p, true)
			outside, err = capped(base().Where("(items.scope_id < ? OR items.scope_id > ?)", p.ScopeID, p.ScopeID).
				Where(among(cand), candArgs...))
			total += outside
		}
	}
	if err != nil {
		return 0, false, fmt.Errorf("count items: %w", err)
	}
	if limit == 0 || total <= int64(limit) {
		return total, false, nil
	}
	est, err := s.estimate(ctx, estQ().Select("1"))
	if err != nil {
		return 0, false, err
	}
	if !privileged(p) {
		// The planner rates each hashed visibility subquery at half the table, so
		// a member's estimate can be many times the truth; the candidates (an
		// index-only count) bound it from above.
		var n int64
		cand, candArgs := candidatesSQL(p, false)
		if err := s.db.Conn(ctx).Raw("SELECT count(*) FROM ("+cand+") c", candArgs...).Scan(&n).Error; err != nil {
			return 0, false, fmt.Errorf("count candidates: %w", err)
		}
		est = min(est, n)
	}
	return max(est+outside, total), true, nil
}

// estimate is PostgreSQL's estimate of the rows q returns (EXPLAIN, no execution).
func (s *Service) estimate(ctx context.Context, q *gorm.DB) (int64, error) {
	stmt := q.Session(&gorm.Session{DryRun: true}).Find(&[]map[string]any{}).Statement
	var plan string
	if err := s.db.Conn(ctx).Raw("EXPLAIN (FORMAT JSON) "+stmt.SQL.String(), stmt.Vars...).Row().Scan(&plan); err != nil {
		return 0, fmt.Errorf("estimate items: %w", err)
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) == 0 {
		return 0, fmt.Errorf("estimate items: read plan: %v", err)
	}
	return int64(out[0].Plan.Rows), nil
}
