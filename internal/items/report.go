package items

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
)

// The reporting side of the list (issue 13): the filters that statistics drill down
// with, and the ledger's streamed walk over the list. Statistics, bulletins,
// assessment and the ledger live in their own packages and read the item tables
// with their own SQL; what they need from here is the visibility rule (VisibleSQL,
// lookup.go), the filters of GET /items, and the list as a stream. Dates are days of
// the company time zone, which every caller passes (the calendar's Location).

// ReportFilter is the part of GET /items that statistics drill down with:
// items issued or closed in a date range (dates in the company time zone), closed
// by their original deadline or not, and the supervision scope.
type ReportFilter struct {
	IssuedFrom, IssuedTo civil.Date
	ClosedFrom, ClosedTo civil.Date
	// OnTime: true selects closed or archived items closed on or before their
	// original deadline, false those closed after it.
	OnTime  *bool
	ScopeID *uuid.UUID
}

// ClosedStates are the states of a closed item (closed, then archived).
var ClosedStates = []State{StateClosed, StateArchived}

// InProgressStates are the states of an issued item not yet closed: issued, in
// progress, suspended, completion requested.
var InProgressStates = []State{StateIssued, StateInProgress, StateSuspended, StateCompletionRequested}

func parseReport(q url.Values, e *fieldErrs) ReportFilter {
	var r ReportFilter
	date := func(name string) civil.Date {
		v := q.Get(name)
		if v == "" {
			return civil.Date{}
		}
		d, err := civil.Parse(v)
		if err != nil {
			e.add(name, "date", "must be a date in the form YYYY-MM-DD")
		}
		return d
	}
	r.IssuedFrom, r.IssuedTo = date("issued_from"), date("issued_to")
	r.ClosedFrom, r.ClosedTo = date("closed_from"), date("closed_to")
	if v := q.Get("on_time"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.add("on_time", "bool", "must be true or false")
		} else {
			r.OnTime = &b
		}
	}
	if v := q.Get("scope_id"); v != "" {
		u, err := uuid.Parse(v)
		if err != nil {
			e.add("scope_id", "uuid", "must be a UUID")
		} else {
			r.ScopeID = &u
		}
	}
	return r
}

// StartOf is the first instant of the day d in the company time zone loc (UTC).
func StartOf(d civil.Date, loc *time.Location) time.Time { return d.In(loc).UTC() }

// LocalDateSQL is SQL for the calendar date (YYYY-MM-DD text, comparable with the
// stored deadlines) of a timestamp column in the company time zone. PostgreSQL
// converts with the zone's rules; SQLite, which has no zone database, shifts by the
// zone's offset now (exact for zones without daylight saving, such as China's).
func LocalDateSQL(db *gorm.DB, col string, loc *time.Location) (string, []any) {
	if db.Dialector.Name() == "postgres" {
		return "to_char(" + col + " AT TIME ZONE ?, 'YYYY-MM-DD')", []any{loc.String()}
	}
	_, off := time.Now().In(loc).Zone()
	return "strftime('%Y-%m-%d', " + col + ", ?)", []any{fmt.Sprintf("%+d seconds", off)}
}

// apply adds the filter's conditions; dates are days of the company time zone loc.
func (r ReportFilter) apply(q *gorm.DB, loc *time.Location) *gorm.DB {
	if !r.IssuedFrom.IsZero() {
		q = q.Where("items.issued_at >= ?", StartOf(r.IssuedFrom, loc))
	}
	if !r.IssuedTo.IsZero() {
		q = q.Where("items.issued_at < ?", StartOf(r.IssuedTo.AddDays(1), loc))
	}
	if !r.ClosedFrom.IsZero() {
		q = q.Where("items.closed_at >= ?", StartOf(r.ClosedFrom, loc))
	}
	if !r.ClosedTo.IsZero() {
		q = q.Where("items.closed_at < ?", StartOf(r.ClosedTo.AddDays(1), loc))
	}
	if r.OnTime != nil {
		local, args := LocalDateSQL(q, "items.closed_at", loc)
		op := "<="
		if !*r.OnTime {
			op = ">"
		}
		q = q.Where("items.state IN ? AND items.closed_at IS NOT NULL AND items.original_deadline IS NOT NULL AND "+local+" "+op+" items.original_deadline",
			append([]any{stateStrings(ClosedStates)}, args...)...)
	}
	if r.ScopeID != nil {
		q = q.Where("items.scope_id = ?", *r.ScopeID)
	}
	return q
}

func stateStrings(ss []State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// Privileged reports whether p's roles see the whole of their scope (supervisors,
// leaders, admins, auditors).
func Privileged(p *access.Principal) bool { return p != nil && privileged(p) }

// Stream walks every item of the list p may see that matches f (paging and sort
// ignored), in batches of size in creation order, as p sees them (derived fields,
// references loaded). fn may stop the walk by returning an error. Each batch is one
// keyset query, so memory stays at one batch whatever the number of items.
func (s *Service) Stream(ctx context.Context, p *access.Principal, f Filter, size int, fn func([]ItemView) error) error {
	if p == nil {
		return nil
	}
	if size <= 0 {
		size = 500
	}
	clk, err := s.dayOf(ctx)
	if err != nil {
		return err
	}
	vis, visArgs := visibleSQL(p)
	var (
		lastAt time.Time
		lastID uuid.UUID
		first  = true
	)
	for {
		q := f.apply(s.db.Conn(ctx).Table("items").Where(vis, visArgs...), clk)
		if !first {
			q = q.Where("(items.created_at > ? OR (items.created_at = ? AND items.id > ?))", lastAt, lastAt, lastID)
		}
		var rows []*Item
		if err := q.Order("items.created_at ASC").Order("items.id ASC").Limit(size).Find(&rows).Error; err != nil {
			return fmt.Errorf("stream items: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := s.loadRefs(ctx, rows); err != nil {
			return err
		}
		vs, err := s.views(ctx, p, rows, nil)
		if err != nil {
			return err
		}
		if err := fn(vs); err != nil {
			return err
		}
		if len(rows) < size {
			return nil
		}
		last := rows[len(rows)-1]
		lastAt, lastID, first = last.CreatedAt, last.ID, false
	}
}
