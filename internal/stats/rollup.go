package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// The rollup (stats_rollup, migration 0100) holds the period figures of the
// statistics per scope, month, unit role, source and category, so that a year of
// a million items is a few thousand rows instead of a hundred thousand items.
// Each item's share is derived from its facts (facts.rows); stats_rollup_marks keeps
// the facts last added for every item, and KeepItem, which the items package calls
// at the end of every change of an item inside its transaction, adds the
// difference between the item's facts now and those marks. Rebuild recounts it all.

// Roles of rollup rows: the item itself (counted once, unit_id nil), its lead and
// cooperating units (the item figures per unit) and the units that received a
// follow-up (urges and extensions by their unit, failed verifications by the lead
// unit: the per-unit follow-up figures).
const (
	roleItem = "item"
	roleLead = "lead"
	roleCoop = "coop"
	roleUnit = "unit"
)

// The counters of a rollup row, in the order of rollupCols.
const (
	vAssigned = iota
	vClosed
	vOnTime
	vWorkdays
	vExtRequested
	vExtGranted
	vUrgesManual
	vUrgesAuto
	vVerifyFailed
	nVals
)

var rollupCols = [nVals]string{"assigned", "closed", "closed_on_time", "close_workdays", "extensions_requested",
	"extensions_granted", "urges_manual", "urges_auto", "verification_failures"}

type rkey struct {
	Scope    uuid.UUID
	Month    string
	Role     string
	Unit     uuid.UUID
	Source   string
	Category string
}

type rvals [nVals]int64

func (v rvals) zero() bool { return v == rvals{} }

// facts are what one item adds to the rollup.
type facts struct {
	Scope    uuid.UUID   `json:"s"`
	Lead     *uuid.UUID  `json:"l,omitempty"`
	Coop     []uuid.UUID `json:"c,omitempty"`
	Source   string      `json:"src"`
	Category string      `json:"cat"`
	// Issued and Closed are months (YYYY-MM, company time zone); Closed only when the
	// item is closed or archived.
	Issued   string `json:"i,omitempty"`
	Closed   string `json:"x,omitempty"`
	OnTime   bool   `json:"o,omitempty"`
	Workdays int    `json:"w,omitempty"`
	Urges    []fu   `json:"u,omitempty"`
	Exts     []fu   `json:"e,omitempty"`
	// Failed are the months of failed verifications.
	Failed []string `json:"f,omitempty"`
}

// fu is a follow-up record: an urge (Flag: automatic) or an extension request
// (Flag: approved).
type fu struct {
	Unit  *uuid.UUID `json:"n,omitempty"`
	Month string     `json:"m"`
	Flag  bool       `json:"g,omitempty"`
}

// rows is the item's share of the rollup.
func (f *facts) rows() map[rkey]rvals {
	out := map[rkey]rvals{}
	add := func(month, role string, unit uuid.UUID, i int, n int64) {
		k := rkey{Scope: f.Scope, Month: month, Role: role, Unit: unit, Source: f.Source, Category: f.Category}
		v := out[k]
		v[i] += n
		out[k] = v
	}
	units := f.units()
	item := func(month string, i int, n int64) {
		add(month, roleItem, uuid.Nil, i, n)
		for _, u := range units {
			add(month, u.role, u.id, i, n)
		}
	}
	if f.Issued != "" {
		item(f.Issued, vAssigned, 1)
	}
	if f.Closed != "" {
		item(f.Closed, vClosed, 1)
		if f.OnTime {
			item(f.Closed, vOnTime, 1)
		}
		item(f.Closed, vWorkdays, int64(f.Workdays))
	}
	for _, u := range f.Urges {
		i := vUrgesManual
		if u.Flag {
			i = vUrgesAuto
		}
		add(u.Month, roleItem, uuid.Nil, i, 1)
		if u.Unit != nil {
			add(u.Month, roleUnit, *u.Unit, i, 1)
		}
	}
	for _, e := range f.Exts {
		add(e.Month, roleItem, uuid.Nil, vExtRequested, 1)
		if e.Unit != nil {
			add(e.Month, roleUnit, *e.Unit, vExtRequested, 1)
		}
		if e.Flag {
			add(e.Month, roleItem, uuid.Nil, vExtGranted, 1)
			if e.Unit != nil {
				add(e.Month, roleUnit, *e.Unit, vExtGranted, 1)
			}
		}
	}
	for _, m := range f.Failed {
		add(m, roleItem, uuid.Nil, vVerifyFailed, 1)
		if f.Lead != nil {
			add(m, roleUnit, *f.Lead, vVerifyFailed, 1)
		}
	}
	for k, v := range out {
		if v.zero() {
			delete(out, k)
		}
	}
	return out
}

type roleUnitID struct {
	role string
	id   uuid.UUID
}

