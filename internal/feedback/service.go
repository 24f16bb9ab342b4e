package feedback

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// MaxText is the longest content, problems or next steps, in characters.
const MaxText = 20000

// Service runs feedback.
type Service struct {
	db    *database.DB
	items *items.Service
	files *attachments.Service
	cal   *calendar.Service
}

// NewService returns the feedback service and makes itemsSvc keep its
// assignments' next feedback due dates with it (items.UseFeedbackDue), and files
// hide a draft's files from everyone who does not see the draft.
func NewService(db *database.DB, itemsSvc *items.Service, files *attachments.Service, cal *calendar.Service) *Service {
	s := &Service{db: db, items: itemsSvc, files: files, cal: cal}
	if itemsSvc != nil {
		itemsSvc.UseFeedbackDue(s)
	}
	if files != nil && itemsSvc != nil {
		files.UseOwnerFilter(OwnerType, s.visibleOwners)
	}
	return s
}

// View is a feedback as shown to one caller.
type View struct {
	Feedback
	Attachments    []attachments.Attachment
	AllowedActions []string
}

// Input is a new feedback.
type Input struct {
	// UnitID is the reporting unit; nil picks the only assigned unit the caller
	// works for.
	UnitID              *uuid.UUID
	Progress            int
	Content             string
	Problems, NextSteps string
	MilestoneID         *uuid.UUID
	AttachmentIDs       []uuid.UUID
	// BasedOnID names the earlier feedback of the unit the text was copied from.
	BasedOnID *uuid.UUID
	// Submit submits the new feedback at once (head or liaison only).
	Submit bool
}

// Patch edits a draft or returned feedback; nil leaves a field as it is.
type Patch struct {
	Progress                     *int
	Content, Problems, NextSteps *string
	// MilestoneID sets the milestone; ClearMilestone removes it.
	MilestoneID    *uuid.UUID
	ClearMilestone bool
	// AttachmentIDs are added to the feedback's attachments.
	AttachmentIDs []uuid.UUID
}

// Create drafts a feedback (and submits it when in.Submit).
func (s *Service) Create(ctx context.Context, p *access.Principal, itemID uuid.UUID, in Input) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		unit, err := decideCreate(p, it, asgs, in.UnitID)
		if err != nil {
			return err
		}
		at := s.items.Now()
		f := &Feedback{
			ID: newID(), ItemID: it.ID, UnitID: unit, Progress: in.Progress, Content: in.Content, Problems: in.Problems,
			NextSteps: in.NextSteps, MilestoneID: in.MilestoneID, BasedOnID: in.BasedOnID, State: StateDraft,
			CreatedBy: p.UserID, UpdatedBy: p.UserID, Version: 1, CreatedAt: at, UpdatedAt: at,
		}
		if err := s.validate(ctx, p, it, f); err != nil {
			return err
		}
		open, err := openOf(ctx, s.db, it.ID, unit)
		if err != nil {
			return err
		}
		if open != nil {
			return problem.Conflict(CodeOpenExists, "the unit already has a feedback in the works on this item; edit that one").
				With("feedback_id", open.ID.String())
		}
		if err := insert(ctx, s.db, f); err != nil {
			return err
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, it.ID, OwnerType, f.ID); err != nil {
			return err
		}
		if in.Submit {
			if err := s.submit(ctx, p, it, asgs, f); err != nil {
				return err
			}
		}
		out, err = s.view(ctx, p, it, asgs, f)
		return err
	})
	return out, err
}

// Get returns one feedback (404 when the caller cannot see it).
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	f, it, asgs, err := s.load(ctx, p, id, false)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p, it, asgs, f)
}

