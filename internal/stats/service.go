// Package stats answers the dashboards (GET /stats/overview, /stats/units,
// /stats/trend): per unit and period, the items assigned, in progress, closed,
// closed on time against the original deadline, overdue now, extensions, urges,
// late feedback, verification failures and working days to close; by source and
// category; and a monthly trend.
//
// Every figure counts items the caller may see (items.VisibleSQL), and each one is
// also a query of GET /items (see Drill): a supervisor's "overdue now" for a unit is
// GET /items?unit_id=…&overdue=true, and so on, so that a chart drills down to exactly
// the items it counts. The figures of a period come from a monthly rollup kept in
// the items' transactions (rollup.go) where it can say exactly what the caller sees,
// the figures of today from the live tables: see README.md for the figures' meaning
// and the speed.
package stats

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/problem"
)

// GraceSource gives the working days a feedback may be late before it counts as
// missed (the warning settings).
type GraceSource interface {
	FeedbackGraceWorkdays(ctx context.Context) (int, error)
}

// Service computes statistics.
type Service struct {
	db    *database.DB
	cal   *calendar.Service
	grace GraceSource
	clock clock.Clock
	loc   *time.Location

	// rebuilding is held while the rollup is rebuilt.
	rebuilding sync.Mutex
	// queue, once RegisterJobs was called, takes the rebuilds to the background
	// workers; asked is when this process last asked for one (UnixNano).
	queue *jobs.Queue
	asked atomic.Int64
	// batch is how many items a transaction of a rebuild recounts (rebuildBatch);
	// afterBatch, when set (tests), runs between two batches.
	batch      int
	afterBatch func(context.Context)
}

// liveOnly makes every request answer from the live tables (UseRollup).
var liveOnly atomic.Bool

// UseRollup turns the rollup on (the default) or off for every service of the
// process: the benchmark measures the same data both ways, and the tests compare.
func UseRollup(on bool) { liveOnly.Store(!on) }

// NewService returns the statistics service. grace may be nil (no grace).
func NewService(db *database.DB, cal *calendar.Service, grace GraceSource, clk clock.Clock, loc *time.Location) *Service {
	return &Service{db: db, cal: cal, grace: grace, clock: clock.Or(clk), loc: loc, batch: rebuildBatch}
}

// Today is the current date in the company time zone.
func (s *Service) Today() civil.Date { return clock.Today(s.clock, s.loc) }

// Query selects what the statistics count.
type Query struct {
	Period   Period
	UnitID   *uuid.UUID
	Source   string
	Category string
	ScopeID  *uuid.UUID
}

// ParseQuery reads period, from, to, unit_id, source, category and scope_id; bad
// values answer 422 naming the parameter.
func ParseQuery(v url.Values, today civil.Date) (Query, error) {
	var (
		q    Query
		errs []problem.FieldError
	)
	p, err := ParsePeriod(v.Get("period"), v.Get("from"), v.Get("to"), today)
	if err != nil {
		return Query{}, err
	}
	q.Period = p
	id := func(name string) *uuid.UUID {
		s := v.Get(name)
		if s == "" {
			return nil
		}
		u, err := uuid.Parse(s)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: name, Rule: "uuid", Message: "must be a UUID"})
			return nil
		}
		return &u
	}
	q.UnitID, q.ScopeID = id("unit_id"), id("scope_id")
	if s := v.Get("source"); s != "" {
		all := append(slices.Clone(items.MatterSources), items.DocumentSources...)
		if !slices.Contains(all, items.Source(s)) {
			errs = append(errs, problem.FieldError{Field: "source", Rule: "oneof", Message: "unknown source"})
		}
		q.Source = s
	}
	if c := v.Get("category"); c != "" {
		if !slices.Contains(items.Categories, items.Category(c)) {
			errs = append(errs, problem.FieldError{Field: "category", Rule: "oneof", Message: "must be important_matter or document"})
		}
		q.Category = c
	}
	if len(errs) > 0 {
		return Query{}, problem.Invalid(errs...)
	}
	return q, nil
}

