package notifications

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Languages of notifications and e-mail.
const (
	LangZh = "zh-CN"
	LangEn = "en"
)

// Channels say how one kind of notification reaches a user.
type Channels struct {
	InApp bool `json:"in_app"`
	Email bool `json:"email"`
}

// Setting is a row of notification_settings; a user without one has Defaults.
type Setting struct {
	UserID   uuid.UUID `gorm:"type:uuid;primaryKey"`
	Language string
	// Channels is the JSON of map[Kind]Channels (kinds absent: the default).
	Channels   string
	Digest     bool
	DigestTime string
	QuietStart string
	QuietEnd   string
	Version    int
	UpdatedAt  time.Time
}

// TableName pins the table.
func (Setting) TableName() string { return "notification_settings" }

// Prefs are a user's notification settings, complete.
type Prefs struct {
	Language string
	Channels map[Kind]Channels
	// Digest: e-mail comes once a day at DigestTime (company time zone) instead
	// of one message per notification.
	Digest     bool
	DigestTime ClockTime
	// Quiet hours (company time zone), when set: no e-mail from QuietStart to
	// QuietEnd (over midnight when QuietEnd is earlier); what falls due then is
	// sent when they end.
	Quiet      bool
	QuietStart ClockTime
	QuietEnd   ClockTime
	Version    int
	UpdatedAt  *time.Time
}

// DefaultDigestTime is when a digest goes out unless the user says otherwise.
var DefaultDigestTime = ClockTime(8 * 60)

// Defaults are the settings of a user who never changed them: every kind in the
// app and by e-mail, one message each, no quiet hours, Chinese.
func Defaults() Prefs {
	p := Prefs{Language: LangZh, Channels: map[Kind]Channels{}, DigestTime: DefaultDigestTime}
	for _, k := range Kinds {
		p.Channels[k] = Channels{InApp: true, Email: true}
	}
	return p
}

// prefsOf reads a row (nil: the defaults).
func prefsOf(row *Setting) Prefs {
	p := Defaults()
	if row == nil {
		return p
	}
	if row.Language == LangEn {
		p.Language = LangEn
	}
	var ch map[Kind]Channels
	if json.Unmarshal([]byte(row.Channels), &ch) == nil {
		for k, c := range ch {
			if k.valid() {
				p.Channels[k] = c
			}
		}
	}
	p.Digest = row.Digest
	if t, err := ParseClock(row.DigestTime); err == nil {
		p.DigestTime = t
	}
	s, err1 := ParseClock(row.QuietStart)
	e, err2 := ParseClock(row.QuietEnd)
	if err1 == nil && err2 == nil && s != e {
		p.Quiet, p.QuietStart, p.QuietEnd = true, s, e
	}
	p.Version = row.Version
	at := row.UpdatedAt
	p.UpdatedAt = &at
	return p
}

// row writes p for user.
func (p Prefs) row(user uuid.UUID, now time.Time) (Setting, error) {
	b, err := json.Marshal(p.Channels)
	if err != nil {
		return Setting{}, err
	}
	r := Setting{UserID: user, Language: p.Language, Channels: string(b), Digest: p.Digest, DigestTime: p.DigestTime.String(),
		Version: p.Version, UpdatedAt: now}
	if p.Quiet {
		r.QuietStart, r.QuietEnd = p.QuietStart.String(), p.QuietEnd.String()
	}
	return r, nil
}

// ClockTime is a time of day in minutes after midnight.
type ClockTime int

// ParseClock reads "HH:MM" (00:00–23:59).
func ParseClock(s string) (ClockTime, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not a time like 08:30", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time like 08:30", s)
	}
	return ClockTime(hh*60 + mm), nil
}

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// on is the moment of c on the day of t in loc.
func (c ClockTime) on(t time.Time, loc *time.Location) time.Time {
	y, mo, d := t.In(loc).Date()
	return time.Date(y, mo, d, int(c)/60, int(c)%60, 0, 0, loc)
}

// QuietUntil reports whether now falls in the quiet hours, and when they end.
func (p Prefs) QuietUntil(now time.Time, loc *time.Location) (time.Time, bool) {
	if !p.Quiet {
		return time.Time{}, false
	}
	start, end := p.QuietStart.on(now, loc), p.QuietEnd.on(now, loc)
	if p.QuietStart < p.QuietEnd {
		// Within one day, e.g. 12:00–14:00.
		if !now.Before(start) && now.Before(end) {
			return end, true
		}
		return time.Time{}, false
	}
	// Over midnight, e.g. 22:00–07:00.
	switch {
	case !now.Before(start):
		return p.QuietEnd.on(start.AddDate(0, 0, 1), loc), true
	case now.Before(end):
		return end, true
	}
	return time.Time{}, false
}

// NextDigest is the first digest time at or after now.
func (p Prefs) NextDigest(now time.Time, loc *time.Location) time.Time {
	at := p.DigestTime.on(now, loc)
	if now.After(at) {
		at = p.DigestTime.on(at.AddDate(0, 0, 1), loc)
	}
	return at
}
