package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/appsettings"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// Rule is one kind of reminder as a scope sets it.
type Rule struct {
	Enabled bool `json:"enabled" example:"true"`
	// DaysBefore (deadline_approaching, feedback_due): remind this many working
	// days before the date, once each (0: on the day itself; feedback_due only).
	DaysBefore []int `json:"days_before,omitempty" example:"3,1"`
	// AfterWorkdays (assignment_not_accepted, extension_waiting,
	// completion_waiting: remind once the thing has waited this many working
	// days, then every working day; escalation: once, when the item has been
	// overdue more than this many working days).
	AfterWorkdays int `json:"after_workdays,omitempty" example:"2"`
} // @name ReminderRule

// Settings are the reminder rules of one supervision scope.
type Settings struct {
	ScopeID               uuid.UUID `json:"scope_id" swaggertype:"string" format:"uuid"`
	DeadlineApproaching   Rule      `json:"deadline_approaching"`
	Overdue               Rule      `json:"overdue"`
	FeedbackDue           Rule      `json:"feedback_due"`
	FeedbackOverdue       Rule      `json:"feedback_overdue"`
	AssignmentNotAccepted Rule      `json:"assignment_not_accepted"`
	ExtensionWaiting      Rule      `json:"extension_waiting"`
	CompletionWaiting     Rule      `json:"completion_waiting"`
	Escalation            Rule      `json:"escalation"`
	// Version counts changes (0: the defaults, never changed); the ETag carries it.
	Version   int        `json:"version" example:"1"`
	UpdatedBy *uuid.UUID `json:"updated_by" swaggertype:"string" format:"uuid"`
	UpdatedAt *time.Time `json:"updated_at"`
} // @name ReminderSettings

// Defaults are the rules before a scope sets its own (issue 12): 3 and 1 working
// days before the deadline; every working day while overdue; feedback on its due
// day and every working day it is late; an assignment not accepted after 2
// working days; a request undecided after 3; escalation after 5 overdue.
func Defaults(scope uuid.UUID) Settings {
	return Settings{ScopeID: scope,
		DeadlineApproaching:   Rule{Enabled: true, DaysBefore: []int{3, 1}},
		Overdue:               Rule{Enabled: true},
		FeedbackDue:           Rule{Enabled: true, DaysBefore: []int{0}},
		FeedbackOverdue:       Rule{Enabled: true},
		AssignmentNotAccepted: Rule{Enabled: true, AfterWorkdays: 2},
		ExtensionWaiting:      Rule{Enabled: true, AfterWorkdays: 3},
		CompletionWaiting:     Rule{Enabled: true, AfterWorkdays: 3},
		Escalation:            Rule{Enabled: true, AfterWorkdays: 5},
	}
}

// Rule returns the settings' rule of kind k.
func (s *Settings) Rule(k Kind) Rule {
	switch k {
	case KindDeadlineApproaching:
		return s.DeadlineApproaching
	case KindOverdue:
		return s.Overdue
	case KindFeedbackDue:
		return s.FeedbackDue
	case KindFeedbackOverdue:
		return s.FeedbackOverdue
	case KindAssignmentNotAccepted:
		return s.AssignmentNotAccepted
	case KindExtensionWaiting:
		return s.ExtensionWaiting
	case KindCompletionWaiting:
		return s.CompletionWaiting
	case KindEscalation:
		return s.Escalation
	}
	return Rule{}
}

// Bounds of the rules.
const (
	MaxDaysBefore    = 30
	MaxDaysBeforeLen = 5
	MaxAfterWorkdays = 60
)

