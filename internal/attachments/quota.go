package attachments

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"syscall"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Problem codes of the upload quotas.
const (
	// CodeUserQuota: the user uploaded their quota in the last 24 hours (429).
	CodeUserQuota = "upload_quota_exceeded"
	// CodeItemQuota: the item's files hold their quota (413).
	CodeItemQuota = "item_quota_exceeded"
)

// QuotaWindow is the period of the per-user quota.
const QuotaWindow = 24 * time.Hour

// Quotas bound what uploads may take: a user's bytes in 24 hours and an item's
// bytes in all; zero is no bound. UnlinkedTTL is how long a file that no record
// links to is kept (PurgeUnlinked). Clock is the time source.
type Quotas struct {
	User, Item  int64
	UnlinkedTTL time.Duration
	Clock       clock.Clock
}

// UseQuotas sets the quotas; the application does it while wiring.
func (s *Service) UseQuotas(q Quotas) {
	q.Clock = clock.Or(q.Clock)
	if q.UnlinkedTTL <= 0 {
		q.UnlinkedTTL = 24 * time.Hour
	}
	s.quotas = q
}

func (s *Service) now() time.Time { return clock.Or(s.quotas.Clock).Now() }

// room is how much one upload may hold, and the answer when it holds more.
type room struct {
	bytes int64
	err   func() error
}

// room computes the bytes left for an upload by p to item: the file size limit,
// the user's quota and the item's, whichever is smallest.
func (s *Service) room(ctx context.Context, user, item uuid.UUID) (room, error) {
	r := room{bytes: s.MaxSize, err: s.tooLarge}
	if s.MaxSize <= 0 {
		r.bytes = math.MaxInt64
	}
	if q := s.quotas.User; q > 0 {
		used, oldest, err := s.userUsage(ctx, user)
		if err != nil {
			return r, err
		}
		if left := q - used; left < r.bytes {
			r = room{bytes: max(0, left), err: func() error { return s.userQuota(oldest) }}
		}
	}
	if q := s.quotas.Item; q > 0 {
		used, err := s.itemUsage(ctx, item)
		if err != nil {
			return r, err
		}
		if left := q - used; left < r.bytes {
			r = room{bytes: max(0, left), err: s.itemQuota}
		}
	}
	return r, nil
}

func (s *Service) userUsage(ctx context.Context, user uuid.UUID) (int64, time.Time, error) {
	since := s.now().Add(-QuotaWindow)
	var used int64
	q := func() *gorm.DB {
		return s.db.Conn(ctx).Model(&Attachment{}).Where("uploaded_by = ? AND created_at > ?", user, since)
	}
	if err := q().Select("COALESCE(SUM(size), 0)").Scan(&used).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("upload quota: %w", err)
	}
	oldest := s.now()
	var first []Attachment
	if err := q().Select("created_at").Order("created_at").Limit(1).Find(&first).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("upload quota: %w", err)
	}
	if len(first) == 1 {
		oldest = first[0].CreatedAt
	}
	return used, oldest, nil
}

func (s *Service) itemUsage(ctx context.Context, item uuid.UUID) (int64, error) {
	var used int64
	err := s.db.Conn(ctx).Model(&Attachment{}).Select("COALESCE(SUM(size), 0)").Where("item_id = ?", item).Scan(&used).Error
	if err != nil {
		return 0, fmt.Errorf("item quota: %w", err)
	}
	return used, nil
}

func (s *Service) userQuota(oldest time.Time) error {
	wait := int(math.Ceil(oldest.Add(QuotaWindow).Sub(s.now()).Seconds()))
	return problem.New(problem.KindRateLimited, CodeUserQuota,
		fmt.Sprintf("you have uploaded %d MB in the last 24 hours, the most allowed; retry later", s.quotas.User>>20)).
		With("quota_bytes", s.quotas.User).With("retry_after", max(1, wait))
}

func (s *Service) itemQuota() error {
	return problem.New(problem.KindTooLarge, CodeItemQuota,
		fmt.Sprintf("the item's files already hold %d MB, the most allowed", s.quotas.Item>>20)).
		With("quota_bytes", s.quotas.Item)
}

// record inserts the upload's row, checking the quotas again under a lock of the
// uploader (and, on PostgreSQL, the item) so that parallel uploads cannot
// together pass what each passed alone.
func (s *Service) record(ctx context.Context, a *Attachment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if s.db.Dialect() == database.Postgres && (s.quotas.User > 0 || s.quotas.Item > 0) {
			var ids []uuid.UUID
			if err := s.db.Conn(ctx).Table("users").Clauses(clause.Locking{Strength: "UPDATE"}).
				Where("id = ?", a.UploadedBy).Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("lock uploader: %w", err)
			}
			if err := s.db.Conn(ctx).Table("items").Clauses(clause.Locking{Strength: "UPDATE"}).
				Where("id = ?", a.ItemID).Pluck("id", &ids).Error; err != nil {
				return fmt.Errorf("lock item: %w", err)
			}
		}
		r, err := s.room(ctx, a.UploadedBy, a.ItemID)
		if err != nil {
			return err
		}
		if a.Size > r.bytes {
			return r.err()
		}
		if err := s.db.Conn(ctx).Create(a).Error; err != nil {
			return fmt.Errorf("record upload: %w", err)
		}
		return nil
	})
}

// CodeInsufficientStorage: the server could not store the upload (507).
const CodeInsufficientStorage = "insufficient_storage"

// multipartError answers a failure to read an upload's multipart body: too large
// is 413; the server failing to spool the file to its temporary directory (full,
// missing, not writable) is a 507, whose cause (with the server's paths) goes to
// the log only; anything else is the client's malformed body.
func (s *Service) multipartError(err error) error {
	var mbe *http.MaxBytesError
	var pe *fs.PathError
	switch {
	case errors.As(err, &mbe):
		return s.tooLarge()
	case errors.As(err, &pe), errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return problem.New(problem.KindInsufficientStorage, CodeInsufficientStorage,
			"the server has no room to receive the file right now; retry later").With("retry_after", 30).Wrap(err)
	}
	return problem.BadRequest("malformed multipart body")
}
