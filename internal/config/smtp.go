package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// SMTPConfig is the server that sends e-mail notifications (internal/mailer);
// an empty host turns e-mail off.
type SMTPConfig struct {
	Host string `env:"DUBAN_SMTP_HOST"`
	Port int    `env:"DUBAN_SMTP_PORT" envDefault:"587"`
	// Username and Password authenticate when set (both or neither).
	Username string `env:"DUBAN_SMTP_USERNAME"`
	Password string `env:"DUBAN_SMTP_PASSWORD"`
	// From is the sender, e.g. "督办系统 <duban@example.com>".
	From string `env:"DUBAN_SMTP_FROM"`
	// TLS is starttls (required), tls (implicit TLS, usually port 465) or none.
	TLS string `env:"DUBAN_SMTP_TLS" envDefault:"starttls"`
}

// Enabled reports whether e-mail is configured.
func (s SMTPConfig) Enabled() bool { return s.Host != "" }

func (s *SMTPConfig) validate() []error {
	var errs []error
	switch s.TLS {
	case "starttls", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("DUBAN_SMTP_TLS %q must be starttls, tls or none", s.TLS))
	}
	if s.Port < 1 || s.Port > 65535 {
		errs = append(errs, fmt.Errorf("DUBAN_SMTP_PORT %d must be a port number", s.Port))
	}
	if (s.Username == "") != (s.Password == "") {
		errs = append(errs, errors.New("DUBAN_SMTP_USERNAME and DUBAN_SMTP_PASSWORD go together: set both or neither"))
	}
	if s.Host != "" {
		if _, err := mail.ParseAddress(s.From); err != nil {
			errs = append(errs, fmt.Errorf("DUBAN_SMTP_FROM %q must be an address like 督办系统 <duban@example.com> (required with DUBAN_SMTP_HOST)", s.From))
		}
	}
	return errs
}

func validPublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || strings.Contains(s, "#") {
		return fmt.Errorf("DUBAN_PUBLIC_URL %q must be the web app's address, like https://duban.example.com", s)
	}
	return nil
}
