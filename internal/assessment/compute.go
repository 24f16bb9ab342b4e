package assessment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/stats"
)

// Problem codes. Never rename one.
const CodeAlreadyPublished = "assessment_published"

// Rule names of the explanations.
const (
	RuleOverdueItem         = "overdue_item"
	RuleOverdueDays         = "overdue_days"
	RuleUrge                = "urge"
	RuleAutoUrge            = "auto_urge"
	RuleReturnedFeedback    = "returned_feedback"
	RuleVerificationFailure = "verification_failure"
	RuleExtension           = "extension"
	RuleEarlyClose          = "early_close"
)

// Point is one line of a unit's explanation: which item, which rule, how many
// points (negative for a deduction).
type Point struct {
	ItemID uuid.UUID `json:"item_id" format:"uuid"`
	Code   string    `json:"code"`
	Title  string    `json:"title"`
	Rule   string    `json:"rule" enums:"overdue_item,overdue_days,urge,auto_urge,returned_feedback,verification_failure,extension,early_close"`
	// Detail says what was counted, e.g. 7 working days overdue, or the date.
	Detail string  `json:"detail"`
	Points float64 `json:"points" example:"-2"`
} // @name AssessmentPoint

// UnitScore is one unit's result.
type UnitScore struct {
	UnitID     uuid.UUID `json:"unit_id" format:"uuid"`
	UnitName   string    `json:"unit_name"`
	Score      float64   `json:"score" example:"94.5"`
	Grade      string    `json:"grade" enums:"excellent,pass,fail"`
	Deductions float64   `json:"deductions" example:"6.5"`
	Bonus      float64   `json:"bonus" example:"1"`
	Rank       int       `json:"rank" example:"1"`
	Points     []Point   `json:"points"`
} // @name AssessmentUnitScore

// Result is a period's assessment.
type Result struct {
	ScopeID     uuid.UUID    `json:"scope_id" format:"uuid"`
	Period      stats.Period `json:"period"`
	Rules       Rules        `json:"rules"`
	ComputedOn  civil.Date   `json:"computed_on" swaggertype:"string" format:"date"`
	Published   bool         `json:"published"`
	PublishedAt *time.Time   `json:"published_at"`
	PublishedBy *uuid.UUID   `json:"published_by" format:"uuid"`
	Units       []UnitScore  `json:"units"`
} // @name Assessment

// Service computes, publishes and exports assessments.
type Service struct {
	db    *database.DB
	cal   *calendar.Service
	clock clock.Clock
	loc   *time.Location
	Rules *RulesStore
}

// NewService returns the assessment service.
func NewService(db *database.DB, cal *calendar.Service, log *audit.Log, clk clock.Clock, loc *time.Location) *Service {
	clk = clock.Or(clk)
	return &Service{db: db, cal: cal, clock: clk, loc: loc, Rules: &RulesStore{db: db, audit: log, now: clk.Now}}
}

type snapshot struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	ScopeID     uuid.UUID `gorm:"type:uuid"`
	Period      string
	Data        string
	PublishedBy uuid.UUID `gorm:"type:uuid"`
	PublishedAt time.Time
}

func (snapshot) TableName() string { return "assessment_snapshots" }

// ParsePeriod reads a month, quarter or year (422 otherwise).
func ParsePeriod(s string) (stats.Period, error) {
	if s == "" {
		return stats.Period{}, problem.Field("period", "required", "give the period: 2026-Q4, 2026-11 or 2026")
	}
	p, ok := stats.PeriodOf(s)
	if !ok {
		return stats.Period{}, problem.Field("period", "format", "must be a month (2026-11), a quarter (2026-Q4) or a year (2026)")
	}
	return p, nil
}

// seesAll: the office, leaders, auditors and admins see every unit of the scope.
func seesAll(p *access.Principal) bool { return items.Privileged(p) }

