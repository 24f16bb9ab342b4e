// Package assessment scores each unit of a supervision scope for a period (考核):
// a base of 100 points, deductions for items overdue against their original
// deadline (per item and per working day, capped), urges received, feedback
// returned, verification failures and extensions, a bonus for closing early, and
// grades by thresholds — every point explained by its item and rule. The rules are
// per scope (GET/PUT /settings/assessment); a published period is a stored snapshot
// that later edits do not change.
package assessment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/appsettings"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// Rules are a scope's scoring rules. Points are positive numbers: deductions are
// taken off the base, the bonus added.
type Rules struct {
	Base float64 `json:"base" example:"100"`
	// OverdueItem: per item overdue (against its original deadline) in the period.
	OverdueItem float64 `json:"overdue_item" example:"2"`
	// OverdueDay: per working day overdue in the period, at most OverdueDayCap per item.
	OverdueDay    float64 `json:"overdue_day" example:"0.2"`
	OverdueDayCap float64 `json:"overdue_day_cap" example:"5"`
	// Urge: per manual urge received; AutoUrge per automatic one.
	Urge     float64 `json:"urge" example:"0.5"`
	AutoUrge float64 `json:"auto_urge" example:"0.2"`
	// ReturnedFeedback: per feedback the office returned.
	ReturnedFeedback float64 `json:"returned_feedback" example:"0.5"`
	// VerificationFailure: per failed verification (反弹) of an item the unit leads.
	VerificationFailure float64 `json:"verification_failure" example:"3"`
	// Extension: per extension granted to the unit.
	Extension float64 `json:"extension" example:"0.5"`
	// EarlyBonus: per item closed before its original deadline, at most EarlyBonusCap.
	EarlyBonus    float64 `json:"early_bonus" example:"1"`
	EarlyBonusCap float64 `json:"early_bonus_cap" example:"5"`
	// Excellent and Pass are the lowest scores of the grades 优秀 and 合格; below Pass
	// is 不合格.
	Excellent float64 `json:"excellent" example:"90"`
	Pass      float64 `json:"pass" example:"76"`
	// Version counts changes (0: the defaults); the ETag carries it.
	Version   int        `json:"version"`
	UpdatedBy *uuid.UUID `json:"updated_by" format:"uuid"`
	UpdatedAt *time.Time `json:"updated_at"`
} // @name AssessmentRules

// Defaults are the rules before a scope sets its own.
func Defaults() Rules {
	return Rules{Base: 100, OverdueItem: 2, OverdueDay: 0.2, OverdueDayCap: 5, Urge: 0.5, AutoUrge: 0.2, ReturnedFeedback: 0.5,
		VerificationFailure: 3, Extension: 0.5, EarlyBonus: 1, EarlyBonusCap: 5, Excellent: 90, Pass: 76}
}

// Grade names the score's grade: excellent (优秀), pass (合格), fail (不合格).
func (r Rules) Grade(score float64) string {
	switch {
	case score >= r.Excellent:
		return "excellent"
	case score >= r.Pass:
		return "pass"
	}
	return "fail"
}

func (r Rules) check() error {
	var errs []problem.FieldError
	field := func(name string, v, lo, hi float64) {
		if math.IsNaN(v) || v < lo || v > hi {
			errs = append(errs, problem.FieldError{Field: name, Rule: "range",
				Message: "must be between " + strconv.FormatFloat(lo, 'f', -1, 64) + " and " + strconv.FormatFloat(hi, 'f', -1, 64)})
		}
	}
	field("base", r.Base, 1, 1000)
	for name, v := range map[string]float64{"overdue_item": r.OverdueItem, "overdue_day": r.OverdueDay, "overdue_day_cap": r.OverdueDayCap,
		"urge": r.Urge, "auto_urge": r.AutoUrge, "returned_feedback": r.ReturnedFeedback, "verification_failure": r.VerificationFailure,
		"extension": r.Extension, "early_bonus": r.EarlyBonus, "early_bonus_cap": r.EarlyBonusCap} {
		field(name, v, 0, 100)
	}
	field("excellent", r.Excellent, 0, r.Base+r.EarlyBonusCap)
	field("pass", r.Pass, 0, r.Base+r.EarlyBonusCap)
	if r.Pass > r.Excellent {
		errs = append(errs, problem.FieldError{Field: "pass", Rule: "order", Message: "must not be above excellent"})
	}
	slices.SortFunc(errs, func(a, b problem.FieldError) int {
		if a.Field < b.Field {
			return -1
		}
		return 1
	})
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// AuditRulesUpdated is the audit-log action of a change of the rules.
const AuditRulesUpdated = "settings.assessment.updated"

func key(scope uuid.UUID) string { return "assessment:" + scope.String() }

// RulesStore reads and writes the rules of each scope (app_settings, one row per
// scope, the JSON carrying its version).
type RulesStore struct {
	db    *database.DB
	audit *audit.Log
	now   func() time.Time
}

// Get returns the rules of the scope (the defaults when never set) and the stored
// text ("" when never set).
func (s *RulesStore) Get(ctx context.Context, scope uuid.UUID) (Rules, string, error) {
	text, _, err := appsettings.Read(ctx, s.db, key(scope))
	if err != nil {
		return Rules{}, "", fmt.Errorf("read assessment rules: %w", err)
	}
	r := Defaults()
	if text == "" {
		return r, "", nil
	}
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return Rules{}, "", fmt.Errorf("decode assessment rules: %w", err)
	}
	return r, text, nil
}

// mayEdit: the scope's supervision office and administrators.
func mayEdit(p *access.Principal) bool {
	return p != nil && p.CanWrite() && p.HasAny(access.RoleSupervisor, access.RoleAdmin)
}

// Put replaces the rules of p's scope. ifMatch, when given, must name the current
// version (412).
func (s *RulesStore) Put(ctx context.Context, p *access.Principal, in Rules, ifMatch etag.Precondition) (Rules, error) {
	if !mayEdit(p) {
		return Rules{}, problem.Forbidden("only the supervision office or an administrator sets the assessment rules")
	}
	if err := in.check(); err != nil {
		return Rules{}, err
	}
	var out Rules
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, text, err := s.Get(ctx, p.ScopeID)
		if err != nil {
			return err
		}
		if err := ifMatch.Check(cur.Version); err != nil {
			return err
		}
		next := in
		next.Version = cur.Version + 1
		next.UpdatedBy = &p.UserID
		at := s.now()
		next.UpdatedAt = &at
		b, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := appsettings.Swap(ctx, s.db, key(p.ScopeID), text, string(b), at); errors.Is(err, appsettings.ErrChanged) {
			return problem.PreconditionFailed("the rules have changed; reload them")
		} else if err != nil {
			return fmt.Errorf("save assessment rules: %w", err)
		}
		out = next
		return s.audit.Record(ctx, &p.UserID, AuditRulesUpdated, "settings", key(p.ScopeID), map[string]any{"version": next.Version})
	})
	return out, err
}
