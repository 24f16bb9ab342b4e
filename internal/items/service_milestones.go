package items

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// Milestones (节点): who may manage them is the manage_milestones row of the state
// machine (the initiator in a draft, the supervision office until the item closes,
// and the lead unit once it is issued). A milestone's due date must not be in the
// past when set, nor after the item's deadline.

// MilestoneInput is a new milestone.
type MilestoneInput struct {
	Title   string
	DueDate civil.Date
	Sort    *int
}

// MilestonePatch changes a milestone; nil leaves a field as it is.
type MilestonePatch struct {
	Title   *string
	DueDate *civil.Date
	Done    *bool
	Sort    *int
}

// ListMilestones returns the item's milestones in order, and what p may do to them
// (their allowed_actions, the same for all of one item's milestones).
func (s *Service) ListMilestones(ctx context.Context, p *access.Principal, itemID uuid.UUID) ([]Milestone, []string, error) {
	it, asgs, err := s.visibleItem(ctx, p, itemID, false)
	if err != nil {
		return nil, nil, err
	}
	var out []Milestone
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("sort, due_date, created_at").Find(&out).Error; err != nil {
		return nil, nil, fmt.Errorf("load milestones: %w", err)
	}
	return out, milestoneActions(p, it, asgs), nil
}

// MilestoneActions is `allowed_actions` of the item's milestones, for a milestone
// read on its own.
func (s *Service) MilestoneActions(ctx context.Context, p *access.Principal, itemID uuid.UUID) ([]string, error) {
	it, asgs, err := s.visibleItem(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	return milestoneActions(p, it, asgs), nil
}

// milestoneActions: update and delete while p may manage the item's milestones
// (manage_milestones), nothing otherwise.
func milestoneActions(p *access.Principal, it *Item, asgs []Assignment) []string {
	if slices.Contains(AllowedActions(p, it, asgs), string(ActMilestones)) {
		return []string{"delete", "update"}
	}
	return []string{}
}

// GetMilestone returns one milestone.
func (s *Service) GetMilestone(ctx context.Context, p *access.Principal, id uuid.UUID) (*Milestone, error) {
	m, _, _, err := s.milestoneItem(ctx, p, id, false)
	return m, err
}

func (s *Service) milestoneItem(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Milestone, *Item, []Assignment, error) {
	var m Milestone
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, nil, problem.NotFound("milestone")
		}
		return nil, nil, nil, fmt.Errorf("load milestone: %w", err)
	}
	it, asgs, err := s.visibleItem(ctx, p, m.ItemID, forUpdate)
	if problem.IsNotFound(err) {
		return nil, nil, nil, problem.NotFound("milestone")
	}
	return &m, it, asgs, err
}

// milestoneEvent is the payload of a milestone's events.
func milestoneEvent(m *Milestone) events.MilestoneEvent {
	return events.MilestoneEvent{MilestoneID: m.ID, Title: m.Title, DueDate: m.DueDate.String(), Done: m.Done}
}

func checkMilestone(e *fieldErrs, title string, due civil.Date, it *Item, today civil.Date) {
	textLen(e, "title", title, true, 300)
	if due.IsZero() {
		e.add("due_date", "required", "is required")
	}
	notPast(e, "due_date", due, today)
	if !due.IsZero() && !it.Deadline.IsZero() && due.After(it.Deadline) {
		e.add("due_date", "deadline", "must not be after the item's deadline ("+it.Deadline.String()+")")
	}
}

// CreateMilestone adds a milestone to an item.
func (s *Service) CreateMilestone(ctx context.Context, p *access.Principal, itemID uuid.UUID, in MilestoneInput) (*Milestone, error) {
	today := s.today()
	var m *Milestone
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActMilestones, factsOf(it)); err != nil {
			return err
		}
		var e fieldErrs
		checkMilestone(&e, in.Title, in.DueDate, it, today)
		if err := e.err(); err != nil {
			return err
		}
		at := s.now()
		m = &Milestone{ID: newID(), ItemID: itemID, Title: in.Title, DueDate: in.DueDate, Version: 1, CreatedAt: at, UpdatedAt: at}
		if in.Sort != nil {
			m.Sort = *in.Sort
		} else {
			var max *int
			if err := s.db.Conn(ctx).Table("item_milestones").Select("MAX(sort)").Where("item_id = ?", itemID).Scan(&max).Error; err != nil {
				return fmt.Errorf("read milestone order: %w", err)
			}
			if max != nil {
				m.Sort = *max + 1
			}
		}
		if err := s.db.Conn(ctx).Create(m).Error; err != nil {
			return fmt.Errorf("insert milestone: %w", err)
		}
		return s.record(ctx, p, it, asgs, entry{Action: EvMilestoneCreate, From: it.State,
			Changes: map[string]any{"milestone": change{To: map[string]any{"id": m.ID, "title": m.Title, "due_date": m.DueDate}}},
			Events:  []events.ItemEvent{&events.MilestoneCreated{MilestoneEvent: milestoneEvent(m)}}})
	})
	return m, err
}

