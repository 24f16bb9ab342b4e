package items

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
)

// SimpleActions are the state actions that take only an optional comment.
var SimpleActions = []Action{ActSubmit, ActApprove, ActReject, ActSuspend, ActResume, ActCancel, ActArchive}

// needsComment are the actions whose comment (reason) is required.
var needsComment = []Action{ActReject, ActCancel}

// Act takes a simple state action (submit, approve, reject, suspend, resume, cancel,
// archive) with an optional comment; reject and cancel require it.
func (s *Service) Act(ctx context.Context, p *access.Principal, id uuid.UUID, a Action, comment string, pc Precondition) (*ItemView, error) {
	if !slices.Contains(SimpleActions, a) {
		return nil, fmt.Errorf("items: %q is not a simple action", a)
	}
	today := s.today()
	comment = strings.TrimSpace(comment)
	var out *ItemView
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		t, err := Decide(p, it, asgs, a, factsOf(it))
		if err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		var e fieldErrs
		checkComment(&e, comment, slices.Contains(needsComment, a))
		if a == ActSubmit {
			checkReady(&e, it, today)
			checkLeader(&e, it)
		}
		if err := e.err(); err != nil {
			return err
		}
		if err := s.take(ctx, p, it, asgs, t, Input{Comment: comment}, entry{}); err != nil {
			return err
		}
		out, err = s.viewOf(ctx, p, it, asgs)
		return err
	})
	return out, err
}

func checkComment(e *fieldErrs, comment string, required bool) {
	switch {
	case required && comment == "":
		e.add("comment", "required", "is required: give the reason")
	case utf8.RuneCountInString(comment) > 5000:
		e.add("comment", "max", "must be at most 5000 characters")
	}
}

// checkReady checks what submit and issue need: a lead unit and a deadline that is
// not in the past.
func checkReady(e *fieldErrs, it *Item, today civil.Date) {
	if it.LeadUnitID == nil {
		e.add("lead_unit_id", "required", "is required")
	}
	if it.Deadline.IsZero() {
		e.add("deadline", "required", "is required")
	}
	notPast(e, "deadline", it.Deadline, today)
}

// checkLeader: every item is submitted and issued with a supervising leader
// (主管领导, §14's notice names one). Without one nobody could approve it, decide
// its closing or an extension: the item would get stuck for good (issue 11).
func checkLeader(e *fieldErrs, it *Item) {
	if it.SupervisingLeaderID == nil {
		e.add("supervising_leader_id", "required", "is required: the supervising leader approves the item, its extensions and its closing")
	}
}

// AssignmentInput names a unit taking part in an item.
type AssignmentInput struct {
	UnitID            uuid.UUID
	Role              string
	ResponsibleUserID *uuid.UUID
}

// Issue registers an approved item (办公厅登记): it gets its code, its original
// deadline, and its assignments (by default the lead unit and the cooperating
// units); the item's lead and cooperating units follow the assignments.
func (s *Service) Issue(ctx context.Context, p *access.Principal, id uuid.UUID, asgIn []AssignmentInput, comment string, pc Precondition) (*ItemView, error) {
	today := s.today()
	comment = strings.TrimSpace(comment)
	var out *ItemView
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		t, err := Decide(p, it, asgs, ActIssue, factsOf(it))
		if err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		var e fieldErrs
		checkComment(&e, comment, false)
		checkReady(&e, it, today)
		checkLeader(&e, it)
		if len(asgIn) == 0 && it.LeadUnitID != nil {
			asgIn = append(asgIn, AssignmentInput{UnitID: *it.LeadUnitID, Role: RoleLead})
			for _, u := range it.CooperatingUnitIDs {
				asgIn = append(asgIn, AssignmentInput{UnitID: u, Role: RoleCooperating})
			}
		}
		lead, coop, err := s.checkAssignments(ctx, &e, it, asgIn)
		if err != nil {
			return err
		}
		if err := e.err(); err != nil {
			return err
		}
		code, err := s.nextCode(ctx, it.ScopeID, today.Year)
		if err != nil {
			return err
		}
		changes := map[string]any{"code": change{To: code}, "original_deadline": change{To: it.Deadline}}
		if it.LeadUnitID == nil || *it.LeadUnitID != lead {
			changes["lead_unit_id"] = change{From: it.LeadUnitID, To: lead}
		}
		if !slices.Equal(coop, it.CooperatingUnitIDs) {
			changes["cooperating_unit_ids"] = change{From: it.CooperatingUnitIDs, To: coop}
			if err := s.replaceCooperating(ctx, id, coop); err != nil {
				return err
			}
			it.CooperatingUnitIDs = coop
		}
		// The code and the lead unit are written with the row's effect and state.
		it.Code, it.LeadUnitID = &code, &lead
		var made []map[string]any
		asgs = asgs[:0]
		for _, in := range asgIn {
			a, err := s.insertAssignment(ctx, p, id, in)
			if err != nil {
				return err
			}
			asgs = append(asgs, *a)
			made = append(made, map[string]any{"id": a.ID, "unit_id": a.UnitID, "role": a.Role})
		}
		changes["assignments"] = change{To: made}
		if err := s.take(ctx, p, it, asgs, t, Input{Comment: comment}, entry{Changes: changes, cols: []string{"code", "lead_unit_id"}}); err != nil {
			return err
		}
		out, err = s.viewOf(ctx, p, it, asgs)
		return err
	})
	return out, err
}

// checkAssignments validates the assignments of an issue: exactly one lead, no unit
// twice, every unit fitting the scope, responsible persons in their units. It
// returns the lead unit and the cooperating units in order.
func (s *Service) checkAssignments(ctx context.Context, e *fieldErrs, it *Item, in []AssignmentInput) (uuid.UUID, []uuid.UUID, error) {
	var (
		lead  uuid.UUID
		leads int
		coop  = []uuid.UUID{}
		units = map[string][]uuid.UUID{}
		seen  = map[uuid.UUID]bool{}
	)
	for i, a := range in {
		field := fmt.Sprintf("assignments[%d]", i)
		switch a.Role {
		case RoleLead:
			lead = a.UnitID
			leads++
		case RoleCooperating:
			coop = append(coop, a.UnitID)
		default:
			e.add(field+".role", "oneof", "must be one of: lead, cooperating")
		}
		if seen[a.UnitID] {
			e.add(field+".unit_id", "unique", "the unit is assigned twice")
		}
		seen[a.UnitID] = true
		units[field+".unit_id"] = []uuid.UUID{a.UnitID}
		if a.ResponsibleUserID != nil {
			if err := s.checkResponsible(ctx, e, field+".responsible_user_id", *a.ResponsibleUserID, a.UnitID); err != nil {
				return lead, coop, err
			}
		}
	}
	if leads != 1 {
		e.add("assignments", "lead", "must name exactly one lead unit")
	}
	return lead, coop, s.checkUnits(ctx, e, it.ScopeID, units)
}

func (s *Service) insertAssignment(ctx context.Context, p *access.Principal, itemID uuid.UUID, in AssignmentInput) (*Assignment, error) {
	at := s.now()
	a := &Assignment{ID: newID(), ItemID: itemID, UnitID: in.UnitID, Role: in.Role, ResponsibleUserID: in.ResponsibleUserID,
		State: AssignmentPending, CreatedBy: p.UserID, Version: 1, CreatedAt: at, UpdatedAt: at}
	if err := s.db.Conn(ctx).Create(a).Error; err != nil {
		return nil, fmt.Errorf("insert assignment: %w", err)
	}
	return a, s.syncVisibility(ctx, itemID)
}