// check validates every rule: each kind takes only its own parameter.
func (s *Settings) check() error {
	var errs []problem.FieldError
	bad := func(field, rule, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Rule: rule, Message: msg})
	}
	for _, k := range Kinds {
		r, name := s.Rule(k), string(k)
		switch k.param() {
		case paramDaysBefore:
			lo := 1
			if k == KindFeedbackDue {
				lo = 0
			}
			if r.AfterWorkdays != 0 {
				bad(name+".after_workdays", "absent", "does not apply to this kind")
			}
			if r.Enabled && len(r.DaysBefore) == 0 {
				bad(name+".days_before", "required", "name at least one day")
			}
			if len(r.DaysBefore) > MaxDaysBeforeLen {
				bad(name+".days_before", "max", "at most "+strconv.Itoa(MaxDaysBeforeLen)+" days")
			}
			seen := map[int]bool{}
			for _, d := range r.DaysBefore {
				if d < lo || d > MaxDaysBefore {
					bad(name+".days_before", "range", "each must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(MaxDaysBefore))
					break
				}
				if seen[d] {
					bad(name+".days_before", "unique", "names a day twice")
					break
				}
				seen[d] = true
			}
		case paramAfter:
			if len(r.DaysBefore) != 0 {
				bad(name+".days_before", "absent", "does not apply to this kind")
			}
			if (r.Enabled || r.AfterWorkdays != 0) && (r.AfterWorkdays < 1 || r.AfterWorkdays > MaxAfterWorkdays) {
				bad(name+".after_workdays", "range", "must be between 1 and "+strconv.Itoa(MaxAfterWorkdays))
			}
		default:
			if len(r.DaysBefore) != 0 {
				bad(name+".days_before", "absent", "does not apply to this kind")
			}
			if r.AfterWorkdays != 0 {
				bad(name+".after_workdays", "absent", "does not apply to this kind")
			}
		}
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// normalize sorts the days (latest first) so that equal settings read equal.
func (s *Settings) normalize() {
	for _, r := range []*Rule{&s.DeadlineApproaching, &s.FeedbackDue} {
		r.DaysBefore = slices.Clone(r.DaysBefore)
		slices.SortFunc(r.DaysBefore, func(a, b int) int { return b - a })
	}
}

// AuditUpdated is the audit-log action of a change of a scope's reminder rules.
const AuditUpdated = "settings.reminders.updated"

// keyPrefix keys a scope's rules in app_settings ("reminders:<scope id>").
const keyPrefix = "reminders:"

func key(scope uuid.UUID) string { return keyPrefix + scope.String() }

// Get returns the rules of scope (the defaults when never set) and the stored
// text ("" when never set).
func (s *Service) Get(ctx context.Context, scope uuid.UUID) (Settings, string, error) {
	text, _, err := appsettings.Read(ctx, s.db, key(scope))
	if err != nil {
		return Settings{}, "", fmt.Errorf("read reminder settings: %w", err)
	}
	if text == "" {
		return Defaults(scope), "", nil
	}
	st, err := decode(scope, text)
	return st, text, err
}

func decode(scope uuid.UUID, text string) (Settings, error) {
	st := Defaults(scope)
	if err := json.Unmarshal([]byte(text), &st); err != nil {
		return Settings{}, fmt.Errorf("decode reminder settings: %w", err)
	}
	st.ScopeID = scope
	return st, nil
}

// custom returns the rules of every scope that set its own (the sweep reads
// them once).
func (s *Service) custom(ctx context.Context) (map[uuid.UUID]Settings, error) {
	rows, err := appsettings.List(ctx, s.db, keyPrefix)
	if err != nil {
		return nil, fmt.Errorf("read reminder settings: %w", err)
	}
	out := make(map[uuid.UUID]Settings, len(rows))
	for _, r := range rows {
		scope, err := uuid.Parse(strings.TrimPrefix(r.Key, keyPrefix))
		if err != nil {
			continue
		}
		st, err := decode(scope, r.Value)
		if err != nil {
			return nil, err
		}
		out[scope] = st
	}
	return out, nil
}

// MayRead: the supervision office, administrators and auditors read the rules
// of their scope.
func MayRead(p *access.Principal) bool {
	return p != nil && p.HasAny(access.RoleSupervisor, access.RoleAdmin, access.RoleAuditor)
}

// MayEdit: the supervision office of the scope and administrators change them.
func MayEdit(p *access.Principal) bool {
	return p != nil && p.CanWrite() && p.HasAny(access.RoleSupervisor, access.RoleAdmin)
}

// Read returns the rules of p's scope.
func (s *Service) Read(ctx context.Context, p *access.Principal) (Settings, error) {
	if !MayRead(p) {
		return Settings{}, problem.Forbidden("only the supervision office or an administrator reads the reminder rules")
	}
	st, _, err := s.Get(ctx, p.ScopeID)
	return st, err
}

// Put replaces the rules of p's scope. ifMatch must name the current version:
// 428 without it, 412 when another change came first.
func (s *Service) Put(ctx context.Context, p *access.Principal, in Settings, ifMatch etag.Precondition) (Settings, error) {
	if !MayEdit(p) {
		return Settings{}, problem.Forbidden("only the supervision office or an administrator sets the reminder rules")
	}
	if ifMatch == nil {
		return Settings{}, problem.PreconditionRequired("send If-Match with the ETag of the reminder rules you read")
	}
	in.normalize()
	if err := in.check(); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, text, err := s.Get(ctx, p.ScopeID)
		if err != nil {
			return err
		}
		if err := ifMatch.Check(cur.Version); err != nil {
			return err
		}
		next := in
		next.ScopeID, next.Version, next.UpdatedBy = p.ScopeID, cur.Version+1, &p.UserID
		at := s.clock.Now()
		next.UpdatedAt = &at
		b, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := appsettings.Swap(ctx, s.db, key(p.ScopeID), text, string(b), at); errors.Is(err, appsettings.ErrChanged) {
			return problem.PreconditionFailed("the reminder rules have changed; reload them")
		} else if err != nil {
			return fmt.Errorf("save reminder settings: %w", err)
		}
		out = next
		if s.audit == nil {
			return nil
		}
		return s.audit.Record(ctx, &p.UserID, AuditUpdated, "settings", key(p.ScopeID), map[string]any{"version": next.Version})
	})
	return out, err
}
