package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/outbound"
	"github.com/duban/duban/internal/problem"
)

// JobDeliver is the job kind of one delivery (its attempts are the job's).
const JobDeliver = "webhook.deliver"

// RetryWindow is how long a delivery is retried, and how long a subscription
// may fail on end before it is disabled.
const RetryWindow = 24 * time.Hour

// Backoff is the wait after the n-th failed attempt: 30 s doubled each time, at
// most 3 h (30 s, 1 min, 2 min … 2 h 8 min, 3 h, 3 h …: about 15 attempts in the
// 24 hours).
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 10 {
		return 3 * time.Hour
	}
	return min(30*time.Second<<(n-1), 3*time.Hour)
}

type deliverArgs struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
}

// RegisterJobs registers the delivery job on w.
func (s *Service) RegisterJobs(w *jobs.Worker) { w.Handle(JobDeliver, s.deliverJob) }

// Handle is the event subscriber (every kind): inside the dispatch's
// transaction it writes a delivery and its job for each enabled subscription
// that wants the event — at most once per subscription and event however often
// the dispatch is tried.
func (s *Service) Handle(ctx context.Context, env events.Envelope) error {
	var hooks []Webhook
	if err := s.db.Conn(ctx).Where("enabled = ?", true).Find(&hooks).Error; err != nil {
		return fmt.Errorf("webhook subscriptions: %w", err)
	}
	var body []byte
	for i := range hooks {
		w := &hooks[i]
		if !w.Wants(string(env.Kind)) {
			continue
		}
		if body == nil {
			m := message{Type: string(env.Kind), Timestamp: env.At.UTC(), ID: env.ID.String(), Data: env.Payload}
			if s.item != nil && env.ItemID != nil && env.ScopeID != nil {
				obj, err := s.item(ctx, *env.ItemID, *env.ScopeID)
				if err != nil {
					return fmt.Errorf("webhook object: %w", err)
				}
				m.Object = obj
			}
			var err error
			if body, err = json.Marshal(m); err != nil {
				return fmt.Errorf("webhook message: %w", err)
			}
		}
		ev := env.ID
		d := Delivery{ID: deliveryID(w.ID, ev), WebhookID: w.ID, MessageID: "msg_" + ev.String(), EventID: &ev,
			EventType: string(env.Kind), Trigger: TriggerEvent, Payload: string(body), State: StatePending, CreatedAt: s.clock.Now()}
		if err := s.enqueue(ctx, &d); err != nil {
			return err
		}
	}
	return nil
}

// enqueue writes a delivery and its job in the transaction of ctx (nothing
// when the delivery exists already).
func (s *Service) enqueue(ctx context.Context, d *Delivery) error {
	res := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(d)
	if res.Error != nil {
		return fmt.Errorf("write delivery: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	// The job's own attempt limit is out of reach: the retry window decides.
	_, err := s.queue.Enqueue(ctx, JobDeliver, deliverArgs{DeliveryID: d.ID}, jobs.Unique(JobDeliver+":"+d.ID.String()), jobs.Attempts(1000))
	return err
}

// deliverJob makes one attempt of a delivery and records it; a failure asks for
// the next attempt after Backoff, until the retry window is over.
func (s *Service) deliverJob(ctx context.Context, j *jobs.Job) error {
	var a deliverArgs
	if err := j.Decode(&a); err != nil {
		return jobs.Discard(err)
	}
	var d Delivery
	err := s.db.Conn(ctx).Where("id = ?", a.DeliveryID).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil // the subscription was deleted
	}
	if err != nil {
		return err
	}
	if d.State != StatePending {
		return nil // recorded by an earlier run of this job
	}
	w, err := s.load(ctx, d.WebhookID)
	if problem.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !w.Enabled {
		return s.finish(ctx, &d, StateFailed, "the subscription is disabled")
	}
	res := s.send(ctx, w, &d)
	next, err := s.record(ctx, w, &d, res)
	if err != nil {
		return err
	}
	if next > 0 {
		return &jobs.Retry{After: next, Err: fmt.Errorf("delivery %s: %s", d.ID, describe(res))}
	}
	return nil
}

// send posts the delivery's body with the Standard Webhooks headers.
func (s *Service) send(ctx context.Context, w *Webhook, d *Delivery) outbound.Result {
	ts := s.clock.Now()
	sig, err := Sign(w.Secret, d.MessageID, ts, []byte(d.Payload))
	if err != nil {
		return outbound.Result{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader([]byte(d.Payload)))
	if err != nil {
		return outbound.Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Duban-Webhooks/1")
	req.Header.Set("webhook-id", d.MessageID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	return outbound.Do(s.client, req)
}

func describe(r outbound.Result) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return "HTTP " + strconv.Itoa(r.Status)
}

// record writes an attempt's outcome; on failure it tracks how long the
// subscription has failed, disables it after RetryWindow (emitting
// events.WebhookDisabled in the same transaction), and returns the wait before
// the next attempt (0: none).
func (s *Service) record(ctx context.Context, w *Webhook, d *Delivery, res outbound.Result) (time.Duration, error) {
	var next time.Duration
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		cols := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_attempt_at": now, "response_status": res.Status,
			"latency_ms": res.Latency.Milliseconds(), "response_excerpt": res.Excerpt, "error": "", "next_attempt_at": nil}
		if res.OK() {
			cols["state"], cols["delivered_at"] = StateSucceeded, now
			if err := s.db.Conn(ctx).Model(&Delivery{}).Where("id = ?", d.ID).Updates(cols).Error; err != nil {
				return fmt.Errorf("record delivery: %w", err)
			}
			return s.db.Conn(ctx).Model(&Webhook{}).Where("id = ? AND failing_since IS NOT NULL", w.ID).Update("failing_since", nil).Error
		}
		cols["error"] = truncate(describe(res), 1000)
		// The subscription's failing streak, read under the transaction.
		var cur Webhook
		if err := s.db.Conn(ctx).Select("id, enabled, failing_since").Where("id = ?", w.ID).Take(&cur).Error; err != nil {
			return fmt.Errorf("read webhook: %w", err)
		}
		disable := false
		switch {
		case cur.FailingSince == nil:
			if err := s.db.Conn(ctx).Model(&Webhook{}).Where("id = ?", w.ID).Update("failing_since", now).Error; err != nil {
				return err
			}
		case cur.Enabled && now.Sub(*cur.FailingSince) >= RetryWindow:
			disable = true
		}
		wait := Backoff(d.Attempts + 1)
		if disable || now.Add(wait).After(d.CreatedAt.Add(RetryWindow)) {
			cols["state"] = StateFailed
		} else {
			cols["state"], cols["next_attempt_at"] = StatePending, now.Add(wait)
			next = wait
		}
		if err := s.db.Conn(ctx).Model(&Delivery{}).Where("id = ?", d.ID).Updates(cols).Error; err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		if disable {
			return s.disable(ctx, w, "failing since "+cur.FailingSince.UTC().Format(time.RFC3339)+": "+describe(res))
		}
		return nil
	})
	return next, err
}

