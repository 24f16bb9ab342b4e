package completion

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/review"
)

// Service runs completion requests.
type Service struct {
	db     *database.DB
	items  *items.Service
	files  Files
	review *review.Engine[*Request]
}

// NewService returns the completion service.
func NewService(db *database.DB, it *items.Service, files Files) *Service {
	s := &Service{db: db, items: it, files: files}
	s.review = review.New(db, it, review.Kind[*Request]{What: "completion request", CodeChanged: CodeChanged,
		Check: checkStep, Apply: s.applyStep})
	return s
}

// MaterialInput is one typed file of a new request.
type MaterialInput struct {
	Kind         string
	AttachmentID uuid.UUID
}

// Input is a new completion request.
type Input struct {
	Summary       string
	AttachmentIDs []uuid.UUID
	Materials     []MaterialInput
	// ReuseAttachmentIDs are files of the item's feedback, copied onto the request.
	ReuseAttachmentIDs []uuid.UUID
}

// View is a request as shown to one caller, with its typed materials and every file
// it claimed.
type View struct {
	Request
	Materials      []Material
	Attachments    []attachments.Attachment
	AllowedActions []string
}

// List is an item's completion requests with what the caller may do on the item.
type List struct {
	Data           []View
	AllowedActions []string
}

// maxSummary limits the request's summary (a step's comment: review.MaxComment).
const maxSummary = 20000

// ListFor returns the item's completion requests, newest first.
func (s *Service) ListFor(ctx context.Context, p *access.Principal, itemID uuid.UUID) (*List, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	var rows []Request
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load completion requests: %w", err)
	}
	vs, err := s.views(ctx, p, it, asgs, rows)
	if err != nil {
		return nil, err
	}
	return &List{Data: vs, AllowedActions: itemActions(p, it, asgs)}, nil
}

// Get returns one completion request.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	r, err := s.review.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	it, asgs, err := s.items.Load(ctx, p, r.ItemID, false)
	if err != nil {
		return nil, s.review.NotFound(err)
	}
	vs, err := s.views(ctx, p, it, asgs, []Request{*r})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// views adds materials, files and allowed actions to requests of one item.
