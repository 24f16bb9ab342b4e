// Package org holds the organisation tree (集团 → departments and enterprises →
// their departments), unit heads and liaisons, and supervision scopes.
//
// The rules of the tree:
//   - exactly one root, of kind group, without a parent;
//   - an enterprise's parent is the group;
//   - a department's parent is the group or an enterprise (departments do not nest);
//   - scope_id is the unit itself for the group and an enterprise, else the parent's
//     scope; it is recomputed for the whole subtree when a unit moves or changes kind;
//   - the head (主要负责人) and the liaisons (督办联络人) of a unit must be active users
//     of that unit or of one of its descendants (a head of an enterprise usually sits
//     in its office, not in the enterprise unit itself);
//   - a unit with child units, users or anything registered with AddInUseCheck cannot
//     be deleted (409 unit_in_use).
package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// CodeUnitInUse is the problem code of a refused delete.
const CodeUnitInUse = "unit_in_use"

// InUseCheck tells why a unit cannot be deleted ("" when nothing of the checker's
// refers to it). It runs inside the delete's transaction.
type InUseCheck func(ctx context.Context, unit uuid.UUID) (reason string, err error)

// Service manages org units.
type Service struct {
	db    *database.DB
	audit *audit.Log
	// inUse are the extra delete guards other packages register.
	inUse []InUseCheck
}

// NewService returns the org service.
func NewService(db *database.DB, log *audit.Log) *Service { return &Service{db: db, audit: log} }

// AddInUseCheck registers a delete guard. HOOK for the items package: register a
// check that refuses deleting a unit still named by items (lead, cooperating,
// initiator unit) or assignments, e.g.
//
//	orgSvc.AddInUseCheck(func(ctx context.Context, unit uuid.UUID) (string, error) {
//		n, err := items.CountByUnit(ctx, unit)
//		if n > 0 { return fmt.Sprintf("%d supervision items refer to it", n), err }
//		return "", err
//	})
//
// Call it while wiring, before serving.
func (s *Service) AddInUseCheck(c InUseCheck) { s.inUse = append(s.inUse, c) }

// CreateInput is a new unit.
type CreateInput struct {
	Name                string
	ShortName           string
	Kind                Kind
	ParentID            *uuid.UUID
	IsSupervisionOffice bool
	SortOrder           int
}

// OptionalID is a field of a partial update that is absent (Set false), cleared (Set,
// ID nil) or set to an id.
type OptionalID struct {
	Set bool
	ID  *uuid.UUID
}

// UpdateInput changes a unit; nil fields stay as they are.
type UpdateInput struct {
	Name                *string
	ShortName           *string
	Kind                *Kind
	ParentID            *uuid.UUID
	IsSupervisionOffice *bool
	SortOrder           *int
	HeadUserID          OptionalID
	// LiaisonUserIDs, when not nil, replaces the set of liaisons ([] removes all).
	LiaisonUserIDs []uuid.UUID
	// IfMatch lists the versions the caller's copy may have (If-Match, or the body's
	// version); nil skips the check.
	IfMatch etag.Precondition
}

// Get returns one unit with its head and liaisons.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*Detail, error) {
	if err := CanRead(p).Err("org unit", "read"); err != nil {
		return nil, err
	}
	u, err := getUnit(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	ds, err := details(ctx, s.db, []Unit{*u})
	if err != nil {
		return nil, err
	}
	return &ds[0], nil
}

// List returns one page of units matching f, ordered by sort (see orderBy).
func (s *Service) List(ctx context.Context, p *access.Principal, f Filter, sort string, page Page) ([]Detail, int64, error) {
	if err := CanRead(p).Err("org unit", "read"); err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, 0, problem.Field("kind", "oneof", "must be one of: group, enterprise, department")
	}
	order, err := orderBy(sort)
	if err != nil {
		return nil, 0, err
	}
	units, total, err := listUnits(ctx, s.db, f, page, order)
	if err != nil {
		return nil, 0, err
	}
	ds, err := details(ctx, s.db, units)
	return ds, total, err
}

