package bulletins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/stats"
)

// Thresholds of the lists.
const (
	// UrgedRepeatedly: a unit urged this often in the period is criticised.
	UrgedRepeatedly = 3
	// MaxListed items per list (the appendix has them all the same).
	MaxListed = 100
)

// PublishHook runs inside the publishing transaction with the published bulletin
// (the notifications' outbox goes here, so that it commits with the publication).
type PublishHook func(ctx context.Context, v *View) error

// Service runs bulletins.
type Service struct {
	db    *database.DB
	stats *stats.Service
	items *items.Service
	cal   *calendar.Service
	clock clock.Clock
	loc   *time.Location
	// Published, when set, is called with every bulletin published.
	Published PublishHook
}

// NewService returns the bulletins service.
func NewService(db *database.DB, st *stats.Service, itemsSvc *items.Service, cal *calendar.Service, clk clock.Clock, loc *time.Location) *Service {
	return &Service{db: db, stats: st, items: itemsSvc, cal: cal, clock: clock.Or(clk), loc: loc}
}

// View is a bulletin with its decoded sections and data and what the caller may do.
type View struct {
	Bulletin
	SectionsV      Sections
	DataV          Data
	AllowedActions []string
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// office reports whether p runs supervision in the scope (and may write bulletins).
func office(p *access.Principal, scope uuid.UUID) bool {
	return p != nil && p.Has(access.RoleSupervisor) && p.ScopeID == scope && p.CanWrite()
}

// canSee: drafts are the office's (and its scope's admins and auditors'); a
// published bulletin is every scope member's.
func canSee(p *access.Principal, b *Bulletin) bool {
	if p == nil || p.ScopeID != b.ScopeID {
		return false
	}
	if b.State == StatePublished {
		return true
	}
	return p.HasAny(access.RoleSupervisor, access.RoleAdmin, access.RoleAuditor)
}

func (s *Service) view(p *access.Principal, b *Bulletin) (*View, error) {
	v := &View{Bulletin: *b, AllowedActions: []string{}}
	if err := json.Unmarshal([]byte(b.Sections), &v.SectionsV); err != nil {
		return nil, fmt.Errorf("decode sections: %w", err)
	}
	if err := json.Unmarshal([]byte(b.Data), &v.DataV); err != nil {
		return nil, fmt.Errorf("decode data: %w", err)
	}
	if b.State == StateDraft && office(p, b.ScopeID) {
		v.AllowedActions = append(v.AllowedActions, "update", "publish")
	}
	return v, nil
}

// CreateInput is a new draft.
type CreateInput struct {
	Kind           string
	Period         string
	From, To       string
	Title          string
	Sections       *Sections
	ScopeOfCreator uuid.UUID
}

// Create makes a draft for the period, filled from the statistics of the caller's
// scope.
func (s *Service) Create(ctx context.Context, p *access.Principal, in CreateInput) (*View, error) {
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	if !office(p, p.ScopeID) {
		return nil, problem.Forbidden("only the supervision office writes bulletins")
	}
	var errs []problem.FieldError
	if !slices.Contains([]string{KindMonthly, KindQuarterly, KindSpecial}, in.Kind) {
		errs = append(errs, problem.FieldError{Field: "kind", Rule: "oneof", Message: "must be monthly, quarterly or special"})
	}
	per, err := stats.ParsePeriod(in.Period, in.From, in.To, s.today())
	if err != nil {
		return nil, err
	}
	if in.Period == "" && in.From == "" {
		errs = append(errs, problem.FieldError{Field: "period", Rule: "required", Message: "give period (2026-11, 2026-Q4) or from and to"})
	}
	switch {
	case in.Kind == KindMonthly && len(per.Months()) != 1 || in.Kind == KindMonthly && in.Period == "":
		errs = append(errs, problem.FieldError{Field: "period", Rule: "month", Message: "a monthly bulletin covers a month, such as 2026-11"})
	case in.Kind == KindQuarterly && !strings.Contains(per.Key, "Q"):
		errs = append(errs, problem.FieldError{Field: "period", Rule: "quarter", Message: "a quarterly bulletin covers a quarter, such as 2026-Q4"})
	}
	if utf8.RuneCountInString(in.Title) > 200 {
		errs = append(errs, problem.FieldError{Field: "title", Rule: "max", Message: "must be at most 200 characters"})
	}
	if in.Sections != nil {
		errs = append(errs, checkSections(*in.Sections)...)
	}
	if len(errs) > 0 {
		return nil, problem.Invalid(errs...)
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = defaultTitle(in.Kind, per)
	}
	data, err := s.compute(ctx, p, per)
	if err != nil {
		return nil, err
	}
	secs := Sections{}
	if in.Sections != nil {
		secs = *in.Sections
	}
	if secs.Summary == "" {
		secs.Summary = summaryOf(data)
	}
	b := &Bulletin{ID: uuid.Must(uuid.NewV7()), ScopeID: p.ScopeID, Kind: in.Kind, Period: per.Key, PeriodFrom: per.From, PeriodTo: per.To,
		Title: title, State: StateDraft, CreatedBy: p.UserID, UpdatedBy: p.UserID, Version: 1}
	b.CreatedAt = s.now()
	b.UpdatedAt = b.CreatedAt
	if err := encode(b, secs, data); err != nil {
		return nil, err
	}
	if err := s.db.Conn(ctx).Create(b).Error; err != nil {
		return nil, fmt.Errorf("insert bulletin: %w", err)
	}
	return s.view(p, b)
}

func encode(b *Bulletin, secs Sections, data *Data) error {
	sb, err := json.Marshal(secs)
	if err != nil {
		return err
	}
	db, err := json.Marshal(data)
	if err != nil {
		return err
	}
	b.Sections, b.Data = string(sb), string(db)
	return nil
}

func checkSections(s Sections) []problem.FieldError {
	var errs []problem.FieldError
	for name, v := range map[string]string{"sections.summary": s.Summary, "sections.highlights": s.Highlights,
		"sections.problems": s.Problems, "sections.next_steps": s.NextSteps} {
		if utf8.RuneCountInString(v) > 20000 {
			errs = append(errs, problem.FieldError{Field: name, Rule: "max", Message: "must be at most 20000 characters"})
		}
	}
	return errs
}

func (s *Service) today() civil.Date { return clock.Today(s.clock, s.loc) }

func defaultTitle(kind string, p stats.Period) string {
	switch kind {
	case KindMonthly:
		return fmt.Sprintf("%d年%d月督查督办通报", p.From.Year, int(p.From.Month))
	case KindQuarterly:
		q := (int(p.From.Month)-1)/3 + 1
		return fmt.Sprintf("%d年第%s季度督查督办通报", p.From.Year, []string{"一", "二", "三", "四"}[q-1])
	}
	return fmt.Sprintf("督查督办专项通报（%s至%s）", p.From, p.To)
}

// summaryOf drafts the summary from the figures; the office rewrites it.
func summaryOf(d *Data) string {
	f := d.Overview
	rate := "—"
	if f.OnTimeRate != nil {
		rate = strconv.FormatFloat(*f.OnTimeRate*100, 'f', 1, 64) + "%"
	}
	return fmt.Sprintf("%s至%s，新立项督办事项%d项，办结%d项，其中按期办结%d项，按期办结率%s；截至%s，在办事项%d项，超期未办结%d项。期内催办%d次，申请延期%d次，结果核查未通过%d项。",
		d.Period.From, d.Period.To, f.Assigned, f.Closed, f.ClosedOnTime, rate, d.Today, f.InProgress, f.OverdueNow,
		f.Urges, f.ExtensionsRequested, f.VerificationFailures)
}

// compute gathers the figures and lists of the scope for the period, as the office
// sees them.
func (s *Service) compute(ctx context.Context, p *access.Principal, per stats.Period) (*Data, error) {
	scope := p.ScopeID
	q := stats.Query{Period: per, ScopeID: &scope}
	ov, err := s.stats.Overview(ctx, p, q)
	if err != nil {
		return nil, err
	}
	us, err := s.stats.Units(ctx, p, q)
	if err != nil {
		return nil, err
	}
	names, err := stats.UnitNames(ctx, s.db, []uuid.UUID{scope})
	if err != nil {
		return nil, err
	}
	d := &Data{Period: per, Today: ov.Today, GeneratedAt: s.now(), ScopeName: names[scope], Overview: ov.Figures,
		BySource: ov.BySource, Units: us.Data, Commended: []UnitNote{}, Criticised: []UnitNote{}}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	lines := func(f items.Filter) ([]ItemLine, error) {
		f.Report.ScopeID = &scope
		f.Page = items.Page{Page: 1, Size: MaxListed}
		f.Sort = []items.SortKey{{Field: "deadline"}, {Field: "code"}}
		pg, err := s.items.List(ctx, p, f)
		if err != nil {
			return nil, err
		}
		return s.itemLines(ctx, pg.Items, cal, ov.Today)
	}
	yes := true
	if d.Overdue, err = lines(items.Filter{Overdue: &yes}); err != nil {
		return nil, err
	}
	if d.Warnings, err = lines(items.Filter{Light: items.LightYellow}); err != nil {
		return nil, err
	}
	if d.VerificationFailures, err = s.failures(ctx, scope, per, cal, ov.Today); err != nil {
		return nil, err
	}
	for _, u := range us.Data {
		switch {
		case u.OverdueNow > 0 || u.Urges >= UrgedRepeatedly:
			var why []string
			if u.OverdueNow > 0 {
				why = append(why, fmt.Sprintf("超期未办结%d项", u.OverdueNow))
			}
			if u.Urges >= UrgedRepeatedly {
				why = append(why, fmt.Sprintf("期内被催办%d次", u.Urges))
			}
			d.Criticised = append(d.Criticised, UnitNote{UnitID: u.UnitID, UnitName: u.UnitName, Reason: strings.Join(why, "，")})
		case u.Closed > 0 && u.ClosedOnTime == u.Closed && u.VerificationFailures == 0:
			d.Commended = append(d.Commended, UnitNote{UnitID: u.UnitID, UnitName: u.UnitName,
				Reason: fmt.Sprintf("办结%d项，全部按期办结", u.Closed)})
		}
	}
	return d, nil
}

func (s *Service) itemLines(ctx context.Context, vs []items.ItemView, cal *calendar.Calendar, today civil.Date) ([]ItemLine, error) {
	var ids []uuid.UUID
	for _, v := range vs {
		if v.LeadUnitID != nil {
			ids = append(ids, *v.LeadUnitID)
		}
	}
	names, err := stats.UnitNames(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := []ItemLine{}
	for _, v := range vs {
		l := ItemLine{ItemID: v.ID, Title: v.Title, LeadUnitID: v.LeadUnitID, Light: v.Light}
		if v.Code != nil {
			l.Code = *v.Code
		}
		if v.LeadUnitID != nil {
			l.LeadUnit = names[*v.LeadUnitID]
		}
		if !v.Deadline.IsZero() {
			l.Deadline = v.Deadline.String()
			if v.Overdue {
				l.DaysOverdue = cal.WorkdaysBetween(v.Deadline, today)
			}
		}
		if !v.OriginalDeadline.IsZero() {
			l.OriginalDeadline = v.OriginalDeadline.String()
		}
		out = append(out, l)
	}
	return out, nil
}

// failures lists the failed verifications of the scope's items in the period.
func (s *Service) failures(ctx context.Context, scope uuid.UUID, per stats.Period, cal *calendar.Calendar, today civil.Date) ([]ItemLine, error) {
	var rows []struct {
		ItemID           uuid.UUID
		Code             *string
		Title            string
		LeadUnitID       *uuid.UUID
		Deadline         *string
		OriginalDeadline *string
		Findings         string
	}
	err := s.db.Conn(ctx).Table("verifications v").
		Select("v.item_id, items.code, items.title, items.lead_unit_id, items.deadline, items.original_deadline, v.findings").
		Joins("JOIN items ON items.id = v.item_id").
		Where("items.scope_id = ? AND v.result = 'failed' AND v.created_at >= ? AND v.created_at < ?", scope, items.StartOf(per.From, s.loc), items.StartOf(per.To.AddDays(1), s.loc)).
		Order("v.created_at").Limit(MaxListed).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("verification failures: %w", err)
	}
	var ids []uuid.UUID
	for _, r := range rows {
		if r.LeadUnitID != nil {
			ids = append(ids, *r.LeadUnitID)
		}
	}
	names, err := stats.UnitNames(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := []ItemLine{}
	for _, r := range rows {
		l := ItemLine{ItemID: r.ItemID, Title: r.Title, LeadUnitID: r.LeadUnitID, Note: r.Findings}
		if r.Code != nil {
			l.Code = *r.Code
		}
		if r.LeadUnitID != nil {
			l.LeadUnit = names[*r.LeadUnitID]
		}
		if r.Deadline != nil {
			l.Deadline = *r.Deadline
		}
		if r.OriginalDeadline != nil {
			l.OriginalDeadline = *r.OriginalDeadline
		}
		out = append(out, l)
	}
	return out, nil
}

func (s *Service) load(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Bulletin, error) {
	var b Bulletin
	q := s.db.Conn(ctx).Where("id = ?", id)
	if forUpdate && s.db.Dialect() == database.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Take(&b).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, problem.NotFound("bulletin")
	} else if err != nil {
		return nil, fmt.Errorf("load bulletin: %w", err)
	}
	if !canSee(p, &b) {
		return nil, problem.NotFound("bulletin")
	}
	return &b, nil
}

// Get returns a bulletin the caller may see.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	b, err := s.load(ctx, p, id, false)
	if err != nil {
		return nil, err
	}
	return s.view(p, b)
}

