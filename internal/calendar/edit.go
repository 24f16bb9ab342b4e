package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// AuditUpdated is the audit action of a replaced calendar year.
const AuditUpdated = "calendar.updated"

// ValidYear reports whether the calendar accepts the year.
func ValidYear(year int) bool { return year >= MinYear && year <= MaxYear }

func errYearNotFound() error { return problem.NotFound("calendar year") }

// Year returns a year's listed days; a year without data has version 0 and no days.
func (s *Service) Year(ctx context.Context, year int) (*Year, error) {
	if !ValidYear(year) {
		return nil, errYearNotFound()
	}
	out := &Year{Year: year, Days: []Day{}}
	var y yearRow
	err := s.db.Conn(ctx).Where("year = ?", year).Take(&y).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return out, nil
	case err != nil:
		return nil, fmt.Errorf("read calendar %d: %w", year, err)
	}
	out.Version, out.Note = y.Version, y.Note
	var rows []dayRow
	if err := s.db.Conn(ctx).Where("year = ?", year).Order("date").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read calendar %d: %w", year, err)
	}
	for _, r := range rows {
		out.Days = append(out.Days, r.day())
	}
	return out, nil
}

// ReplaceYear replaces a year's listed days with in. Only admins may; ifMatch, when
// not nil, is the version the caller last read (If-Match), and a different current
// version answers 412.
func (s *Service) ReplaceYear(ctx context.Context, p *access.Principal, year int, in YearInput, ifMatch etag.Precondition) (*Year, error) {
	if p == nil {
		return nil, problem.Unauthorized("authentication required")
	}
	if !ValidYear(year) {
		return nil, errYearNotFound()
	}
	if !p.Has(access.RoleAdmin) {
		return nil, problem.Forbidden("only an administrator may change the calendar")
	}
	if !p.CanWrite() {
		return nil, problem.Forbidden("this API token may only read")
	}
	if err := validateDays(year, in); err != nil {
		return nil, err
	}
	if in.Version != nil {
		if ifMatch != nil && !slices.Contains(ifMatch, *in.Version) {
			return nil, problem.Field("version", "mismatch", "differs from the If-Match header")
		}
		ifMatch = etag.Precondition{*in.Version}
	}

	now := s.clock.Now()
	var newVersion int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		var cur yearRow
		err := tx.Clauses(lockForUpdate(s.db)...).Where("year = ?", year).Take(&cur).Error
		exists := err == nil
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("read calendar %d: %w", year, err)
		}
		if ifMatch != nil && !slices.Contains(ifMatch, cur.Version) {
			return stale(cur.Version)
		}
		newVersion = cur.Version + 1
		if exists {
			// Compare-and-swap on the version: a concurrent edit that committed first
			// makes this one stale instead of silently overwriting it.
			res := tx.Model(&yearRow{}).Where("year = ? AND version = ?", year, cur.Version).
				Updates(map[string]any{"version": newVersion, "note": in.Note, "updated_by": p.UserID, "updated_at": now})
			if res.Error != nil {
				return fmt.Errorf("update calendar %d: %w", year, res.Error)
			}
			if res.RowsAffected != 1 {
				return stale(-1)
			}
		} else {
			uid := p.UserID
			row := yearRow{Year: year, Version: newVersion, Note: in.Note, UpdatedBy: &uid, UpdatedAt: now}
			if err := tx.Create(&row).Error; err != nil {
				if database.IsUniqueViolation(err) {
					return stale(-1)
				}
				return fmt.Errorf("create calendar %d: %w", year, err)
			}
		}
		if err := tx.Where("year = ?", year).Delete(&dayRow{}).Error; err != nil {
			return fmt.Errorf("clear calendar %d: %w", year, err)
		}
		if len(in.Days) > 0 {
			rows := make([]dayRow, len(in.Days))
			for i, d := range in.Days {
				rows[i] = dayRow{Date: d.Date, Year: year, Kind: string(d.Kind), Name: d.Name}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return fmt.Errorf("write calendar %d: %w", year, err)
			}
		}
		holidays, workdays := 0, 0
		for _, d := range in.Days {
			if d.Kind == KindHoliday {
				holidays++
			} else {
				workdays++
			}
		}
		uid := p.UserID
		return s.audit.Record(ctx, &uid, AuditUpdated, "calendar", strconv.Itoa(year), map[string]any{
			"version": newVersion, "holidays": holidays, "workdays": workdays,
		})
	})
	if err != nil {
		return nil, err
	}
	s.Invalidate()
	return s.Year(ctx, year)
}

// stale is the 412 of an outdated version; current < 0 when it is not known.
func stale(current int) error {
	p := problem.PreconditionFailed("the calendar was changed by someone else; reload it and apply your change again")
	if current >= 0 {
		p.With("current_version", current)
	}
	return p
}

func lockForUpdate(db *database.DB) []clause.Expression {
	if db.Dialect() == database.Postgres {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil // SQLite: write transactions are serialised at BEGIN (_txlock=immediate)
}

// validateDays checks the input (the HTTP layer has checked the struct tags already;
// service callers get the same rules here): dates in the year, no date twice, known
// kinds, adjusted workdays only on weekends.
func validateDays(year int, in YearInput) error {
	var errs []problem.FieldError
	if in.Year != nil && *in.Year != year {
		errs = append(errs, problem.FieldError{Field: "year", Rule: "mismatch",
			Message: fmt.Sprintf("must be %d, the year of the path", year)})
	}
	if in.Days == nil {
		errs = append(errs, problem.FieldError{Field: "days", Rule: "required",
			Message: "is required (send [] for a year without holidays)"})
	}
	seen := map[civil.Date]int{}
	for i, d := range in.Days {
		field := fmt.Sprintf("days[%d]", i)
		if d.Date.IsZero() {
			errs = append(errs, problem.FieldError{Field: field + ".date", Rule: "required", Message: "is required"})
			continue
		}
		if d.Date.Year != year {
			errs = append(errs, problem.FieldError{Field: field + ".date", Rule: "year",
				Message: fmt.Sprintf("%s is not in %d", d.Date, year)})
			continue
		}
		if j, dup := seen[d.Date]; dup {
			errs = append(errs, problem.FieldError{Field: field + ".date", Rule: "unique",
				Message: fmt.Sprintf("%s is listed twice (also days[%d])", d.Date, j)})
			continue
		}
		seen[d.Date] = i
		if d.Kind != KindHoliday && d.Kind != KindWorkday {
			errs = append(errs, problem.FieldError{Field: field + ".kind", Rule: "oneof", Message: "must be one of: holiday, workday"})
		}
		if utf8.RuneCountInString(d.Name) > 50 {
			errs = append(errs, problem.FieldError{Field: field + ".name", Rule: "max", Message: "must be at most 50 characters"})
		}
		if d.Kind == KindWorkday {
			if wd := d.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
				errs = append(errs, problem.FieldError{Field: field + ".kind", Rule: "weekend",
					Message: fmt.Sprintf("%s is a %s and already a working day; only a Saturday or Sunday can be an adjusted workday", d.Date, wd)})
			}
		}
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		errs = append(errs, problem.FieldError{Field: "note", Rule: "max", Message: "must be at most 500 characters"})
	}
	if len(in.Days) > 366 {
		errs = append(errs, problem.FieldError{Field: "days", Rule: "max", Message: "must have at most 366 entries"})
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}