// UpdateMilestone edits a milestone or marks it done; pc is checked against the
// milestone's version.
func (s *Service) UpdateMilestone(ctx context.Context, p *access.Principal, id uuid.UUID, in MilestonePatch, pc Precondition) (*Milestone, error) {
	today := s.today()
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		m, it, asgs, err := s.milestoneItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActMilestones, factsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(m.Version); err != nil {
			return err
		}
		cols, changes := map[string]any{}, map[string]any{"milestone_id": change{To: m.ID}}
		var e fieldErrs
		if in.Title != nil && *in.Title != m.Title {
			textLen(&e, "title", *in.Title, true, 300)
			cols["title"], changes["title"] = *in.Title, change{From: m.Title, To: *in.Title}
		}
		if in.DueDate != nil && *in.DueDate != m.DueDate {
			checkMilestone(&e, "-", *in.DueDate, it, today)
			cols["due_date"], changes["due_date"] = *in.DueDate, change{From: m.DueDate, To: *in.DueDate}
		}
		if in.Sort != nil && *in.Sort != m.Sort {
			cols["sort"], changes["sort"] = *in.Sort, change{From: m.Sort, To: *in.Sort}
		}
		if in.Done != nil && *in.Done != m.Done {
			cols["done"], changes["done"] = *in.Done, change{From: m.Done, To: *in.Done}
			if *in.Done {
				cols["done_at"], cols["done_by"] = s.now(), p.UserID
			} else {
				cols["done_at"], cols["done_by"] = nil, nil
			}
		}
		if err := e.err(); err != nil {
			return err
		}
		if len(cols) == 0 {
			return nil
		}
		cols["version"] = gorm.Expr("version + 1")
		cols["updated_at"] = s.now()
		res := s.db.Conn(ctx).Table("item_milestones").Where("id = ? AND version = ?", id, m.Version).Updates(cols)
		if res.Error != nil {
			return fmt.Errorf("update milestone: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return problem.Conflict(CodeConflict, "the milestone changed while the request ran; reload it and retry")
		}
		if v, ok := cols["title"].(string); ok {
			m.Title = v
		}
		if v, ok := cols["due_date"].(civil.Date); ok {
			m.DueDate = v
		}
		if v, ok := cols["done"].(bool); ok {
			m.Done = v
		}
		return s.record(ctx, p, it, asgs, entry{Action: EvMilestoneUpdate, From: it.State, Changes: changes,
			Events: []events.ItemEvent{&events.MilestoneUpdated{MilestoneEvent: milestoneEvent(m)}}})
	})
	if err != nil {
		return nil, err
	}
	return s.GetMilestone(ctx, p, id)
}

// DeleteMilestone removes a milestone.
func (s *Service) DeleteMilestone(ctx context.Context, p *access.Principal, id uuid.UUID, pc Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		m, it, asgs, err := s.milestoneItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActMilestones, factsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(m.Version); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Where("id = ?", id).Delete(&Milestone{}).Error; err != nil {
			return fmt.Errorf("delete milestone: %w", err)
		}
		return s.record(ctx, p, it, asgs, entry{Action: EvMilestoneDelete, From: it.State,
			Changes: map[string]any{"milestone": change{From: map[string]any{"id": m.ID, "title": m.Title, "due_date": m.DueDate}, To: nil}},
			Events:  []events.ItemEvent{&events.MilestoneDeleted{MilestoneEvent: milestoneEvent(m)}}})
	})
}
