package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/problem"
)

// Options configure the service.
type Options struct {
	DB     *database.DB
	Clock  clock.Clock
	Queue  *jobs.Queue
	Outbox *events.Outbox
	Guard  *outbound.Guard
	Log    *slog.Logger
	// Item renders the item an event concerns as the API returns it (nil: no
	// object in the body). It runs in the dispatch's transaction.
	Item func(ctx context.Context, itemID, scopeID uuid.UUID) (any, error)
}

// Service holds the subscriptions and delivers to them.
type Service struct {
	db     *database.DB
	clock  clock.Clock
	queue  *jobs.Queue
	outbox *events.Outbox
	guard  *outbound.Guard
	item   func(ctx context.Context, itemID, scopeID uuid.UUID) (any, error)
	client *http.Client
	log    *slog.Logger
}

// New returns the service.
func New(o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: o.DB, clock: clock.Or(o.Clock), queue: o.Queue, outbox: o.Outbox, guard: o.Guard, item: o.Item,
		client: o.Guard.Client(), log: o.Log.With("component", "webhooks")}
}

// Input is a subscription as an administrator writes it.
type Input struct {
	URL         string   `json:"url" validate:"required,max=2000" example:"https://oa.example.com/duban/events"`
	Description string   `json:"description" validate:"max=200" example:"OA 系统同步"`
	EventTypes  []string `json:"event_types" validate:"required,min=1,max=100,dive,required,max=80" example:"item.issued,urge.*"`
	// Enabled defaults to true.
	Enabled *bool `json:"enabled"`
} // @name WebhookInput

// Patch changes a subscription; absent fields stay. Enabling a disabled
// subscription starts its failure count afresh.
type Patch struct {
	URL         *string   `json:"url" validate:"omitempty,max=2000"`
	Description *string   `json:"description" validate:"omitempty,max=200"`
	EventTypes  *[]string `json:"event_types" validate:"omitempty,min=1,max=100,dive,min=1,max=80"`
	Enabled     *bool     `json:"enabled"`
} // @name WebhookPatch

// admin allows administrators only; writes need a token that may write.
func admin(p *access.Principal, write bool) error {
	if p == nil {
		return problem.Unauthorized("sign in first")
	}
	if !p.Has(access.RoleAdmin) {
		return problem.Forbidden("only an administrator manages webhooks")
	}
	if write && !p.CanWrite() {
		return problem.Forbidden("this token may only read")
	}
	return nil
}

