// Package delegation is 代理: a leader or a unit head hands their decisions to a
// named deputy for a period. While it runs, the deputy acts as the principal
// wherever the principal's leader role or head posts decide (the checks go through
// access.Principal.ActsAsLeader and HeadOf, filled per request by
// access.ApplyDeputyships), sees those decisions in /me/todo, and the timeline
// names both. A delegation ends by itself at ends_at (the app clock; nothing has
// to run), or earlier when ended by the principal, the deputy or an admin, or
// when one of the two leaves (package handover).
package delegation

import (
	"time"

	"github.com/google/uuid"
)

// Delegation is a row of the delegations table (migration 0090).
type Delegation struct {
	ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
	PrincipalID uuid.UUID  `gorm:"type:uuid"`
	DeputyID    uuid.UUID  `gorm:"type:uuid"`
	StartsAt    time.Time  ``
	EndsAt      time.Time  ``
	EndedAt     *time.Time ``
	EndedBy     *uuid.UUID `gorm:"type:uuid"`
	Reason      string
	CreatedBy   uuid.UUID `gorm:"type:uuid"`
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName pins the table.
func (Delegation) TableName() string { return "delegations" }

// Status of a delegation at a time.
const (
	StatusScheduled = "scheduled"
	StatusActive    = "active"
	StatusExpired   = "expired"
	StatusEnded     = "ended"
)

// StatusAt tells where the delegation stands at now.
func (d *Delegation) StatusAt(now time.Time) string {
	switch {
	case d.EndedAt != nil:
		return StatusEnded
	case now.Before(d.StartsAt):
		return StatusScheduled
	case now.Before(d.EndsAt):
		return StatusActive
	}
	return StatusExpired
}

// Audit actions (the user. prefix drops the cached principals of every process).
const (
	AuditCreated = "user.delegation_created"
	AuditEnded   = "user.delegation_ended"
)

// Problem codes.
const (
	CodeNothingToDelegate = "nothing_to_delegate"
	CodeOverlaps          = "delegation_overlaps"
	CodeNotRunning        = "delegation_over"
)

// MaxPeriod bounds one delegation: a longer absence is a handover, not 代理.
const MaxPeriod = 366 * 24 * time.Hour

// Person names someone in answers.
type Person struct {
	ID          uuid.UUID `json:"id" format:"uuid"`
	DisplayName string    `json:"display_name" example:"张伟"`
} // @name DelegationPerson

// View is a delegation as the API shows it.
type View struct {
	ID        uuid.UUID  `json:"id" format:"uuid"`
	Principal Person     `json:"principal"`
	Deputy    Person     `json:"deputy"`
	StartsAt  time.Time  `json:"starts_at"`
	EndsAt    time.Time  `json:"ends_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	EndedBy   *uuid.UUID `json:"ended_by,omitempty" format:"uuid"`
	Reason    string     `json:"reason"`
	// Status: scheduled, active, expired (by the clock) or ended (early).
	Status string `json:"status" enums:"scheduled,active,expired,ended"`
	// Powers are what the deputy may do: leader (the principal's decisions as
	// supervising leader) and head (of the units the principal heads).
	Powers         []string  `json:"powers" enums:"leader,head"`
	AllowedActions []string  `json:"allowed_actions" enums:"end"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
} // @name Delegation

// CreateRequest is the body of POST /me/delegations.
type CreateRequest struct {
	DeputyID string `json:"deputy_id" validate:"required,uuid" format:"uuid"`
	// StartsAt defaults to now.
	StartsAt *time.Time `json:"starts_at,omitempty"`
	EndsAt   time.Time  `json:"ends_at" validate:"required"`
	Reason   string     `json:"reason,omitempty" validate:"max=500" example:"出差期间由副总代为审批"`
} // @name CreateDelegationRequest

// ListResponse is the answer of the lists.
type ListResponse struct {
	// Given are the delegations the user made (as principal), Received those
	// naming them deputy; newest first.
	Given    []View `json:"given"`
	Received []View `json:"received"`
} // @name DelegationList