// Page is a page of bulletins.
type Page struct {
	Data  []*View
	Total int64
}

// List returns the bulletins of the caller's scope they may see, newest first;
// state filters (draft, published).
func (s *Service) List(ctx context.Context, p *access.Principal, state string, pg database.Page) (*Page, error) {
	if state != "" && state != StateDraft && state != StatePublished {
		return nil, problem.Field("state", "oneof", "must be draft or published")
	}
	q := s.db.Conn(ctx).Model(&Bulletin{}).Where("scope_id = ?", p.ScopeID)
	if !p.HasAny(access.RoleSupervisor, access.RoleAdmin, access.RoleAuditor) {
		q = q.Where("state = ?", StatePublished)
	}
	if state != "" {
		q = q.Where("state = ?", state)
	}
	out := &Page{Data: []*View{}}
	if err := q.Count(&out.Total).Error; err != nil {
		return nil, fmt.Errorf("count bulletins: %w", err)
	}
	var rows []Bulletin
	if err := q.Order("created_at DESC").Order("id DESC").Limit(pg.Size).Offset(pg.Offset()).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list bulletins: %w", err)
	}
	for i := range rows {
		v, err := s.view(p, &rows[i])
		if err != nil {
			return nil, err
		}
		out.Data = append(out.Data, v)
	}
	return out, nil
}

