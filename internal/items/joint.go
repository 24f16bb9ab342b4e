package items

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// 联合督办 (joint supervision, §13): the supervision office names several
// departments as the item's supervision team (item_joint_units, migration 0140).
// The team's people see the item (CanSee, and item_visibility names the units) and
// may urge it (package urges). Only the supervision office of the item's scope adds
// or removes a department, on a submitted item that is still open; each change is
// on the timeline.

// Timeline actions of the joint supervision team.
const (
	EvJointUnitAdd    = "joint_unit_add"
	EvJointUnitRemove = "joint_unit_remove"
)

// jointUnit is a row of item_joint_units.
type jointUnit struct {
	ItemID  uuid.UUID `gorm:"type:uuid;primaryKey"`
	UnitID  uuid.UUID `gorm:"type:uuid;primaryKey"`
	AddedBy uuid.UUID `gorm:"type:uuid"`
	AddedAt time.Time
}

func (jointUnit) TableName() string { return "item_joint_units" }

// InJointTeam reports whether one of p's units (MyUnits) is in the item's joint
// supervision team.
func InJointTeam(p *access.Principal, it *Item) bool {
	if p == nil {
		return false
	}
	units := MyUnits(p)
	return slices.ContainsFunc(it.JointUnitIDs, func(u uuid.UUID) bool { return slices.Contains(units, u) })
}

// methodStates are the states in which the other supervision methods are used: from
// submission until the item is archived or cancelled.
var methodStates = append(slices.Clone(OpenStates), StateClosed)

// DecideMethod answers whether p may record a supervision method on the item (a
// joint team change, a visit, a coordination meeting): 403 for read-only callers
// and anyone but the supervision office of the item's scope (and, when leaders
// too, the scope's leaders), 409 outside methodStates.
func DecideMethod(p *access.Principal, it *Item, leaders bool) error {
	if !Writes(p) {
		return problem.Forbidden("you may only read the supervision methods")
	}
	office := IsSupervisor(p, it)
	leader := leaders && p.Has(access.RoleLeader) && p.ScopeID == it.ScopeID
	if !office && !leader {
		if leaders {
			return problem.Forbidden("only the supervision office or a leader of the item's scope records this")
		}
		return problem.Forbidden("only the supervision office of the item's scope changes the supervision team")
	}
	if !slices.Contains(methodStates, it.State) {
		return problem.InvalidTransition("supervise", string(it.State), []string{}).With("item_state", string(it.State))
	}
	return nil
}

// CheckUnitsAndLeaders validates org units (in the item's scope) and users that
// must be active leaders of the scope, by field; nil when all are fine, else 422.
func (s *Service) CheckUnitsAndLeaders(ctx context.Context, scope uuid.UUID, units, leaders map[string][]uuid.UUID) error {
	var e fieldErrs
	if err := s.checkUnits(ctx, &e, scope, units); err != nil {
		return err
	}
	if err := s.checkLeaders(ctx, &e, scope, leaders); err != nil {
		return err
	}
	return e.err()
}

// SetJointUnit adds (add true) or removes a department of the item's joint
// supervision team. Adding a member twice, or removing a unit that is not one, changes
// nothing and writes nothing (changed false).
func (s *Service) SetJointUnit(ctx context.Context, p *access.Principal, itemID, unitID uuid.UUID, add bool) (*Item, bool, error) {
	var (
		out     *Item
		changed bool
	)
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if err := DecideMethod(p, it, false); err != nil {
			return err
		}
		out = it
		before := slices.Clone(it.JointUnitIDs)
		if add == slices.Contains(before, unitID) {
			return nil
		}
		var ev events.ItemEvent
		action := EvJointUnitAdd
		if add {
			var e fieldErrs
			if err := s.checkUnits(ctx, &e, it.ScopeID, map[string][]uuid.UUID{"unit_id": {unitID}}); err != nil {
				return err
			}
			if err := e.err(); err != nil {
				return err
			}
			row := jointUnit{ItemID: it.ID, UnitID: unitID, AddedBy: p.UserID, AddedAt: s.now()}
			if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
				return fmt.Errorf("add joint unit: %w", err)
			}
			it.JointUnitIDs = append(it.JointUnitIDs, unitID)
			ev = &events.JointUnitAdded{JointUnitEvent: events.JointUnitEvent{UnitID: unitID}}
		} else {
			if err := s.db.Conn(ctx).Where("item_id = ? AND unit_id = ?", it.ID, unitID).Delete(&jointUnit{}).Error; err != nil {
				return fmt.Errorf("remove joint unit: %w", err)
			}
			it.JointUnitIDs = slices.DeleteFunc(it.JointUnitIDs, func(u uuid.UUID) bool { return u == unitID })
			action = EvJointUnitRemove
			ev = &events.JointUnitRemoved{JointUnitEvent: events.JointUnitEvent{UnitID: unitID}}
		}
		if err := s.syncVisibility(ctx, it.ID); err != nil {
			return err
		}
		changed = true
		return s.record(ctx, p, it, asgs, entry{Action: action, From: it.State,
			Changes: map[string]any{"joint_unit_ids": change{From: before, To: it.JointUnitIDs}, "unit_id": change{To: unitID}},
			Events:  []events.ItemEvent{ev}})
	})
	return out, changed, err
}

// JointUnits returns who added each department of the team and when.
func (s *Service) JointUnits(ctx context.Context, itemID uuid.UUID) ([]JointUnit, error) {
	var rows []jointUnit
	err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("added_at, unit_id").Find(&rows).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("load joint units: %w", err)
	}
	out := make([]JointUnit, len(rows))
	for i, r := range rows {
		out[i] = JointUnit{UnitID: r.UnitID, AddedBy: r.AddedBy, AddedAt: r.AddedAt}
	}
	return out, nil
}

// JointUnit is a department of an item's joint supervision team.
type JointUnit struct {
	UnitID  uuid.UUID
	AddedBy uuid.UUID
	AddedAt time.Time
}