// Get answers GET /assessments?period=: the published snapshot when there is one,
// else the scores computed now; a unit's people see only their units.
func (s *Service) Get(ctx context.Context, p *access.Principal, per stats.Period) (*Result, error) {
	res, err := s.published(ctx, p.ScopeID, per.Key)
	if err != nil {
		return nil, err
	}
	if res == nil {
		if res, err = s.Compute(ctx, p.ScopeID, per); err != nil {
			return nil, err
		}
	}
	if !seesAll(p) {
		mine := items.MyUnits(p)
		res.Units = slices.DeleteFunc(res.Units, func(u UnitScore) bool { return !slices.Contains(mine, u.UnitID) })
	}
	return res, nil
}

func (s *Service) published(ctx context.Context, scope uuid.UUID, period string) (*Result, error) {
	var row snapshot
	err := s.db.Conn(ctx).Where("scope_id = ? AND period = ?", scope, period).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read assessment: %w", err)
	}
	var res Result
	if err := json.Unmarshal([]byte(row.Data), &res); err != nil {
		return nil, fmt.Errorf("decode assessment: %w", err)
	}
	return &res, nil
}

// Publish freezes the period's result for the scope: the supervision office only,
// once (409 after).
func (s *Service) Publish(ctx context.Context, p *access.Principal, per stats.Period) (*Result, error) {
	if !p.Has(access.RoleSupervisor) || !p.CanWrite() {
		return nil, problem.Forbidden("only the supervision office publishes the assessment")
	}
	var out *Result
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if prev, err := s.published(ctx, p.ScopeID, per.Key); err != nil {
			return err
		} else if prev != nil {
			return problem.Conflict(CodeAlreadyPublished, "the assessment of "+per.Key+" is already published")
		}
		res, err := s.Compute(ctx, p.ScopeID, per)
		if err != nil {
			return err
		}
		now := s.clock.Now().UTC().Truncate(time.Microsecond)
		res.Published, res.PublishedAt, res.PublishedBy = true, &now, &p.UserID
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(&snapshot{ID: uuid.Must(uuid.NewV7()), ScopeID: p.ScopeID, Period: per.Key, Data: string(b),
			PublishedBy: p.UserID, PublishedAt: now}).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return problem.Conflict(CodeAlreadyPublished, "the assessment of "+per.Key+" is already published")
			}
			return fmt.Errorf("save assessment: %w", err)
		}
		out = res
		return nil
	})
	return out, err
}

type itemRow struct {
	ID               uuid.UUID
	Code             *string
	Title            string
	LeadUnitID       *uuid.UUID
	OriginalDeadline *string
	State            string
	ClosedOn         *string
}

