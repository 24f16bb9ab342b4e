package config

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// Outbound is what Duban may call out to: outgoing webhooks and the group robots
// (internal/outbound). Targets on loopback, private, link-local and other
// internal addresses are refused (server-side request forgery) unless a range of
// OutboundAllow covers them — an intranet WeCom proxy, say, or a test's receiver.
type Outbound struct {
	// OutboundAllow lists CIDR ranges that may be called although they are
	// internal, e.g. "10.20.0.0/16,127.0.0.1/32". Empty: only public addresses.
	OutboundAllow []string `env:"DUBAN_OUTBOUND_ALLOW" envSeparator:","`
	// OutboundTimeout bounds one outgoing request (connect, send, answer).
	OutboundTimeout time.Duration `env:"DUBAN_OUTBOUND_TIMEOUT" envDefault:"10s"`
}

// AllowedNets parses OutboundAllow (validated by Load).
func (o Outbound) AllowedNets() []*net.IPNet {
	var out []*net.IPNet
	for _, s := range o.OutboundAllow {
		if _, n, err := net.ParseCIDR(strings.TrimSpace(s)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (o *Outbound) validate() []error {
	var errs []error
	for _, s := range o.OutboundAllow {
		if _, _, err := net.ParseCIDR(strings.TrimSpace(s)); err != nil {
			errs = append(errs, fmt.Errorf("DUBAN_OUTBOUND_ALLOW entry %q must be a CIDR range like 10.20.0.0/16 or 127.0.0.1/32", s))
		}
	}
	if o.OutboundTimeout <= 0 || o.OutboundTimeout > 5*time.Minute {
		errs = append(errs, fmt.Errorf("DUBAN_OUTBOUND_TIMEOUT %s must be between 1ms and 5m", o.OutboundTimeout))
	}
	return errs
}
