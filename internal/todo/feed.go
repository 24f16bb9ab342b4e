package todo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/users"
)

// The organisation's feed (GET /todo, issue 15): for each person of a unit (and
// its sub-units when asked), their to-do list exactly as GET /me/todo computes it
// for them (For, the one source of the rules), so that an OA system mirrors every
// person's 待办 without holding everyone's token.

// Person is one person's list in the feed.
type Person struct {
	UserID      uuid.UUID
	Username    string
	DisplayName string
	OrgUnitID   uuid.UUID
	Groups      []Group
}

// FeedPage is a page of the feed: people in display-name order.
type FeedPage struct {
	People []Person
	Total  int64
}

// MayReadFeed answers whether p may read the feed of unit (whose scope is
// unitScope) and which of subtree's units it covers: admins every unit; the
// supervision office the units of its scope; a service account the units under
// its owning unit within the owner's scope (an account owned by an enterprise's
// own unit covers the enterprise; one owned by a department, that department).
func MayReadFeed(p *access.Principal, unitScope uuid.UUID, inOwnerSubtree bool) access.Decision {
	switch {
	case p.Has(access.RoleAdmin):
		return access.Allowed
	case p.InSupervisionOffice && p.HasAny(access.RoleSupervisor, access.RoleLeader) && unitScope == p.ScopeID:
		return access.Allowed
	case p.Service && inOwnerSubtree && unitScope == p.ScopeID:
		return access.Allowed
	}
	return access.Forbidden
}

// Feed answers a page of the feed of unit, with its sub-units when subunits.
func (s *Service) Feed(ctx context.Context, p *access.Principal, unit uuid.UUID, subunits bool, pg database.Page) (*FeedPage, error) {
	conn := s.db.Conn(ctx)
	var u struct{ ScopeID uuid.UUID }
	if err := conn.Table("org_units").Select("scope_id").Where("id = ?", unit).Take(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("unit")
		}
		return nil, fmt.Errorf("todo feed unit: %w", err)
	}
	var ownerTree []uuid.UUID
	if p.Service {
		var err error
		if ownerTree, err = org.Subtree(ctx, s.db, p.UnitID); err != nil {
			return nil, err
		}
	}
	if err := MayReadFeed(p, u.ScopeID, slices.Contains(ownerTree, unit)).Err("unit", "read the to-do feed of"); err != nil {
		return nil, err
	}
	units := []uuid.UUID{unit}
	if subunits {
		tree, err := org.Subtree(ctx, s.db, unit)
		if err != nil {
			return nil, err
		}
		units = units[:0]
		for _, id := range tree {
			// Sub-units the caller may not read (another scope) are left out.
			var scope struct{ ScopeID uuid.UUID }
			if err := conn.Table("org_units").Select("scope_id").Where("id = ?", id).Take(&scope).Error; err != nil {
				return nil, fmt.Errorf("todo feed unit: %w", err)
			}
			if MayReadFeed(p, scope.ScopeID, slices.Contains(ownerTree, id)) == access.Allowed {
				units = append(units, id)
			}
		}
	}
	q := conn.Model(&users.User{}).Where("org_unit_id IN ? AND active = ? AND kind = ?", units, true, users.KindPerson)
	out := &FeedPage{People: []Person{}}
	if err := q.Count(&out.Total).Error; err != nil {
		return nil, fmt.Errorf("count the feed's people: %w", err)
	}
	var people []users.User
	if err := q.Order("display_name, id").Offset(pg.Offset()).Limit(pg.Size).Find(&people).Error; err != nil {
		return nil, fmt.Errorf("the feed's people: %w", err)
	}
	now := s.items.Now()
	for _, person := range people {
		pp, err := users.LoadPrincipal(ctx, s.db, person.ID)
		if errors.Is(err, users.ErrNoUser) {
			continue
		}
		if err != nil {
			return nil, err
		}
		access.ApplyDeputyships(pp, now)
		groups, err := s.For(ctx, pp)
		if err != nil {
			return nil, err
		}
		out.People = append(out.People, Person{UserID: person.ID, Username: person.Username,
			DisplayName: person.DisplayName, OrgUnitID: person.OrgUnitID, Groups: groups})
	}
	return out, nil
}
