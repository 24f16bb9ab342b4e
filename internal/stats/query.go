package stats

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

var traceSQL = os.Getenv("DUBAN_STATS_TRACE") != ""

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
	// groupKind groups by source and category together ("source|category"): the
	// overview, its split by source and by category come from one pass.
	groupKind
)

// membership is how items are counted for a unit: as lead unit or as a cooperating
// unit — GET /items?unit_id=, whose third part (a live assignment) adds nothing,
// because the items package keeps every live assignment's unit among the item's
// lead and cooperating units.
type membership struct {
	name, from, unit, where string
}

var (
	plain  = membership{name: "item", from: "items"}
	asLead = membership{name: "lead", from: "items", unit: "items.lead_unit_id", where: "items.lead_unit_id IS NOT NULL"}
	asCoop = membership{name: "cooperating", from: "items JOIN item_cooperating_units m ON m.item_id = items.id", unit: "m.unit_id",
		where: "(items.lead_unit_id IS NULL OR m.unit_id <> items.lead_unit_id)"}
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
	// scopeIdx is the branch of the caller's whole scope (-1: none); rollup says
	// that branch's period figures come from the rollup (rollup.go).
	scopeIdx int
	rollup   bool

	mu                         sync.Mutex
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
		from: items.StartOf(q.Period.From, s.loc), to: items.StartOf(q.Period.To.AddDays(1), s.loc)}
	c.branches, c.scopeIdx = branches(p, q)
	c.filter = filterCond(q)
	if c.scopeIdx >= 0 && q.UnitID == nil && wholeMonths(q.Period) {
		if c.rollup, err = s.rollupReady(ctx); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// branches split what p sees so that each part can use an index: a supervisor,
// leader, auditor or admin sees the whole scope (one index range, no visibility
// test per row; or the scope's rows of the rollup) plus, outside it, what the
// visibility rule gives them; everyone else sees what the rule gives. The second
// result is the index of the whole scope's branch, -1 when there is none.
func branches(p *access.Principal, q Query) ([]cond, int) {
	vis, args := items.VisibleSQL(p)
	if !items.Privileged(p) {
		return []cond{{vis, args}}, -1
	}
	scope := cond{"items.scope_id = ?", []any{p.ScopeID}}
	if q.ScopeID != nil && *q.ScopeID == p.ScopeID {
		return []cond{scope}, 0
	}
	out := []cond{{"(items.scope_id < ? OR items.scope_id > ?) AND " + vis, append([]any{p.ScopeID, p.ScopeID}, args...)}}
	if q.ScopeID == nil {
		return append([]cond{scope}, out...), 0
	}
	return out, -1
}

// wholeMonths reports whether the period is made of whole months (the rollup's
// unit): a month, a quarter, a year, or from/to on month bounds.
func wholeMonths(p Period) bool {
	return p.From.Day == 1 && p.To.AddDays(1).Day == 1 && !p.To.Before(p.From)
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

type scanner interface{ Scan(...any) error }

// query is one grouped SELECT, run once per branch; scan sees each row under the
// context's lock.
type query struct {
	sel     string
	selArgs []any
	from    string
	where   cond
	group   string
	scan    func(r scanner) error
	// scopeOnly runs the query on the whole scope's branch only (a rollup query),
	// live on the other branches only (what the rollup answers for that branch).
	scopeOnly, live bool
}

// run runs the queries, a few at a time (PostgreSQL answers them on several
// connections; inside a transaction they run one by one on it).
func (c *qctx) run(ctx context.Context, qs []query) error {
	type job struct {
		q query
		b cond
	}
	var jobs []job
	for _, q := range qs {
		for i, b := range c.branches {
			if (q.scopeOnly && i != c.scopeIdx) || (q.live && c.rollup && i == c.scopeIdx) {
				continue
			}
			jobs = append(jobs, job{q, b})
		}
	}
	limit := 4
	if _, inTx := c.conn.Statement.ConnPool.(gorm.TxCommitter); inTx || c.s.db.Dialect() == database.SQLite {
		limit = 1
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for _, j := range jobs {
		g.Go(func() error { return c.one(ctx, j.q, j.b) })
	}
	return g.Wait()
}

func (c *qctx) one(ctx context.Context, q query, b cond) error {
	w := and(b, c.filter, q.where)
	sql := "SELECT " + q.sel + " FROM " + q.from + " WHERE " + w.sql + " GROUP BY " + q.group
	t0 := time.Now()
	rows, err := c.conn.WithContext(ctx).Raw(sql, append(append([]any{}, q.selArgs...), w.args...)...).Rows()
	if traceSQL {
		defer func() {
			fmt.Fprintf(os.Stderr, "%6.1fms %s\n", float64(time.Since(t0).Microseconds())/1000, strings.Join(strings.Fields(sql), " ")[:min(len(sql), 300)])
		}()
	}
	if err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		c.mu.Lock()
		err := q.scan(rows)
		c.mu.Unlock()
		if err != nil {
			return fmt.Errorf("statistics: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	return nil
}

func keyOf(g grouping, m membership) string {
	switch g {
	case groupUnit:
		return "CAST(" + m.unit + " AS TEXT)"
	case groupKind:
		return "items.source || '|' || items.category"
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

// itemQueries count the items themselves: assigned (issued in the period), in
// progress and overdue now (the open items), closed and on time with the working
// days to close (closed in the period). Each is a range of one index.
func (c *qctx) itemQueries(g grouping, out map[string]*Figures) []query {
	kinds := []membership{plain}
	if g == groupUnit {
		kinds = []membership{asLead, asCoop}
		c.leadAssigned, c.coopAssigned = map[string]int64{}, map[string]int64{}
	}
	inProgress, open, closed := stateList(items.InProgressStates), stateList(items.OpenStates), stateList(items.ClosedStates)
	var qs []query
	w := newWorkdays(c.cal)
	for _, m := range kinds {
		key := keyOf(g, m)
		qs = append(qs, query{sel: key + ", COUNT(*)", from: m.from, live: true,
			where: and(cond{m.where, nil}, cond{"items.issued_at >= ? AND items.issued_at < ?", []any{c.from, c.to}}), group: "1",
			scan: func(r scanner) error {
				var (
					k *string
					n int64
				)
				if err := r.Scan(&k, &n); err != nil {
					return err
				}
				get(out, deref(k)).Assigned += n
				if m == asLead {
					c.leadAssigned[deref(k)] += n
				} else if g == groupUnit {
					c.coopAssigned[deref(k)] += n
				}
				return nil
			}})
		qs = append(qs, query{sel: key + `, SUM(CASE WHEN items.state IN ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN items.deadline IS NOT NULL AND items.deadline < ? THEN 1 ELSE 0 END)`, selArgs: []any{inProgress, c.today}, from: m.from,
			where: and(cond{m.where, nil}, cond{"items.state IN ?", []any{open}}), group: "1",
			scan: func(r scanner) error {
				var (
					k       *string
					ip, ovd int64
				)
				if err := r.Scan(&k, &ip, &ovd); err != nil {
					return err
				}
				f := get(out, deref(k))
				f.InProgress += ip
				f.OverdueNow += ovd
				return nil
			}})
		li, liArgs := items.LocalDateSQL(c.conn, "items.issued_at", c.s.loc)
		lc, lcArgs := items.LocalDateSQL(c.conn, "items.closed_at", c.s.loc)
		qs = append(qs, query{sel: key + ", " + li + ", " + lc + ", COUNT(*), SUM(CASE WHEN " + lc + " <= items.original_deadline THEN 1 ELSE 0 END)",
			selArgs: append(append(append([]any{}, liArgs...), lcArgs...), lcArgs...), from: m.from, live: true,
			where: and(cond{m.where, nil}, cond{"items.state IN ? AND items.closed_at >= ? AND items.closed_at < ?", []any{closed, c.from, c.to}}),
			group: "1, 2, 3",
			scan: func(r scanner) error {
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
			}})
	}
	return qs
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// figures are the item figures with the follow-up records: urges, extensions,
// verification failures, late feedback — all run together.
func (c *qctx) figures(ctx context.Context, g grouping) (map[string]*Figures, error) {
	out := map[string]*Figures{}
	qs := c.itemQueries(g, out)
	unit := func(col string) string {
		if g == groupUnit {
			return "CAST(" + col + " AS TEXT)"
		}
		return "''"
	}
	two := func(sel, from string, where cond, apply func(f *Figures, n, m int64)) query {
		return query{sel: sel, from: from, where: where, group: "1", live: true, scan: func(r scanner) error {
			var (
				k    *string
				n, m int64
			)
			if err := r.Scan(&k, &n, &m); err != nil {
				return err
			}
			if k != nil {
				apply(get(out, *k), n, m)
			}
			return nil
		}}
	}
	period := func(col string) cond { return cond{col + " >= ? AND " + col + " < ?", []any{c.from, c.to}} }
	qs = append(qs,
		two(unit("u.unit_id")+", SUM(CASE WHEN u.kind = 'auto' THEN 0 ELSE 1 END), SUM(CASE WHEN u.kind = 'auto' THEN 1 ELSE 0 END)",
			"item_urges u JOIN items ON items.id = u.item_id", period("u.created_at"), func(f *Figures, n, m int64) {
				f.UrgesManual += n
				f.UrgesAuto += m
			}),
		two(unit("e.unit_id")+", COUNT(*), SUM(CASE WHEN e.state = 'approved' THEN 1 ELSE 0 END)",
			"extension_requests e JOIN items ON items.id = e.item_id", period("e.created_at"), func(f *Figures, n, m int64) {
				f.ExtensionsRequested += n
				f.ExtensionsGranted += m
			}),
		two(unit("items.lead_unit_id")+", COUNT(*), 0", "verifications v JOIN items ON items.id = v.item_id",
			and(cond{"v.result = 'failed'", nil}, period("v.created_at")), func(f *Figures, n, _ int64) {
				f.VerificationFailures += n
			}),
	)
	late := two(unit("a.unit_id")+", COUNT(*), 0", "items JOIN item_assignments a ON a.item_id = items.id",
		cond{"items.state IN ? AND a.state <> 'returned' AND a.next_feedback_due IS NOT NULL AND a.next_feedback_due < ?",
			[]any{[]string{string(items.StateIssued), string(items.StateInProgress)}, c.cutoff}}, func(f *Figures, n, _ int64) {
			f.FeedbackLate += n
		})
	late.live = false // a figure of today: never in the rollup
	qs = append(qs, late)
	if c.rollup {
		qs = append(qs, c.rollupFigures(g, out))
	}
	if err := c.run(ctx, qs); err != nil {
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
	li, liArgs := items.LocalDateSQL(c.conn, "items.issued_at", c.s.loc)
	lc, lcArgs := items.LocalDateSQL(c.conn, "items.closed_at", c.s.loc)
	qs := []query{
		{sel: "substr(" + li + ", 1, 7), COUNT(*)", selArgs: liArgs, from: "items", live: true,
			where: cond{"items.issued_at >= ? AND items.issued_at < ?", []any{c.from, c.to}}, group: "1",
			scan: func(r scanner) error {
				var (
					k string
					n int64
				)
				if err := r.Scan(&k, &n); err != nil {
					return err
				}
				at(k).Assigned += n
				return nil
			}},
		{sel: "substr(" + lc + ", 1, 7), COUNT(*), SUM(CASE WHEN " + lc + " <= items.original_deadline THEN 1 ELSE 0 END)",
			selArgs: append(append([]any{}, lcArgs...), lcArgs...), from: "items", live: true,
			where: cond{"items.state IN ? AND items.closed_at >= ? AND items.closed_at < ?", []any{stateList(items.ClosedStates), c.from, c.to}}, group: "1",
			scan: func(r scanner) error {
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
			}},
	}
	if c.rollup {
		qs = append(qs, c.rollupMonths(at))
	}
	return out, c.run(ctx, qs)
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
