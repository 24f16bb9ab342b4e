package mailer_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/mailer"
	"github.com/duban/duban/internal/smtptest"
)

// A message in Chinese over STARTTLS with authentication arrives as written:
// recipient, subject (RFC 2047), body (quoted-printable), Message-ID.
func TestSendOverStartTLSWithAuth(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Options{TLS: true, Username: "duban", Password: "s3cret"})
	m, err := mailer.New(mailer.Config{Host: srv.Host, Port: srv.Port, Username: "duban", Password: "s3cret",
		From: "督办系统 <duban@example.com>", TLS: mailer.TLSStartTLS,
		TLSConfig: &tls.Config{RootCAs: srv.Pool, ServerName: srv.Host, MinVersion: tls.VersionTLS12}})
	if err != nil {
		t.Fatal(err)
	}
	body := "督办事项「落实安全生产会议部署」已下达给你单位。\n" + strings.Repeat("请及时签收办理。", 20)
	err = m.Send(context.Background(), mailer.Message{To: "headb@example.com", ToName: "王主任", ID: "n-1",
		Subject: "新督办事项：落实安全生产会议部署", Text: body, Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1, 10*time.Second)[0]
	if !got.TLS || !got.Authed {
		t.Errorf("tls %v, authed %v", got.TLS, got.Authed)
	}
	if len(got.To) != 1 || got.To[0] != "headb@example.com" || got.From != "duban@example.com" {
		t.Errorf("envelope from %s to %v", got.From, got.To)
	}
	if got.Subject != "新督办事项：落实安全生产会议部署" || strings.TrimSpace(got.Text) != body {
		t.Errorf("subject %q, text %q", got.Subject, got.Text)
	}
	if id := got.Header.Get("Message-Id"); id != "<n-1@duban>" {
		t.Errorf("Message-ID %q", id)
	}
	if got.Header.Get("Auto-Submitted") != "auto-generated" || got.Header.Get("Content-Language") != "zh-CN" {
		t.Errorf("headers %v", got.Header)
	}
}

// A wrong password, a server that cannot do TLS when STARTTLS is required, and
// a temporary failure are errors (the job retries).
func TestSendFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	msg := mailer.Message{To: "a@example.com", Subject: "s", Text: "t"}
	authed := smtptest.Start(t, smtptest.Options{TLS: true, Username: "duban", Password: "right"})
	m, _ := mailer.New(mailer.Config{Host: authed.Host, Port: authed.Port, Username: "duban", Password: "wrong", From: "d@example.com",
		TLS: mailer.TLSStartTLS, TLSConfig: &tls.Config{RootCAs: authed.Pool, ServerName: authed.Host, MinVersion: tls.VersionTLS12}})
	if err := m.Send(ctx, msg); err == nil {
		t.Error("wrong password: sent")
	}
	plain := smtptest.Start(t, smtptest.Options{})
	m, _ = mailer.New(mailer.Config{Host: plain.Host, Port: plain.Port, From: "d@example.com", TLS: mailer.TLSStartTLS})
	if err := m.Send(ctx, msg); err == nil {
		t.Error("STARTTLS required but not offered: sent")
	}
	m, _ = mailer.New(mailer.Config{Host: plain.Host, Port: plain.Port, From: "d@example.com", TLS: mailer.TLSNone})
	plain.FailNext(1)
	if err := m.Send(ctx, msg); err == nil {
		t.Error("451: sent")
	}
	if err := m.Send(ctx, msg); err != nil {
		t.Errorf("second try: %v", err)
	}
	if n := len(plain.Messages()); n != 1 {
		t.Errorf("%d messages accepted, want 1", n)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, c := range []mailer.Config{{}, {Host: "h", From: "not an address"}, {Host: "h", From: "a@b.c", TLS: "maybe"}} {
		if _, err := mailer.New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}