// Tree returns every unit as a forest (normally one root) in display order, and the
// number of units.
func (s *Service) Tree(ctx context.Context, p *access.Principal) ([]*Node, int, error) {
	if err := CanRead(p).Err("org unit", "read"); err != nil {
		return nil, 0, err
	}
	units, err := allUnits(ctx, s.db)
	if err != nil {
		return nil, 0, err
	}
	ds, err := details(ctx, s.db, units)
	if err != nil {
		return nil, 0, err
	}
	nodes := make(map[uuid.UUID]*Node, len(ds))
	for i := range ds {
		nodes[ds[i].ID] = &Node{Detail: ds[i], Children: []*Node{}}
	}
	roots := []*Node{}
	for i := range ds { // ds is in display order, so children are too
		n := nodes[ds[i].ID]
		if ds[i].ParentID != nil && nodes[*ds[i].ParentID] != nil {
			parent := nodes[*ds[i].ParentID]
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots, len(ds), nil
}

// Create adds a unit.
func (s *Service) Create(ctx context.Context, p *access.Principal, in CreateInput) (*Detail, error) {
	if err := CanCreate(p).Err("org unit", "create"); err != nil {
		return nil, err
	}
	in.Name, in.ShortName = strings.TrimSpace(in.Name), strings.TrimSpace(in.ShortName)
	id := uuid.Must(uuid.NewV7())
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lockStructure(ctx, s.db); err != nil {
			return err
		}
		errs := checkNames(in.Name, in.ShortName)
		if !in.Kind.Valid() {
			errs = append(errs, problem.FieldError{Field: "kind", Rule: "oneof", Message: "must be one of: group, enterprise, department"})
		}
		var parent *Unit
		if in.ParentID != nil {
			var err error
			if parent, err = findUnit(ctx, s.db, *in.ParentID); err != nil {
				return err
			}
			if parent == nil {
				errs = append(errs, problem.FieldError{Field: "parent_id", Rule: "exists", Message: "no such org unit"})
			}
		}
		root, err := Root(ctx, s.db)
		if err != nil {
			return err
		}
		if in.Kind.Valid() && (in.ParentID == nil || parent != nil) {
			errs = append(errs, placement(in.Kind, parent, root, id)...)
		}
		if len(errs) == 0 {
			taken, err := siblingNameTaken(ctx, s.db, in.ParentID, in.Name, id)
			if err != nil {
				return err
			}
			if taken {
				errs = append(errs, problem.FieldError{Field: "name", Rule: "unique", Message: "another unit under the same parent has this name"})
			}
		}
		if len(errs) > 0 {
			return problem.Invalid(errs...)
		}
		scope := id
		if !in.Kind.IsScope() {
			scope = parent.ScopeID
		}
		now := s.audit.Now()
		u := Unit{ID: id, ParentID: in.ParentID, ScopeID: scope, Name: in.Name, ShortName: in.ShortName, Kind: in.Kind,
			IsSupervisionOffice: in.IsSupervisionOffice, SortOrder: in.SortOrder, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&u).Error; err != nil {
			return fmt.Errorf("create org unit: %w", err)
		}
		return s.audit.Record(ctx, actor(p), audit.UnitCreated, "org_unit", id.String(), map[string]any{
			"name": u.Name, "kind": u.Kind, "parent_id": u.ParentID,
		})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// Update changes a unit. Every check runs before anything is written.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in UpdateInput) (*Detail, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lockStructure(ctx, s.db); err != nil {
			return err
		}
		u, err := getUnit(ctx, s.db, id)
		if err != nil {
			return err
		}
		if err := CanUpdate(p, u).Err("org unit", "update"); err != nil {
			return err
		}
		if err := in.IfMatch.Check(u.Version); err != nil {
			return err
		}
		next, changed, errs, err := s.planUpdate(ctx, u, in)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return problem.Invalid(errs...)
		}
		if len(changed) == 0 {
			return nil
		}
		res := s.db.Conn(ctx).Model(&Unit{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(map[string]any{
			"name": next.Name, "short_name": next.ShortName, "kind": next.Kind, "parent_id": next.ParentID, "scope_id": next.ScopeID,
			"is_supervision_office": next.IsSupervisionOffice, "sort_order": next.SortOrder,
			"head_user_id": next.HeadUserID, "version": u.Version + 1, "updated_at": s.audit.Now(),
		})
		if res.Error != nil {
			return fmt.Errorf("update org unit: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return problem.PreconditionFailed("the org unit was changed meanwhile; reload it and try again")
		}
		if in.LiaisonUserIDs != nil {
			if err := replaceLiaisons(ctx, s.db, u.ID, dedupe(in.LiaisonUserIDs)); err != nil {
				return err
			}
		}
		if slices.Contains(changed, "parent_id") || slices.Contains(changed, "kind") {
			if err := recomputeScopes(ctx, s.db, u.ID); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, actor(p), audit.UnitUpdated, "org_unit", u.ID.String(), map[string]any{"changed": changed})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// Delete removes a unit that nothing uses any more.
func (s *Service) Delete(ctx context.Context, p *access.Principal, id uuid.UUID, ifMatch etag.Precondition) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lockStructure(ctx, s.db); err != nil {
			return err
		}
		u, err := getUnit(ctx, s.db, id)
		if err != nil {
			return err
		}
		if err := CanDelete(p, u).Err("org unit", "delete"); err != nil {
			return err
		}
		if err := ifMatch.Check(u.Version); err != nil {
			return err
		}
		reasons, err := s.inUseReasons(ctx, u.ID)
		if err != nil {
			return err
		}
		if len(reasons) > 0 {
			return problem.Conflict(CodeUnitInUse, "the unit is in use: "+strings.Join(reasons, "; ")).With("reasons", reasons)
		}
		if err := s.db.Conn(ctx).Where("org_unit_id = ?", u.ID).Delete(&Liaison{}).Error; err != nil {
			return fmt.Errorf("delete liaisons: %w", err)
		}
		if err := s.db.Conn(ctx).Delete(&Unit{}, "id = ?", u.ID).Error; err != nil {
			if database.IsForeignKeyViolation(err) {
				return problem.Conflict(CodeUnitInUse, "the unit is in use")
			}
			return fmt.Errorf("delete org unit: %w", err)
		}
		return s.audit.Record(ctx, actor(p), audit.UnitDeleted, "org_unit", u.ID.String(), map[string]any{"name": u.Name, "kind": u.Kind})
	})
}

// inUseReasons collects why the unit cannot be deleted: child units, users (active
// or not: they keep their history), and the registered checks.
func (s *Service) inUseReasons(ctx context.Context, id uuid.UUID) ([]string, error) {
	var reasons []string
	var children, members int64
	if err := s.db.Conn(ctx).Model(&Unit{}).Where("parent_id = ?", id).Count(&children).Error; err != nil {
		return nil, fmt.Errorf("count child units: %w", err)
	}
	if children > 0 {
		reasons = append(reasons, fmt.Sprintf("it has %d child units", children))
	}
	if err := s.db.Conn(ctx).Table("users").Where("org_unit_id = ?", id).Count(&members).Error; err != nil {
		return nil, fmt.Errorf("count users of unit: %w", err)
	}
	if members > 0 {
		reasons = append(reasons, fmt.Sprintf("it has %d users", members))
	}
	for _, check := range s.inUse {
		reason, err := check(ctx, id)
		if err != nil {
			return nil, err
		}
		if reason != "" {
			reasons = append(reasons, reason)
		}
	}
	return reasons, nil
}

func actor(p *access.Principal) *uuid.UUID {
	if p == nil || p.UserID == uuid.Nil {
		return nil
	}
	id := p.UserID
	return &id
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func dedupe(ids []uuid.UUID) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
