package notifications

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// PrefsInput changes a user's settings; nil fields stay.
type PrefsInput struct {
	Language   *string
	Channels   map[Kind]ChannelsInput
	Digest     *bool
	DigestTime *string
	Quiet      *QuietInput
}

// ChannelsInput changes one kind's channels; nil fields stay.
type ChannelsInput struct {
	InApp *bool
	Email *bool
}

// QuietInput sets the quiet hours (Enabled false: none).
type QuietInput struct {
	Enabled    bool
	Start, End string
}

// Prefs returns the caller's settings (the defaults until they change them).
func (s *Service) Prefs(ctx context.Context, p *access.Principal) (Prefs, error) {
	prefs, err := s.prefsOf(ctx, []uuid.UUID{p.UserID})
	if err != nil {
		return Prefs{}, err
	}
	return prefs[p.UserID], nil
}

// Email is the caller's e-mail address ("" when none).
func (s *Service) Email(ctx context.Context, p *access.Principal) (string, error) {
	var out []string
	if err := s.db.Conn(ctx).Table("users").Where("id = ?", p.UserID).Pluck("email", &out).Error; err != nil {
		return "", err
	}
	if len(out) == 0 {
		return "", nil
	}
	return out[0], nil
}

// UpdatePrefs applies in to the caller's settings under the If-Match
// precondition (412 when stale). Every error of the input is reported at once.
func (s *Service) UpdatePrefs(ctx context.Context, p *access.Principal, in PrefsInput, pre etag.Precondition) (Prefs, error) {
	var out Prefs
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var rows []Setting
		q := s.db.Conn(ctx).Where("user_id = ?", p.UserID)
		if s.db.Dialect() == database.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return fmt.Errorf("read notification settings: %w", err)
		}
		var cur Prefs
		if len(rows) == 0 {
			cur = Defaults()
		} else {
			cur = prefsOf(&rows[0])
		}
		if err := pre.Check(cur.Version); err != nil {
			return err
		}
		next, err := apply(cur, in)
		if err != nil {
			return err
		}
		next.Version = cur.Version + 1
		row, err := next.row(p.UserID, s.clock.Now().UTC())
		if err != nil {
			return err
		}
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}}, UpdateAll: true}).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("write notification settings: %w", res.Error)
		}
		out = prefsOf(&row)
		return nil
	})
	return out, err
}

// apply validates in against cur and returns the result.
func apply(cur Prefs, in PrefsInput) (Prefs, error) {
	next := cur
	next.Channels = map[Kind]Channels{}
	for k, c := range cur.Channels {
		next.Channels[k] = c
	}
	var errs []problem.FieldError
	if in.Language != nil {
		switch *in.Language {
		case LangZh, LangEn:
			next.Language = *in.Language
		default:
			errs = append(errs, problem.FieldError{Field: "language", Rule: "oneof", Message: "must be zh-CN or en"})
		}
	}
	for k, c := range in.Channels {
		if !k.valid() {
			errs = append(errs, problem.FieldError{Field: "kinds", Rule: "oneof", Message: fmt.Sprintf("unknown kind %q", k)})
			continue
		}
		ch := next.Channels[k]
		if c.InApp != nil {
			ch.InApp = *c.InApp
		}
		if c.Email != nil {
			ch.Email = *c.Email
		}
		next.Channels[k] = ch
	}
	if in.Digest != nil {
		next.Digest = *in.Digest
	}
	if in.DigestTime != nil {
		t, err := ParseClock(*in.DigestTime)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "digest_time", Rule: "time", Message: "must be a time of day like 08:30"})
		}
		next.DigestTime = t
	}
	if q := in.Quiet; q != nil {
		next.Quiet = q.Enabled
		if q.Enabled {
			start, err1 := ParseClock(q.Start)
			end, err2 := ParseClock(q.End)
			switch {
			case err1 != nil:
				errs = append(errs, problem.FieldError{Field: "quiet_hours.start", Rule: "time", Message: "must be a time of day like 22:00"})
			case err2 != nil:
				errs = append(errs, problem.FieldError{Field: "quiet_hours.end", Rule: "time", Message: "must be a time of day like 07:00"})
			case start == end:
				errs = append(errs, problem.FieldError{Field: "quiet_hours.end", Rule: "nefield", Message: "must differ from the start"})
			default:
				next.QuietStart, next.QuietEnd = start, end
			}
		}
	}
	if len(errs) > 0 {
		return Prefs{}, problem.Invalid(errs...)
	}
	return next, nil
}
