// Package calfeed is the deadline feed: GET /me/calendar.ics?token=… gives the
// deadlines and milestones of the caller's open items as an iCalendar document
// that Outlook, WeCom and phone calendars subscribe to. Calendar clients cannot
// send an Authorization header, so the feed has a secret of its own in its URL:
// read-only, good for nothing else, stored as a SHA-256 hash, one per user; a
// new one (POST /me/calendar-token) revokes the old, DELETE revokes it.
package calfeed

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// Token is a row of calendar_tokens.
type Token struct {
	UserID     uuid.UUID `gorm:"type:uuid;primaryKey"`
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// TableName pins the table.
func (Token) TableName() string { return "calendar_tokens" }

// TokenPrefix starts every feed token (recognisable in a leaked URL).
const TokenPrefix = "dcal_"

// MaxItems bounds one feed.
const MaxItems = 2000

// Service answers the feed.
type Service struct {
	db    *database.DB
	clock clock.Clock
	loc   *time.Location
	// PublicURL is the web app's address (links in the events; empty: none).
	PublicURL string
}

// NewService returns the feed service.
func NewService(db *database.DB, c clock.Clock, loc *time.Location, publicURL string) *Service {
	return &Service{db: db, clock: clock.Or(c), loc: loc, PublicURL: strings.TrimRight(publicURL, "/")}
}

func hash(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// NewToken makes the caller a new feed token, revoking the one they had; the
// token is shown once.
func (s *Service) NewToken(ctx context.Context, p *access.Principal) (string, time.Time, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, err
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	now := s.clock.Now().UTC()
	row := Token{UserID: p.UserID, TokenHash: hash(token), CreatedAt: now}
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_hash", "created_at", "last_used_at"})}).Create(&row).Error
	if err != nil {
		return "", time.Time{}, fmt.Errorf("store calendar token: %w", err)
	}
	return token, now, nil
}

// Revoke removes the caller's feed token (none: nothing happens).
func (s *Service) Revoke(ctx context.Context, p *access.Principal) error {
	return s.db.Conn(ctx).Where("user_id = ?", p.UserID).Delete(&Token{}).Error
}

// Status returns the caller's token row (nil: none).
func (s *Service) Status(ctx context.Context, p *access.Principal) (*Token, error) {
	var rows []Token
	if err := s.db.Conn(ctx).Where("user_id = ?", p.UserID).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

var errBadToken = problem.Unauthorized("the calendar link is invalid or was replaced by a new one")

// Feed returns the calendar of the token's user.
func (s *Service) Feed(ctx context.Context, token string) ([]byte, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 200 {
		return nil, errBadToken
	}
	var rows []Token
	if err := s.db.Conn(ctx).Where("token_hash = ?", hash(token)).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read calendar token: %w", err)
	}
	if len(rows) == 0 {
		return nil, errBadToken
	}
	p, err := users.LoadPrincipal(ctx, s.db, rows[0].UserID)
	if errors.Is(err, users.ErrNoUser) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if used := rows[0].LastUsedAt; used == nil || now.Sub(*used) > time.Hour {
		// Shown to the user ("last fetched"); at most once an hour, as a feed is
		// fetched often.
		_ = s.db.Conn(ctx).Model(&Token{}).Where("user_id = ?", p.UserID).Update("last_used_at", now.UTC()).Error
	}
	its, ms, err := s.mine(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.render(p, its, ms, now), nil
}

// item is what the feed shows of an item.
type item struct {
	ID        uuid.UUID `gorm:"type:uuid"`
	Code      *string
	Title     string
	State     string
	Urgency   string
	Deadline  civil.Date
	UpdatedAt time.Time
}

type milestone struct {
	ID        uuid.UUID `gorm:"type:uuid"`
	ItemID    uuid.UUID `gorm:"type:uuid"`
	Title     string
	DueDate   civil.Date
	UpdatedAt time.Time
}

// openStates are the states whose deadlines still matter.
var openStates = []string{string(items.StateApproved), string(items.StateIssued), string(items.StateInProgress),
	string(items.StateSuspended), string(items.StateCompletionRequested)}

// mine are the open items p sees and takes part in — initiated, supervised or
// assisted, led, cooperated on or assigned to one of their units, named
// responsible; for the supervision office every item of its scope — with their
// milestones not done.
func (s *Service) mine(ctx context.Context, p *access.Principal) ([]item, []milestone, error) {
	vis, visArgs := items.VisibleSQL(p)
	units := items.MyUnits(p)
	part := `(items.initiator_user_id = ? OR items.supervising_leader_id = ?
		OR items.id IN (SELECT al.item_id FROM item_assisting_leaders al WHERE al.user_id = ?)
		OR items.lead_unit_id IN ?
		OR items.id IN (SELECT cu.item_id FROM item_cooperating_units cu WHERE cu.unit_id IN ?)
		OR items.id IN (SELECT a.item_id FROM item_assignments a WHERE (a.unit_id IN ? AND a.state <> ?) OR a.responsible_user_id = ?)`
	args := []any{p.UserID, p.UserID, p.UserID, units, units, units, items.AssignmentReturned, p.UserID}
	if p.Has(access.RoleSupervisor) {
		part += ` OR items.scope_id = ?`
		args = append(args, p.ScopeID)
	}
	part += ")"
	var its []item
	err := s.db.Conn(ctx).Table("items").Select("items.id, items.code, items.title, items.state, items.urgency, items.deadline, items.updated_at").
		Where(vis, visArgs...).Where(part, args...).Where("items.state IN ?", openStates).
		Order("items.deadline, items.id").Limit(MaxItems).Find(&its).Error
	if err != nil {
		return nil, nil, fmt.Errorf("calendar items: %w", err)
	}
	if len(its) == 0 {
		return its, nil, nil
	}
	ids := make([]uuid.UUID, len(its))
	for i := range its {
		ids[i] = its[i].ID
	}
	var ms []milestone
	if err := s.db.Conn(ctx).Table("item_milestones").Select("id, item_id, title, due_date, updated_at").
		Where("item_id IN ? AND done = ?", ids, false).Order("due_date, id").Find(&ms).Error; err != nil {
		return nil, nil, fmt.Errorf("calendar milestones: %w", err)
	}
	return its, ms, nil
}

// render writes the calendar. Deadlines are dates (all-day events, the same day
// wherever the phone is); the company time zone is named and described so that
// clients show the calendar in it. UIDs are the object's id: stable across
// fetches, so a moved deadline moves the event instead of adding one.
func (s *Service) render(p *access.Principal, its []item, ms []milestone, now time.Time) []byte {
	var w writer
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//Duban//Supervision deadlines//ZH")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.text("X-WR-CALNAME", "督办时限 · "+p.DisplayName)
	w.text("X-WR-CALDESC", "督办事项的办结时限与节点（Duban: deadlines and milestones of my items）")
	w.line("X-WR-TIMEZONE:" + s.loc.String())
	w.line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
	w.line("X-PUBLISHED-TTL:PT1H")
	w.vtimezone(s.loc, now)
	titles := map[uuid.UUID]string{}
	for _, it := range its {
		label := it.Title
		if it.Code != nil && *it.Code != "" {
			label = *it.Code + " " + it.Title
		}
		titles[it.ID] = label
		summary := "【办结时限】" + label
		if it.Urgency == "urgent" || it.Urgency == "very_urgent" {
			summary = "【急】" + summary
		}
		desc := "督办事项办结时限：" + it.Deadline.String() + "\nDeadline of the supervision item " + label
		s.event(&w, "item-"+it.ID.String()+"-deadline@duban", it.Deadline, it.UpdatedAt, summary, desc, it.ID)
	}
	for _, m := range ms {
		summary := "【节点】" + m.Title + " · " + titles[m.ItemID]
		desc := "督办事项节点：" + m.Title + "（" + m.DueDate.String() + "）\nMilestone of " + titles[m.ItemID]
		s.event(&w, "milestone-"+m.ID.String()+"@duban", m.DueDate, m.UpdatedAt, summary, desc, m.ItemID)
	}
	w.line("END:VCALENDAR")
	return []byte(w.b.String())
}

func (s *Service) event(w *writer, uid string, day civil.Date, changed time.Time, summary, desc string, item uuid.UUID) {
	w.line("BEGIN:VEVENT")
	w.line("UID:" + uid)
	// DTSTAMP is when the event last changed, not now: an unchanged feed stays
	// byte for byte the same.
	w.line("DTSTAMP:" + utc(changed))
	w.line("LAST-MODIFIED:" + utc(changed))
	w.line("DTSTART;VALUE=DATE:" + compact(day))
	w.line("DTEND;VALUE=DATE:" + compact(day.AddDays(1)))
	w.text("SUMMARY", summary)
	w.text("DESCRIPTION", desc)
	if s.PublicURL != "" {
		w.line("URL:" + s.PublicURL + "/items/" + item.String())
	}
	w.line("TRANSP:TRANSPARENT")
	w.line("BEGIN:VALARM")
	w.line("ACTION:DISPLAY")
	// 09:00 the day before.
	w.line("TRIGGER:-PT15H")
	w.text("DESCRIPTION", summary)
	w.line("END:VALARM")
	w.line("END:VEVENT")
}

func compact(d civil.Date) string { return strings.ReplaceAll(d.String(), "-", "") }
