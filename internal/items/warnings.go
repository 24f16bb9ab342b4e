package items

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// Warning lights (预警, 三色督办): the thresholds and clearing a light (摘牌).
//
// The blue threshold comes from the administrator's setting (internal/warnings,
// GET/PUT /settings/warnings) through WarningSource.
//
// The supervision office of the item's scope may clear a blue, yellow or red light
// with a reason (an objective cause, say). The clearing is stored with the light it
// cleared and the deadline at the time (item_warning_clears, one row per item, the
// newest clearing). While it holds, the item shows a green light with
// warning_cleared; it stops holding when the underlying light gets worse than the
// cleared one (blue → yellow → red), when the deadline moves (an extension, a new
// deadline set by the office) or once the item is no longer open. The list's light
// filter applies the same rule in SQL (clearedSQL).
//
// A missed feedback turns the light yellow too (derive.go): the feedback package
// owns when feedback is due (feedback/due.go) and stores it on every live
// assignment (item_assignments.next_feedback_due) through FeedbackDueKeeper, which
// the items service calls after the changes that move it; the grace comes from the
// optional GraceSource (warnings.Settings.feedback_grace_workdays).

// WarningSource gives the light thresholds; internal/warnings implements it.
type WarningSource interface {
	// BlueWorkdays is how many working days before a deadline or a milestone the
	// light turns blue.
	BlueWorkdays(ctx context.Context) (int, error)
}

// GraceSource is implemented by a WarningSource that also gives the feedback
// grace; without it the grace is 0.
type GraceSource interface {
	// FeedbackGraceWorkdays is how many working days a feedback may be late before
	// it turns the light yellow.
	FeedbackGraceWorkdays(ctx context.Context) (int, error)
}

// FeedbackDueKeeper recomputes the next feedback due date of the item's live
// assignments (item_assignments.next_feedback_due) inside the transaction of ctx;
// the feedback package implements it (one rule: feedback/due.go). It is handed
// the item and its assignments as they stand after the change, and runs only
// after the changes whose timeline action it wants (a comment or an urge never
// moves a due date).
type FeedbackDueKeeper interface {
	WantsFeedbackDue(action string) bool
	RefreshFeedbackDue(ctx context.Context, it *Item, asgs []Assignment) error
}

// StatsKeeper keeps the statistics rollup (internal/stats) in step with an item
// inside the transaction of ctx; the items package calls it at the end of every
// change of an item, after the change's columns and follow-up records are written.
type StatsKeeper interface {
	KeepItem(ctx context.Context, id uuid.UUID) error
	// WantsItem says whether a change recorded as action can move a figure of the
	// rollup; those that cannot skip KeepItem (its statements count on every write).
	WantsItem(action string) bool
}

// UseStatsKeeper makes every change of an item keep the statistics rollup with k.
func (s *Service) UseStatsKeeper(k StatsKeeper) { s.statsKeeper = k }

// UseWarnings makes the service derive lights with the thresholds of src.
func (s *Service) UseWarnings(src WarningSource) { s.warnings = src }

// UseFeedbackDue makes every change of an item refresh its assignments' feedback
// due dates with k (feedback.NewService calls it).
func (s *Service) UseFeedbackDue(k FeedbackDueKeeper) { s.feedbackDue = k }

func (s *Service) feedbackGraceWorkdays(ctx context.Context) (int, error) {
	g, ok := s.warnings.(GraceSource)
	if !ok {
		return 0, nil
	}
	n, err := g.FeedbackGraceWorkdays(ctx)
	if err != nil {
		return 0, fmt.Errorf("warning settings: %w", err)
	}
	return max(n, 0), nil
}

func (s *Service) blueWorkdays(ctx context.Context) (int, error) {
	if s.warnings == nil {
		return DefaultBlueWorkdays, nil
	}
	n, err := s.warnings.BlueWorkdays(ctx)
	if err != nil {
		return 0, fmt.Errorf("warning settings: %w", err)
	}
	if n < 1 {
		n = DefaultBlueWorkdays
	}
	return n, nil
}

// EvClearWarning is the timeline action of a cleared light.
const EvClearWarning = "clear_warning"

// ActClearWarning is offered in allowed_actions while the caller may clear the
// item's light.
const ActClearWarning = "clear_warning"

// CodeNoWarning: the item shows no warning light to clear (409).
const CodeNoWarning = "no_warning"

// MaxClearReason is the longest reason, in characters.
const MaxClearReason = 2000

// WarningClear is a row of item_warning_clears: the clearing in force on an item.
type WarningClear struct {
	ItemID       uuid.UUID `gorm:"type:uuid;primaryKey"`
	ClearedLight string
	Deadline     civil.Date
	Reason       string
	ClearedBy    uuid.UUID `gorm:"type:uuid"`
	ClearedAt    time.Time
}

// TableName pins the table.
func (WarningClear) TableName() string { return "item_warning_clears" }

