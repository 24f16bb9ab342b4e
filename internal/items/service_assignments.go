package items

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// Assignments (承办) and how a dispute is settled:
//
//   - issue creates one pending assignment per unit (one lead, any cooperating);
//   - the head or a liaison of the unit accepts it (签收; the lead's acceptance
//     moves the item to in_progress) or returns it with a reason (退回: the unit
//     disputes that the item is theirs);
//   - a returned assignment stays as history. The supervision office settles the
//     dispute with POST /items/{id}/assignments (action reassign): it adds a new
//     pending assignment for another unit (or the same one again, after talking it
//     through). A new lead is possible only while no live lead assignment exists;
//     it becomes the item's lead unit, a new cooperating unit joins the item's
//     cooperating units;
//   - PATCH /assignments/{id} names the responsible person (承办人): the unit's head
//     or liaison, or the supervision office.

// AssignmentView is an assignment as shown to one caller.
type AssignmentView struct {
	Assignment
	AllowedActions []string
}

// ListAssignments returns the item's assignments, oldest first.
func (s *Service) ListAssignments(ctx context.Context, p *access.Principal, itemID uuid.UUID) ([]AssignmentView, error) {
	it, asgs, err := s.visibleItem(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	out := make([]AssignmentView, len(asgs))
	for i := range asgs {
		out[i] = AssignmentView{Assignment: asgs[i], AllowedActions: AssignmentActions(p, it, asgs, &asgs[i])}
	}
	return out, nil
}

// assignmentItem loads an assignment and its item (locked when forUpdate), 404 when
// the caller cannot see the item.
func (s *Service) assignmentItem(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Assignment, *Item, []Assignment, error) {
	var a Assignment
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, nil, problem.NotFound("assignment")
		}
		return nil, nil, nil, fmt.Errorf("load assignment: %w", err)
	}
	it, asgs, err := s.visibleItem(ctx, p, a.ItemID, forUpdate)
	if problem.IsNotFound(err) {
		return nil, nil, nil, problem.NotFound("assignment")
	}
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range asgs {
		if asgs[i].ID == id {
			return &asgs[i], it, asgs, nil
		}
	}
	return nil, nil, nil, problem.NotFound("assignment")
}

func (s *Service) assignmentView(ctx context.Context, p *access.Principal, id uuid.UUID) (*AssignmentView, error) {
	a, it, asgs, err := s.assignmentItem(ctx, p, id, false)
	if err != nil {
		return nil, err
	}
	return &AssignmentView{Assignment: *a, AllowedActions: AssignmentActions(p, it, asgs, a)}, nil
}