// UpdateInput changes a draft; nil fields stay. Refresh recomputes the figures.
type UpdateInput struct {
	Title    *string
	Sections *Sections
	Refresh  bool
}

// Update edits a draft (the office of its scope; 409 once published).
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in UpdateInput, pc etag.Precondition) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		b, err := s.load(ctx, p, id, true)
		if err != nil {
			return err
		}
		if !office(p, b.ScopeID) {
			return problem.Forbidden("only the supervision office edits bulletins")
		}
		if err := pc.Check(b.Version); err != nil {
			return err
		}
		if b.State != StateDraft {
			return problem.Conflict(CodePublished, "a published bulletin does not change")
		}
		v, err := s.view(p, b)
		if err != nil {
			return err
		}
		var errs []problem.FieldError
		if in.Title != nil {
			t := strings.TrimSpace(*in.Title)
			if t == "" || utf8.RuneCountInString(t) > 200 {
				errs = append(errs, problem.FieldError{Field: "title", Rule: "range", Message: "must be 1 to 200 characters"})
			}
			b.Title = t
		}
		secs, data := v.SectionsV, &v.DataV
		if in.Sections != nil {
			errs = append(errs, checkSections(*in.Sections)...)
			secs = *in.Sections
		}
		if len(errs) > 0 {
			return problem.Invalid(errs...)
		}
		if in.Refresh {
			if data, err = s.compute(ctx, p, stats.Period{Key: b.Period, From: b.PeriodFrom, To: b.PeriodTo}); err != nil {
				return err
			}
		}
		if err := encode(b, secs, data); err != nil {
			return err
		}
		res := s.db.Conn(ctx).Model(&Bulletin{}).Where("id = ? AND version = ?", b.ID, b.Version).Updates(map[string]any{
			"title": b.Title, "sections": b.Sections, "data": b.Data, "updated_by": p.UserID, "updated_at": s.now(), "version": b.Version + 1})
		if res.Error != nil {
			return fmt.Errorf("update bulletin: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return problem.PreconditionFailed("the bulletin changed; reload it")
		}
		b.Version++
		out, err = s.view(p, b)
		return err
	})
	return out, err
}

