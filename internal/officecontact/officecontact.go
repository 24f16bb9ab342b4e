// Package officecontact holds the supervision office's contact (phone and
// person) of each supervision scope, which the task notice prints and an overdue
// item's extension tab points to (issue 11, point 16).
package officecontact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/appsettings"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// Contact is the supervision office's contact of one scope.
type Contact struct {
	ScopeID uuid.UUID `json:"scope_id" swaggertype:"string" format:"uuid"`
	// Phone is the office's contact phone ("" until set).
	Phone string `json:"phone" example:"0571-87001234"`
	// Person is the contact person ("" when not named).
	Person string `json:"person" example:"王敏"`
	// Version counts changes (0: never set); the ETag carries it.
	Version   int        `json:"version" example:"1"`
	UpdatedBy *uuid.UUID `json:"updated_by" swaggertype:"string" format:"uuid"`
	UpdatedAt *time.Time `json:"updated_at"`
} // @name OfficeContact

// MaxLen bounds the phone and the person, in characters.
const MaxLen = 40

// AuditUpdated is the audit-log action of a change of a scope's office contact.
const AuditUpdated = "settings.office_contact.updated"

const keyPrefix = "office_contact:"

func key(scope uuid.UUID) string { return keyPrefix + scope.String() }

// Service reads and changes the office contacts.
type Service struct {
	db    *database.DB
	audit *audit.Log
	clock clock.Clock
}

// New returns the service; audit may be nil (tests).
func New(db *database.DB, log *audit.Log, c clock.Clock) *Service {
	return &Service{db: db, audit: log, clock: clock.Or(c)}
}

// Get returns the contact of scope (empty when never set) and the stored text
// ("" when never set).
func (s *Service) Get(ctx context.Context, scope uuid.UUID) (Contact, string, error) {
	text, _, err := appsettings.Read(ctx, s.db, key(scope))
	if err != nil {
		return Contact{}, "", fmt.Errorf("read office contact: %w", err)
	}
	if text == "" {
		return Contact{ScopeID: scope}, "", nil
	}
	var c Contact
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return Contact{}, "", fmt.Errorf("decode office contact: %w", err)
	}
	c.ScopeID = scope
	return c, text, nil
}

// MayEdit: the supervision office of the scope and administrators change it.
func MayEdit(p *access.Principal) bool {
	return p != nil && p.CanWrite() && p.HasAny(access.RoleSupervisor, access.RoleAdmin)
}

// check trims and validates the phone and the person.
func check(in *Contact) error {
	in.Phone, in.Person = strings.TrimSpace(in.Phone), strings.TrimSpace(in.Person)
	var errs []problem.FieldError
	for _, f := range []struct{ name, v string }{{"phone", in.Phone}, {"person", in.Person}} {
		if utf8.RuneCountInString(f.v) > MaxLen {
			errs = append(errs, problem.FieldError{Field: f.name, Rule: "max", Message: "at most 40 characters"})
		} else if strings.IndexFunc(f.v, unicode.IsControl) >= 0 {
			errs = append(errs, problem.FieldError{Field: f.name, Rule: "format", Message: "must not contain control characters"})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// Put replaces the contact of p's scope. ifMatch must name the current version:
// 428 without it, 412 when another change came first.
func (s *Service) Put(ctx context.Context, p *access.Principal, in Contact, ifMatch etag.Precondition) (Contact, error) {
	if !MayEdit(p) {
		return Contact{}, problem.Forbidden("only the supervision office or an administrator sets the office contact")
	}
	if ifMatch == nil {
		return Contact{}, problem.PreconditionRequired("send If-Match with the ETag of the office contact you read")
	}
	if err := check(&in); err != nil {
		return Contact{}, err
	}
	var out Contact
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, text, err := s.Get(ctx, p.ScopeID)
		if err != nil {
			return err
		}
		if err := ifMatch.Check(cur.Version); err != nil {
			return err
		}
		at := s.clock.Now()
		next := Contact{ScopeID: p.ScopeID, Phone: in.Phone, Person: in.Person, Version: cur.Version + 1,
			UpdatedBy: &p.UserID, UpdatedAt: &at}
		b, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := appsettings.Swap(ctx, s.db, key(p.ScopeID), text, string(b), at); errors.Is(err, appsettings.ErrChanged) {
			return problem.PreconditionFailed("the office contact has changed; reload it")
		} else if err != nil {
			return fmt.Errorf("save office contact: %w", err)
		}
		out = next
		if s.audit == nil {
			return nil
		}
		return s.audit.Record(ctx, &p.UserID, AuditUpdated, "settings", key(p.ScopeID), map[string]any{"version": next.Version})
	})
	return out, err
}
