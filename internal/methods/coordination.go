package methods

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// CoordinationInput is a new coordination meeting record.
type CoordinationInput struct {
	HeldOn          civil.Date
	Place           string
	AttendeeUserIDs []uuid.UUID
	AttendeeUnitIDs []uuid.UUID
	Decisions       []string
	Minutes         string
	// AttachmentIDs are the minutes' files, uploaded first.
	AttachmentIDs []uuid.UUID
}

// RecordCoordination records a coordination meeting (组织协调) and its decisions.
func (s *Service) RecordCoordination(ctx context.Context, p *access.Principal, itemID uuid.UUID, in CoordinationInput) (*CoordinationView, error) {
	in.Place, in.Minutes = strings.TrimSpace(in.Place), strings.TrimSpace(in.Minutes)
	var out *CoordinationView
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if err := items.DecideMethod(p, it, true); err != nil {
			return err
		}
		var e fieldErrs
		date(&e, "held_on", in.HeldOn, s.items.Today())
		text(&e, "place", in.Place, true, maxPlace)
		text(&e, "minutes", in.Minutes, false, maxText)
		people(&e, "attendee_user_ids", in.AttendeeUserIDs, false)
		people(&e, "attendee_unit_ids", in.AttendeeUnitIDs, false)
		if len(in.AttendeeUserIDs)+len(in.AttendeeUnitIDs) == 0 {
			e.add("attendee_user_ids", "required", "name at least one attending person or unit")
		}
		if err := s.checkUsers(ctx, &e, "attendee_user_ids", in.AttendeeUserIDs); err != nil {
			return err
		}
		if err := s.items.CheckUnitsAndLeaders(ctx, it.ScopeID, map[string][]uuid.UUID{"attendee_unit_ids": in.AttendeeUnitIDs}, nil); err != nil {
			var pr *problem.Problem
			if !errors.As(err, &pr) {
				return err
			}
			e = append(e, pr.Errors...)
		}
		switch {
		case len(in.Decisions) == 0:
			e.add("decisions", "required", "name at least one decision")
		case len(in.Decisions) > maxDecisions:
			e.add("decisions", "max", fmt.Sprintf("at most %d", maxDecisions))
		}
		for i := range in.Decisions {
			in.Decisions[i] = strings.TrimSpace(in.Decisions[i])
			text(&e, fmt.Sprintf("decisions[%d]", i), in.Decisions[i], true, maxDecision)
		}
		if err := e.err(); err != nil {
			return err
		}
		m := &Coordination{ID: newID(), ItemID: itemID, HeldOn: in.HeldOn, Place: in.Place, Minutes: in.Minutes,
			CreatedBy: p.UserID, CreatedAt: s.items.Now()}
		conn := s.db.Conn(ctx)
		if err := conn.Create(m).Error; err != nil {
			return fmt.Errorf("insert coordination meeting: %w", err)
		}
		n := 0
		for _, g := range []struct {
			kind string
			ids  []uuid.UUID
		}{{AttendeeUser, in.AttendeeUserIDs}, {AttendeeUnit, in.AttendeeUnitIDs}} {
			for _, id := range g.ids {
				n++
				if err := conn.Create(&attendee{CoordinationID: m.ID, SubjectID: id, Kind: g.kind, Sort: n}).Error; err != nil {
					return fmt.Errorf("insert attendee: %w", err)
				}
			}
		}
		for i, d := range in.Decisions {
			if err := conn.Create(&Decision{ID: newID(), CoordinationID: m.ID, ItemID: itemID, Sort: i, Text: d}).Error; err != nil {
				return fmt.Errorf("insert decision: %w", err)
			}
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, itemID, OwnerCoordination, m.ID); err != nil {
			return err
		}
		changes := map[string]any{"coordination_id": map[string]any{"to": m.ID}, "held_on": map[string]any{"to": m.HeldOn},
			"place": map[string]any{"to": m.Place}, "decisions": map[string]any{"to": in.Decisions}}
		if err := s.items.Note(ctx, p, it, asgs, items.Note{Action: EvCoordination, Changes: changes, Comment: strings.Join(in.Decisions, "\n"),
			Event: &events.CoordinationRecorded{CoordinationEvent: events.CoordinationEvent{CoordinationID: m.ID,
				HeldOn: m.HeldOn.String(), Decisions: len(in.Decisions)}}}); err != nil {
			return err
		}
		vs, err := s.coordinationViews(ctx, p, it, asgs, []Coordination{*m})
		if err != nil {
			return err
		}
		out = &vs[0]
		return nil
	})
	return out, err
}

func (s *Service) coordinationViews(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, rows []Coordination) ([]CoordinationView, error) {
	out := make([]CoordinationView, len(rows))
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	conn := s.db.Conn(ctx)
	var atts []attendee
	if err := conn.Where("coordination_id IN ?", ids).Order("sort").Find(&atts).Error; err != nil {
		return nil, fmt.Errorf("load attendees: %w", err)
	}
	var decs []Decision
	if err := conn.Where("coordination_id IN ?", ids).Order("sort").Find(&decs).Error; err != nil {
		return nil, fmt.Errorf("load decisions: %w", err)
	}
	files, err := s.files.ListFor(ctx, OwnerCoordination, ids)
	if err != nil {
		return nil, fmt.Errorf("load coordination files: %w", err)
	}
	for i := range rows {
		v := CoordinationView{Coordination: rows[i], AttendeeUserIDs: []uuid.UUID{}, AttendeeUnitIDs: []uuid.UUID{},
			Decisions: []DecisionView{}, Attachments: ownedBy(files, rows[i].ID)}
		for _, a := range atts {
			switch {
			case a.CoordinationID != rows[i].ID:
			case a.Kind == AttendeeUnit:
				v.AttendeeUnitIDs = append(v.AttendeeUnitIDs, a.SubjectID)
			default:
				v.AttendeeUserIDs = append(v.AttendeeUserIDs, a.SubjectID)
			}
		}
		for _, d := range decs {
			if d.CoordinationID == rows[i].ID {
				v.Decisions = append(v.Decisions, DecisionView{Decision: d, AllowedActions: decisionActions(p, it, asgs, &d)})
			}
		}
		out[i] = v
	}
	return out, nil
}

