package users

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/problem"
)

// Bulk actions of the org chart: move people to a unit, deactivate or reactivate
// them, set their roles. Each person goes through Update, so every rule of a
// single change holds (an admin cannot lock themself out, the last admin stays,
// posts that no longer fit are released, sessions of the deactivated end, each
// change is audited), and the whole batch is one transaction: all or nothing.

// Bulk actions.
const (
	BulkMove       = "move"
	BulkDeactivate = "deactivate"
	BulkActivate   = "activate"
	BulkSetRoles   = "set_roles"
)

// Role modes of set_roles.
const (
	RolesReplace = "replace"
	RolesAdd     = "add"
	RolesRemove  = "remove"
)

// MaxBulk is the most people one bulk action takes.
const MaxBulk = 1000

// BulkRequest is the body of POST /users/bulk.
type BulkRequest struct {
	UserIDs []string `json:"user_ids" validate:"required,min=1,max=1000,unique,dive,uuid" format:"uuid"`
	// Action: move (to org_unit_id), deactivate, activate, set_roles (roles with roles_mode).
	Action string `json:"action" validate:"required,oneof=move deactivate activate set_roles" enums:"move,deactivate,activate,set_roles" example:"move"`
	// OrgUnitID is the unit to move to (move).
	OrgUnitID string `json:"org_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Roles to set, add or remove (set_roles).
	Roles []string `json:"roles,omitempty" validate:"omitempty,max=5,dive,oneof=admin supervisor leader member auditor" enums:"admin,supervisor,leader,member,auditor" example:"supervisor"`
	// RolesMode: replace (default), add or remove.
	RolesMode string `json:"roles_mode,omitempty" validate:"omitempty,oneof=replace add remove" enums:"replace,add,remove" example:"add"`
	// Handover names who takes the posts of the people moved or deactivated
	// (GET /users/{id}/holdings); absent successors take the defaults.
	Handover *HandoverRequest `json:"handover,omitempty"`
} // @name BulkUsersRequest

// BulkResult is the answer of POST /users/bulk.
type BulkResult struct {
	// Changed are the people the action changed; Unchanged those it found as wanted.
	Changed   []string `json:"changed" format:"uuid"`
	Unchanged []string `json:"unchanged" format:"uuid"`
} // @name BulkUsersResult

// CanBulk answers whether p may run bulk actions on people: admins with
// credentials that allow writing.
func CanBulk(p *access.Principal) access.Decision { return CanCreate(p) }

// Bulk applies one action to many people in one transaction. A problem of one
// person stops everything and names them: the field user_ids[i] (422), or the
// problem of the rule with user_id and index members (409 self_lockout,
// last_admin).
func (s *Service) Bulk(ctx context.Context, p *access.Principal, req BulkRequest) (*BulkResult, error) {
	if err := CanBulk(p).Err("user", "bulk"); err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(req.UserIDs))
	for i, raw := range req.UserIDs {
		id, err := uuid.Parse(raw)
		if err != nil {
			return nil, problem.Field(fmt.Sprintf("user_ids[%d]", i), "uuid", "must be a UUID")
		}
		ids[i] = id
	}
	var unit uuid.UUID
	switch req.Action {
	case BulkMove:
		if req.OrgUnitID == "" {
			return nil, problem.Field("org_unit_id", "required", "is required to move people")
		}
		unit, _ = uuid.Parse(req.OrgUnitID)
	case BulkSetRoles:
		if len(req.Roles) == 0 {
			return nil, problem.Field("roles", "required", "name at least one role")
		}
	}
	succ, err := req.Handover.ToSuccessors("handover.")
	if err != nil {
		return nil, err
	}
	res := &BulkResult{Changed: []string{}, Unchanged: []string{}}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lockAdmins(ctx, s.db); err != nil {
			return err
		}
		if req.Action == BulkMove {
			ok, err := unitExists(ctx, s.db, unit)
			if err != nil {
				return err
			}
			if !ok {
				return problem.Field("org_unit_id", "exists", "no such org unit")
			}
		}
		for i, id := range ids {
			a, err := getAccount(ctx, s.db, id)
			if err != nil {
				return bulkProblem(err, i, id)
			}
			ch := Changes{Handover: succ}
			switch req.Action {
			case BulkMove:
				ch.OrgUnitID = &unit
			case BulkDeactivate:
				f := false
				ch.Active = &f
			case BulkActivate:
				t := true
				ch.Active = &t
			case BulkSetRoles:
				ch.Roles = nextRoles(a.Roles, req.Roles, req.RolesMode)
			}
			before := a.Version
			after, err := s.Update(ctx, p, id, ch)
			if err != nil {
				return bulkProblem(err, i, id)
			}
			if after.Version != before {
				res.Changed = append(res.Changed, id.String())
			} else {
				res.Unchanged = append(res.Unchanged, id.String())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// nextRoles computes a person's roles under a set_roles action.
func nextRoles(current, roles []string, mode string) []string {
	switch mode {
	case RolesAdd:
		out := slices.Clone(current)
		for _, r := range roles {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
		return sortRoles(out)
	case RolesRemove:
		out := []string{}
		for _, r := range current {
			if !slices.Contains(roles, r) {
				out = append(out, r)
			}
		}
		return out
	}
	return sortRoles(roles)
}

// bulkProblem names the person a problem is about.
func bulkProblem(err error, i int, id uuid.UUID) error {
	var p *problem.Problem
	if !errors.As(err, &p) {
		return err
	}
	if problem.IsNotFound(p) {
		return problem.Field(fmt.Sprintf("user_ids[%d]", i), "exists", "no such user: "+id.String())
	}
	if problem.IsInvalid(p) {
		for j := range p.Errors {
			p.Errors[j].Field = fmt.Sprintf("user_ids[%d].%s", i, p.Errors[j].Field)
		}
	}
	return p.With("user_id", id.String()).With("index", i)
}
