package extensions

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/review"
)

// Service runs extension requests and deadlines set by the supervision office.
type Service struct {
	db     *database.DB
	items  *items.Service
	review *review.Engine[*Request]
}

// NewService returns the extensions service.
func NewService(db *database.DB, it *items.Service) *Service {
	s := &Service{db: db, items: it}
	s.review = review.New(db, it, review.Kind[*Request]{What: "extension request", CodeChanged: CodeChanged,
		Check: checkStep, Apply: s.applyStep})
	return s
}

// Input is a new extension request.
type Input struct {
	RequestedDeadline civil.Date
	Reason            string
	// Progress is the progress so far in percent, when given.
	Progress *int
}

// View is a request as shown to one caller.
type View struct {
	Request
	AllowedActions []string
}

// List is an item's extension requests with what the caller may do on the item.
type List struct {
	Data []View
	// AllowedActions: request (an extension now), set_deadline.
	AllowedActions []string
}

// maxText bounds reasons and comments.
const maxText = 5000

func checkText(e *[]problem.FieldError, field, v string, required bool) {
	switch {
	case required && v == "":
		*e = append(*e, problem.FieldError{Field: field, Rule: "required", Message: "is required"})
	case utf8.RuneCountInString(v) > maxText:
		*e = append(*e, problem.FieldError{Field: field, Rule: "max", Message: fmt.Sprintf("must be at most %d characters", maxText)})
	}
}

func invalid(e []problem.FieldError) error {
	if len(e) == 0 {
		return nil
	}
	return problem.Invalid(e...)
}

// ListFor returns the item's extension requests, newest first.
func (s *Service) ListFor(ctx context.Context, p *access.Principal, itemID uuid.UUID) (*List, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	var rows []Request
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load extension requests: %w", err)
	}
	out := &List{Data: make([]View, len(rows))}
	open := false
	for i := range rows {
		open = open || rows[i].State.Open()
		out.Data[i] = View{Request: rows[i], AllowedActions: s.review.Actions(p, it, asgs, &rows[i])}
	}
	out.AllowedActions = itemActions(p, it, asgs, s.items.Today(), open)
	return out, nil
}

// Get returns one extension request.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	r, err := s.review.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	it, asgs, err := s.items.Load(ctx, p, r.ItemID, false)
	if err != nil {
		return nil, s.review.NotFound(err)
	}
	return &View{Request: *r, AllowedActions: s.review.Actions(p, it, asgs, r)}, nil
}

func (s *Service) hasOpen(ctx context.Context, itemID uuid.UUID) (bool, error) {
	return s.review.HasOpen(ctx, itemID)
}

func pending() error {
	return problem.Conflict(CodeExtensionPending, "the item already has an open extension request; wait for its decision")
}

// Create records an extension request of the lead unit (延期申请).
func (s *Service) Create(ctx context.Context, p *access.Principal, itemID uuid.UUID, in Input, pc items.Precondition) (*View, error) {
	today := s.items.Today()
	in.Reason = strings.TrimSpace(in.Reason)
	var r *Request
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if err := checkRequest(p, it, asgs, today); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		if open, err := s.hasOpen(ctx, itemID); err != nil {
			return err
		} else if open {
			return pending()
		}
		var e []problem.FieldError
		switch {
		case in.RequestedDeadline.IsZero():
			e = append(e, problem.FieldError{Field: "requested_deadline", Rule: "required", Message: "is required"})
		case !in.RequestedDeadline.After(it.Deadline):
			e = append(e, problem.FieldError{Field: "requested_deadline", Rule: "after_deadline",
				Message: "must be after the current deadline (" + it.Deadline.String() + ")"})
		}
		checkText(&e, "reason", in.Reason, true)
		if in.Progress != nil && (*in.Progress < 0 || *in.Progress > 100) {
			e = append(e, problem.FieldError{Field: "progress", Rule: "range", Message: "must be between 0 and 100"})
		}
		if err := invalid(e); err != nil {
			return err
		}
		at := s.items.Now()
		r = &Request{Fields: review.Fields{ID: newID(), ItemID: itemID, RequestedBy: p.UserID, UnitID: *it.LeadUnitID,
			State: StateRequested, Version: 1, CreatedAt: at, UpdatedAt: at},
			CurrentDeadline: it.Deadline, RequestedDeadline: in.RequestedDeadline, Reason: in.Reason, Progress: in.Progress}
		if err := s.db.Conn(ctx).Create(r).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return pending()
			}
			return fmt.Errorf("insert extension request: %w", err)
		}
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvRequest, Comment: r.Reason,
			Changes: map[string]any{
				"extension_request_id": map[string]any{"to": r.ID},
				"requested_deadline":   map[string]any{"from": it.Deadline, "to": r.RequestedDeadline},
			},
			Event: &events.ExtensionRequested{RequestEvent: events.RequestEvent{Request: r.ref(), Comment: r.Reason}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, r.ID)
}

