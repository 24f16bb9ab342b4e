package items

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/httpserver"
)

// Filter is a parsed GET /items query.
type Filter struct {
	States       []State
	Category     Category
	Source       Source
	LeadUnitID   *uuid.UUID
	UnitID       *uuid.UUID
	LeaderID     *uuid.UUID
	DeadlineFrom civil.Date
	DeadlineTo   civil.Date
	Overdue      *bool
	// WasOverdue selects items by the stored overdue record (was_overdue).
	WasOverdue *bool
	Light      string
	Q          string
	ParentID   *uuid.UUID
	// TopLevel selects items without a parent (parent_id=none).
	TopLevel bool
	Tag      string
	// DocNumber: items whose document number (文号) contains it.
	DocNumber string
	// SupervisingLeaderID: the supervising leader only (LeaderID also matches
	// assisting leaders); CooperatingUnitID: a cooperating unit of the item.
	SupervisingLeaderID *uuid.UUID
	CooperatingUnitID   *uuid.UUID
	// Report holds the reporting filters (report.go): issued or closed in a date
	// range, on time against the original deadline, scope.
	Report ReportFilter
	// IDs selects these items only (ids= of GET /items, at most changes.MaxIDs, and
	// of the ledger export of a selection).
	IDs  []uuid.UUID
	Sort []SortKey
	Page Page
}

// SortKey is one field of the sort order.
type SortKey struct {
	Field string
	Desc  bool
}

// Page is a page request.
type Page = database.Page

// Pagination limits.
const (
	DefaultPageSize = httpserver.DefaultPageSize
	MaxPageSize     = database.MaxPageSize
)

// sortColumns whitelists the sortable fields; nullable ones sort their nulls last.
var sortColumns = map[string]struct {
	col      string
	nullable bool
}{
	"deadline": {"items.deadline", true}, "code": {"items.code", true}, "created_at": {"items.created_at", false},
	"updated_at": {"items.updated_at", false}, "issued_at": {"items.issued_at", true}, "title": {"items.title", false},
	"state": {"items.state", false}, "urgency": {"items.urgency", false}, "progress": {"items.progress", false},
}

// SortFields lists the sortable fields.
func SortFields() []string {
	return sortedKeys(sortColumns)
}

// ParseFilter reads the query of GET /items; bad values are a 422 naming the
// parameter.
func ParseFilter(q url.Values) (Filter, error) {
	var (
		f Filter
		e fieldErrs
	)
	if v := q.Get("state"); v != "" {
		for _, s := range strings.Split(v, ",") {
			st := State(strings.TrimSpace(s))
			if !st.Valid() {
				e.add("state", "oneof", "unknown state "+strconv.Quote(string(st)))
				continue
			}
			f.States = append(f.States, st)
		}
	}
	if v := q.Get("category"); v != "" {
		f.Category = Category(v)
		oneOf(&e, "category", f.Category, Categories)
	}
	if v := q.Get("source"); v != "" {
		f.Source = Source(v)
		oneOf(&e, "source", f.Source, append(slices.Clone(MatterSources), DocumentSources...))
	}
	id := func(name string) *uuid.UUID {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		u, err := uuid.Parse(v)
		if err != nil {
			e.add(name, "uuid", "must be a UUID")
			return nil
		}
		return &u
	}
	f.LeadUnitID, f.UnitID, f.LeaderID = id("lead_unit_id"), id("unit_id"), id("leader_id")
	f.SupervisingLeaderID, f.CooperatingUnitID = id("supervising_leader_id"), id("cooperating_unit_id")
	if v := q.Get("parent_id"); v == "none" || v == "null" {
		f.TopLevel = true
	} else {
		f.ParentID = id("parent_id")
	}
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
	f.DeadlineFrom, f.DeadlineTo = date("deadline_from"), date("deadline_to")
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.add("overdue", "bool", "must be true or false")
		} else {
			f.Overdue = &b
		}
	}
	if v := q.Get("was_overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.add("was_overdue", "bool", "must be true or false")
		} else {
			f.WasOverdue = &b
		}
	}
	if v := q.Get("light"); v != "" {
		f.Light = v
		oneOf(&e, "light", v, Lights)
	}
	f.Q = strings.TrimSpace(q.Get("q"))
	if len([]rune(f.Q)) > 200 {
		e.add("q", "max", "must be at most 200 characters")
	}
	f.Tag = strings.TrimSpace(q.Get("tag"))
	f.DocNumber = strings.TrimSpace(q.Get("doc_number"))
	if len([]rune(f.DocNumber)) > 100 {
		e.add("doc_number", "max", "must be at most 100 characters")
	}
	f.Report = parseReport(q, &e)
	f.Sort = parseSort(q.Get("sort"), &e)
	pg, errs := httpserver.ParsePage(q, DefaultPageSize)
	f.Page, e = pg, append(e, errs...)
	return f, e.err()
}

