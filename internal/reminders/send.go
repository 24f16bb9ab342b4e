package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/jobs"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/todo"
	"github.com/duban/duban/internal/urges"
)

// handleSend sends one reminder as the system. A reminder whose reason is gone
// (the item moved on, the request was decided, nobody must act any more) is
// dropped, not retried; anything else failing is retried by the queue.
func (s *Service) handleSend(ctx context.Context, j *jobs.Job) error {
	var a sendArgs
	if err := j.Decode(&a); err != nil {
		return jobs.Discard(err)
	}
	_, err := s.send(ctx, a)
	return err
}

// send sends the reminder a names, once: it reports whether an urge was
// written (false: sent already, or its reason is gone).
func (s *Service) send(ctx context.Context, a sendArgs) (bool, error) {
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return false, err
	}
	var c counter = workdays{cal}
	if a.Urgent {
		c = natural{}
	}
	recipients, err := s.recipients(ctx, a)
	if err != nil {
		return false, err
	}
	if recipients == nil {
		s.log.InfoContext(ctx, "reminder dropped: nobody must act now", "kind", a.Kind, "item", a.Item)
		return false, nil
	}
	opts := urges.Auto{Reminder: string(a.Kind), Day: a.Day.String(), Recipients: recipients,
		Deciding: a.Kind == KindCompletionWaiting}
	v, err := s.urges.SendAuto(ctx, a.Item, a.Unit, message(a, c, s.cal.Location()), opts)
	var p *problem.Problem
	if errors.As(err, &p) && (problem.IsNotFound(err) || problem.IsConflict(err) || problem.IsInvalid(err)) {
		s.log.InfoContext(ctx, "reminder dropped", "kind", a.Kind, "item", a.Item, "reason", p.Error())
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("send reminder %s on %s: %w", a.Kind, a.Item, err)
	}
	return v != nil, nil
}

// recipients are whom the reminder is for beyond the urged unit (its heads,
// liaisons and responsible persons, and whoever must acknowledge the urge, which
// the notifications subscriber adds): by the to-do list's rules, the people who
// must act now on the thing reminded of. nil (not empty) means nobody must any
// more: the reminder is dropped.
func (s *Service) recipients(ctx context.Context, a sendArgs) ([]uuid.UUID, error) {
	var key string
	switch a.Kind {
	case KindFeedbackDue, KindFeedbackOverdue:
		key = todo.KeyFeedbackToWrite
	case KindAssignmentNotAccepted:
		key = todo.KeyAssignmentsToAccept
	case KindExtensionWaiting:
		key = todo.KeyExtensionDecisions
	case KindCompletionWaiting:
		key = todo.KeyCompletionDecisions
	case KindEscalation:
		// The supervising leader (the unit's head is told as the urged unit's).
		var ids []uuid.UUID
		if err := s.db.Conn(ctx).Table("items").Where("id = ? AND supervising_leader_id IS NOT NULL", a.Item).
			Pluck("supervising_leader_id", &ids).Error; err != nil {
			return nil, fmt.Errorf("supervising leader: %w", err)
		}
		return append([]uuid.UUID{}, ids...), nil
	default:
		return []uuid.UUID{}, nil
	}
	ids, err := s.actNow.Recipients(ctx, key, a.Item, a.Ref)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

// message is the urge's text (Chinese, as urges are written; the notification
// carries it in both languages' bodies).
func message(a sendArgs, c counter, loc *time.Location) string {
	unit := "个工作日"
	if a.Urgent {
		unit = "天"
	}
	n := func(v int) string { return strconv.Itoa(v) + unit }
	date := a.Date.String()
	waited := 0
	if a.Since != nil {
		waited = c.between(civil.Of(a.Since.In(loc)), a.Day)
	}
	switch a.Kind {
	case KindDeadlineApproaching:
		return "【自动提醒】距办结时限（" + date + "）还有" + n(c.between(a.Day, a.Date)) + "，请抓紧办理，按期办结。"
	case KindOverdue:
		return "【自动催办】已超过办结时限（" + date + "）" + n(c.between(a.Date, a.Day)) + "，请尽快办结并说明原因。"
	case KindEscalation:
		return "【督办升级】已超过办结时限（" + date + "）" + n(c.between(a.Date, a.Day)) + "，已提请分管领导督办。"
	case KindFeedbackDue:
		return "【定时反馈】本期进展反馈应于 " + date + " 前报送，请按时反馈。"
	case KindFeedbackOverdue:
		return "【反馈逾期】本期进展反馈应于 " + date + " 报送，已逾期" + n(c.between(a.Date, a.Day)) + "，请尽快报送。"
	case KindAssignmentNotAccepted:
		return "【签收提醒】交办已" + n(waited) + "未签收，请及时签收办理。"
	case KindExtensionWaiting:
		return "【审批提醒】延期申请已等待决定" + n(waited) + "，请及时审核审批。"
	case KindCompletionWaiting:
		return "【审批提醒】办结申请已等待决定" + n(waited) + "，请及时审核审批。"
	}
	return "【自动提醒】请及时办理。"
}