// AddAssignment is the reassign action: the supervision office adds a unit to a
// running item (after a return, or to bring in another cooperating unit). pc is
// checked against the item's version.
func (s *Service) AddAssignment(ctx context.Context, p *access.Principal, itemID uuid.UUID, in AssignmentInput, comment string, pc Precondition) (*AssignmentView, error) {
	comment = strings.TrimSpace(comment)
	var id uuid.UUID
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActReassign, factsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		var e fieldErrs
		checkComment(&e, comment, false)
		switch in.Role {
		case RoleLead:
			if slices.ContainsFunc(asgs, func(a Assignment) bool { return a.Role == RoleLead && a.Live() }) {
				e.add("role", "lead", "the item already has a live lead assignment; only a returned lead can be replaced")
			}
		case RoleCooperating:
		default:
			e.add("role", "oneof", "must be one of: lead, cooperating")
		}
		if slices.ContainsFunc(asgs, func(a Assignment) bool { return a.UnitID == in.UnitID && a.Live() }) {
			e.add("unit_id", "unique", "the unit already holds a live assignment of this item")
		}
		if err := s.checkUnits(ctx, &e, it.ScopeID, map[string][]uuid.UUID{"unit_id": {in.UnitID}}); err != nil {
			return err
		}
		if in.ResponsibleUserID != nil {
			if err := s.checkResponsible(ctx, &e, "responsible_user_id", *in.ResponsibleUserID, in.UnitID); err != nil {
				return err
			}
		}
		if err := e.err(); err != nil {
			return err
		}
		a, err := s.insertAssignment(ctx, p, itemID, in)
		if err != nil {
			return err
		}
		id = a.ID
		if err := s.db.Conn(ctx).Table("item_assignments").Where("item_id = ? AND state = ? AND reassigned_at IS NULL", itemID, AssignmentReturned).
			Update("reassigned_at", a.CreatedAt).Error; err != nil {
			return fmt.Errorf("mark returned assignments reassigned: %w", err)
		}
		for i := range asgs {
			if asgs[i].State == AssignmentReturned && asgs[i].ReassignedAt == nil {
				asgs[i].ReassignedAt = &a.CreatedAt
			}
		}
		changes := map[string]any{"assignment": change{To: map[string]any{"id": a.ID, "unit_id": a.UnitID, "role": a.Role}}}
		cols := map[string]any{}
		// The cooperating units after this assignment: those that returned theirs
		// are replaced now and no longer listed (the item page, the processing
		// sheet); a unit cannot lead and cooperate at once.
		coop := slices.DeleteFunc(slices.Clone(it.CooperatingUnitIDs), func(u uuid.UUID) bool {
			return !slices.ContainsFunc(asgs, func(a Assignment) bool { return a.UnitID == u && a.Live() })
		})
		if in.Role == RoleLead && (it.LeadUnitID == nil || *it.LeadUnitID != in.UnitID) {
			cols["lead_unit_id"] = in.UnitID
			changes["lead_unit_id"] = change{From: it.LeadUnitID, To: in.UnitID}
			coop = slices.DeleteFunc(coop, func(u uuid.UUID) bool { return u == in.UnitID })
		}
		if in.Role == RoleCooperating && !slices.Contains(coop, in.UnitID) && (it.LeadUnitID == nil || *it.LeadUnitID != in.UnitID) {
			coop = append(coop, in.UnitID)
		}
		if !slices.Equal(coop, it.CooperatingUnitIDs) {
			if err := s.replaceCooperating(ctx, itemID, coop); err != nil {
				return err
			}
			changes["cooperating_unit_ids"] = change{From: it.CooperatingUnitIDs, To: coop}
			it.CooperatingUnitIDs = coop
		}
		rec := entry{Action: string(ActReassign), From: it.State, Changes: changes, Comment: comment,
			Events: []events.ItemEvent{&events.AssignmentAdded{AssignmentEvent: events.AssignmentEvent{Assignment: assignmentRef(a), Reason: comment}}},
			// The item's units changed: a new version.
			bump: len(changes) > 1}
		if lead, ok := cols["lead_unit_id"].(uuid.UUID); ok {
			it.LeadUnitID = &lead
			rec.cols = append(rec.cols, "lead_unit_id")
		}
		asgs = append(asgs, *a)
		return s.record(ctx, p, it, asgs, rec)
	})
	if err != nil {
		return nil, err
	}
	return s.assignmentView(ctx, p, id)
}

// UpdateAssignment names the responsible person of an assignment; pc is checked
// against the assignment's version.
func (s *Service) UpdateAssignment(ctx context.Context, p *access.Principal, id uuid.UUID, responsible *uuid.UUID, pc Precondition) (*AssignmentView, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		a, it, asgs, err := s.assignmentItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if !p.CanWrite() || !canUpdateAssignment(p, it, a) {
			if p.CanWrite() && (!a.Live() || !slices.Contains(running, it.State)) {
				return problem.InvalidTransition("update", a.State, AssignmentActions(p, it, asgs, a)).With("item_state", it.State)
			}
			return problem.Forbidden("only the head or a liaison of the unit, or the supervision office, may name the responsible person")
		}
		if err := pc.Check(a.Version); err != nil {
			return err
		}
		if responsible == nil || equalPtr(responsible, a.ResponsibleUserID) {
			return nil
		}
		var e fieldErrs
		if err := s.checkResponsible(ctx, &e, "responsible_user_id", *responsible, a.UnitID); err != nil {
			return err
		}
		if err := e.err(); err != nil {
			return err
		}
		if err := s.updateAssignment(ctx, a, map[string]any{"responsible_user_id": *responsible}); err != nil {
			return err
		}
		before := a.ResponsibleUserID
		a.ResponsibleUserID = responsible
		ev := &events.AssignmentUpdated{AssignmentEvent: events.AssignmentEvent{Assignment: assignmentRef(a)}}
		return s.record(ctx, p, it, asgs, entry{Action: EvAssignmentUpdate, From: it.State,
			Changes: map[string]any{"assignment_id": change{To: a.ID}, "responsible_user_id": change{From: before, To: *responsible}},
			Events:  []events.ItemEvent{ev}})
	})
	if err != nil {
		return nil, err
	}
	return s.assignmentView(ctx, p, id)
}

