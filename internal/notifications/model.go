// Package notifications reaches people inside Duban and by e-mail: a subscriber
// of the domain events decides, per event, who is told (the people who must act
// now, by the to-do list's own rules, and the item's followers for outcomes), and
// writes one notification per recipient per event in the dispatch's transaction;
// the recipients read them (GET /notifications), see them arrive live (the
// server-sent event stream, across processes through PostgreSQL's NOTIFY), and
// get them by e-mail from jobs — one message each, or a daily digest — outside
// their quiet hours. Each user chooses per kind of notification which channels
// (settings.go).
package notifications

import (
	"time"

	"github.com/google/uuid"
)

// Notification is a row of notifications: what one user is told about one event.
type Notification struct {
	ID     uuid.UUID `gorm:"type:uuid;primaryKey"`
	UserID uuid.UUID `gorm:"type:uuid"`
	// Seq numbers the user's notifications in commit order (the stream's event
	// id): the user's counter row is locked while it is taken.
	Seq        int64
	EventID    uuid.UUID `gorm:"type:uuid"`
	EventKind  string
	Kind       Kind
	ItemID     *uuid.UUID `gorm:"type:uuid"`
	ObjectType string
	ObjectID   *uuid.UUID `gorm:"type:uuid"`
	// Link is the SPA's path to the object (/items/{id}?tab=feedback).
	Link    string
	ActorID *uuid.UUID `gorm:"type:uuid"`
	TitleZh string
	TitleEn string
	BodyZh  string
	BodyEn  string
	// InApp: listed and streamed (the in-app channel of the kind was on); a row
	// with it off exists only for its e-mail.
	InApp bool
	// EmailState: "" (no e-mail), queued (a job sends it), digest (waits for the
	// user's digest), sent, skipped (the e-mail was turned off or had no address).
	EmailState string
	EmailedAt  *time.Time
	ReadAt     *time.Time
	CreatedAt  time.Time
}

// TableName pins the table.
func (Notification) TableName() string { return "notifications" }

// E-mail states.
const (
	EmailNone    = ""
	EmailQueued  = "queued"
	EmailDigest  = "digest"
	EmailSent    = "sent"
	EmailSkipped = "skipped"
)

// Title is the title in lang (zh-CN or en).
func (n *Notification) Title(lang string) string {
	if lang == LangEn {
		return n.TitleEn
	}
	return n.TitleZh
}

// Body is the body in lang.
func (n *Notification) Body(lang string) string {
	if lang == LangEn {
		return n.BodyEn
	}
	return n.BodyZh
}
