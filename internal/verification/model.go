// Package verification records result verification (结果核查, §13): after an item is
// closed, the supervision office re-checks it by document review, on site or by a
// return visit "防止弄虚作假或出现反弹". A passed check marks the item verified; a
// failed one reopens it (反弹): back to in_progress, reopened_count+1, flagged, no
// longer verified, closed_at and archived_at cleared — which counts against the
// unit in assessment.
//
// The item's side is the items state machine's verify rows (items.Decide with
// Facts.VerifyFailed) applied through items.Service.Change.
package verification

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
)

// Methods of verification.
const (
	MethodDocumentReview = "document_review"
	MethodOnSite         = "on_site"
	MethodReturnVisit    = "return_visit"
)

// Methods lists the methods.
var Methods = []string{MethodDocumentReview, MethodOnSite, MethodReturnVisit}

// Results of a verification.
const (
	ResultPassed = "passed"
	ResultFailed = "failed"
)

// Results lists the results.
var Results = []string{ResultPassed, ResultFailed}

// OwnerType marks the attachments claimed by a verification (its evidence).
const OwnerType = "verification"

// ActCreate is offered on the list: the caller may record a verification now.
const ActCreate = "create"

// Verification is a row of verifications.
type Verification struct {
	ID          uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID      uuid.UUID `gorm:"type:uuid"`
	Method      string
	Findings    string
	Result      string
	StateBefore string
	VerifiedBy  uuid.UUID `gorm:"type:uuid"`
	CreatedAt   time.Time
}

// TableName pins the table.
func (Verification) TableName() string { return "verifications" }

// Files links uploaded files to their owner; attachments.Service implements it.
type Files interface {
	Claim(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, ownerType string, ownerID uuid.UUID) error
	ListFor(ctx context.Context, ownerType string, ownerIDs []uuid.UUID) ([]attachments.Attachment, error)
}

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