func (s *Service) updateAssignment(ctx context.Context, a *Assignment, cols map[string]any) error {
	cols["version"] = gorm.Expr("version + 1")
	cols["updated_at"] = s.now()
	res := s.db.Conn(ctx).Table("item_assignments").Where("id = ? AND version = ?", a.ID, a.Version).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update assignment: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.Conflict(CodeConflict, "the assignment changed while the request ran; reload it and retry")
	}
	if _, ok := cols["responsible_user_id"]; ok {
		return s.syncVisibility(ctx, a.ItemID)
	}
	return nil
}

// AcceptAssignment is 签收: the unit takes the assignment on; the lead's acceptance
// starts the item (in_progress). pc is checked against the assignment's version.
func (s *Service) AcceptAssignment(ctx context.Context, p *access.Principal, id uuid.UUID, pc Precondition) (*AssignmentView, error) {
	return s.answerAssignment(ctx, p, id, ActAccept, "", pc)
}

// ReturnAssignment is 退回: the unit disputes the assignment, with a reason.
func (s *Service) ReturnAssignment(ctx context.Context, p *access.Principal, id uuid.UUID, reason string, pc Precondition) (*AssignmentView, error) {
	return s.answerAssignment(ctx, p, id, ActReturn, reason, pc)
}

func (s *Service) answerAssignment(ctx context.Context, p *access.Principal, id uuid.UUID, act Action, reason string, pc Precondition) (*AssignmentView, error) {
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		a, it, asgs, err := s.assignmentItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		t, err := DecideAssignment(p, it, asgs, a, act)
		if err != nil {
			return err
		}
		if err := pc.Check(a.Version); err != nil {
			return err
		}
		at := s.now()
		cols := map[string]any{}
		if act == ActAccept {
			cols["state"], cols["accepted_at"], cols["accepted_by"] = AssignmentAccepted, at, p.UserID
			a.State, a.AcceptedAt, a.AcceptedBy = AssignmentAccepted, &at, &p.UserID
		} else {
			var e fieldErrs
			if reason == "" {
				e.add("reason", "required", "is required: say why the unit returns the assignment")
			}
			textLen(&e, "reason", reason, false, 5000)
			if err := e.err(); err != nil {
				return err
			}
			cols["state"], cols["returned_at"], cols["returned_by"], cols["reason"] = AssignmentReturned, at, p.UserID, reason
			a.State, a.ReturnedAt, a.ReturnedBy, a.Reason = AssignmentReturned, &at, &p.UserID, reason
		}
		if err := s.updateAssignment(ctx, a, cols); err != nil {
			return err
		}
		ae := events.AssignmentEvent{Assignment: assignmentRef(a), Reason: reason}
		var ev events.ItemEvent = &events.AssignmentAccepted{AssignmentEvent: ae}
		if act == ActReturn {
			ev = &events.AssignmentReturned{AssignmentEvent: ae}
		}
		return s.take(ctx, p, it, asgs, t, Input{At: at, Comment: reason}, entry{Comment: reason,
			Changes: map[string]any{"assignment": change{To: map[string]any{"id": a.ID, "unit_id": a.UnitID, "role": a.Role, "state": cols["state"]}}},
			Events:  []events.ItemEvent{ev}})
	})
	if err != nil {
		return nil, err
	}
	return s.assignmentView(ctx, p, id)
}

// assignmentRef names an assignment in its events.
func assignmentRef(a *Assignment) events.AssignmentRef {
	return events.AssignmentRef{ID: a.ID, UnitID: a.UnitID, Role: a.Role, ResponsibleUserID: a.ResponsibleUserID}
}

// AwaitingReassign are the returned assignments (退回) after which the supervision
// office has assigned nobody: each waits for it to reassign (the item's
// has_returned_assignment, the office's to-do group returned_assignments). The
// next assignment added to the item answers every one (reassigned_at), whatever
// its unit or role.
func AwaitingReassign(asgs []Assignment) []Assignment {
	var out []Assignment
	for _, a := range asgs {
		if a.State == AssignmentReturned && a.ReassignedAt == nil {
			out = append(out, a)
		}
	}
	return out
}
