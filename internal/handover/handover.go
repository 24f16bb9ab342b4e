package handover

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/delegation"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// CodeSuccessorRequired: a post has no default successor and the request named
// none (a supervising leader whose unit has no other active leader as head).
const CodeSuccessorRequired = "successor_required"

// Service finds and hands over a person's posts.
type Service struct {
	db    *database.DB
	items *items.Service
	audit *audit.Log
	clock clock.Clock
}

// New returns the service.
func New(db *database.DB, it *items.Service, log *audit.Log, c clock.Clock) *Service {
	return &Service{db: db, items: it, audit: log, clock: clock.Or(c)}
}

// Holdings answers what user holds for p: admins, and the person themself (others
// 404). toUnit asks about a move there; nil about deactivation.
func (s *Service) Holdings(ctx context.Context, p *access.Principal, user uuid.UUID, toUnit *uuid.UUID) (*Holdings, error) {
	if p == nil || (p.UserID != user && !p.Has(access.RoleAdmin)) {
		return nil, problem.NotFound("user")
	}
	var unit []uuid.UUID
	if err := s.db.Conn(ctx).Table("users").Where("id = ?", user).Pluck("org_unit_id", &unit).Error; err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	if len(unit) == 0 {
		return nil, problem.NotFound("user")
	}
	if toUnit != nil {
		var n int64
		if err := s.db.Conn(ctx).Table("org_units").Where("id = ?", *toUnit).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("find unit: %w", err)
		}
		if n == 0 {
			return nil, problem.Field("unit_id", "exists", "no such org unit")
		}
	}
	return s.collect(ctx, user, unit[0], toUnit)
}

// Handoff is users.Handoff: it hands over, in the caller's transaction, every
// post the departure takes away, to the named successor or the default.
func (s *Service) Handoff(ctx context.Context, p *access.Principal, d users.Departure) (map[string]any, error) {
	var to *uuid.UUID
	if d.Active {
		to = &d.ToUnit
	}
	h, err := s.collect(ctx, d.User, d.FromUnit, to)
	if err != nil {
		return nil, err
	}
	succ := d.Successors
	if err := s.checkSuccessors(ctx, d.User, succ, h); err != nil {
		return nil, err
	}
	reason := "deactivated"
	if d.Active {
		reason = "moved"
	}
	perItem := map[uuid.UUID]*items.Handover{}
	var order []uuid.UUID
	itemOf := func(id uuid.UUID) *items.Handover {
		if perItem[id] == nil {
			perItem[id] = &items.Handover{From: d.User, Reason: reason, Responsible: map[uuid.UUID]*uuid.UUID{}}
			order = append(order, id)
		}
		return perItem[id]
	}
	summary := map[string]any{}
	count := func(k string) { n, _ := summary[k].(int); summary[k] = n + 1 }
	for _, x := range h.Holdings {
		if !x.HandedOver {
			continue
		}
		successor := pick(roleSuccessor(succ, x.Role), x.DefaultSuccessor)
		switch x.Role {
		case RoleHead:
			if successor != nil {
				if err := s.db.Conn(ctx).Model(&org.Unit{}).Where("id = ? AND head_user_id = ?", *x.UnitID, d.User).
					Updates(map[string]any{"head_user_id": *successor, "version": gorm.Expr("version + 1")}).Error; err != nil {
					return nil, fmt.Errorf("hand over head: %w", err)
				}
			}
		case RoleLiaison:
			if successor != nil {
				if err := s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).
					Create(&org.Liaison{OrgUnitID: *x.UnitID, UserID: *successor}).Error; err != nil {
					return nil, fmt.Errorf("hand over liaison: %w", err)
				}
			}
		case RoleResponsible:
			itemOf(*x.ItemID).Responsible[*x.AssignmentID] = successor
		case RoleSupervisingLeader:
			if successor == nil {
				return nil, problem.Conflict(CodeSuccessorRequired,
					"name a successor for the items this person supervises (handover.supervising_leader)").With("holdings", h.Holdings)
			}
			itemOf(*x.ItemID).Leader = successor
		case RoleAssistingLeader:
			ih := itemOf(*x.ItemID)
			ih.HandAssisting, ih.Assisting = true, successor
		}
		count(x.Role)
	}
	for _, id := range order {
		if err := s.items.HandOver(ctx, p, id, *perItem[id]); err != nil {
			return nil, err
		}
	}
	if !d.Active {
		var actor *uuid.UUID
		if p != nil && p.UserID != uuid.Nil {
			actor = &p.UserID
		}
		n, err := delegation.EndAllOf(ctx, s.db, s.audit, actor, d.User, s.clock.Now())
		if err != nil {
			return nil, err
		}
		if n > 0 {
			summary["delegations_ended"] = n
		}
	}
	return summary, nil
}

