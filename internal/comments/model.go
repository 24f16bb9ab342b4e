// Package comments holds what people write on an item besides reports: leaders'
// instructions (批示), the supervision office's coordination opinions and meeting
// records (协调意见, 协调会记录), and plain comments. They are records: written once,
// never edited or deleted, each also appended (with its text) to the item's
// hash-chained timeline, so an instruction cannot be changed unnoticed.
//
// Rules are plain Go (permissions.go, service.go); only handlers.go and routes.go
// know HTTP.
package comments

import (
	"time"

	"github.com/google/uuid"
)

// Kind of a comment.
type Kind string

const (
	// KindInstruction is a leader's instruction (批示).
	KindInstruction Kind = "instruction"
	// KindComment is a plain comment.
	KindComment Kind = "comment"
	// KindCoordination is the supervision office's coordination opinion or the
	// record of a coordination meeting (协调意见, 协调会记录).
	KindCoordination Kind = "coordination"
)

// Kinds lists every kind.
var Kinds = []Kind{KindInstruction, KindComment, KindCoordination}

// Valid reports whether k names a kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// OwnerType is what the attachments of a comment are claimed as.
const OwnerType = "comment"

// MaxBody is the longest body, in characters.
const MaxBody = 10000

// Comment is a row of item_comments. Its timeline event is named after its kind:
// instruction, comment or coordination.
type Comment struct {
	ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID    uuid.UUID `gorm:"type:uuid"`
	Kind      Kind
	Body      string
	AuthorID  uuid.UUID `gorm:"type:uuid"`
	CreatedAt time.Time
}

// TableName pins the table.
func (Comment) TableName() string { return "item_comments" }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