// disable turns a failing subscription off and tells the administrators.
func (s *Service) disable(ctx context.Context, w *Webhook, reason string) error {
	now := s.clock.Now()
	reason = truncate(reason, 500)
	res := s.db.Conn(ctx).Model(&Webhook{}).Where("id = ? AND enabled = ?", w.ID, true).
		Updates(map[string]any{"enabled": false, "disabled_at": now, "disabled_reason": reason, "updated_at": now, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return fmt.Errorf("disable webhook: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	s.log.WarnContext(ctx, "webhook disabled after failures", "webhook", w.ID, "url", w.URL, "reason", reason)
	return s.outbox.Emit(ctx, nil, &events.WebhookDisabled{WebhookID: w.ID, URL: w.URL, Reason: reason})
}

// finish closes a delivery without an attempt.
func (s *Service) finish(ctx context.Context, d *Delivery, state, why string) error {
	return s.db.Conn(ctx).Model(&Delivery{}).Where("id = ?", d.ID).
		Updates(map[string]any{"state": state, "error": why, "next_attempt_at": nil}).Error
}

// Redeliver sends a delivery again, as a new entry of the log with the same
// webhook-id and body, retried like the first.
func (s *Service) Redeliver(ctx context.Context, p *access.Principal, hook, delivery uuid.UUID) (*Delivery, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	var out *Delivery
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		w, err := s.load(ctx, hook)
		if err != nil {
			return err
		}
		var d Delivery
		err = s.db.Conn(ctx).Where("id = ? AND webhook_id = ?", delivery, hook).Take(&d).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return problem.NotFound("delivery")
		}
		if err != nil {
			return fmt.Errorf("read delivery: %w", err)
		}
		if !w.Enabled {
			return problem.Conflict("webhook_disabled", "the subscription is disabled: enable it first")
		}
		n := Delivery{ID: uuid.Must(uuid.NewV7()), WebhookID: hook, MessageID: d.MessageID, EventID: d.EventID, EventType: d.EventType,
			Trigger: TriggerManual, Payload: d.Payload, State: StatePending, CreatedAt: s.clock.Now()}
		if err := s.enqueue(ctx, &n); err != nil {
			return err
		}
		out = &n
		return nil
	})
	return out, err
}

// Ping sends a webhook.ping message now and answers with its log entry (not
// retried; it does not count towards disabling).
func (s *Service) Ping(ctx context.Context, p *access.Principal, hook uuid.UUID) (*Delivery, error) {
	if err := admin(p, true); err != nil {
		return nil, err
	}
	w, err := s.load(ctx, hook)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	id := uuid.Must(uuid.NewV7())
	data, _ := json.Marshal(map[string]string{"webhook_id": w.ID.String(), "message": "Duban webhook test"})
	body, err := json.Marshal(message{Type: "webhook.ping", Timestamp: now.UTC(), ID: id.String(), Data: data})
	if err != nil {
		return nil, err
	}
	d := Delivery{ID: id, WebhookID: w.ID, MessageID: "msg_" + id.String(), EventType: "webhook.ping", Trigger: TriggerPing,
		Payload: string(body), State: StatePending, CreatedAt: now}
	res := s.send(ctx, w, &d)
	d.Attempts, d.LastAttemptAt, d.ResponseStatus, d.LatencyMS, d.ResponseExcerpt = 1, &now, res.Status, res.Latency.Milliseconds(), res.Excerpt
	if res.OK() {
		d.State, d.DeliveredAt = StateSucceeded, &now
	} else {
		d.State, d.Error = StateFailed, truncate(describe(res), 1000)
	}
	if err := s.db.Conn(ctx).Create(&d).Error; err != nil {
		return nil, fmt.Errorf("log ping: %w", err)
	}
	return &d, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
