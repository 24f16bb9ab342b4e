// Package mailer sends e-mail over SMTP (DUBAN_SMTP_*) with go-mail: one
// connection per message, STARTTLS, implicit TLS or plain transport, and
// authentication when a username is set (the strongest mechanism the server
// offers; over a connection without TLS only the challenge-response ones, so a
// password never travels in clear text — except to a server on the loopback
// address, which go-mail allows for PLAIN).
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// Config is where and as whom mail is sent.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// From is the sender, "Name <addr>" or an address.
	From string
	// TLS is starttls (required), tls (implicit, usually port 465) or none.
	TLS string
	// TLSConfig, when set, replaces the default (tests trust their own CA).
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// Message is one e-mail to one recipient.
type Message struct {
	To     string
	ToName string
	// ID makes the Message-ID (<ID@duban>): a retry carries the same one, so
	// that a receiving system may drop the copy.
	ID      string
	Subject string
	Text    string
	HTML    string
	// Lang is the Content-Language (zh-CN, en).
	Lang string
}

// Mailer sends messages.
type Mailer struct {
	cfg  Config
	from *mail.Address
}

// New checks the configuration and returns a mailer.
func New(cfg Config) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("mailer: no host")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mailer: sender %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("mailer: TLS mode %q must be starttls, tls or none", cfg.TLS)
	}
	if cfg.Port <= 0 {
		cfg.Port = 587
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Mailer{cfg: cfg, from: from}, nil
}

// Send delivers msg; an error means it may not have been accepted (retry).
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("mailer: recipient %q: %w", msg.To, err)
	}
	if msg.ToName != "" {
		to.Name = msg.ToName
	}
	g := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	g.FromMailAddress(m.from)
	g.ToMailAddress(to)
	g.Subject(msg.Subject)
	g.SetDate()
	if msg.ID != "" {
		g.SetMessageIDWithValue(msg.ID + "@duban")
	} else {
		g.SetMessageID()
	}
	if msg.Lang != "" {
		g.SetGenHeader(gomail.HeaderContentLang, msg.Lang)
	}
	// Automatic mail: no out-of-office replies.
	g.SetGenHeader("Auto-Submitted", "auto-generated")
	g.SetBulk()
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	c, err := m.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("send mail to %s via %s: %w", to.Address, m.cfg.Host, err)
	}
	return nil
}

func (m *Mailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	tc := m.cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if m.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	c, err := gomail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	return c, nil
}

// Addr is host:port, for messages.
func (m *Mailer) Addr() string { return m.cfg.Host + ":" + strconv.Itoa(m.cfg.Port) }
