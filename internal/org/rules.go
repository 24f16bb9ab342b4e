package org

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/problem"
)

// planUpdate applies in to a copy of u and validates the result against the tree.
// It returns the new row, the names of the changed fields and the field errors.
func (s *Service) planUpdate(ctx context.Context, u *Unit, in UpdateInput) (Unit, []string, []problem.FieldError, error) {
	next := *u
	var changed []string
	set := func(name string, differs bool) {
		if differs {
			changed = append(changed, name)
		}
	}
	if in.Name != nil {
		next.Name = strings.TrimSpace(*in.Name)
		set("name", next.Name != u.Name)
	}
	if in.ShortName != nil {
		next.ShortName = strings.TrimSpace(*in.ShortName)
		set("short_name", next.ShortName != u.ShortName)
	}
	if in.Kind != nil {
		next.Kind = *in.Kind
		set("kind", next.Kind != u.Kind)
	}
	if in.ParentID != nil {
		next.ParentID = in.ParentID
		set("parent_id", u.ParentID == nil || *u.ParentID != *in.ParentID)
	}
	if in.IsSupervisionOffice != nil {
		next.IsSupervisionOffice = *in.IsSupervisionOffice
		set("is_supervision_office", next.IsSupervisionOffice != u.IsSupervisionOffice)
	}
	if in.SortOrder != nil {
		next.SortOrder = *in.SortOrder
		set("sort_order", next.SortOrder != u.SortOrder)
	}
	if in.HeadUserID.Set {
		next.HeadUserID = in.HeadUserID.ID
		set("head_user_id", !sameID(u.HeadUserID, next.HeadUserID))
	}
	if in.LiaisonUserIDs != nil {
		changed = append(changed, "liaison_user_ids")
	}

	errs := checkNames(next.Name, next.ShortName)
	if !next.Kind.Valid() {
		errs = append(errs, problem.FieldError{Field: "kind", Rule: "oneof", Message: "must be one of: group, enterprise, department"})
	}
	structural := slices.Contains(changed, "parent_id") || slices.Contains(changed, "kind")
	var subtree []uuid.UUID
	if structural || in.HeadUserID.ID != nil || len(in.LiaisonUserIDs) > 0 {
		var err error
		if subtree, err = Subtree(ctx, s.db, u.ID); err != nil {
			return next, nil, nil, err
		}
	}
	if structural && next.Kind.Valid() {
		fe, err := s.checkStructure(ctx, u, &next, subtree)
		if err != nil {
			return next, nil, nil, err
		}
		errs = append(errs, fe...)
	}
	if slices.Contains(changed, "name") || slices.Contains(changed, "parent_id") {
		taken, err := siblingNameTaken(ctx, s.db, next.ParentID, next.Name, u.ID)
		if err != nil {
			return next, nil, nil, err
		}
		if taken {
			errs = append(errs, problem.FieldError{Field: "name", Rule: "unique", Message: "another unit under the same parent has this name"})
		}
	}
	people := append([]uuid.UUID{}, in.LiaisonUserIDs...)
	if in.HeadUserID.ID != nil {
		people = append(people, *in.HeadUserID.ID)
	}
	ok, err := activeUsersWithin(ctx, s.db, people, subtree)
	if err != nil {
		return next, nil, nil, err
	}
	const who = "must be an active user of this unit or of one of its descendants"
	if in.HeadUserID.ID != nil && !ok[*in.HeadUserID.ID] {
		errs = append(errs, problem.FieldError{Field: "head_user_id", Rule: "member", Message: who})
	}
	if len(in.LiaisonUserIDs) > 20 {
		errs = append(errs, problem.FieldError{Field: "liaison_user_ids", Rule: "max", Message: "must have at most 20 entries"})
	}
	for _, l := range in.LiaisonUserIDs {
		if !ok[l] {
			errs = append(errs, problem.FieldError{Field: "liaison_user_ids", Rule: "member", Message: l.String() + " " + who})
			break
		}
	}
	return next, changed, errs, nil
}