func parseSort(v string, e *fieldErrs) []SortKey {
	if v == "" {
		return []SortKey{{Field: "created_at", Desc: true}}
	}
	var out []SortKey
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		k := SortKey{Field: strings.TrimPrefix(strings.TrimPrefix(part, "-"), "+"), Desc: strings.HasPrefix(part, "-")}
		if _, ok := sortColumns[k.Field]; !ok {
			e.add("sort", "oneof", "cannot sort by "+strconv.Quote(k.Field)+"; use: "+strings.Join(SortFields(), ", "))
			continue
		}
		out = append(out, k)
	}
	return out
}

// openSQL is State.Open as SQL.
func openSQL() (string, []any) {
	states := make([]string, len(OpenStates))
	for i, s := range OpenStates {
		states[i] = string(s)
	}
	return "items.state IN ?", []any{states}
}

// apply adds the filter's conditions (not paging or order) to q. clk gives the day
// and the blue-light boundary, computed in Go from the calendar.
func (f Filter) apply(q *gorm.DB, clk day) *gorm.DB {
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, s := range f.States {
			states[i] = string(s)
		}
		q = q.Where("items.state IN ?", states)
	}
	if f.Category != "" {
		q = q.Where("items.category = ?", string(f.Category))
	}
	if f.Source != "" {
		q = q.Where("items.source = ?", string(f.Source))
	}
	if f.LeadUnitID != nil {
		q = q.Where("items.lead_unit_id = ?", *f.LeadUnitID)
	}
	if f.UnitID != nil {
		q = q.Where(`(items.lead_unit_id = ? OR items.id IN (SELECT fc.item_id FROM item_cooperating_units fc WHERE fc.unit_id = ?)
			OR items.id IN (SELECT fa.item_id FROM item_assignments fa WHERE fa.unit_id = ? AND fa.state <> 'returned'))`,
			*f.UnitID, *f.UnitID, *f.UnitID)
	}
	if f.LeaderID != nil {
		q = q.Where(`(items.supervising_leader_id = ? OR items.id IN (SELECT fl.item_id FROM item_assisting_leaders fl WHERE fl.user_id = ?))`,
			*f.LeaderID, *f.LeaderID)
	}
	if !f.DeadlineFrom.IsZero() {
		q = q.Where("items.deadline >= ?", f.DeadlineFrom)
	}
	if !f.DeadlineTo.IsZero() {
		q = q.Where("items.deadline <= ?", f.DeadlineTo)
	}
	if f.ParentID != nil {
		q = q.Where("items.parent_id = ?", *f.ParentID)
	}
	if f.TopLevel {
		q = q.Where("items.parent_id IS NULL")
	}
	if f.Tag != "" {
		q = q.Where("items.id IN (SELECT ft.item_id FROM item_tags ft WHERE ft.tag = ?)", f.Tag)
	}
	if f.DocNumber != "" {
		q = q.Where(`LOWER(items.doc_number) LIKE ? ESCAPE '\'`, database.LikePattern(f.DocNumber))
	}
	if f.SupervisingLeaderID != nil {
		q = q.Where("items.supervising_leader_id = ?", *f.SupervisingLeaderID)
	}
	if f.CooperatingUnitID != nil {
		q = q.Where("items.id IN (SELECT fcu.item_id FROM item_cooperating_units fcu WHERE fcu.unit_id = ?)", *f.CooperatingUnitID)
	}
	if len(f.IDs) > 0 {
		q = q.Where("items.id IN ?", f.IDs)
	}
	if f.Q != "" {
		q = searchSQL(q, f.Q)
	}
	q = f.Report.apply(q, clk.Loc)
	open, openArgs := openSQL()
	// Conditions of the lights, as in derive: dates are YYYY-MM-DD text, and an
	// item without a deadline is never overdue nor near it.
	red := "(" + open + " AND items.deadline IS NOT NULL AND items.deadline < ?)"
	redArgs := append(slices.Clone(openArgs), clk.Today)
	// Missed: a milestone not done past its due date, or (issued or in progress) a
	// live assignment's next feedback due before the grace cutoff.
	fbStates := make([]string, len(feedbackStates))
	for i, st := range feedbackStates {
		fbStates[i] = string(st)
	}
	missed := `(items.id IN (SELECT fm.item_id FROM item_milestones fm WHERE fm.done = ? AND fm.due_date < ?)
		OR (items.state IN ? AND items.id IN (SELECT fd.item_id FROM item_assignments fd
			WHERE fd.state <> ? AND fd.next_feedback_due IS NOT NULL AND fd.next_feedback_due < ?)))`
	missedArgs := []any{false, clk.Today, fbStates, AssignmentReturned, clk.FeedbackBefore}
	near := "((items.deadline IS NOT NULL AND items.deadline >= ? AND items.deadline <= ?) OR items.id IN (SELECT fn.item_id FROM item_milestones fn WHERE fn.done = ? AND fn.due_date >= ? AND fn.due_date <= ?))"
	nearArgs := []any{clk.Today, clk.BlueUntil, false, clk.Today, clk.BlueUntil}
	not := func(q *gorm.DB, expr string, args []any) *gorm.DB { return q.Where("NOT ("+expr+")", args...) }
	if f.WasOverdue != nil {
		q = q.Where("items.was_overdue = ?", *f.WasOverdue)
	}
	if f.Overdue != nil {
		if *f.Overdue {
			q = q.Where(red, redArgs...)
		} else {
			q = not(q, red, redArgs)
		}
	}
	// A light cleared by the office (warnings.go) shows green while the underlying
	// light is no worse than the cleared one: each warning light excludes the items
	// whose clearing covers it, and green is every open item showing none of them.
	and := func(cs ...cond) cond {
		var out cond
		parts := make([]string, len(cs))
		for i, c := range cs {
			parts[i] = "(" + c.sql + ")"
			out.args = append(out.args, c.args...)
		}
		out.sql = strings.Join(parts, " AND ")
		return out
	}
	neg := func(c cond) cond { return cond{"NOT (" + c.sql + ")", c.args} }
	clr := func(light string) cond { c, a := clearedSQL(worseOrEqual(light)); return cond{c, a} }
	R, M, N := cond{red, redArgs}, cond{missed, missedArgs}, cond{near, nearArgs}
	shows := map[string]cond{
		LightRed:    and(R, neg(clr(LightRed))),
		LightYellow: and(neg(R), M, neg(clr(LightYellow))),
		LightBlue:   and(neg(R), neg(M), N, neg(clr(LightBlue))),
	}
	switch f.Light {
	case LightNone:
		q = not(q, open, openArgs)
	case LightRed, LightYellow, LightBlue:
		c := and(cond{open, openArgs}, shows[f.Light])
		q = q.Where(c.sql, c.args...)
	case LightGreen:
		c := and(cond{open, openArgs}, neg(shows[LightRed]), neg(shows[LightYellow]), neg(shows[LightBlue]))
		q = q.Where(c.sql, c.args...)
	}
	return q
}

// cond is a SQL condition with its arguments.
type cond struct {
	sql  string
	args []any
}

// order adds the sort order, nulls last, with the id as the final tie-breaker (in
// the direction of the last key, so that an index on (column, id) can serve the
// order and a page stops early) so that pages never overlap.
func (f Filter) order(q *gorm.DB) *gorm.DB {
	dir := " DESC"
	for _, k := range f.Sort {
		c := sortColumns[k.Field]
		dir = " ASC"
		if k.Desc {
			dir = " DESC"
		}
		nulls := ""
		if c.nullable {
			nulls = " NULLS LAST"
		}
		q = q.Order(c.col + dir + nulls)
	}
	return q.Order("items.id" + dir)
}
