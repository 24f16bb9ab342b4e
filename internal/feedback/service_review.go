package feedback

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Submit sends a draft or returned feedback for review.
func (s *Service) Submit(ctx context.Context, p *access.Principal, id uuid.UUID, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, pc, func(ctx context.Context, f *Feedback, it *items.Item, asgs []items.Assignment) error {
		return s.submit(ctx, p, it, asgs, f)
	})
}

// Accept accepts a submitted feedback; a lead unit's report moves the item's
// progress.
func (s *Service) Accept(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, pc, func(ctx context.Context, f *Feedback, it *items.Item, asgs []items.Assignment) error {
		if err := decide(p, it, asgs, f, ActAccept); err != nil {
			return err
		}
		if err := s.review(ctx, p, f, StateAccepted, comment); err != nil {
			return err
		}
		return s.recordAccepted(ctx, p, it, asgs, f, comment)
	})
}

// Return sends a submitted feedback back to its unit with a comment (required).
func (s *Service) Return(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, pc, func(ctx context.Context, f *Feedback, it *items.Item, asgs []items.Assignment) error {
		if err := decide(p, it, asgs, f, ActReturn); err != nil {
			return err
		}
		if strings.TrimSpace(comment) == "" {
			return problem.Field("comment", "required", "say what the unit should change")
		}
		if err := s.review(ctx, p, f, StateReturned, comment); err != nil {
			return err
		}
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvReturned, Changes: eventChanges(f), Comment: comment,
			Event: &events.FeedbackReturned{FeedbackEvent: feedbackEvent(f, comment)}})
	})
}

// act runs a state action on a feedback in one transaction and renders it after.
func (s *Service) act(ctx context.Context, p *access.Principal, id uuid.UUID, pc items.Precondition,
	fn func(ctx context.Context, f *Feedback, it *items.Item, asgs []items.Assignment) error) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		f, it, asgs, err := s.load(ctx, p, id, true)
		if err != nil {
			return err
		}
		if err := pc.Check(f.Version); err != nil {
			return err
		}
		if err := fn(ctx, f, it, asgs); err != nil {
			return err
		}
		if f, err = find(ctx, s.db, id); err != nil {
			return err
		}
		out, err = s.view(ctx, p, it, asgs, f)
		return err
	})
	return out, err
}

// submit moves f to submitted and records it on the item's timeline.
func (s *Service) submit(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback) error {
	if err := decide(p, it, asgs, f, ActSubmit); err != nil {
		return err
	}
	at := s.items.Now()
	if err := update(ctx, s.db, f, map[string]any{"state": StateSubmitted, "submitted_at": at, "submitted_by": p.UserID}, at); err != nil {
		return err
	}
	f.State, f.SubmittedAt, f.SubmittedBy, f.Version = StateSubmitted, &at, &p.UserID, f.Version+1
	return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvSubmitted, Changes: eventChanges(f),
		Event: &events.FeedbackSubmitted{FeedbackEvent: feedbackEvent(f, "")}})
}

// review records the office's decision on f.
func (s *Service) review(ctx context.Context, p *access.Principal, f *Feedback, to State, comment string) error {
	at := s.items.Now()
	err := update(ctx, s.db, f, map[string]any{"state": to, "reviewed_at": at, "reviewed_by": p.UserID, "review_comment": comment}, at)
	if err != nil {
		return err
	}
	f.State, f.ReviewedAt, f.ReviewedBy, f.ReviewComment, f.Version = to, &at, &p.UserID, comment, f.Version+1
	return nil
}

// recordAccepted appends feedback_accepted; for the lead unit it also sets the
// item's progress to the progress of the lead unit's newest accepted report (by
// submission: accepting an older report after a newer one leaves the newer one's
// figure), under the item's optimistic lock.
func (s *Service) recordAccepted(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback, comment string) error {
	n := items.Note{Action: EvAccepted, Changes: eventChanges(f), Comment: comment,
		Event: &events.FeedbackAccepted{FeedbackEvent: feedbackEvent(f, comment)}}
	if it.LeadUnitID == nil || *it.LeadUnitID != f.UnitID {
		return s.items.Note(ctx, p, it, asgs, n)
	}
	last, err := lastReported(ctx, s.db, it.ID, f.UnitID, true)
	if err != nil {
		return err
	}
	if last == nil || last.Progress == it.Progress {
		return s.items.Note(ctx, p, it, asgs, n)
	}
	n.Changes["item_progress"] = map[string]any{"from": it.Progress, "to": last.Progress}
	return s.items.SetProgress(ctx, p, it, asgs, last.Progress, n)
}

// feedbackEvent is the payload of a report's events.
func feedbackEvent(f *Feedback, comment string) events.FeedbackEvent {
	return events.FeedbackEvent{Feedback: events.FeedbackRef{ID: f.ID, UnitID: f.UnitID, Progress: f.Progress, MilestoneID: f.MilestoneID},
		Comment: comment}
}

// eventChanges describes a feedback in its timeline events (never its text: the
// feedback itself is the record).
func eventChanges(f *Feedback) map[string]any {
	c := map[string]any{"feedback_id": f.ID.String(), "unit_id": f.UnitID.String(), "progress": f.Progress}
	if f.MilestoneID != nil {
		c["milestone_id"] = f.MilestoneID.String()
	}
	return c
}