// decisionActions: make_milestone and make_sub_item while the decision has none.
func decisionActions(p *access.Principal, it *items.Item, asgs []items.Assignment, d *Decision) []string {
	records := items.DecideMethod(p, it, true) == nil
	_, milestones := items.Decide(p, it, asgs, items.ActMilestones, items.FactsOf(it))
	return access.Actions(map[string]bool{
		ActMakeMilestone: records && milestones == nil && d.MilestoneID == nil,
		ActMakeSubItem:   records && items.CanAddSubItem(p, it) && d.SubItemID == nil,
	})
}

// decision loads a decision and its item (for update), 404 for callers who do not
// see the item.
func (s *Service) decision(ctx context.Context, p *access.Principal, id uuid.UUID) (*Decision, *items.Item, []items.Assignment, error) {
	var d Decision
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, nil, problem.NotFound("decision")
		}
		return nil, nil, nil, fmt.Errorf("load decision: %w", err)
	}
	it, asgs, err := s.items.Load(ctx, p, d.ItemID, true)
	if problem.IsNotFound(err) {
		return nil, nil, nil, problem.NotFound("decision")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	// Again under the item's lock: another request may have linked it meanwhile.
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return nil, nil, nil, fmt.Errorf("reload decision: %w", err)
	}
	if err := items.DecideMethod(p, it, true); err != nil {
		return nil, nil, nil, err
	}
	return &d, it, asgs, nil
}

// MakeMilestone turns a decision into a milestone of its item (one action): the
// milestone's title is the decision's text unless title is given.
func (s *Service) MakeMilestone(ctx context.Context, p *access.Principal, id uuid.UUID, title string, due civil.Date) (*DecisionView, error) {
	var out *DecisionView
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		d, it, asgs, err := s.decision(ctx, p, id)
		if err != nil {
			return err
		}
		if d.MilestoneID != nil {
			return problem.InvalidTransition(ActMakeMilestone, "has_milestone", []string{})
		}
		if title = strings.TrimSpace(title); title == "" {
			title = truncate(d.Text, 300)
		}
		m, err := s.items.CreateMilestone(ctx, p, it.ID, items.MilestoneInput{Title: title, DueDate: due})
		if err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Model(&Decision{}).Where("id = ?", d.ID).Update("milestone_id", m.ID).Error; err != nil {
			return fmt.Errorf("link decision to milestone: %w", err)
		}
		d.MilestoneID = &m.ID
		// The milestone moved the item's timeline on: note the link on a fresh copy.
		if it, asgs, err = s.items.Load(ctx, p, it.ID, true); err != nil {
			return err
		}
		if err := s.noteLink(ctx, p, it, asgs, d, "milestone_id", m.ID); err != nil {
			return err
		}
		out = &DecisionView{Decision: *d, AllowedActions: decisionActions(p, it, asgs, d)}
		return nil
	})
	return out, err
}

// LinkSubItem records that a sub-item of the decision's item, made from the
// decision with the sub-item form, carries it out.
func (s *Service) LinkSubItem(ctx context.Context, p *access.Principal, id, subItemID uuid.UUID) (*DecisionView, error) {
	var out *DecisionView
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		d, it, asgs, err := s.decision(ctx, p, id)
		if err != nil {
			return err
		}
		if d.SubItemID != nil {
			return problem.InvalidTransition(ActMakeSubItem, "has_sub_item", []string{})
		}
		var sub struct {
			ParentID *uuid.UUID `gorm:"type:uuid"`
		}
		err = s.db.Conn(ctx).Table("items").Select("parent_id").Where("id = ?", subItemID).Take(&sub).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("load sub-item: %w", err)
		}
		if sub.ParentID == nil || *sub.ParentID != it.ID {
			return problem.Field("sub_item_id", "sub_item", "must name a sub-item of the decision's item")
		}
		if err := s.db.Conn(ctx).Model(&Decision{}).Where("id = ?", d.ID).Update("sub_item_id", subItemID).Error; err != nil {
			return fmt.Errorf("link decision to sub-item: %w", err)
		}
		d.SubItemID = &subItemID
		if err := s.noteLink(ctx, p, it, asgs, d, "sub_item_id", subItemID); err != nil {
			return err
		}
		out = &DecisionView{Decision: *d, AllowedActions: decisionActions(p, it, asgs, d)}
		return nil
	})
	return out, err
}

func (s *Service) noteLink(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, d *Decision, field string, to uuid.UUID) error {
	ev := events.DecisionEvent{DecisionID: d.ID, SubItemID: d.SubItemID, MilestoneID: d.MilestoneID}
	return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvDecisionLinked, Comment: d.Text,
		Changes: map[string]any{"decision_id": map[string]any{"to": d.ID}, field: map[string]any{"to": to}},
		Event:   &events.DecisionLinked{DecisionEvent: ev}})
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