// Compute scores every unit of the scope for the period, as of today.
func (s *Service) Compute(ctx context.Context, scope uuid.UUID, per stats.Period) (*Result, error) {
	rules, _, err := s.Rules.Get(ctx, scope)
	if err != nil {
		return nil, err
	}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := clock.Today(s.clock, s.loc)
	end := per.To
	if today.Before(end) {
		end = today
	}
	res := &Result{ScopeID: scope, Period: per, Rules: rules, ComputedOn: today, Units: []UnitScore{}}
	units := map[uuid.UUID]*UnitScore{}
	unit := func(id uuid.UUID) *UnitScore {
		u := units[id]
		if u == nil {
			u = &UnitScore{UnitID: id, Points: []Point{}}
			units[id] = u
		}
		return u
	}
	conn := s.db.Conn(ctx)
	local, localArgs := items.LocalDateSQL(conn, "items.closed_at", s.loc)
	from, to := items.StartOf(per.From, s.loc), items.StartOf(per.To.AddDays(1), s.loc)
	closed := []string{string(items.StateClosed), string(items.StateArchived)}
	// The scope's items that count for the period: issued, not cancelled, issued
	// before its end, and not closed before its start.
	var rows []itemRow
	err = conn.Table("items").Select("items.id, items.code, items.title, items.lead_unit_id, items.original_deadline, items.state, "+local+" AS closed_on", localArgs...).
		Where("items.scope_id = ? AND items.issued_at IS NOT NULL AND items.issued_at < ? AND items.state <> ? AND items.lead_unit_id IS NOT NULL",
			scope, to, string(items.StateCancelled)).
		Where("(items.state NOT IN ? OR items.closed_at >= ?)", closed, from).
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("assessment items: %w", err)
	}
	early := map[uuid.UUID]float64{}
	for _, it := range rows {
		u := unit(*it.LeadUnitID)
		code := ""
		if it.Code != nil {
			code = *it.Code
		}
		if it.OriginalDeadline == nil {
			continue
		}
		od, err := civil.Parse(*it.OriginalDeadline)
		if err != nil {
			continue
		}
		var closedOn *civil.Date
		if slices.Contains(closed, it.State) && it.ClosedOn != nil {
			if d, err := civil.Parse(*it.ClosedOn); err == nil {
				closedOn = &d
			}
		}
		// Overdue in the period: the days after the original deadline until closing
		// (or today), inside the period.
		stop := end
		if closedOn != nil && closedOn.Before(stop) {
			stop = *closedOn
		}
		start := od.AddDays(1)
		if start.Before(per.From) {
			start = per.From
		}
		if !stop.Before(start) && od.Before(end) {
			u.Points = append(u.Points, Point{ItemID: it.ID, Code: code, Title: it.Title, Rule: RuleOverdueItem,
				Detail: "原定时限 " + od.String(), Points: -rules.OverdueItem})
			days := cal.WorkdaysBetween(start.AddDays(-1), stop)
			if pts := math.Min(float64(days)*rules.OverdueDay, rules.OverdueDayCap); days > 0 && pts > 0 {
				u.Points = append(u.Points, Point{ItemID: it.ID, Code: code, Title: it.Title, Rule: RuleOverdueDays,
					Detail: fmt.Sprintf("期内超期 %d 个工作日（%s 至 %s）", days, start, stop), Points: -round(pts)})
			}
		}
		// Closed early in the period.
		if closedOn != nil && !closedOn.Before(per.From) && !closedOn.After(per.To) && closedOn.Before(od) && rules.EarlyBonus > 0 {
			room := rules.EarlyBonusCap - early[u.UnitID]
			if pts := math.Min(rules.EarlyBonus, room); pts > 0 {
				early[u.UnitID] += pts
				u.Points = append(u.Points, Point{ItemID: it.ID, Code: code, Title: it.Title, Rule: RuleEarlyClose,
					Detail: fmt.Sprintf("%s 办结，早于原定时限 %s", closedOn, od), Points: round(pts)})
			}
		}
	}
	if err := s.followUps(ctx, scope, from, to, rules, unit); err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(units))
	for id := range units {
		ids = append(ids, id)
	}
	names, err := stats.UnitNames(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		u.UnitName = names[u.UnitID]
		for _, pt := range u.Points {
			if pt.Points < 0 {
				u.Deductions -= pt.Points
			} else {
				u.Bonus += pt.Points
			}
		}
		u.Deductions, u.Bonus = round(u.Deductions), round(u.Bonus)
		u.Score = round(math.Max(0, rules.Base-u.Deductions+u.Bonus))
		u.Grade = rules.Grade(u.Score)
		slices.SortStableFunc(u.Points, func(a, b Point) int {
			if a.Code != b.Code {
				if a.Code < b.Code {
					return -1
				}
				return 1
			}
			return 0
		})
		res.Units = append(res.Units, *u)
	}
	slices.SortFunc(res.Units, func(a, b UnitScore) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.UnitName < b.UnitName:
			return -1
		case a.UnitName > b.UnitName:
			return 1
		}
		return 0
	})
	for i := range res.Units {
		res.Units[i].Rank = i + 1
		if i > 0 && res.Units[i].Score == res.Units[i-1].Score {
			res.Units[i].Rank = res.Units[i-1].Rank
		}
	}
	return res, nil
}

func round(v float64) float64 { return math.Round(v*100) / 100 }

