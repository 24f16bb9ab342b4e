// Package warnings holds the thresholds of the derived warning lights (预警, 三色督办),
// which an administrator may change at run time: how many working days before a
// deadline or a milestone the light turns blue, and how many working days a
// feedback may be late before it counts as missed.
//
// The settings live in app_settings (migration 0001) under the key "warnings" as a
// JSON object carrying its own version, so that a PUT with a stale If-Match answers
// 412. Service.Get is cached in the process: a PUT through this process refreshes
// the cache at once; other processes on the same database re-read the row within
// RefreshInterval.
//
// The items package derives the lights with these thresholds (items.WarningSource);
// clearing a light (摘牌) is the items package's POST /items/{id}/clear-warning.
package warnings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/appsettings"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// Key is the app_settings key of the warning settings.
const Key = "warnings"

// Defaults (DESIGN.md: blue from 3 working days before the deadline or a milestone).
const (
	DefaultBlueWorkdays          = 3
	DefaultFeedbackGraceWorkdays = 0
)

// Bounds of the settings.
const (
	MinBlueWorkdays  = 1
	MaxBlueWorkdays  = 30
	MaxGraceWorkdays = 30
)

// RefreshInterval is how long the cached settings are used before they are read
// again (another process may have changed them).
const RefreshInterval = 30 * time.Second

// AuditUpdated is the audit-log action of a change.
const AuditUpdated = "settings.warnings.updated"

// Settings are the warning thresholds.
type Settings struct {
	// BlueWorkdays: the light turns blue this many working days before the
	// deadline or a milestone not done.
	BlueWorkdays int `json:"blue_workdays"`
	// FeedbackGraceWorkdays: working days a feedback may be late before it counts
	// as missed (yellow light).
	FeedbackGraceWorkdays int `json:"feedback_grace_workdays"`
	// Version counts changes; 0 means the defaults were never changed.
	Version   int        `json:"version"`
	UpdatedBy *uuid.UUID `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"-"`
}

// Defaults are the settings before an administrator changes them.
func Defaults() Settings {
	return Settings{BlueWorkdays: DefaultBlueWorkdays, FeedbackGraceWorkdays: DefaultFeedbackGraceWorkdays}
}

// Input is a change of the settings; nil leaves a value as it is.
type Input struct {
	BlueWorkdays          *int
	FeedbackGraceWorkdays *int
}

// Service reads and changes the settings.
type Service struct {
	db    *database.DB
	audit *audit.Log
	// refresh is RefreshInterval; tests shorten it.
	refresh time.Duration

	mu     sync.Mutex
	cached *Settings
	loaded time.Time
	gen    uint64
}

// NewService returns the settings service.
func NewService(db *database.DB, log *audit.Log) *Service {
	return &Service{db: db, audit: log, refresh: RefreshInterval}
}

// Get returns the current settings (cached). When the database cannot be read but
// settings were read before, those are returned.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	s.mu.Lock()
	c, loaded, gen := s.cached, s.loaded, s.gen
	s.mu.Unlock()
	if c != nil && time.Since(loaded) < s.refresh {
		return *c, nil
	}
	st, _, err := s.read(ctx)
	if err != nil {
		if c != nil {
			return *c, nil
		}
		return Settings{}, err
	}
	s.mu.Lock()
	if s.gen == gen {
		s.cached, s.loaded = &st, time.Now()
	}
	s.mu.Unlock()
	return st, nil
}

// BlueWorkdays answers items.WarningSource.
func (s *Service) BlueWorkdays(ctx context.Context) (int, error) {
	st, err := s.Get(ctx)
	if err != nil {
		return 0, err
	}
	return st.BlueWorkdays, nil
}

// FeedbackGraceWorkdays answers items.GraceSource.
func (s *Service) FeedbackGraceWorkdays(ctx context.Context) (int, error) {
	st, err := s.Get(ctx)
	if err != nil {
		return 0, err
	}
	return st.FeedbackGraceWorkdays, nil
}

// read loads the settings from the database, with the stored text (empty when the
// row is absent).
func (s *Service) read(ctx context.Context) (Settings, string, error) {
	text, updated, err := appsettings.Read(ctx, s.db, Key)
	if err != nil {
		return Settings{}, "", fmt.Errorf("read warning settings: %w", err)
	}
	if text == "" {
		return Defaults(), "", nil
	}
	st := Defaults()
	if err := json.Unmarshal([]byte(text), &st); err != nil {
		return Settings{}, "", fmt.Errorf("decode warning settings: %w", err)
	}
	at := updated.UTC()
	st.UpdatedAt = &at
	return st, text, nil
}

// Update changes the settings: administrators only (403). ifMatch, when given, is the
// version the client read (412 when another change came first). Out-of-range values
// answer 422.
func (s *Service) Update(ctx context.Context, p *access.Principal, in Input, ifMatch etag.Precondition) (Settings, error) {
	if p == nil {
		return Settings{}, problem.Unauthorized("sign in first")
	}
	if !p.Has(access.RoleAdmin) || !p.CanWrite() {
		return Settings{}, problem.Forbidden("only an administrator may change the warning settings")
	}
	var errs []problem.FieldError
	if v := in.BlueWorkdays; v != nil && (*v < MinBlueWorkdays || *v > MaxBlueWorkdays) {
		errs = append(errs, problem.FieldError{Field: "blue_workdays", Rule: "range",
			Message: "must be between " + strconv.Itoa(MinBlueWorkdays) + " and " + strconv.Itoa(MaxBlueWorkdays)})
	}
	if v := in.FeedbackGraceWorkdays; v != nil && (*v < 0 || *v > MaxGraceWorkdays) {
		errs = append(errs, problem.FieldError{Field: "feedback_grace_workdays", Rule: "range",
			Message: "must be between 0 and " + strconv.Itoa(MaxGraceWorkdays)})
	}
	if len(errs) > 0 {
		return Settings{}, problem.Invalid(errs...)
	}
	var out Settings
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, text, err := s.read(ctx)
		if err != nil {
			return err
		}
		if ifMatch != nil && !slices.Contains(ifMatch, cur.Version) {
			return stale(cur.Version)
		}
		next := cur
		if in.BlueWorkdays != nil {
			next.BlueWorkdays = *in.BlueWorkdays
		}
		if in.FeedbackGraceWorkdays != nil {
			next.FeedbackGraceWorkdays = *in.FeedbackGraceWorkdays
		}
		next.Version = cur.Version + 1
		next.UpdatedBy = &p.UserID
		at := time.Now().UTC().Truncate(time.Microsecond)
		next.UpdatedAt = &at
		b, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := appsettings.Swap(ctx, s.db, Key, text, string(b), at); errors.Is(err, appsettings.ErrChanged) {
			return stale(cur.Version + 1)
		} else if err != nil {
			return fmt.Errorf("save warning settings: %w", err)
		}
		details := map[string]any{"version": next.Version,
			"blue_workdays":           map[string]int{"from": cur.BlueWorkdays, "to": next.BlueWorkdays},
			"feedback_grace_workdays": map[string]int{"from": cur.FeedbackGraceWorkdays, "to": next.FeedbackGraceWorkdays}}
		if err := s.audit.Record(ctx, &p.UserID, AuditUpdated, "settings", Key, details); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return Settings{}, err
	}
	s.mu.Lock()
	s.cached, s.loaded, s.gen = &out, time.Now(), s.gen+1
	s.mu.Unlock()
	return out, nil
}

func stale(current int) error {
	return problem.PreconditionFailed("the warning settings have changed (version "+strconv.Itoa(current)+"); reload them and retry").
		With("version", current)
}