// Figures are the counts of one unit, source, category or of everything.
type Figures struct {
	// Assigned: items issued in the period (GET /items?issued_from&issued_to).
	Assigned int64 `json:"assigned"`
	// InProgress: issued and not closed now (issued, in_progress, suspended,
	// completion_requested).
	InProgress int64 `json:"in_progress"`
	// Closed: closed or archived, closed in the period.
	Closed int64 `json:"closed"`
	// ClosedOnTime: of Closed, closed on or before the original deadline.
	ClosedOnTime int64 `json:"closed_on_time"`
	// OverdueNow: open and past the (current) deadline today (GET /items?overdue=true).
	OverdueNow int64 `json:"overdue_now"`
	// OnTimeRate is ClosedOnTime / Closed, null when nothing closed.
	OnTimeRate *float64 `json:"on_time_rate"`
	// ExtensionsRequested in the period, ExtensionsGranted of them approved.
	ExtensionsRequested int64 `json:"extensions_requested"`
	ExtensionsGranted   int64 `json:"extensions_granted"`
	// Urges received in the period, manual (the office) and automatic (reminders).
	Urges       int64 `json:"urges"`
	UrgesManual int64 `json:"urges_manual"`
	UrgesAuto   int64 `json:"urges_auto"`
	// FeedbackLate: live assignments of issued or in-progress items whose feedback
	// is missed today (due plus the grace of the warning settings before today).
	FeedbackLate int64 `json:"feedback_late"`
	// VerificationFailures (反弹): failed verifications in the period.
	VerificationFailures int64 `json:"verification_failures"`
	// AvgWorkdaysToClose: working days from issue to closing of Closed, null when
	// nothing closed.
	AvgWorkdaysToClose *float64 `json:"avg_workdays_to_close"`

	closeDays int64
}

func (f *Figures) add(o *Figures) {
	f.Assigned += o.Assigned
	f.InProgress += o.InProgress
	f.Closed += o.Closed
	f.ClosedOnTime += o.ClosedOnTime
	f.OverdueNow += o.OverdueNow
	f.ExtensionsRequested += o.ExtensionsRequested
	f.ExtensionsGranted += o.ExtensionsGranted
	f.UrgesManual += o.UrgesManual
	f.UrgesAuto += o.UrgesAuto
	f.FeedbackLate += o.FeedbackLate
	f.VerificationFailures += o.VerificationFailures
	f.closeDays += o.closeDays
}

// finish computes the rates.
func (f *Figures) finish() {
	f.Urges = f.UrgesManual + f.UrgesAuto
	f.OnTimeRate, f.AvgWorkdaysToClose = nil, nil
	if f.Closed > 0 {
		r := round(float64(f.ClosedOnTime) / float64(f.Closed))
		a := round(float64(f.closeDays) / float64(f.Closed))
		f.OnTimeRate, f.AvgWorkdaysToClose = &r, &a
	}
}

func round(v float64) float64 {
	return float64(int64(v*10000+0.5)) / 10000
}

// Overview is GET /stats/overview.
type Overview struct {
	Period     Period       `json:"period"`
	Today      civil.Date   `json:"today" swaggertype:"string" format:"date"`
	Figures    Figures      `json:"figures"`
	BySource   []KeyFigures `json:"by_source"`
	ByCategory []KeyFigures `json:"by_category"`
} // @name StatsOverview

// KeyFigures are the figures of one source or category.
type KeyFigures struct {
	Key string `json:"key" example:"board"`
	Figures
} // @name StatsKeyFigures

// UnitFigures are the figures of one unit: its items as lead or cooperating unit
// (or through a live assignment).
type UnitFigures struct {
	UnitID   uuid.UUID `json:"unit_id" format:"uuid"`
	UnitName string    `json:"unit_name"`
	ScopeID  uuid.UUID `json:"scope_id" format:"uuid"`
	// AssignedLead and AssignedCooperating split Assigned by the unit's role.
	AssignedLead        int64 `json:"assigned_lead"`
	AssignedCooperating int64 `json:"assigned_cooperating"`
	Figures
} // @name StatsUnitFigures

// Units is GET /stats/units.
type Units struct {
	Period Period        `json:"period"`
	Today  civil.Date    `json:"today" swaggertype:"string" format:"date"`
	Data   []UnitFigures `json:"data"`
} // @name StatsUnits

// Month is one month of the trend.
type Month struct {
	Month        string   `json:"month" example:"2026-11"`
	Assigned     int64    `json:"assigned"`
	Closed       int64    `json:"closed"`
	ClosedOnTime int64    `json:"closed_on_time"`
	OnTimeRate   *float64 `json:"on_time_rate"`
} // @name StatsMonth

// Trend is GET /stats/trend.
type Trend struct {
	Period Period  `json:"period"`
	Data   []Month `json:"data"`
} // @name StatsTrend