// followUps adds the urges, returned feedback, verification failures and
// extensions of the period.
func (s *Service) followUps(ctx context.Context, scope uuid.UUID, from, to time.Time, rules Rules, unit func(uuid.UUID) *UnitScore) error {
	conn := s.db.Conn(ctx)
	type row struct {
		ItemID uuid.UUID
		Code   *string
		Title  string
		UnitID uuid.UUID
		Kind   string
		At     time.Time
		Extra  string
	}
	add := func(r row, rule, detail string, pts float64) {
		if pts == 0 {
			return
		}
		code := ""
		if r.Code != nil {
			code = *r.Code
		}
		u := unit(r.UnitID)
		u.Points = append(u.Points, Point{ItemID: r.ItemID, Code: code, Title: r.Title, Rule: rule, Detail: detail, Points: -pts})
	}
	day := func(t time.Time) string { return civil.Of(t.In(s.loc)).String() }
	var urges []row
	if err := conn.Table("item_urges u").Select("u.item_id, items.code, items.title, u.unit_id, u.kind, u.created_at AS at").
		Joins("JOIN items ON items.id = u.item_id").
		Where("items.scope_id = ? AND u.created_at >= ? AND u.created_at < ?", scope, from, to).
		// A reminder that a request waits for a decision presses the decider, not
		// the unit that asked (internal/reminders): it costs the unit nothing.
		Where("(u.reminder IS NULL OR u.reminder NOT IN ?)", []string{"extension_waiting", "completion_waiting"}).
		Order("u.created_at").Find(&urges).Error; err != nil {
		return fmt.Errorf("assessment urges: %w", err)
	}
	for _, r := range urges {
		if r.Kind == "auto" {
			add(r, RuleAutoUrge, day(r.At)+" 自动催办", rules.AutoUrge)
		} else {
			add(r, RuleUrge, day(r.At)+" 督办处催办", rules.Urge)
		}
	}
	var returned []row
	if err := conn.Table("item_events e").Select("e.item_id, items.code, items.title, e.at, e.changes AS extra").
		Joins("JOIN items ON items.id = e.item_id").
		Where("items.scope_id = ? AND e.action = ? AND e.at >= ? AND e.at < ?", scope, "feedback_returned", from, to).Order("e.at").Find(&returned).Error; err != nil {
		return fmt.Errorf("assessment feedback: %w", err)
	}
	for _, r := range returned {
		var ch struct {
			UnitID uuid.UUID `json:"unit_id"`
		}
		if json.Unmarshal([]byte(r.Extra), &ch) != nil || ch.UnitID == uuid.Nil {
			continue
		}
		r.UnitID = ch.UnitID
		add(r, RuleReturnedFeedback, day(r.At)+" 反馈被退回", rules.ReturnedFeedback)
	}
	var failed []row
	if err := conn.Table("verifications v").Select("v.item_id, items.code, items.title, items.lead_unit_id AS unit_id, v.created_at AS at").
		Joins("JOIN items ON items.id = v.item_id").
		Where("items.scope_id = ? AND items.lead_unit_id IS NOT NULL AND v.result = 'failed' AND v.created_at >= ? AND v.created_at < ?", scope, from, to).
		Order("v.created_at").Find(&failed).Error; err != nil {
		return fmt.Errorf("assessment verifications: %w", err)
	}
	for _, r := range failed {
		add(r, RuleVerificationFailure, day(r.At)+" 结果核查未通过（反弹）", rules.VerificationFailure)
	}
	var exts []row
	if err := conn.Table("extension_requests e").Select("e.item_id, items.code, items.title, e.unit_id, e.decided_at AS at, e.requested_deadline AS extra").
		Joins("JOIN items ON items.id = e.item_id").
		Where("items.scope_id = ? AND e.state = 'approved' AND e.decided_at >= ? AND e.decided_at < ?", scope, from, to).
		Order("e.decided_at").Find(&exts).Error; err != nil {
		return fmt.Errorf("assessment extensions: %w", err)
	}
	for _, r := range exts {
		add(r, RuleExtension, day(r.At)+" 批准延期至 "+r.Extra, rules.Extension)
	}
	return nil
}
