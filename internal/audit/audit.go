// Package audit records security and administration events (logins, lockouts, token
// and role changes, org and user edits) in the audit_events table, inside the
// caller's transaction so an event exists exactly when its change does.
//
// The timeline of a supervision item is separate (the items package keeps a
// hash-chained event log per item); this log is for the system as a whole.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
)

// Actions recorded here. Keep names stable: auditors filter on them.
const (
	LoginSucceeded    = "auth.login_succeeded"
	LoginFailed       = "auth.login_failed"
	LoginLocked       = "auth.locked_out"
	Logout            = "auth.logout"
	RefreshReused     = "auth.refresh_reused"
	PasswordChanged   = "auth.password_changed"
	TokenCreated      = "auth.token_created"
	TokenRevoked      = "auth.token_revoked"
	UserCreated       = "user.created"
	UserUpdated       = "user.updated"
	UserRolesChanged  = "user.roles_changed"
	UserPasswordReset = "user.password_reset"
	UnitCreated       = "org.unit_created"
	UnitUpdated       = "org.unit_updated"
	UnitDeleted       = "org.unit_deleted"
)

// Event is one row of the audit log.
type Event struct {
	ID         uuid.UUID  `gorm:"type:uuid;primaryKey"`
	At         time.Time  `gorm:"not null"`
	ActorID    *uuid.UUID `gorm:"type:uuid"`
	Action     string
	TargetType string
	TargetID   string
	IP         string
	RequestID  string
	Details    string
	// Seq, PrevHash and Hash chain the log (chain.go).
	Seq      int64
	PrevHash string
	Hash     string
}

// TableName pins the table.
func (Event) TableName() string { return "audit_events" }

// Log writes audit events.
type Log struct {
	db    *database.DB
	clock clock.Clock
	// outbox, when set, receives each record as a domain event (people,
	// organisation, settings and security: events.FromAudit).
	outbox *events.Outbox
	// peopleChanged, when set, runs in the transaction of every change to a
	// user, a unit or a password (the principals cached by internal/auth).
	peopleChanged func(ctx context.Context) error
}

// New returns a log writing to db.
func New(db *database.DB) *Log { return &Log{db: db, clock: clock.Real{}} }

// UseClock stamps the records with c.
func (l *Log) UseClock(c clock.Clock) { l.clock = clock.Or(c) }

// Now is the log's clock: the services that write through it (users, org) stamp
// their rows with it.
func (l *Log) Now() time.Time { return l.clock.Now() }

// OnPeopleChange runs f in the transaction of every recorded change to a user, a
// unit of the organisation or a password.
func (l *Log) OnPeopleChange(f func(ctx context.Context) error) { l.peopleChanged = f }

// UseOutbox makes every record also a domain event in o, in the same transaction.
func (l *Log) UseOutbox(o *events.Outbox) { l.outbox = o }

// Record appends an event in the transaction carried by ctx, if any. details is
// marshalled to JSON; it must never hold a secret.
func (l *Log) Record(ctx context.Context, actor *uuid.UUID, action, targetType, targetID string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	b, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	meta := RequestFrom(ctx)
	ev := Event{
		ID: uuid.Must(uuid.NewV7()), At: l.clock.Now(), ActorID: actor, Action: action,
		TargetType: targetType, TargetID: targetID, IP: meta.IP, RequestID: meta.RequestID, Details: string(b),
	}
	if err := l.append(ctx, &ev); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if l.peopleChanged != nil && (strings.HasPrefix(action, "user.") || strings.HasPrefix(action, "org.") || action == PasswordChanged) {
		if err := l.peopleChanged(ctx); err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
	}
	if l.outbox != nil {
		if de := events.FromAudit(events.Audited{Action: action, TargetType: targetType, TargetID: targetID, Details: details}); de != nil {
			return l.outbox.Emit(ctx, actor, de)
		}
	}
	return nil
}

// Request is what the HTTP layer knows about the request behind an event.
type Request struct {
	IP        string
	RequestID string
	UserAgent string
}

type requestKey struct{}

// WithRequest returns ctx carrying the request's metadata.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request metadata of ctx (zero when absent).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