// Overview computes the figures of everything p may see that q selects, with the
// split by source and by category.
func (s *Service) Overview(ctx context.Context, p *access.Principal, q Query) (*Overview, error) {
	c, err := s.newCtx(ctx, p, q)
	if err != nil {
		return nil, err
	}
	out := &Overview{Period: q.Period, Today: c.today, BySource: []KeyFigures{}, ByCategory: []KeyFigures{}}
	// One pass: the item figures keyed "source|category", the follow-ups under "".
	m, err := c.figures(ctx, groupKind)
	if err != nil {
		return nil, err
	}
	bySource, byCategory := map[string]*Figures{}, map[string]*Figures{}
	for k, f := range m {
		out.Figures.add(f)
		src, cat, ok := strings.Cut(k, "|")
		if !ok {
			continue
		}
		get(bySource, src).add(f)
		get(byCategory, cat).add(f)
	}
	out.Figures.finish()
	for _, k := range sourceKeys() {
		if f, ok := bySource[k]; ok {
			f.finish()
			out.BySource = append(out.BySource, KeyFigures{Key: k, Figures: *f})
		}
	}
	for _, k := range []string{string(items.CategoryImportantMatter), string(items.CategoryDocument)} {
		if f, ok := byCategory[k]; ok {
			f.finish()
			out.ByCategory = append(out.ByCategory, KeyFigures{Key: k, Figures: *f})
		}
	}
	return out, nil
}

func sourceKeys() []string {
	var out []string
	for _, s := range append(slices.Clone(items.MatterSources), items.DocumentSources...) {
		out = append(out, string(s))
	}
	return out
}

// Units computes the figures of each unit that takes part in the items p may see
// (only p's own units for a member), ordered as the organisation tree sorts them.
func (s *Service) Units(ctx context.Context, p *access.Principal, q Query) (*Units, error) {
	c, err := s.newCtx(ctx, p, q)
	if err != nil {
		return nil, err
	}
	m, err := c.figures(ctx, groupUnit)
	if err != nil {
		return nil, err
	}
	lead, coop, err := c.assignedByRole(ctx)
	if err != nil {
		return nil, err
	}
	mine := items.MyUnits(p)
	ids := make([]uuid.UUID, 0, len(m))
	for k := range m {
		id, err := uuid.Parse(k)
		if err != nil {
			continue
		}
		if !items.Privileged(p) && !slices.Contains(mine, id) {
			continue
		}
		ids = append(ids, id)
	}
	units, err := unitInfo(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := &Units{Period: q.Period, Today: c.today, Data: []UnitFigures{}}
	for _, u := range units {
		f := m[u.ID.String()]
		f.finish()
		out.Data = append(out.Data, UnitFigures{UnitID: u.ID, UnitName: u.Name, ScopeID: u.ScopeID,
			AssignedLead: lead[u.ID.String()], AssignedCooperating: coop[u.ID.String()], Figures: *f})
	}
	return out, nil
}

// Trend counts, per month of the trend period (TrendPeriod), the items issued, closed
// and closed on time.
func (s *Service) Trend(ctx context.Context, p *access.Principal, q Query) (*Trend, error) {
	q.Period = TrendPeriod(q.Period)
	c, err := s.newCtx(ctx, p, q)
	if err != nil {
		return nil, err
	}
	months, err := c.monthly(ctx)
	if err != nil {
		return nil, err
	}
	out := &Trend{Period: q.Period, Data: []Month{}}
	for _, k := range q.Period.Months() {
		m := months[k]
		if m == nil {
			m = &Month{}
		}
		m.Month = k
		if m.Closed > 0 {
			r := round(float64(m.ClosedOnTime) / float64(m.Closed))
			m.OnTimeRate = &r
		}
		out.Data = append(out.Data, *m)
	}
	return out, nil
}

// Unit is a unit's name and scope.
type Unit struct {
	ID      uuid.UUID
	Name    string
	ScopeID uuid.UUID
}

// unitInfo loads units in the organisation's display order.
func unitInfo(ctx context.Context, db *database.DB, ids []uuid.UUID) ([]Unit, error) {
	var out []Unit
	if len(ids) == 0 {
		return out, nil
	}
	for chunk := range slices.Chunk(ids, 500) {
		var rows []Unit
		if err := db.Conn(ctx).Table("org_units").Select("id, name, scope_id").Where("id IN ?", chunk).
			Order("sort_order, name").Find(&rows).Error; err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// UnitNames loads the names of units.
func UnitNames(ctx context.Context, db *database.DB, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	us, err := unitInfo(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]string, len(us))
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out, nil
}