// checkStructure validates a move or change of kind: no cycle, the kind fits the
// parent, and the children still fit the unit.
func (s *Service) checkStructure(ctx context.Context, u, next *Unit, subtree []uuid.UUID) ([]problem.FieldError, error) {
	root, err := Root(ctx, s.db)
	if err != nil {
		return nil, err
	}
	var errs []problem.FieldError
	isRoot := root != nil && root.ID == u.ID
	if isRoot && next.Kind != KindGroup {
		errs = append(errs, problem.FieldError{Field: "kind", Rule: "root", Message: "the root unit is the group and must stay one"})
	}
	var parent *Unit
	if next.ParentID != nil {
		if slices.Contains(subtree, *next.ParentID) {
			return append(errs, problem.FieldError{Field: "parent_id", Rule: "cycle",
				Message: "cannot move a unit under itself or one of its descendants"}), nil
		}
		if parent, err = findUnit(ctx, s.db, *next.ParentID); err != nil {
			return nil, err
		}
		if parent == nil {
			return append(errs, problem.FieldError{Field: "parent_id", Rule: "exists", Message: "no such org unit"}), nil
		}
	}
	errs = append(errs, placement(next.Kind, parent, root, u.ID)...)
	switch {
	case next.Kind.IsScope():
		next.ScopeID = u.ID
	case parent != nil:
		next.ScopeID = parent.ScopeID
	}
	if next.Kind != u.Kind {
		var kids []Kind
		if err := s.db.Conn(ctx).Model(&Unit{}).Where("parent_id = ?", u.ID).Pluck("kind", &kids).Error; err != nil {
			return nil, fmt.Errorf("load child units: %w", err)
		}
		switch {
		case next.Kind == KindDepartment && len(kids) > 0:
			errs = append(errs, problem.FieldError{Field: "kind", Rule: "children",
				Message: fmt.Sprintf("a department cannot have child units, and this unit has %d", len(kids))})
		case next.Kind == KindEnterprise && slices.Contains(kids, KindEnterprise):
			errs = append(errs, problem.FieldError{Field: "kind", Rule: "children",
				Message: "an enterprise cannot have enterprises under it"})
		}
	}
	return errs, nil
}

// placement checks that a unit of kind fits under parent (nil: no parent), given
// the current root (nil: none) and the unit's own id.
func placement(kind Kind, parent, root *Unit, self uuid.UUID) []problem.FieldError {
	f := func(field, rule, msg string) []problem.FieldError {
		return []problem.FieldError{{Field: field, Rule: rule, Message: msg}}
	}
	switch kind {
	case KindGroup:
		if parent != nil {
			return f("parent_id", "root", "the group is the root and has no parent")
		}
		if root != nil && root.ID != self {
			return f("kind", "root", "there is already a group (the root unit); there can be only one")
		}
	case KindEnterprise:
		if parent == nil {
			return f("parent_id", "required", "is required: an enterprise belongs to the group")
		}
		if parent.Kind != KindGroup {
			return f("parent_id", "parent_kind", "an enterprise's parent must be the group")
		}
	case KindDepartment:
		if parent == nil {
			return f("parent_id", "required", "is required: a department belongs to the group or an enterprise")
		}
		if parent.Kind == KindDepartment {
			return f("parent_id", "parent_kind", "a department's parent must be the group or an enterprise")
		}
	}
	return nil
}

func checkNames(name, short string) []problem.FieldError {
	var errs []problem.FieldError
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs = append(errs, problem.FieldError{Field: "name", Rule: "required", Message: "is required"})
	case n > 200:
		errs = append(errs, problem.FieldError{Field: "name", Rule: "max", Message: "must be at most 200 characters"})
	}
	if utf8.RuneCountInString(short) > 100 {
		errs = append(errs, problem.FieldError{Field: "short_name", Rule: "max", Message: "must be at most 100 characters"})
	}
	return errs
}