// checkTypes validates event types against the catalogue of internal/events.
func checkTypes(types []string) ([]string, error) {
	known := events.Kinds()
	out := make([]string, 0, len(types))
	for _, t := range types {
		t = strings.TrimSpace(t)
		if Private(t) {
			return nil, problem.Field("event_types", "event_type", fmt.Sprintf("%q: security events (auth.*) are not sent to webhooks", t))
		}
		ok := t == "*" || events.Known(events.Kind(t))
		if !ok && strings.HasSuffix(t, ".*") {
			prefix := strings.TrimSuffix(t, "*")
			ok = slices.ContainsFunc(known, func(k events.Kind) bool { return strings.HasPrefix(string(k), prefix) })
		}
		if !ok {
			return nil, problem.Field("event_types", "event_type", fmt.Sprintf("%q is not an event type (see the events catalogue; \"item.*\" and \"*\" match several)", t))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Create subscribes a URL; the answer carries the secret, the only time it is
// shown.
func (s *Service) Create(ctx context.Context, p *access.Principal, in Input) (*Webhook, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	types, err := checkTypes(in.EventTypes)
	if err != nil {
		return nil, err
	}
	if err := s.guard.Check(ctx, "url", in.URL); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(types)
	now := s.clock.Now()
	w := &Webhook{ID: uuid.Must(uuid.NewV7()), URL: strings.TrimSpace(in.URL), Description: strings.TrimSpace(in.Description),
		EventTypes: string(b), Secret: NewSecret(), Enabled: in.Enabled == nil || *in.Enabled, CreatedBy: p.UserID,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.db.Conn(ctx).Create(w).Error; err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return w, nil
}

// List returns every subscription, newest first.
func (s *Service) List(ctx context.Context, p *access.Principal) ([]Webhook, error) {
	if err := admin(p, false); err != nil {
		return nil, err
	}
	var out []Webhook
	if err := s.db.Conn(ctx).Order("created_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

// Get returns one subscription.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*Webhook, error) {
	if err := admin(p, false); err != nil {
		return nil, err
	}
	return s.load(ctx, id)
}

func (s *Service) load(ctx context.Context, id uuid.UUID) (*Webhook, error) {
	var w Webhook
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&w).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, problem.NotFound("webhook")
	}
	if err != nil {
		return nil, fmt.Errorf("read webhook: %w", err)
	}
	return &w, nil
}

// Update changes a subscription.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in Patch) (*Webhook, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	var out *Webhook
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		w, err := s.load(ctx, id)
		if err != nil {
			return err
		}
		if in.URL != nil {
			if err := s.guard.Check(ctx, "url", *in.URL); err != nil {
				return err
			}
			w.URL = strings.TrimSpace(*in.URL)
		}
		if in.Description != nil {
			w.Description = strings.TrimSpace(*in.Description)
		}
		if in.EventTypes != nil {
			types, err := checkTypes(*in.EventTypes)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(types)
			w.EventTypes = string(b)
		}
		if in.Enabled != nil && *in.Enabled != w.Enabled {
			w.Enabled = *in.Enabled
			w.FailingSince = nil
			if w.Enabled {
				w.DisabledAt, w.DisabledReason = nil, ""
			} else {
				now := s.clock.Now()
				w.DisabledAt, w.DisabledReason = &now, "disabled by an administrator"
			}
		}
		w.UpdatedAt = s.clock.Now()
		w.Version++
		if err := s.db.Conn(ctx).Select("*").Save(w).Error; err != nil {
			return fmt.Errorf("update webhook: %w", err)
		}
		out = w
		return nil
	})
	return out, err
}

// Delete removes a subscription and its delivery log; pending deliveries stop
// (their jobs find nothing to send).
func (s *Service) Delete(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	if err := admin(p, true); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.load(ctx, id); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("webhook_id = ?", id).Delete(&Delivery{}).Error; err != nil {
			return fmt.Errorf("delete deliveries: %w", err)
		}
		return s.db.Conn(ctx).Where("id = ?", id).Delete(&Webhook{}).Error
	})
}

// Deliveries is one page of a subscription's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, p *access.Principal, id uuid.UUID, state string, pg database.Page) ([]Delivery, int64, error) {
	if err := admin(p, false); err != nil {
		return nil, 0, err
	}
	if _, err := s.load(ctx, id); err != nil {
		return nil, 0, err
	}
	q := func() *gorm.DB {
		q := s.db.Conn(ctx).Model(&Delivery{}).Where("webhook_id = ?", id)
		if state != "" {
			q = q.Where("state = ?", state)
		}
		return q
	}
	var total int64
	if err := q().Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count deliveries: %w", err)
	}
	out := []Delivery{}
	if err := q().Order("created_at DESC, id DESC").Limit(pg.Size).Offset(pg.Offset()).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list deliveries: %w", err)
	}
	return out, total, nil
}

// LogRetention is how long finished deliveries stay in the log.
const LogRetention = 30 * 24 * time.Hour

// Prune removes finished deliveries older than LogRetention (a periodic job):
// the log is for diagnosis, not an archive.
func (s *Service) Prune(ctx context.Context) error {
	cut := s.clock.Now().Add(-LogRetention)
	err := s.db.Conn(ctx).Where("created_at < ? AND state <> ?", cut, StatePending).Delete(&Delivery{}).Error
	if err != nil {
		return fmt.Errorf("prune webhook deliveries: %w", err)
	}
	return nil
}
