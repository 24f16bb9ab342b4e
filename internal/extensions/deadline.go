package extensions

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// DeadlineInput is the supervision office's new deadline for an overdue item, on a
// leader's decision.
type DeadlineInput struct {
	Deadline     civil.Date
	LeaderID     uuid.UUID
	DecisionNote string
}

// SetDeadline moves an overdue item's deadline on a leader's decision (§14 rule d):
// only the supervision office, only when the item is overdue and no extension
// request is open. original_deadline never changes; assessment keeps measuring
// against it.
func (s *Service) SetDeadline(ctx context.Context, p *access.Principal, itemID uuid.UUID, in DeadlineInput, pc items.Precondition) (*items.ItemView, error) {
	today := s.items.Today()
	in.DecisionNote = strings.TrimSpace(in.DecisionNote)
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if err := checkSetDeadline(p, it, asgs, today); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		if open, err := s.hasOpen(ctx, itemID); err != nil {
			return err
		} else if open {
			return problem.Conflict(CodeExtensionPending, "an extension request of this item is still open; it must be decided first")
		}
		var e []problem.FieldError
		switch {
		case in.Deadline.IsZero():
			e = append(e, problem.FieldError{Field: "deadline", Rule: "required", Message: "is required"})
		case in.Deadline.Before(today):
			e = append(e, problem.FieldError{Field: "deadline", Rule: "future", Message: "must not be in the past (today is " + today.String() + ")"})
		}
		if in.LeaderID == uuid.Nil {
			e = append(e, problem.FieldError{Field: "leader_id", Rule: "required", Message: "is required"})
		} else if ok, err := s.isLeader(ctx, in.LeaderID, it.ScopeID); err != nil {
			return err
		} else if !ok {
			e = append(e, problem.FieldError{Field: "leader_id", Rule: "leader",
				Message: "must be an active user with the leader role in the item's supervision scope"})
		}
		checkText(&e, "decision_note", in.DecisionNote, true)
		if err := invalid(e); err != nil {
			return err
		}
		from := it.Deadline
		changes := map[string]any{
			"deadline":  map[string]any{"from": from, "to": in.Deadline},
			"leader_id": map[string]any{"to": in.LeaderID},
		}
		leader := in.LeaderID
		if err := s.items.MoveDeadline(ctx, p, it, asgs, in.Deadline, items.DeadlineCause{Cause: items.CauseOffice, LeaderID: &leader},
			items.Note{Action: EvDeadlineSet, Changes: changes, Comment: in.DecisionNote}); err != nil {
			return err
		}
		return s.insertChange(ctx, &DeadlineChange{ItemID: itemID, Kind: KindOffice, FromDeadline: from, ToDeadline: in.Deadline,
			LeaderID: &leader, DecisionNote: in.DecisionNote, ChangedBy: p.UserID})
	})
	if err != nil {
		return nil, err
	}
	return s.items.Get(ctx, p, itemID)
}

// isLeader reports whether the user is active and has the leader role in the scope.
func (s *Service) isLeader(ctx context.Context, user, scope uuid.UUID) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Table("users u").
		Joins("JOIN org_units ou ON ou.id = u.org_unit_id").
		Joins("JOIN user_roles r ON r.user_id = u.id AND r.role = ?", string(access.RoleLeader)).
		Where("u.id = ? AND u.active = ? AND ou.scope_id = ?", user, true, scope).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check leader: %w", err)
	}
	return n > 0, nil
}

// Changes returns the history of the item's deadline after issue, oldest first.
func (s *Service) Changes(ctx context.Context, p *access.Principal, itemID uuid.UUID) ([]DeadlineChange, error) {
	if _, _, err := s.items.Load(ctx, p, itemID, false); err != nil {
		return nil, err
	}
	var out []DeadlineChange
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("load deadline changes: %w", err)
	}
	return out, nil
}