// units are the item's lead unit and its cooperating units other than the lead.
func (f *facts) units() []roleUnitID {
	var out []roleUnitID
	if f.Lead != nil {
		out = append(out, roleUnitID{roleLead, *f.Lead})
	}
	for _, u := range f.Coop {
		if f.Lead != nil && u == *f.Lead {
			continue
		}
		if !slices.ContainsFunc(out, func(x roleUnitID) bool { return x.role == roleCoop && x.id == u }) {
			out = append(out, roleUnitID{roleCoop, u})
		}
	}
	return out
}

func (f *facts) empty() bool {
	return f.Issued == "" && f.Closed == "" && len(f.Urges) == 0 && len(f.Exts) == 0 && len(f.Failed) == 0
}

// dates turns instants into the months and dates the statistics use: months of
// the company time zone (the periods' bounds are its midnights) and dates as
// items.LocalDateSQL reads them (the closing date against the original deadline).
type dates struct {
	loc, dateLoc *time.Location
}

func (s *Service) dates() dates {
	d := dates{loc: s.loc, dateLoc: s.loc}
	if s.db.Dialect() == database.SQLite {
		_, off := time.Now().In(s.loc).Zone()
		d.dateLoc = time.FixedZone("", off)
	}
	return d
}

func (d dates) month(t time.Time) string { return t.In(d.loc).Format("2006-01") }
func (d dates) date(t time.Time) string  { return t.In(d.dateLoc).Format("2006-01-02") }

// loadFacts reads the facts of the items ids.
func (s *Service) loadFacts(conn *gorm.DB, cal *calendar.Calendar, ids []uuid.UUID) (map[uuid.UUID]*facts, error) {
	out := make(map[uuid.UUID]*facts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	d, w := s.dates(), newWorkdays(cal)
	var its []struct {
		ID               uuid.UUID
		ScopeID          uuid.UUID
		LeadUnitID       *uuid.UUID
		Source, Category string
		State            string
		IssuedAt         *time.Time
		ClosedAt         *time.Time
		OriginalDeadline *string
	}
	if err := conn.Raw(`SELECT id, scope_id, lead_unit_id, source, category, state, issued_at, closed_at, original_deadline
		FROM items WHERE id IN ?`, ids).Scan(&its).Error; err != nil {
		return nil, fmt.Errorf("rollup: load items: %w", err)
	}
	closed := stateList(items.ClosedStates)
	for _, it := range its {
		f := &facts{Scope: it.ScopeID, Lead: it.LeadUnitID, Source: it.Source, Category: it.Category}
		if it.IssuedAt != nil {
			f.Issued = d.month(*it.IssuedAt)
		}
		if it.ClosedAt != nil && slices.Contains(closed, it.State) {
			f.Closed = d.month(*it.ClosedAt)
			lc := d.date(*it.ClosedAt)
			f.OnTime = it.OriginalDeadline != nil && *it.OriginalDeadline != "" && lc <= *it.OriginalDeadline
			if it.IssuedAt != nil {
				f.Workdays = w.between(d.date(*it.IssuedAt), lc)
			}
		}
		out[it.ID] = f
	}
	var coops []struct{ ItemID, UnitID uuid.UUID }
	if err := conn.Raw(`SELECT item_id, unit_id FROM item_cooperating_units WHERE item_id IN ? ORDER BY item_id, unit_id`, ids).
		Scan(&coops).Error; err != nil {
		return nil, fmt.Errorf("rollup: load cooperating units: %w", err)
	}
	for _, c := range coops {
		if f := out[c.ItemID]; f != nil {
			f.Coop = append(f.Coop, c.UnitID)
		}
	}
	var fus []struct {
		ItemID    uuid.UUID
		UnitID    *uuid.UUID
		Flag      bool
		CreatedAt time.Time
		Kind      string
	}
	if err := conn.Raw(`SELECT item_id, unit_id, CASE WHEN kind = 'auto' THEN 1 ELSE 0 END AS flag, created_at, 'u' AS kind
		FROM item_urges WHERE item_id IN ?
		UNION ALL SELECT item_id, unit_id, CASE WHEN state = 'approved' THEN 1 ELSE 0 END, created_at, 'e'
		FROM extension_requests WHERE item_id IN ?
		UNION ALL SELECT item_id, NULL, 1, created_at, 'v' FROM verifications WHERE result = 'failed' AND item_id IN ?
		ORDER BY 1, 4, 5`, ids, ids, ids).Scan(&fus).Error; err != nil {
		return nil, fmt.Errorf("rollup: load follow-ups: %w", err)
	}
	for _, r := range fus {
		f := out[r.ItemID]
		if f == nil {
			continue
		}
		m := d.month(r.CreatedAt)
		switch r.Kind {
		case "u":
			f.Urges = append(f.Urges, fu{Unit: r.UnitID, Month: m, Flag: r.Flag})
		case "e":
			f.Exts = append(f.Exts, fu{Unit: r.UnitID, Month: m, Flag: r.Flag})
		default:
			f.Failed = append(f.Failed, m)
		}
	}
	for id, f := range out {
		if f.empty() {
			delete(out, id)
		}
	}
	return out, nil
}

// WantsItem answers items.StatsKeeper. The rollup holds issue and closing dates,
// the original deadline, units, source, category, urges, extensions and failed
// verifications; the changes listed here touch none of them (suspension, progress,
// milestones, reports, comments, team and responsible person), so they skip the
// five or six statements of KeepItem. Any action not listed, including one added
// later, recomputes the item's share: forgetting to list one costs time, never a
// wrong figure (TestRollupEqualsRecount).
func (s *Service) WantsItem(action string) bool {
	switch action {
	case string(items.ActSuspend), string(items.ActResume), string(items.ActSetProgress), string(items.ActAccept),
		string(items.ActMilestones), items.EvMilestoneCreate, items.EvMilestoneUpdate, items.EvMilestoneDelete,
		items.EvAssignmentUpdate, items.EvJointUnitAdd, items.EvJointUnitRemove,
		"feedback_submitted", "feedback_accepted", "feedback_returned", "urge_acknowledged", "clear_warning",
		"comment", "instruction", "coordination", "visit_record", "coordination_record", "coordination_decision_link":
		return false
	}
	return true
}

// KeepItem brings the rollup in step with the item id as it stands in the
// transaction of ctx (items.StatsKeeper: the items package calls it at the end of
// every change of an item).
func (s *Service) KeepItem(ctx context.Context, id uuid.UUID) error {
	conn := s.db.Conn(ctx)
	if s.db.Dialect() == database.Postgres {
		// Waits for a rebuild (which holds EXCLUSIVE) before the marks are read.
		if err := conn.Exec(`LOCK TABLE stats_rollup_marks IN ROW EXCLUSIVE MODE`).Error; err != nil {
			return fmt.Errorf("rollup: lock: %w", err)
		}
	}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return fmt.Errorf("rollup: calendar: %w", err)
	}
	now, err := s.loadFacts(conn, cal, []uuid.UUID{id})
	if err != nil {
		return err
	}
	var marks []struct{ Facts string }
	if err := conn.Raw(`SELECT facts FROM stats_rollup_marks WHERE item_id = ?`, id).Scan(&marks).Error; err != nil {
		return fmt.Errorf("rollup: read marks: %w", err)
	}
	delta := map[rkey]rvals{}
	if len(marks) > 0 {
		var old facts
		if err := json.Unmarshal([]byte(marks[0].Facts), &old); err != nil {
			return fmt.Errorf("rollup: marks of %s: %w", id, err)
		}
		for k, v := range old.rows() {
			for i := range v {
				v[i] = -v[i]
			}
			delta[k] = v
		}
	}
	f := now[id]
	if f != nil {
		for k, v := range f.rows() {
			d := delta[k]
			for i := range v {
				d[i] += v[i]
			}
			delta[k] = d
		}
	}
	if err := addRows(conn, delta); err != nil {
		return err
	}
	switch {
	case f == nil && len(marks) > 0:
		err = conn.Exec(`DELETE FROM stats_rollup_marks WHERE item_id = ?`, id).Error
	case f != nil:
		b, _ := json.Marshal(f)
		if len(marks) > 0 {
			err = conn.Exec(`UPDATE stats_rollup_marks SET facts = ? WHERE item_id = ?`, string(b), id).Error
		} else {
			err = conn.Exec(`INSERT INTO stats_rollup_marks (item_id, facts) VALUES (?, ?)`, id, string(b)).Error
		}
	}
	if err != nil {
		return fmt.Errorf("rollup: write marks: %w", err)
	}
	return nil
}

