package extensions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/review"
)

// Service runs extension requests and deadlines set by the supervision office.
type Service struct {
	db    *database.DB
	items *items.Service
}

// NewService returns the extensions service.
func NewService(db *database.DB, it *items.Service) *Service {
	return &Service{db: db, items: it}
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
		out.Data[i] = View{Request: rows[i], AllowedActions: Actions(p, it, asgs, &rows[i])}
	}
	out.AllowedActions = itemActions(p, it, asgs, s.items.Today(), open)
	return out, nil
}

// Get returns one extension request.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	r, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	it, asgs, err := s.items.Load(ctx, p, r.ItemID, false)
	if err != nil {
		return nil, notFound(err)
	}
	return &View{Request: *r, AllowedActions: Actions(p, it, asgs, r)}, nil
}

func (s *Service) load(ctx context.Context, id uuid.UUID) (*Request, error) {
	var r Request
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("extension request")
		}
		return nil, fmt.Errorf("load extension request: %w", err)
	}
	return &r, nil
}

// notFound names the request, not its item, when the item is not visible.
func notFound(err error) error {
	if problem.IsNotFound(err) {
		return problem.NotFound("extension request")
	}
	return err
}

func (s *Service) hasOpen(ctx context.Context, itemID uuid.UUID) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&Request{}).Where("item_id = ? AND state IN ?", itemID, []State{StateRequested, StateForwarded}).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("count open extension requests: %w", err)
	}
	return n > 0, nil
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
		at := now()
		r = &Request{ID: newID(), ItemID: itemID, RequestedBy: p.UserID, UnitID: *it.LeadUnitID,
			CurrentDeadline: it.Deadline, RequestedDeadline: in.RequestedDeadline, Reason: in.Reason, Progress: in.Progress,
			State: StateRequested, Version: 1, CreatedAt: at, UpdatedAt: at}
		if err := s.db.Conn(ctx).Create(r).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return pending()
			}
			return fmt.Errorf("insert extension request: %w", err)
		}
		return s.items.Record(ctx, p, it, EvRequest, map[string]any{
			"extension_request_id": map[string]any{"to": r.ID},
			"requested_deadline":   map[string]any{"from": it.Deadline, "to": r.RequestedDeadline},
		}, r.Reason)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, r.ID)
}

// Review is the supervision office's first review: forward the request to the
// supervising leader, or reject it (comment required).
func (s *Service) Review(ctx context.Context, p *access.Principal, id uuid.UUID, decision, comment string, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, ActReview, decision, comment, pc)
}

// Approve is the supervising leader's approval: the item's deadline moves to the
// requested one (original_deadline stays).
func (s *Service) Approve(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, ActApprove, "", comment, pc)
}

// Reject is the supervising leader's refusal (comment required).
func (s *Service) Reject(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.act(ctx, p, id, ActReject, "", comment, pc)
}

func (s *Service) act(ctx context.Context, p *access.Principal, id uuid.UUID, action, decision, comment string, pc items.Precondition) (*View, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		r, err := s.load(ctx, id)
		if err != nil {
			return err
		}
		// The item's row lock serialises every change to its extension requests;
		// read the request again under it.
		it, asgs, err := s.items.Load(ctx, p, r.ItemID, true)
		if err != nil {
			return notFound(err)
		}
		if r, err = s.load(ctx, id); err != nil {
			return err
		}
		if err := decide(p, it, asgs, r, action); err != nil {
			return err
		}
		if err := pc.Check(r.Version); err != nil {
			return err
		}
		step := review.Step{Action: action, Decision: decision, Comment: comment}
		if err := step.Check(); err != nil {
			return err
		}
		return s.apply(ctx, p, it, r, step)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// apply writes a decided review or decision: the request's new state, the item's
// timeline, and on approval the item's new deadline and its history row.
func (s *Service) apply(ctx context.Context, p *access.Principal, it *items.Item, r *Request, step review.Step) error {
	at, to, comment := now(), step.To(), step.Comment
	ev := map[review.State]string{review.Forwarded: EvForward, review.Rejected: EvReject, review.Approved: EvApprove}[to]
	res := s.db.Conn(ctx).Model(&Request{}).Where("id = ? AND version = ?", r.ID, r.Version).Updates(step.Columns(p.UserID, at, r.Version))
	if res.Error != nil {
		return fmt.Errorf("update extension request: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.Conflict(CodeChanged, "the extension request changed while this request ran; reload it and retry")
	}
	changes := map[string]any{
		"extension_request_id": map[string]any{"to": r.ID},
		"extension_state":      map[string]any{"from": r.State, "to": to},
	}
	if to != StateApproved {
		return s.items.Record(ctx, p, it, ev, changes, comment)
	}
	from := it.Deadline
	changes["deadline"] = map[string]any{"from": from, "to": r.RequestedDeadline}
	if err := s.items.Change(ctx, p, it, ev, "", map[string]any{"deadline": r.RequestedDeadline}, changes, comment); err != nil {
		return err
	}
	return s.insertChange(ctx, &DeadlineChange{ItemID: it.ID, Kind: KindExtension, FromDeadline: from, ToDeadline: r.RequestedDeadline,
		ExtensionRequestID: &r.ID, LeaderID: &p.UserID, DecisionNote: comment, ChangedBy: p.UserID})
}

func (s *Service) insertChange(ctx context.Context, c *DeadlineChange) error {
	c.ID, c.CreatedAt = newID(), now()
	if err := s.db.Conn(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("record deadline change: %w", err)
	}
	return nil
}
