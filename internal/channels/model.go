// Package channels is the group robots: a WeCom (企业微信群机器人), DingTalk
// (钉钉自定义机器人) or Feishu (飞书自定义机器人) robot configured by an
// administrator for a unit or a supervision scope. A robot is told what the
// people of its unit (or scope) are told: internal/notifications decides who is
// told of each event and hands that over (notifications.Told); this package only
// maps those people to their units and scopes, so the rules of who is told live
// in one place. Each message is a job (internal/jobs), written in the dispatch's
// transaction — once per robot and event — and sent through internal/outbound.
//
// The target URL (WeCom's and Feishu's carry their key) and the signing secret
// are write-only: the API shows the host and whether a secret is set.
package channels

import (
	"encoding/json"
	"net/url"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Platforms.
const (
	WeCom    = "wecom"
	DingTalk = "dingtalk"
	Feishu   = "feishu"
)

// Platforms lists the platforms.
var Platforms = []string{WeCom, DingTalk, Feishu}

// Message types.
const (
	MsgText     = "text"
	MsgMarkdown = "markdown"
)

// Channel is a row of notification_channels.
type Channel struct {
	ID       uuid.UUID `gorm:"type:uuid;primaryKey"`
	Name     string
	Platform string
	URL      string
	Secret   string
	// UnitID or ScopeID (exactly one) is whose notifications the robot gets.
	UnitID  *uuid.UUID `gorm:"type:uuid"`
	ScopeID *uuid.UUID `gorm:"type:uuid"`
	// Kinds is the JSON list of notification kinds sent (empty: every kind).
	Kinds      string
	MsgType    string
	Enabled    bool
	LastSentAt *time.Time
	LastStatus int
	LastError  string
	CreatedBy  uuid.UUID `gorm:"type:uuid"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// TableName pins the table.
func (Channel) TableName() string { return "notification_channels" }

// KindList decodes Kinds.
func (c *Channel) KindList() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(c.Kinds), &out)
	return out
}

// Wants reports whether the robot takes notifications of kind.
func (c *Channel) Wants(kind string) bool {
	ks := c.KindList()
	return len(ks) == 0 || slices.Contains(ks, kind)
}

// Target is what the API shows of the URL: scheme and host, never the path or
// query that carry the robot's key.
func (c *Channel) Target() string {
	u, err := url.Parse(c.URL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