// Review is the supervision office's first review: forward the request to the
// supervising leader, or reject it (comment required).
func (s *Service) Review(ctx context.Context, p *access.Principal, id uuid.UUID, decision, comment string, pc items.Precondition) (*View, error) {
	return s.Step(ctx, p, id, review.Step{Action: ActReview, Decision: decision, Comment: comment}, pc)
}

// Approve is the supervising leader's approval: the item's deadline moves to the
// requested one (original_deadline stays).
func (s *Service) Approve(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.Step(ctx, p, id, review.Step{Action: ActApprove, Comment: comment}, pc)
}

// Reject is the supervising leader's refusal (comment required).
func (s *Service) Reject(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.Step(ctx, p, id, review.Step{Action: ActReject, Comment: comment}, pc)
}

// Step takes one step of the review (internal/review) and renders the request.
func (s *Service) Step(ctx context.Context, p *access.Principal, id uuid.UUID, step review.Step, pc items.Precondition) (*View, error) {
	if err := s.review.Step(ctx, p, id, step, pc); err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// applyStep is what a written step does to the item: forwarding and rejecting are
// recorded on its timeline; approval moves its deadline (the door) and keeps the
// history row.
func (s *Service) applyStep(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, r *Request, from State, step review.Step) error {
	changes := map[string]any{
		"extension_request_id": map[string]any{"to": r.ID},
		"extension_state":      map[string]any{"from": from, "to": r.State},
	}
	re := events.RequestEvent{Request: r.ref(), Comment: step.Comment}
	switch r.State {
	case StateForwarded:
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvForward, Changes: changes, Comment: step.Comment,
			Event: &events.ExtensionForwarded{RequestEvent: re}})
	case StateRejected:
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvReject, Changes: changes, Comment: step.Comment,
			Event: &events.ExtensionRejected{RequestEvent: re}})
	}
	prev := it.Deadline
	changes["deadline"] = map[string]any{"from": prev, "to": r.RequestedDeadline}
	leader := p.UserID
	err := s.items.MoveDeadline(ctx, p, it, asgs, r.RequestedDeadline, items.DeadlineCause{Cause: items.CauseExtension, LeaderID: &leader},
		items.Note{Action: EvApprove, Changes: changes, Comment: step.Comment, Event: &events.ExtensionApproved{RequestEvent: re}})
	if err != nil {
		return err
	}
	return s.insertChange(ctx, &DeadlineChange{ItemID: it.ID, Kind: KindExtension, FromDeadline: prev, ToDeadline: r.RequestedDeadline,
		ExtensionRequestID: &r.ID, LeaderID: &leader, DecisionNote: step.Comment, ChangedBy: p.UserID})
}

func (s *Service) insertChange(ctx context.Context, c *DeadlineChange) error {
	c.ID, c.CreatedAt = newID(), s.items.Now()
	if err := s.db.Conn(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("record deadline change: %w", err)
	}
	return nil
}