// lightRank orders the warning lights: a higher rank is worse.
func lightRank(light string) int {
	switch light {
	case LightBlue:
		return 1
	case LightYellow:
		return 2
	case LightRed:
		return 3
	}
	return 0
}

// worseOrEqual lists the warning lights at least as bad as light.
func worseOrEqual(light string) []string {
	var out []string
	for _, l := range []string{LightBlue, LightYellow, LightRed} {
		if lightRank(l) >= lightRank(light) {
			out = append(out, l)
		}
	}
	return out
}

// holds reports whether the clearing applies to the item whose underlying light is
// under: the item is open, its deadline is the one cleared against, and the light
// is no worse than the one cleared.
func (c *WarningClear) holds(it *Item, under string) bool {
	return c != nil && it.State.Open() && under != LightNone && c.Deadline == it.Deadline &&
		lightRank(under) <= lightRank(c.ClearedLight)
}

// clearsOf loads the stored clearings of the items.
func (s *Service) clearsOf(ctx context.Context, ids ...uuid.UUID) (map[uuid.UUID]*WarningClear, error) {
	out := map[uuid.UUID]*WarningClear{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []WarningClear
	if err := s.db.Conn(ctx).Where("item_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load warning clearings: %w", err)
	}
	for i := range rows {
		out[rows[i].ItemID] = &rows[i]
	}
	return out, nil
}

// canClearWarning reports whether p may clear the item's light (its relation and
// credentials; the light itself is checked separately).
func canClearWarning(p *access.Principal, it *Item) bool {
	return p.CanWrite() && Relations(p, it, nil)&RelSupervisor != 0 && it.State.Open()
}

// withClearWarning adds clear_warning to allowed when p may clear the light now.
func withClearWarning(p *access.Principal, it *Item, d Derived, allowed []string) []string {
	if p == nil || lightRank(d.Light) == 0 || !canClearWarning(p, it) {
		return allowed
	}
	out := append(slices.Clone(allowed), ActClearWarning)
	slices.Sort(out)
	return out
}

// ClearWarning clears the item's warning light with a reason (摘牌): 404 when the
// item is not visible, 403 unless p is the supervision office of its scope, 409
// when the item is not open or shows no warning (green or none), 412 on a stale
// If-Match, 422 without a reason.
func (s *Service) ClearWarning(ctx context.Context, p *access.Principal, id uuid.UUID, reason string, pc Precondition) (*ItemView, error) {
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if !p.CanWrite() {
			return problem.Forbidden("these credentials may only read")
		}
		if Relations(p, it, nil)&RelSupervisor == 0 {
			return problem.Forbidden("only the supervision office of the item's scope may clear its warning light")
		}
		if !it.State.Open() {
			return problem.InvalidTransition(ActClearWarning, string(it.State), AllowedActions(p, it, asgs))
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		var e fieldErrs
		switch {
		case reason == "":
			e.add("reason", "required", "is required: give the reason for clearing the warning (e.g. an objective cause)")
		case utf8.RuneCountInString(reason) > MaxClearReason:
			e.add("reason", "max", fmt.Sprintf("must be at most %d characters", MaxClearReason))
		}
		if err := e.err(); err != nil {
			return err
		}
		vs, err := s.views(ctx, p, []*Item{it}, map[uuid.UUID][]Assignment{id: asgs})
		if err != nil {
			return err
		}
		d := vs[0].Derived
		if lightRank(d.Light) == 0 {
			detail := "the item shows no warning light to clear (its light is " + d.Light + ")"
			if d.Clear != nil {
				detail = "the item's " + d.Clear.ClearedLight + " light is cleared already"
			}
			return problem.Conflict(CodeNoWarning, detail).With("light", d.Light).With("warning_cleared", d.Clear != nil)
		}
		row := WarningClear{ItemID: id, ClearedLight: d.Light, Deadline: it.Deadline, Reason: reason, ClearedBy: p.UserID, ClearedAt: s.now()}
		if err := s.db.Conn(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("save warning clearing: %w", err)
		}
		changes := map[string]any{"light": change{From: d.Light, To: LightGreen}, "warning_cleared_light": change{To: d.Light}}
		// The item's version moves: its light (a derived field of its reads) did.
		return s.record(ctx, p, it, asgs, entry{Action: EvClearWarning, From: it.State, Changes: changes, Comment: reason,
			Events: []events.ItemEvent{&events.WarningCleared{Light: d.Light, Reason: reason}}, bump: true})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// clearedSQL is the condition "a clearing of one of lights holds for the item's
// deadline" on the items table (the open-state and underlying-light parts are the
// caller's). A correlated EXISTS on the clearing's primary key: one index probe
// per candidate row (an anti-join on PostgreSQL), where the row-valued NOT IN it
// replaces made SQLite test every clearing for every row. Open items always have
// a deadline, so NULLs do not arise.
func clearedSQL(lights []string) (string, []any) {
	return "EXISTS (SELECT 1 FROM item_warning_clears wc WHERE wc.item_id = items.id AND wc.deadline = items.deadline AND wc.cleared_light IN ?)",
		[]any{lights}
}
