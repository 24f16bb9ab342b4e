// Package urges holds urging (催办催报): the supervision office presses a unit
// assigned to an item to act or to report, and the unit's head or a liaison
// acknowledges. Urges are counted per unit and item for assessment.
//
// An urge is manual (sent by the supervision office over HTTP) or auto (sent by a
// reminder job: deadline near, overdue, feedback due). Service.Send is the one
// entry point for both; a job calls it with a nil actor.
//
// Rules are plain Go (permissions.go, service.go); only handlers.go and routes.go
// know HTTP. The urge row and its timeline event commit in one transaction through
// the items package's follow-up door.
package urges

import (
	"time"

	"github.com/google/uuid"
)

// Kind says who sent an urge.
type Kind string

const (
	// KindManual: sent by the supervision office.
	KindManual Kind = "manual"
	// KindAuto: sent by the system (a reminder job).
	KindAuto Kind = "auto"
)

// Valid reports whether k names a kind.
func (k Kind) Valid() bool { return k == KindManual || k == KindAuto }

// Timeline actions appended to the item's events.
const (
	EvUrge         = "urge"
	EvAcknowledged = "urge_acknowledged"
)

// ActAcknowledge is the action offered in allowed_actions.
const ActAcknowledge = "acknowledge"

// MaxMessage is the longest message, in characters.
const MaxMessage = 2000

// Urge is a row of item_urges.
type Urge struct {
	ID      uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID  uuid.UUID `gorm:"type:uuid"`
	UnitID  uuid.UUID `gorm:"type:uuid"`
	Kind    Kind
	Message string
	// CreatedBy is nil for automatic urges.
	CreatedBy      *uuid.UUID `gorm:"type:uuid"`
	CreatedAt      time.Time
	AcknowledgedAt *time.Time
	AcknowledgedBy *uuid.UUID `gorm:"type:uuid"`
	Version        int
	// Reminder is the automatic reminder's kind (internal/reminders) and
	// ReminderDay the day it is for (YYYY-MM-DD); both nil for a manual urge. The
	// unique index on item, unit, reminder and day keeps a reminder to one a day.
	Reminder    *string
	ReminderDay *string
}

// TableName pins the table.
func (Urge) TableName() string { return "item_urges" }

// Acknowledged reports whether the unit has acknowledged the urge.
func (u *Urge) Acknowledged() bool { return u.AcknowledgedAt != nil }

// Count is how often a unit was urged on an item.
type Count struct {
	UnitID         uuid.UUID
	Total          int
	Unacknowledged int
}

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