func pick(named *uuid.UUID, def *Person) *uuid.UUID {
	if named != nil {
		return named
	}
	if def != nil {
		return &def.ID
	}
	return nil
}

func roleSuccessor(s users.Successors, role string) *uuid.UUID {
	switch role {
	case RoleHead:
		return s.Head
	case RoleLiaison:
		return s.Liaison
	case RoleResponsible:
		return s.Responsible
	case RoleSupervisingLeader:
		return s.SupervisingLeader
	case RoleAssistingLeader:
		return s.AssistingLeader
	}
	return nil
}

// checkSuccessors: a named successor is another active person; leaders for the
// leader posts; of the assigned unit for every assignment handed to them.
func (s *Service) checkSuccessors(ctx context.Context, user uuid.UUID, succ users.Successors, h *Holdings) error {
	var errs []problem.FieldError
	bad := func(role, rule, msg string) {
		errs = append(errs, problem.FieldError{Field: "handover." + role, Rule: rule, Message: msg})
	}
	for _, role := range []string{RoleHead, RoleLiaison, RoleResponsible, RoleSupervisingLeader, RoleAssistingLeader} {
		id := roleSuccessor(succ, role)
		if id == nil {
			continue
		}
		if *id == user {
			bad(role, "other", "must be someone else")
			continue
		}
		var n int64
		if err := s.db.Conn(ctx).Table("users").Where("id = ? AND active = ?", *id, true).Count(&n).Error; err != nil {
			return fmt.Errorf("find successor: %w", err)
		}
		if n == 0 {
			bad(role, "exists", "no such active user")
			continue
		}
		if role == RoleSupervisingLeader || role == RoleAssistingLeader {
			if ok, err := s.isLeader(ctx, *id); err != nil {
				return err
			} else if !ok {
				bad(role, "leader", "must hold the leader role")
			}
		}
		if role == RoleHead || role == RoleLiaison {
			ok, err := s.inUnits(ctx, *id, role, h)
			if err != nil {
				return err
			}
			if !ok {
				bad(role, "member", "must be a person of every unit handed over or of a unit under it")
			}
		}
		if role == RoleResponsible {
			for _, x := range h.Holdings {
				if x.Role != RoleResponsible || !x.HandedOver {
					continue
				}
				if ok, err := s.personFits(ctx, *id, *x.UnitID); err != nil {
					return err
				} else if !ok {
					bad(role, "member", "must be an active user of every assigned unit ("+x.UnitName+")")
					break
				}
			}
		}
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// inUnits reports whether user sits in (the subtree of) every unit whose post of
// the role is handed over: org's rule for heads and liaisons.
func (s *Service) inUnits(ctx context.Context, user uuid.UUID, role string, h *Holdings) (bool, error) {
	var unit []uuid.UUID
	if err := s.db.Conn(ctx).Table("users").Where("id = ?", user).Pluck("org_unit_id", &unit).Error; err != nil {
		return false, fmt.Errorf("load user: %w", err)
	}
	if len(unit) == 0 {
		return false, nil
	}
	for _, x := range h.Holdings {
		if x.Role != role || !x.HandedOver {
			continue
		}
		sub, err := org.Subtree(ctx, s.db, *x.UnitID)
		if err != nil {
			return false, err
		}
		if !slices.Contains(sub, unit[0]) {
			return false, nil
		}
	}
	return true, nil
}
