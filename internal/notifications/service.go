package notifications

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/mailer"
	"github.com/duban/duban/internal/problem"
)

// ActNow answers who must act now on an item: todo.Service.Recipients, the one
// source of those rules.
type ActNow interface {
	Recipients(ctx context.Context, key string, item uuid.UUID, ref *uuid.UUID) ([]uuid.UUID, error)
}

// Mailer sends one e-mail (package mailer).
type Mailer interface {
	Send(ctx context.Context, m mailer.Message) error
}

// Channel is the PostgreSQL notification channel that carries "something
// changed for user X" between processes (payload: the user id).
const Channel = "duban_notifications"

// Job kinds.
const (
	JobEmail  = "notify.email"
	JobDigest = "notify.digest"
)

// Options configure the service.
type Options struct {
	DB     *database.DB
	Clock  clock.Clock
	Loc    *time.Location
	Queue  *jobs.Queue
	ActNow ActNow
	// Mailer is nil when no SMTP server is configured: no e-mail then.
	Mailer Mailer
	// PublicURL is the SPA's address for links in e-mail (may be empty).
	PublicURL string
	Log       *slog.Logger
}

// Service holds the notifications.
type Service struct {
	db        *database.DB
	clock     clock.Clock
	loc       *time.Location
	queue     *jobs.Queue
	actNow    ActNow
	mail      Mailer
	publicURL string
	log       *slog.Logger
	// Streams are the live streams of this process.
	Streams *Broker
	// Heartbeat is the interval of the streams' heartbeat comments (tests
	// shorten it).
	Heartbeat time.Duration
	// told listen to what each event told whom (told.go).
	told []TellFunc
}

// New returns the service.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Loc == nil {
		o.Loc = time.UTC
	}
	return &Service{db: o.DB, clock: clock.Or(o.Clock), loc: o.Loc, queue: o.Queue, actNow: o.ActNow, mail: o.Mailer,
		publicURL: o.PublicURL, log: o.Log.With("component", "notifications"), Streams: NewBroker(),
		Heartbeat: 15 * time.Second}
}

// EmailEnabled reports whether e-mail can be sent at all.
func (s *Service) EmailEnabled() bool { return s.mail != nil }

// signal tells the user's live streams, in every process, that something changed
// — once the transaction of ctx commits.
func (s *Service) signal(ctx context.Context, user uuid.UUID) error {
	if err := s.db.Notify(ctx, Channel, user.String()); err != nil {
		return fmt.Errorf("notify streams: %w", err)
	}
	database.AfterCommit(ctx, func(context.Context) { s.Streams.Wake(user) })
	return nil
}

// Page is one page of a user's notifications.
type Page struct {
	Items  []Notification
	Total  int64
	Unread int64
}

// List returns the caller's notifications, newest first.
func (s *Service) List(ctx context.Context, p *access.Principal, unreadOnly bool, pg database.Page) (*Page, error) {
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	q := func() *gorm.DB {
		return s.db.Conn(ctx).Model(&Notification{}).Where("user_id = ? AND in_app = ?", p.UserID, true)
	}
	out := &Page{Items: []Notification{}}
	unread, err := s.UnreadCount(ctx, p)
	if err != nil {
		return nil, err
	}
	out.Unread = unread
	if unreadOnly {
		out.Total = unread
	} else if err := q().Count(&out.Total).Error; err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	if out.Total == 0 || int64(pg.Offset()) >= out.Total {
		return out, nil
	}
	l := q()
	if unreadOnly {
		l = l.Where("read_at IS NULL")
	}
	if err := l.Order("seq DESC").Limit(pg.Size).Offset(pg.Offset()).Find(&out.Items).Error; err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return out, nil
}

// UnreadCount counts the caller's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, p *access.Principal) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&Notification{}).Where("user_id = ? AND in_app = ? AND read_at IS NULL", p.UserID, true).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the caller's notifications read (again: no change) and
// returns it; another user's is not found.
func (s *Service) MarkRead(ctx context.Context, p *access.Principal, id uuid.UUID) (*Notification, error) {
	var n Notification
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.Conn(ctx).Where("id = ? AND user_id = ? AND in_app = ?", id, p.UserID, true).Take(&n).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return problem.NotFound("notification")
		}
		if err != nil {
			return fmt.Errorf("read notification: %w", err)
		}
		if n.ReadAt != nil {
			return nil
		}
		now := s.clock.Now().UTC()
		if err := s.db.Conn(ctx).Model(&Notification{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", now).Error; err != nil {
			return fmt.Errorf("mark notification read: %w", err)
		}
		n.ReadAt = &now
		return s.signal(ctx, p.UserID)
	})
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// MarkAllRead marks every unread notification of the caller read and returns how
// many.
func (s *Service) MarkAllRead(ctx context.Context, p *access.Principal) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&Notification{}).Where("user_id = ? AND in_app = ? AND read_at IS NULL", p.UserID, true).
			Update("read_at", s.clock.Now().UTC())
		if res.Error != nil {
			return fmt.Errorf("mark notifications read: %w", res.Error)
		}
		n = res.RowsAffected
		if n == 0 {
			return nil
		}
		return s.signal(ctx, p.UserID)
	})
	return n, err
}

// since returns the caller's in-app notifications after seq, oldest first, at most
// limit (the stream).
func (s *Service) since(ctx context.Context, user uuid.UUID, seq int64, limit int) ([]Notification, error) {
	var out []Notification
	err := s.db.Conn(ctx).Where("user_id = ? AND in_app = ? AND seq > ?", user, true, seq).Order("seq").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read notifications: %w", err)
	}
	return out, nil
}

// lastSeq is the user's newest sequence number (0: none yet).
func (s *Service) lastSeq(ctx context.Context, user uuid.UUID) (int64, error) {
	var seqs []int64
	if err := s.db.Conn(ctx).Table("notification_counters").Where("user_id = ?", user).Pluck("last_seq", &seqs).Error; err != nil {
		return 0, fmt.Errorf("read notification counter: %w", err)
	}
	if len(seqs) == 0 {
		return 0, nil
	}
	return seqs[0], nil
}
