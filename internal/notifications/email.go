package notifications

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/mailer"
)

type emailArgs struct {
	NotificationID uuid.UUID `json:"notification_id"`
}

type digestArgs struct {
	UserID uuid.UUID `json:"user_id"`
	// Date is the day (company time zone) of the digest.
	Date string `json:"date"`
}

// maxDigest bounds one digest message; more waiting go into the next one.
const maxDigest = 200

// RegisterJobs registers the e-mail jobs on w.
func (s *Service) RegisterJobs(w *jobs.Worker) {
	w.Handle(JobEmail, s.runEmail)
	w.Handle(JobDigest, s.runDigest)
}

// enqueueDigest asks for the user's next digest (once per user and day).
func (s *Service) enqueueDigest(ctx context.Context, user uuid.UUID, pr Prefs) error {
	at := pr.NextDigest(s.clock.Now(), s.loc)
	date := at.In(s.loc).Format(time.DateOnly)
	_, err := s.queue.Enqueue(ctx, JobDigest, digestArgs{UserID: user, Date: date},
		jobs.Unique(JobDigest+":"+user.String()+":"+date), jobs.At(at))
	return err
}

// mailUser is what an e-mail needs of its recipient.
type mailUser struct {
	ID          uuid.UUID `gorm:"type:uuid"`
	Email       string
	DisplayName string
	Active      bool
}

func (s *Service) mailUser(ctx context.Context, id uuid.UUID) (*mailUser, Prefs, error) {
	var u mailUser
	err := s.db.Conn(ctx).Table("users").Select("id, email, display_name, active").Where("id = ?", id).Take(&u).Error
	if err != nil {
		return nil, Prefs{}, fmt.Errorf("recipient %s: %w", id, err)
	}
	prefs, err := s.prefsOf(ctx, []uuid.UUID{id})
	if err != nil {
		return nil, Prefs{}, err
	}
	return &u, prefs[id], nil
}

// runEmail sends one notification by e-mail, after the user's quiet hours.
func (s *Service) runEmail(ctx context.Context, j *jobs.Job) error {
	var a emailArgs
	if err := j.Decode(&a); err != nil {
		return jobs.Discard(err)
	}
	var n Notification
	err := s.db.Conn(ctx).Where("id = ?", a.NotificationID).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if n.EmailState != EmailQueued {
		return nil // sent, or skipped, already
	}
	u, pr, err := s.mailUser(ctx, n.UserID)
	if err != nil {
		return err
	}
	if s.mail == nil || !u.Active || u.Email == "" || !pr.Channels[n.Kind].Email {
		return s.setEmailState(ctx, []uuid.UUID{n.ID}, EmailQueued, EmailSkipped)
	}
	now := s.clock.Now()
	if until, quiet := pr.QuietUntil(now, s.loc); quiet {
		return &jobs.Snooze{After: until.Sub(now)}
	}
	lang := pr.Language
	msg := mailer.Message{To: u.Email, ToName: u.DisplayName, ID: n.ID.String(), Lang: lang, Subject: n.Title(lang)}
	msg.Text, msg.HTML = s.render(lang, []Notification{n})
	if err := s.mail.Send(ctx, msg); err != nil {
		return err
	}
	return s.setEmailState(ctx, []uuid.UUID{n.ID}, EmailQueued, EmailSent)
}

// runDigest sends the user's waiting notifications in one e-mail, at their
// digest time and outside their quiet hours.
func (s *Service) runDigest(ctx context.Context, j *jobs.Job) error {
	var a digestArgs
	if err := j.Decode(&a); err != nil {
		return jobs.Discard(err)
	}
	u, pr, err := s.mailUser(ctx, a.UserID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	// The user may have moved their digest time since the job was asked for.
	if day, err := time.ParseInLocation(time.DateOnly, a.Date, s.loc); err == nil {
		if at := pr.DigestTime.on(day, s.loc); pr.Digest && now.Before(at) {
			return &jobs.Snooze{After: at.Sub(now)}
		}
	}
	if until, quiet := pr.QuietUntil(now, s.loc); quiet {
		return &jobs.Snooze{After: until.Sub(now)}
	}
	for {
		var ns []Notification
		if err := s.db.Conn(ctx).Where("user_id = ? AND email_state = ?", a.UserID, EmailDigest).
			Order("seq").Limit(maxDigest).Find(&ns).Error; err != nil {
			return err
		}
		if len(ns) == 0 {
			return nil
		}
		ids := make([]uuid.UUID, len(ns))
		for i := range ns {
			ids[i] = ns[i].ID
		}
		if s.mail == nil || !u.Active || u.Email == "" {
			return s.setEmailState(ctx, ids, EmailDigest, EmailSkipped)
		}
		lang := pr.Language
		subject := "督办系统每日摘要：" + strconv.Itoa(len(ns)) + " 条通知"
		if lang == LangEn {
			subject = "Duban daily digest: " + strconv.Itoa(len(ns)) + " notification"
			if len(ns) != 1 {
				subject += "s"
			}
		}
		msg := mailer.Message{To: u.Email, ToName: u.DisplayName, ID: "digest-" + a.UserID.String() + "-" + a.Date + "-" + strconv.FormatInt(ns[0].Seq, 10),
			Lang: lang, Subject: subject}
		msg.Text, msg.HTML = s.render(lang, ns)
		if err := s.mail.Send(ctx, msg); err != nil {
			return err
		}
		if err := s.setEmailState(ctx, ids, EmailDigest, EmailSent); err != nil {
			return err
		}
		if len(ns) < maxDigest {
			return nil
		}
	}
}

func (s *Service) setEmailState(ctx context.Context, ids []uuid.UUID, from, to string) error {
	cols := map[string]any{"email_state": to}
	if to == EmailSent {
		cols["emailed_at"] = s.clock.Now().UTC()
	}
	return s.db.Conn(ctx).Model(&Notification{}).Where("id IN ? AND email_state = ?", ids, from).Updates(cols).Error
}

// link is the absolute address of a notification's object, when the public
// address is known.
func (s *Service) link(n *Notification) string {
	if n.Link == "" {
		return ""
	}
	return strings.TrimRight(s.publicURL, "/") + n.Link
}

// render writes the e-mail of one notification, or of a digest, as text and
// HTML in lang.
func (s *Service) render(lang string, ns []Notification) (string, string) {
	var t, h strings.Builder
	open, footer := "打开：", "此邮件由督办系统自动发送，请勿回复。可在“我的 → 通知设置”中更改接收方式。"
	if lang == LangEn {
		open, footer = "Open: ", "This e-mail was sent by Duban automatically; please do not reply. Change how you are notified under Me → Notification settings."
	}
	h.WriteString(`<!doctype html><html lang="` + lang + `"><body style="font-family:sans-serif">`)
	for i := range ns {
		n := &ns[i]
		if len(ns) > 1 {
			t.WriteString("■ " + n.Title(lang) + "\n")
			h.WriteString("<h3>" + html.EscapeString(n.Title(lang)) + "</h3>")
		}
		t.WriteString(n.Body(lang) + "\n")
		h.WriteString("<p>" + html.EscapeString(n.Body(lang)) + "</p>")
		if l := s.link(n); l != "" {
			t.WriteString(open + l + "\n")
			h.WriteString(`<p><a href="` + html.EscapeString(l) + `">` + html.EscapeString(open+l) + "</a></p>")
		}
		t.WriteString("\n")
	}
	t.WriteString("—\n" + footer + "\n")
	h.WriteString(`<hr><p style="color:#888">` + html.EscapeString(footer) + "</p></body></html>")
	return t.String(), h.String()
}