// Update edits a draft or a returned feedback.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in Patch, pc items.Precondition) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		f, it, asgs, err := s.load(ctx, p, id, true)
		if err != nil {
			return err
		}
		if err := pc.Check(f.Version); err != nil {
			return err
		}
		if err := decide(p, it, asgs, f, ActUpdate); err != nil {
			return err
		}
		next := *f
		if in.Progress != nil {
			next.Progress = *in.Progress
		}
		setText(&next.Content, in.Content)
		setText(&next.Problems, in.Problems)
		setText(&next.NextSteps, in.NextSteps)
		if in.ClearMilestone {
			next.MilestoneID = nil
		} else if in.MilestoneID != nil {
			next.MilestoneID = in.MilestoneID
		}
		if err := s.validate(ctx, p, it, &next); err != nil {
			return err
		}
		cols := map[string]any{"progress": next.Progress, "content": next.Content, "problems": next.Problems,
			"next_steps": next.NextSteps, "milestone_id": next.MilestoneID, "updated_by": p.UserID}
		if err := update(ctx, s.db, f, cols, s.items.Now()); err != nil {
			return err
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, it.ID, OwnerType, f.ID); err != nil {
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

func setText(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// load reads a feedback with its item, 404 unless the caller sees both. forUpdate
// locks the item (PostgreSQL) and reads the feedback again under that lock: every
// change to a feedback locks its item first, so they queue up.
func (s *Service) load(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Feedback, *items.Item, []items.Assignment, error) {
	f, err := find(ctx, s.db, id)
	if err != nil {
		return nil, nil, nil, err
	}
	it, asgs, err := s.items.Load(ctx, p, f.ItemID, forUpdate)
	if err != nil {
		if problem.IsNotFound(err) {
			return nil, nil, nil, problem.NotFound("feedback")
		}
		return nil, nil, nil, err
	}
	if forUpdate {
		if f, err = find(ctx, s.db, id); err != nil {
			return nil, nil, nil, err
		}
	}
	if !canSee(p, f, asgs) {
		return nil, nil, nil, problem.NotFound("feedback")
	}
	return f, it, asgs, nil
}

// validate checks a feedback's fields: progress 0–100, content present, lengths,
// the milestone and the copied-from feedback belong to the item (and unit).
func (s *Service) validate(ctx context.Context, p *access.Principal, it *items.Item, f *Feedback) error {
	var errs []problem.FieldError
	add := func(field, rule, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Rule: rule, Message: msg})
	}
	if f.Progress < 0 || f.Progress > 100 {
		add("progress", "range", "must be between 0 and 100")
	}
	if strings.TrimSpace(f.Content) == "" {
		add("content", "required", "is required")
	}
	for field, v := range map[string]string{"content": f.Content, "problems": f.Problems, "next_steps": f.NextSteps} {
		if utf8.RuneCountInString(v) > MaxText {
			add(field, "max", fmt.Sprintf("must be at most %d characters", MaxText))
		}
	}
	if f.MilestoneID != nil {
		ms, _, err := s.items.ListMilestones(ctx, p, it.ID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ms, func(m items.Milestone) bool { return m.ID == *f.MilestoneID }) {
			add("milestone_id", "same_item", "no such milestone on this item")
		}
	}
	if f.BasedOnID != nil {
		prev, err := find(ctx, s.db, *f.BasedOnID)
		switch {
		case problem.IsNotFound(err):
			add("based_on_id", "exists", "no such feedback")
		case err != nil:
			return err
		case prev.ItemID != it.ID || prev.UnitID != f.UnitID || prev.State == StateDraft:
			add("based_on_id", "same_unit", "must be an earlier submitted feedback of the same unit on this item")
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b problem.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return problem.Invalid(errs...)
}

// view renders one feedback for p.
func (s *Service) view(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, f *Feedback) (*View, error) {
	vs, err := s.views(ctx, p, it, asgs, []Feedback{*f})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func (s *Service) views(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, rows []Feedback) ([]View, error) {
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	files, err := s.files.ListFor(ctx, OwnerType, ids)
	if err != nil {
		return nil, fmt.Errorf("load feedback attachments: %w", err)
	}
	byOwner := map[uuid.UUID][]attachments.Attachment{}
	for _, a := range files {
		if a.OwnerID != nil {
			byOwner[*a.OwnerID] = append(byOwner[*a.OwnerID], a)
		}
	}
	out := make([]View, len(rows))
	for i := range rows {
		out[i] = View{Feedback: rows[i], Attachments: byOwner[rows[i].ID], AllowedActions: AllowedActions(p, it, asgs, &rows[i])}
	}
	return out, nil
}
