package channels

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/notifications"
	"github.com/duban/duban/internal/outbound"
)

// JobSend is the job kind of one robot message.
const JobSend = "channel.send"

// sendAttempts: a robot message is tried for about a day (jobs.Backoff up to an
// hour between attempts), then given up.
const sendAttempts = 30

type sendArgs struct {
	ChannelID uuid.UUID `json:"channel_id"`
	EventID   uuid.UUID `json:"event_id"`
	Message   Message   `json:"message"`
}

// RegisterJobs registers the send job on w.
func (s *Service) RegisterJobs(w *jobs.Worker) { w.Handle(JobSend, s.sendJob) }

// Tell is the listener of notifications.Service (OnTold): inside the dispatch's
// transaction it enqueues a message for each enabled robot of the units and
// scopes of the people told, once per robot and event.
func (s *Service) Tell(ctx context.Context, t notifications.Told) error {
	if len(t.Users) == 0 {
		return nil
	}
	var places []struct {
		UnitID  uuid.UUID `gorm:"type:uuid"`
		ScopeID uuid.UUID `gorm:"type:uuid"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT DISTINCT ou.id AS unit_id, ou.scope_id AS scope_id FROM users u
		JOIN org_units ou ON ou.id = u.org_unit_id WHERE u.id IN ?`, t.Users).Scan(&places).Error
	if err != nil {
		return fmt.Errorf("units of the people told: %w", err)
	}
	if len(places) == 0 {
		return nil
	}
	var units, scopes []uuid.UUID
	for _, p := range places {
		units, scopes = append(units, p.UnitID), append(scopes, p.ScopeID)
	}
	var chans []Channel
	if err := s.db.Conn(ctx).Where("enabled = ? AND (unit_id IN ? OR scope_id IN ?)", true, units, scopes).
		Order("id").Find(&chans).Error; err != nil {
		return fmt.Errorf("robots: %w", err)
	}
	msg := Message{Title: t.TitleZh, Body: t.BodyZh, URL: s.publicURL + t.Link}
	for i := range chans {
		c := &chans[i]
		if !c.Wants(string(t.Kind)) {
			continue
		}
		_, err := s.queue.Enqueue(ctx, JobSend, sendArgs{ChannelID: c.ID, EventID: t.EventID, Message: msg},
			jobs.Unique(JobSend+":"+c.ID.String()+":"+t.EventID.String()), jobs.Attempts(sendAttempts))
		if err != nil {
			return err
		}
	}
	return nil
}

// sendJob sends one message and records the outcome on the robot; a failure is
// retried by the queue's backoff.
func (s *Service) sendJob(ctx context.Context, j *jobs.Job) error {
	var a sendArgs
	if err := j.Decode(&a); err != nil {
		return jobs.Discard(err)
	}
	var c Channel
	err := s.db.Conn(ctx).Where("id = ?", a.ChannelID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if !c.Enabled {
		return nil
	}
	res, sendErr := s.Send(ctx, &c, a.Message)
	cols := map[string]any{"last_sent_at": s.clock.Now(), "last_status": res.Status, "last_error": ""}
	if sendErr != nil {
		cols["last_error"] = clip(sendErr.Error(), 900)
	}
	if err := s.db.Conn(ctx).Model(&Channel{}).Where("id = ?", c.ID).Updates(cols).Error; err != nil {
		return fmt.Errorf("record robot message: %w", err)
	}
	return sendErr
}

// Send posts msg to the robot now and reads its answer.
func (s *Service) Send(ctx context.Context, c *Channel, msg Message) (outbound.Result, error) {
	req, err := request(ctx, c, msg, s.clock.Now())
	if err != nil {
		return outbound.Result{}, jobs.Discard(err)
	}
	res := outbound.Do(s.client, req)
	return res, accepted(c.Platform, res)
}
