package stats

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

// cond is a SQL condition with its arguments.
type cond struct {
	sql  string
	args []any
}

func and(cs ...cond) cond {
	var out cond
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.sql == "" {
			continue
		}
		parts = append(parts, "("+c.sql+")")
		out.args = append(out.args, c.args...)
	}
	if len(parts) == 0 {
		return cond{sql: "1=1"}
	}
	out.sql = strings.Join(parts, " AND ")
	return out
}

type grouping int

const (
	groupAll grouping = iota
	groupUnit
	groupSource
	groupCategory
)

// membership is how items are counted for a unit: as lead unit, as a cooperating
// unit, or through a live assignment not already counted either way (the three
// parts of GET /items?unit_id=, disjoint so that they add up).
type membership struct {
	name, from, unit, where string
}

var (
	plain      = membership{name: "item", from: "items"}
	asLead     = membership{name: "lead", from: "items", unit: "items.lead_unit_id", where: "items.lead_unit_id IS NOT NULL"}
	asCoop     = membership{name: "cooperating", from: "items JOIN item_cooperating_units m ON m.item_id = items.id", unit: "m.unit_id", where: "(items.lead_unit_id IS NULL OR m.unit_id <> items.lead_unit_id)"}
	asAssigned = membership{name: "assigned", from: "items JOIN item_assignments m ON m.item_id = items.id", unit: "m.unit_id",
		where: "m.state <> 'returned' AND (items.lead_unit_id IS NULL OR m.unit_id <> items.lead_unit_id) " +
			"AND NOT EXISTS (SELECT 1 FROM item_cooperating_units mc WHERE mc.item_id = m.item_id AND mc.unit_id = m.unit_id)"}
)

// qctx is one statistics request: the caller, the query, today and the SQL of the
// items counted.
type qctx struct {
	s        *Service
	conn     *gorm.DB
	p        *access.Principal
	q        Query
	today    civil.Date
	cal      *calendar.Calendar
	cutoff   civil.Date
	from, to time.Time
	branches []cond
	filter   cond

	leadAssigned, coopAssigned map[string]int64
}

func (s *Service) newCtx(ctx context.Context, p *access.Principal, q Query) (*qctx, error) {
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	grace := 0
	if s.grace != nil {
		if grace, err = s.grace.FeedbackGraceWorkdays(ctx); err != nil {
			return nil, err
		}
	}
	today := s.Today()
	c := &qctx{s: s, conn: s.db.Conn(ctx), p: p, q: q, today: today, cal: cal, cutoff: graceCutoff(today, cal, grace),
		from: items.StartOf(q.Period.From), to: items.StartOf(q.Period.To.AddDays(1))}
	c.branches = branches(p, q)
	c.filter = filterCond(q)
	return c, nil
}

// branches split what p sees so that each part can use an index: a supervisor,
// leader, auditor or admin sees the whole scope (one index range, no visibility
// test per row) plus, outside it, what the visibility rule gives them; everyone else
// sees what the rule gives.
func branches(p *access.Principal, q Query) []cond {
	vis, args := items.VisibleSQL(p)
	if !items.Privileged(p) {
		return []cond{{vis, args}}
	}
	if q.ScopeID != nil && *q.ScopeID == p.ScopeID {
		return []cond{{"items.scope_id = ?", []any{p.ScopeID}}}
	}
	out := []cond{{"(items.scope_id < ? OR items.scope_id > ?) AND " + vis, append([]any{p.ScopeID, p.ScopeID}, args...)}}
	if q.ScopeID == nil {
		out = append([]cond{{"items.scope_id = ?", []any{p.ScopeID}}}, out...)
	}
	return out
}

// filterCond is the query's filters, as GET /items applies them.
func filterCond(q Query) cond {
	var cs []cond
	if q.Source != "" {
		cs = append(cs, cond{"items.source = ?", []any{q.Source}})
	}
	if q.Category != "" {
		cs = append(cs, cond{"items.category = ?", []any{q.Category}})
	}
	if q.ScopeID != nil {
		cs = append(cs, cond{"items.scope_id = ?", []any{*q.ScopeID}})
	}
	if q.UnitID != nil {
		u := *q.UnitID
		cs = append(cs, cond{`(items.lead_unit_id = ? OR items.id IN (SELECT fc.item_id FROM item_cooperating_units fc WHERE fc.unit_id = ?)
			OR items.id IN (SELECT fa.item_id FROM item_assignments fa WHERE fa.unit_id = ? AND fa.state <> 'returned'))`, []any{u, u, u}})
	}
	return and(cs...)
}

