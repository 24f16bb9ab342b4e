package channels

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/notifications"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/problem"
)

// Options configure the service.
type Options struct {
	DB    *database.DB
	Clock clock.Clock
	Queue *jobs.Queue
	Guard *outbound.Guard
	// PublicURL makes the links absolute (may be empty: paths then).
	PublicURL string
	Log       *slog.Logger
}

// Service holds the robots and sends to them.
type Service struct {
	db        *database.DB
	clock     clock.Clock
	queue     *jobs.Queue
	guard     *outbound.Guard
	client    *http.Client
	publicURL string
	log       *slog.Logger
}

// New returns the service.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: o.DB, clock: clock.Or(o.Clock), queue: o.Queue, guard: o.Guard, client: o.Guard.Client(),
		publicURL: strings.TrimRight(o.PublicURL, "/"), log: o.Log.With("component", "channels")}
}

// Input is a robot as an administrator writes it.
type Input struct {
	Name     string `json:"name" validate:"required,max=100" example:"安全环保部工作群"`
	Platform string `json:"platform" validate:"required,oneof=wecom dingtalk feishu" enums:"wecom,dingtalk,feishu" example:"dingtalk"`
	// URL is the robot's webhook address (write-only: it carries the key).
	URL string `json:"url" validate:"required,max=2000" example:"https://oapi.dingtalk.com/robot/send?access_token=…"`
	// Secret is the signing secret of DingTalk (加签, SEC…) and Feishu (签名校验)
	// robots; write-only. WeCom robots have none.
	Secret string `json:"secret" validate:"max=200" example:"SEC0123456789abcdef"`
	// UnitID or ScopeID, exactly one: the unit (or supervision scope) whose
	// people's notifications the robot receives.
	UnitID  *string `json:"unit_id" validate:"omitempty,uuid" format:"uuid"`
	ScopeID *string `json:"scope_id" validate:"omitempty,uuid" format:"uuid"`
	// Kinds are the notification kinds sent (empty: all).
	Kinds   []string `json:"kinds" validate:"max=20,dive,max=40" example:"urge,reminder"`
	MsgType string   `json:"msg_type" validate:"omitempty,oneof=text markdown" enums:"text,markdown" example:"markdown"`
	Enabled *bool    `json:"enabled"`
} // @name NotificationChannelInput

// Patch changes a robot; absent fields stay. An empty secret removes it.
type Patch struct {
	Name    *string   `json:"name" validate:"omitempty,max=100"`
	URL     *string   `json:"url" validate:"omitempty,max=2000"`
	Secret  *string   `json:"secret" validate:"omitempty,max=200"`
	Kinds   *[]string `json:"kinds" validate:"omitempty,max=20,dive,max=40"`
	MsgType *string   `json:"msg_type" validate:"omitempty,oneof=text markdown" enums:"text,markdown"`
	Enabled *bool     `json:"enabled"`
} // @name NotificationChannelPatch

func admin(p *access.Principal, write bool) error {
	if p == nil {
		return problem.Unauthorized("sign in first")
	}
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an administrator manages the robots")
	}
	if write && !p.CanWrite() {
		return problem.Forbidden("this token may only read")
	}
	return nil
}

func checkKinds(ks []string) (string, error) {
	out := []string{}
	for _, k := range ks {
		if !slices.Contains(notifications.Kinds, notifications.Kind(k)) {
			return "", problem.Field("kinds", "kind", fmt.Sprintf("%q is not a notification kind", k))
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	b, _ := json.Marshal(out)
	return string(b), nil
}

// Create adds a robot.
func (s *Service) Create(ctx context.Context, p *access.Principal, in Input) (*Channel, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	if (in.UnitID == nil) == (in.ScopeID == nil) {
		return nil, problem.Field("unit_id", "one_of", "give either unit_id or scope_id")
	}
	c := &Channel{ID: uuid.Must(uuid.NewV7()), Name: strings.TrimSpace(in.Name), Platform: in.Platform, URL: strings.TrimSpace(in.URL),
		Secret: strings.TrimSpace(in.Secret), MsgType: in.MsgType, Enabled: in.Enabled == nil || *in.Enabled, CreatedBy: p.UserID, Version: 1}
	if c.MsgType == "" {
		c.MsgType = MsgMarkdown
	}
	var err error
	if c.Kinds, err = checkKinds(in.Kinds); err != nil {
		return nil, err
	}
	if in.UnitID != nil {
		id := uuid.MustParse(*in.UnitID)
		if err := s.exists(ctx, "unit_id", "id = ?", id); err != nil {
			return nil, err
		}
		c.UnitID = &id
	} else {
		id := uuid.MustParse(*in.ScopeID)
		if err := s.exists(ctx, "scope_id", "id = ? AND scope_id = id", id); err != nil {
			return nil, err
		}
		c.ScopeID = &id
	}
	if err := s.guard.Check(ctx, "url", c.URL); err != nil {
		return nil, err
	}
	c.CreatedAt = s.clock.Now()
	c.UpdatedAt = c.CreatedAt
	if err := s.db.Conn(ctx).Create(c).Error; err != nil {
		return nil, fmt.Errorf("create channel: %w", err)
	}
	return c, nil
}

func (s *Service) exists(ctx context.Context, field, where string, id uuid.UUID) error {
	var n int64
	if err := s.db.Conn(ctx).Table("org_units").Where(where, id).Count(&n).Error; err != nil {
		return fmt.Errorf("check %s: %w", field, err)
	}
	if n == 0 {
		return problem.Field(field, "exists", "no such unit (a scope is the group or an enterprise)")
	}
	return nil
}

// List returns every robot.
func (s *Service) List(ctx context.Context, p *access.Principal) ([]Channel, error) {
	if err := admin(p, false); err != nil {
		return nil, err
	}
	var out []Channel
	if err := s.db.Conn(ctx).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	return out, nil
}

func (s *Service) load(ctx context.Context, id uuid.UUID) (*Channel, error) {
	var c Channel
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, problem.NotFound("notification channel")
	}
	if err != nil {
		return nil, fmt.Errorf("read channel: %w", err)
	}
	return &c, nil
}

// Update changes a robot.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in Patch) (*Channel, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	var out *Channel
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.load(ctx, id)
		if err != nil {
			return err
		}
		if in.Name != nil {
			c.Name = strings.TrimSpace(*in.Name)
		}
		if in.URL != nil {
			if err := s.guard.Check(ctx, "url", *in.URL); err != nil {
				return err
			}
			c.URL = strings.TrimSpace(*in.URL)
		}
		if in.Secret != nil {
			c.Secret = strings.TrimSpace(*in.Secret)
		}
		if in.Kinds != nil {
			if c.Kinds, err = checkKinds(*in.Kinds); err != nil {
				return err
			}
		}
		if in.MsgType != nil {
			c.MsgType = *in.MsgType
		}
		if in.Enabled != nil {
			c.Enabled = *in.Enabled
		}
		c.UpdatedAt = s.clock.Now()
		c.Version++
		if err := s.db.Conn(ctx).Select("*").Save(c).Error; err != nil {
			return fmt.Errorf("update channel: %w", err)
		}
		out = c
		return nil
	})
	return out, err
}

// Delete removes a robot; messages still queued for it are dropped.
func (s *Service) Delete(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	if err := admin(p, true); err != nil {
		return err
	}
	res := s.db.Conn(ctx).Where("id = ?", id).Delete(&Channel{})
	if res.Error != nil {
		return fmt.Errorf("delete channel: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return problem.NotFound("notification channel")
	}
	return nil
}
