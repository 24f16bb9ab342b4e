// Package bulletins holds the periodic supervision bulletins (督查督办通报, §9): a
// draft filled from the statistics for a month, a quarter or a special range, with
// sections of text the supervision office edits; publishing freezes the figures,
// gives the number 督办通报〔2026〕N号 and shows it to every unit of the scope; the
// per-unit table and the item lists go out as an Excel appendix.
package bulletins

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/stats"
)

// Kinds and states.
const (
	KindMonthly   = "monthly"
	KindQuarterly = "quarterly"
	KindSpecial   = "special"

	StateDraft     = "draft"
	StatePublished = "published"
)

// Problem codes. Never rename one.
const (
	CodePublished = "bulletin_published"
)

// Bulletin is a row of bulletins.
type Bulletin struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	ScopeID     uuid.UUID `gorm:"type:uuid"`
	Kind        string
	Period      string
	PeriodFrom  civil.Date
	PeriodTo    civil.Date
	Title       string
	State       string
	Year        *int
	Number      *int
	DocNo       string
	Sections    string
	Data        string
	CreatedBy   uuid.UUID  `gorm:"type:uuid"`
	UpdatedBy   uuid.UUID  `gorm:"type:uuid"`
	PublishedBy *uuid.UUID `gorm:"type:uuid"`
	PublishedAt *time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName pins the table.
func (Bulletin) TableName() string { return "bulletins" }

// Sections are the texts the office writes around the figures.
type Sections struct {
	// Summary (总体情况): the period in a few sentences.
	Summary string `json:"summary"`
	// Highlights (主要成效): what went well.
	Highlights string `json:"highlights"`
	// Problems (存在问题): what did not.
	Problems string `json:"problems"`
	// NextSteps (下步工作): what follows.
	NextSteps string `json:"next_steps"`
} // @name BulletinSections

// ItemLine is an item named in a bulletin.
type ItemLine struct {
	ItemID           uuid.UUID  `json:"item_id" format:"uuid"`
	Code             string     `json:"code"`
	Title            string     `json:"title"`
	LeadUnitID       *uuid.UUID `json:"lead_unit_id" format:"uuid"`
	LeadUnit         string     `json:"lead_unit"`
	Deadline         string     `json:"deadline" format:"date"`
	OriginalDeadline string     `json:"original_deadline" format:"date"`
	Light            string     `json:"light"`
	// DaysOverdue: working days past the deadline (overdue items).
	DaysOverdue int `json:"days_overdue"`
	// Note: the findings of a failed verification.
	Note string `json:"note,omitempty"`
} // @name BulletinItemLine

// UnitNote is a unit commended or criticised, with the reason.
type UnitNote struct {
	UnitID   uuid.UUID `json:"unit_id" format:"uuid"`
	UnitName string    `json:"unit_name"`
	Reason   string    `json:"reason"`
} // @name BulletinUnitNote

// Data are a bulletin's figures and lists: computed when the draft is made (or
// refreshed) and frozen at publication.
type Data struct {
	Period      stats.Period        `json:"period"`
	Today       civil.Date          `json:"today" swaggertype:"string" format:"date"`
	GeneratedAt time.Time           `json:"generated_at"`
	ScopeName   string              `json:"scope_name"`
	Overview    stats.Figures       `json:"overview"`
	BySource    []stats.KeyFigures  `json:"by_source"`
	Units       []stats.UnitFigures `json:"units"`
	// Overdue: open items past their deadline (red lights), longest overdue first.
	Overdue []ItemLine `json:"overdue"`
	// Warnings: yellow lights (a milestone or a feedback missed).
	Warnings []ItemLine `json:"warnings"`
	// VerificationFailures: items whose verification failed in the period (反弹).
	VerificationFailures []ItemLine `json:"verification_failures"`
	// Commended: units that closed items and all on time, with nothing overdue.
	Commended []UnitNote `json:"commended"`
	// Criticised: units with overdue items or urged repeatedly.
	Criticised []UnitNote `json:"criticised"`
} // @name BulletinData