func stateList(ss []items.State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// keyed runs a grouped query (its first column the key as text) once per branch and
// hands each row to scan.
func (c *qctx) keyed(sel string, selArgs []any, from string, where cond, group string, scan func(rows interface{ Scan(...any) error }) error) error {
	for _, b := range c.branches {
		w := and(b, c.filter, where)
		sql := "SELECT " + sel + " FROM " + from + " WHERE " + w.sql + " GROUP BY " + group
		rows, err := c.conn.Raw(sql, append(append([]any{}, selArgs...), w.args...)...).Rows()
		if err != nil {
			return fmt.Errorf("statistics: %w", err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				_ = rows.Close()
				return fmt.Errorf("statistics: %w", err)
			}
		}
		err = rows.Err()
		_ = rows.Close()
		if err != nil {
			return fmt.Errorf("statistics: %w", err)
		}
	}
	return nil
}

func keyOf(g grouping, m membership) string {
	switch g {
	case groupUnit:
		return "CAST(" + m.unit + " AS TEXT)"
	case groupSource:
		return "items.source"
	case groupCategory:
		return "items.category"
	}
	return "''"
}

func get(m map[string]*Figures, k string) *Figures {
	f := m[k]
	if f == nil {
		f = &Figures{}
		m[k] = f
	}
	return f
}

// itemFigures counts the items themselves: assigned, in progress, overdue now,
// closed, on time and the working days to close.
func (c *qctx) itemFigures(ctx context.Context, g grouping) (map[string]*Figures, error) {
	out := map[string]*Figures{}
	kinds := []membership{plain}
	if g == groupUnit {
		kinds = []membership{asLead, asCoop, asAssigned}
		c.leadAssigned, c.coopAssigned = map[string]int64{}, map[string]int64{}
	}
	inProgress, open, closed := stateList(items.InProgressStates), stateList(items.OpenStates), stateList(items.ClosedStates)
	for _, m := range kinds {
		key := keyOf(g, m)
		sel := key + ` AS k,
			SUM(CASE WHEN items.issued_at >= ? AND items.issued_at < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN items.state IN ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN items.state IN ? AND items.deadline IS NOT NULL AND items.deadline < ? THEN 1 ELSE 0 END)`
		where := and(cond{m.where, nil}, cond{"(items.issued_at >= ? AND items.issued_at < ?) OR items.state IN ?", []any{c.from, c.to, open}})
		err := c.keyed(sel, []any{c.from, c.to, inProgress, open, c.today}, m.from, where, "1", func(r interface{ Scan(...any) error }) error {
			var (
				k          string
				a, ip, ovd int64
			)
			if err := r.Scan(&k, &a, &ip, &ovd); err != nil {
				return err
			}
			f := get(out, k)
			f.Assigned += a
			f.InProgress += ip
			f.OverdueNow += ovd
			if m == asLead {
				c.leadAssigned[k] += a
			} else if g == groupUnit {
				c.coopAssigned[k] += a
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		li, liArgs := items.LocalDateSQL(c.conn, "items.issued_at")
		lc, lcArgs := items.LocalDateSQL(c.conn, "items.closed_at")
		sel = key + ", " + li + ", " + lc + ", COUNT(*), SUM(CASE WHEN " + lc + " <= items.original_deadline THEN 1 ELSE 0 END)"
		selArgs := append(append(append([]any{}, liArgs...), lcArgs...), lcArgs...)
		where = and(cond{m.where, nil}, cond{"items.state IN ? AND items.closed_at >= ? AND items.closed_at < ?", []any{closed, c.from, c.to}})
		w := newWorkdays(c.cal)
		err = c.keyed(sel, selArgs, m.from, where, "1, 2, 3", func(r interface{ Scan(...any) error }) error {
			var (
				k, issued, closedOn *string
				n, onTime           int64
			)
			if err := r.Scan(&k, &issued, &closedOn, &n, &onTime); err != nil {
				return err
			}
			f := get(out, deref(k))
			f.Closed += n
			f.ClosedOnTime += onTime
			if issued != nil && closedOn != nil {
				f.closeDays += n * int64(w.between(*issued, *closedOn))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// figures are the item figures with the follow-up records: urges, extensions,
// verification failures, late feedback.
func (c *qctx) figures(ctx context.Context, g grouping) (map[string]*Figures, error) {
	out, err := c.itemFigures(ctx, g)
	if err != nil {
		return nil, err
	}
	unit := func(col string) string {
		if g == groupUnit {
			return "CAST(" + col + " AS TEXT)"
		}
		return "''"
	}
	count := func(sel string, selArgs []any, from string, where cond, group string, apply func(f *Figures, kind string, n, m int64)) error {
		withKind := group == "1, 2"
		return c.keyed(sel, selArgs, from, where, group, func(r interface{ Scan(...any) error }) error {
			var (
				k, kind *string
				n, m    int64
			)
			if withKind {
				if err := r.Scan(&k, &kind, &n); err != nil {
					return err
				}
			} else if err := r.Scan(&k, &n, &m); err != nil {
				return err
			}
			if k == nil {
				return nil
			}
			apply(get(out, *k), deref(kind), n, m)
			return nil
		})
	}
	period := func(col string) cond { return cond{col + " >= ? AND " + col + " < ?", []any{c.from, c.to}} }
	if err := count(unit("u.unit_id")+", u.kind, COUNT(*)", nil, "item_urges u JOIN items ON items.id = u.item_id",
		period("u.created_at"), "1, 2", func(f *Figures, kind string, n, _ int64) {
			if kind == "auto" {
				f.UrgesAuto += n
			} else {
				f.UrgesManual += n
			}
		}); err != nil {
		return nil, err
	}
	if err := count(unit("e.unit_id")+", COUNT(*), SUM(CASE WHEN e.state = 'approved' THEN 1 ELSE 0 END)", nil,
		"extension_requests e JOIN items ON items.id = e.item_id", period("e.created_at"), "1", func(f *Figures, _ string, n, m int64) {
			f.ExtensionsRequested += n
			f.ExtensionsGranted += m
		}); err != nil {
		return nil, err
	}
	if err := count(unit("items.lead_unit_id")+", COUNT(*), 0", nil, "verifications v JOIN items ON items.id = v.item_id",
		and(cond{"v.result = 'failed'", nil}, period("v.created_at")), "1", func(f *Figures, _ string, n, _ int64) {
			f.VerificationFailures += n
		}); err != nil {
		return nil, err
	}
	if err := count(unit("a.unit_id")+", COUNT(*), 0", nil, "item_assignments a JOIN items ON items.id = a.item_id",
		cond{"a.state <> 'returned' AND items.state IN ? AND a.next_feedback_due IS NOT NULL AND a.next_feedback_due < ?",
			[]any{[]string{string(items.StateIssued), string(items.StateInProgress)}, c.cutoff}}, "1", func(f *Figures, _ string, n, _ int64) {
			f.FeedbackLate += n
		}); err != nil {
		return nil, err
	}
	return out, nil
}

func (c *qctx) assignedByRole(context.Context) (lead, coop map[string]int64, err error) {
	return c.leadAssigned, c.coopAssigned, nil
}

// monthly counts issued, closed and closed on time per month (YYYY-MM).
func (c *qctx) monthly(ctx context.Context) (map[string]*Month, error) {
	out := map[string]*Month{}
	at := func(k string) *Month {
		m := out[k]
		if m == nil {
			m = &Month{}
			out[k] = m
		}
		return m
	}
	li, liArgs := items.LocalDateSQL(c.conn, "items.issued_at")
	err := c.keyed("substr("+li+", 1, 7), COUNT(*)", liArgs, "items",
		cond{"items.issued_at >= ? AND items.issued_at < ?", []any{c.from, c.to}}, "1", func(r interface{ Scan(...any) error }) error {
			var (
				k string
				n int64
			)
			if err := r.Scan(&k, &n); err != nil {
				return err
			}
			at(k).Assigned += n
			return nil
		})
	if err != nil {
		return nil, err
	}
	lc, lcArgs := items.LocalDateSQL(c.conn, "items.closed_at")
	err = c.keyed("substr("+lc+", 1, 7), COUNT(*), SUM(CASE WHEN "+lc+" <= items.original_deadline THEN 1 ELSE 0 END)",
		append(append([]any{}, lcArgs...), lcArgs...), "items",
		cond{"items.state IN ? AND items.closed_at >= ? AND items.closed_at < ?", []any{stateList(items.ClosedStates), c.from, c.to}}, "1",
		func(r interface{ Scan(...any) error }) error {
			var (
				k     string
				n, ot int64
			)
			if err := r.Scan(&k, &n, &ot); err != nil {
				return err
			}
			at(k).Closed += n
			at(k).ClosedOnTime += ot
			return nil
		})
	return out, err
}

// workdays counts working days between dates given as text, through a running
// count from a fixed origin (WorkdaysBetween adds up over consecutive ranges).
type workdays struct {
	cal    *calendar.Calendar
	origin civil.Date
	memo   map[string]int
}

func newWorkdays(cal *calendar.Calendar) *workdays {
	return &workdays{cal: cal, origin: civil.Date{Year: 2000, Month: 1, Day: 1}, memo: map[string]int{}}
}

func (w *workdays) at(s string) (int, bool) {
	if v, ok := w.memo[s]; ok {
		return v, true
	}
	d, err := civil.Parse(s)
	if err != nil {
		return 0, false
	}
	v := w.cal.WorkdaysBetween(w.origin, d)
	w.memo[s] = v
	return v, true
}

// between is the working days after from up to and including to (0 when either is
// not a date).
func (w *workdays) between(from, to string) int {
	a, ok1 := w.at(from)
	b, ok2 := w.at(to)
	if !ok1 || !ok2 {
		return 0
	}
	return b - a
}

// graceCutoff is items' rule: a feedback due before the cutoff is missed (its due
// date plus grace working days is before today).
func graceCutoff(today civil.Date, cal *calendar.Calendar, grace int) civil.Date {
	if grace <= 0 {
		return today
	}
	d := today
	for range 400 {
		prev := d.AddDays(-1)
		if cal.AddWorkdays(prev, grace).Before(today) {
			break
		}
		d = prev
	}
	return d
}