// addRows adds rows to the rollup (an upsert per row, in key order so that
// concurrent changes lock rows in the same order). A row whose counters come back
// to zero (a reopened item's closing month, say) stays; the statistics skip it.
func addRows(conn *gorm.DB, rows map[rkey]rvals) error {
	keys := make([]rkey, 0, len(rows))
	for k, v := range rows {
		if !v.zero() {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b rkey) int {
		return strings.Compare(a.Scope.String()+a.Month+a.Role+a.Unit.String()+a.Source+a.Category,
			b.Scope.String()+b.Month+b.Role+b.Unit.String()+b.Source+b.Category)
	})
	cols := strings.Join(rollupCols[:], ", ")
	var set []string
	for _, c := range rollupCols {
		set = append(set, c+" = stats_rollup."+c+" + excluded."+c)
	}
	upsert := `INSERT INTO stats_rollup (scope_id, month, role, unit_id, source, category, ` + cols + `)
		VALUES (?, ?, ?, ?, ?, ?` + strings.Repeat(", ?", nVals) + `)
		ON CONFLICT (scope_id, month, role, unit_id, source, category) DO UPDATE SET ` + strings.Join(set, ", ")
	for _, k := range keys {
		args := []any{k.Scope, k.Month, k.Role, k.Unit, k.Source, k.Category}
		for _, v := range rows[k] {
			args = append(args, v)
		}
		if err := conn.Exec(upsert, args...).Error; err != nil {
			return fmt.Errorf("rollup: add: %w", err)
		}
	}
	return nil
}