func (s *Service) views(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, rows []Request) ([]View, error) {
	out := make([]View, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var mats []Material
	if err := s.db.Conn(ctx).Where("completion_request_id IN ?", ids).Order("sort").Find(&mats).Error; err != nil {
		return nil, fmt.Errorf("load completion materials: %w", err)
	}
	files, err := s.files.ListFor(ctx, OwnerType, ids)
	if err != nil {
		return nil, fmt.Errorf("load completion files: %w", err)
	}
	for i := range rows {
		v := View{Request: rows[i], Materials: []Material{}, Attachments: []attachments.Attachment{}, AllowedActions: s.review.Actions(p, it, asgs, &rows[i])}
		for _, m := range mats {
			if m.CompletionRequestID == rows[i].ID {
				v.Materials = append(v.Materials, m)
			}
		}
		for _, f := range files {
			if f.OwnerID != nil && *f.OwnerID == rows[i].ID {
				v.Attachments = append(v.Attachments, f)
			}
		}
		out[i] = v
	}
	return out, nil
}

func checkInput(in Input) error {
	var e []problem.FieldError
	add := func(field, rule, msg string) {
		e = append(e, problem.FieldError{Field: field, Rule: rule, Message: msg})
	}
	switch {
	case in.Summary == "":
		add("summary", "required", "is required")
	case utf8.RuneCountInString(in.Summary) > maxSummary:
		add("summary", "max", fmt.Sprintf("must be at most %d characters", maxSummary))
	}
	seen := map[uuid.UUID]bool{}
	for i, id := range in.AttachmentIDs {
		if seen[id] {
			add(fmt.Sprintf("attachment_ids[%d]", i), "unique", "the file is listed twice")
		}
		seen[id] = true
	}
	for i, id := range in.ReuseAttachmentIDs {
		if seen[id] {
			add(fmt.Sprintf("reuse_attachment_ids[%d]", i), "unique", "the file is listed twice")
		}
		seen[id] = true
	}
	for i, m := range in.Materials {
		f := fmt.Sprintf("materials[%d]", i)
		if !slices.Contains(Kinds, m.Kind) {
			add(f+".kind", "oneof", "must be one of: "+strings.Join(Kinds, ", "))
		}
		if seen[m.AttachmentID] {
			add(f+".attachment_id", "unique", "the file is listed twice")
		}
		seen[m.AttachmentID] = true
	}
	if len(e) > 0 {
		return problem.Invalid(e...)
	}
	return nil
}

// Create records the lead unit's completion request (办结申请); the item goes to
// completion_requested.
func (s *Service) Create(ctx context.Context, p *access.Principal, itemID uuid.UUID, in Input, pc items.Precondition) (*View, error) {
	in.Summary = strings.TrimSpace(in.Summary)
	var r *Request
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if _, err := items.Decide(p, it, asgs, items.ActRequestCompletion, items.FactsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		if err := checkInput(in); err != nil {
			return err
		}
		at := s.items.Now()
		r = &Request{Fields: review.Fields{ID: newID(), ItemID: itemID, RequestedBy: p.UserID, UnitID: *it.LeadUnitID,
			State: StateRequested, Version: 1, CreatedAt: at, UpdatedAt: at}, Summary: in.Summary}
		if err := s.db.Conn(ctx).Create(r).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return problem.Conflict(CodePending, "the item already has an open completion request")
			}
			return fmt.Errorf("insert completion request: %w", err)
		}
		if err := s.claim(ctx, itemID, r.ID, in); err != nil {
			return err
		}
		changes := map[string]any{"completion_request_id": map[string]any{"to": r.ID}}
		if n := len(in.AttachmentIDs) + len(in.Materials) + len(in.ReuseAttachmentIDs); n > 0 {
			changes["files"] = map[string]any{"to": n}
		}
		return s.items.RequestCompletion(ctx, p, it, asgs, items.Note{Changes: changes, Comment: r.Summary,
			Event: &events.CompletionRequested{RequestEvent: events.RequestEvent{Request: r.Ref()}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, r.ID)
}

// claim links the request's files (422 naming the bad one) and types its materials.
func (s *Service) claim(ctx context.Context, itemID, reqID uuid.UUID, in Input) error {
	if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, itemID, OwnerType, reqID); err != nil {
		return err
	}
	if _, err := s.files.Reuse(ctx, "reuse_attachment_ids", in.ReuseAttachmentIDs, itemID, feedbackOwner, OwnerType, reqID); err != nil {
		return err
	}
	ids := make([]uuid.UUID, len(in.Materials))
	for i, m := range in.Materials {
		ids[i] = m.AttachmentID
	}
	if err := s.files.Claim(ctx, "materials", ids, itemID, OwnerType, reqID); err != nil {
		// Claim names "materials[i]"; the id is that entry's attachment_id.
		var pb *problem.Problem
		if errors.As(err, &pb) && len(pb.Errors) > 0 {
			for i := range pb.Errors {
				pb.Errors[i].Field += ".attachment_id"
			}
			pb.Detail = pb.Errors[0].Field + ": " + pb.Errors[0].Message
		}
		return err
	}
	for i, m := range in.Materials {
		row := Material{CompletionRequestID: reqID, AttachmentID: m.AttachmentID, Kind: m.Kind, Sort: i}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("insert completion material: %w", err)
		}
	}
	return nil
}

// Review is the supervision office's review: forward to the supervising leader, or
// reject (退办, comment required): the item goes back to in_progress.
func (s *Service) Review(ctx context.Context, p *access.Principal, id uuid.UUID, decision, comment string, pc items.Precondition) (*View, error) {
	return s.Step(ctx, p, id, review.Step{Action: ActReview, Decision: decision, Comment: comment}, pc)
}

// Approve is the supervising leader's approval: the item is closed.
func (s *Service) Approve(ctx context.Context, p *access.Principal, id uuid.UUID, comment string, pc items.Precondition) (*View, error) {
	return s.Step(ctx, p, id, review.Step{Action: ActApprove, Comment: comment}, pc)
}

// Reject is the supervising leader's refusal (comment required): the item goes back
// to in_progress.
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

// applyStep is what a written step does to the item: forwarded leaves it as it
// is; rejected sends it back to in_progress; approved closes it.
func (s *Service) applyStep(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, r *Request, from State, step review.Step) error {
	changes := map[string]any{
		"completion_request_id": map[string]any{"to": r.ID},
		"completion_state":      map[string]any{"from": from, "to": r.State},
	}
	re := events.RequestEvent{Request: r.Ref(), Comment: step.Comment}
	switch r.State {
	case StateForwarded:
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvForward, Changes: changes, Comment: step.Comment,
			Event: &events.CompletionForwarded{RequestEvent: re}})
	case StateApproved:
		return s.items.ApproveCompletion(ctx, p, it, asgs, items.Note{Changes: changes, Comment: step.Comment,
			Event: &events.CompletionApproved{RequestEvent: re}})
	}
	return s.items.RejectCompletion(ctx, p, it, asgs, items.Note{Changes: changes, Comment: step.Comment,
		Event: &events.CompletionRejected{RequestEvent: re}})
}