// Publish freezes the draft, numbers it 督办通报〔year〕N号 (a yearly sequence per
// scope) and shows it to the scope. The figures are those of the draft as last
// computed: what the office reviewed is what goes out.
func (s *Service) Publish(ctx context.Context, p *access.Principal, id uuid.UUID, pc etag.Precondition) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		b, err := s.load(ctx, p, id, true)
		if err != nil {
			return err
		}
		if !office(p, b.ScopeID) {
			return problem.Forbidden("only the supervision office publishes bulletins")
		}
		if err := pc.Check(b.Version); err != nil {
			return err
		}
		if b.State != StateDraft {
			return problem.Conflict(CodePublished, "the bulletin is already published")
		}
		now := s.now()
		year := civil.Of(now.In(s.loc)).Year
		var n int
		err = s.db.Conn(ctx).Raw(`INSERT INTO bulletin_sequences (scope_id, year, last_number) VALUES (?, ?, 1)
			ON CONFLICT (scope_id, year) DO UPDATE SET last_number = bulletin_sequences.last_number + 1
			RETURNING last_number`, b.ScopeID, year).Scan(&n).Error
		if err != nil || n < 1 {
			return fmt.Errorf("number bulletin: %v (%d)", err, n)
		}
		b.Year, b.Number, b.DocNo = &year, &n, fmt.Sprintf("督办通报〔%d〕%d号", year, n)
		b.State, b.PublishedBy, b.PublishedAt = StatePublished, &p.UserID, &now
		res := s.db.Conn(ctx).Model(&Bulletin{}).Where("id = ? AND version = ?", b.ID, b.Version).Updates(map[string]any{
			"state": b.State, "year": year, "number": n, "doc_no": b.DocNo, "published_by": p.UserID, "published_at": now,
			"updated_by": p.UserID, "updated_at": now, "version": b.Version + 1})
		if res.Error != nil {
			return fmt.Errorf("publish bulletin: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return problem.PreconditionFailed("the bulletin changed; reload it")
		}
		b.Version++
		if out, err = s.view(p, b); err != nil {
			return err
		}
		if s.Published != nil {
			return s.Published(ctx, out)
		}
		return nil
	})
	return out, err
}
