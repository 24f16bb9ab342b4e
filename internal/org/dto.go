package org

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// CreateOrgUnitRequest is the body of POST /org-units.
type CreateOrgUnitRequest struct {
	Name      string `json:"name" validate:"required,max=200" example:"规划发展部"`
	ShortName string `json:"short_name,omitempty" validate:"max=100" example:"规划部"`
	// Kind: group (the root, only one), enterprise (parent: the group) or department
	// (parent: the group or an enterprise).
	Kind string `json:"kind" validate:"required,oneof=group enterprise department" enums:"group,enterprise,department" example:"department"`
	// ParentID is required except for the group.
	ParentID            *string `json:"parent_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	IsSupervisionOffice bool    `json:"is_supervision_office,omitempty"`
	// SortOrder orders siblings (ascending, then by name).
	SortOrder int `json:"sort_order,omitempty" example:"10"`
} // @name CreateOrgUnitRequest

// UpdateOrgUnitRequest is the body of PATCH /org-units/{id}: absent fields stay.
type UpdateOrgUnitRequest struct {
	Name                *string `json:"name,omitempty" validate:"omitempty,max=200" example:"规划发展部"`
	ShortName           *string `json:"short_name,omitempty" validate:"omitempty,max=100" example:"规划部"`
	Kind                *string `json:"kind,omitempty" validate:"omitempty,oneof=group enterprise department" enums:"group,enterprise,department"`
	ParentID            *string `json:"parent_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	IsSupervisionOffice *bool   `json:"is_supervision_office,omitempty"`
	SortOrder           *int    `json:"sort_order,omitempty"`
	// HeadUserID names the head (主要负责人): an active user of this unit or of one of
	// its descendants; null removes the head.
	HeadUserID NullableID `json:"head_user_id" swaggertype:"string" format:"uuid" extensions:"x-nullable"`
	// LiaisonUserIDs replaces the set of liaisons (督办联络人), same rule as the head;
	// [] removes them all.
	LiaisonUserIDs []string `json:"liaison_user_ids,omitempty" validate:"omitempty,max=20,dive,uuid" format:"uuid"`
	// Version, when given, must be the current version (like If-Match).
	Version *int `json:"version,omitempty" example:"3"`
} // @name UpdateOrgUnitRequest

// NullableID is a JSON field that may be absent, null or a UUID string.
type NullableID struct {
	Set   bool
	Value *string
}

// UnmarshalJSON records that the field was present.
func (n *NullableID) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Value = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("head_user_id must be a UUID string or null")
	}
	n.Value = &s
	return nil
}

// PersonRef names a user in org reads.
type PersonRef struct {
	ID          string `json:"id" format:"uuid"`
	Username    string `json:"username" example:"zhang.wei"`
	DisplayName string `json:"display_name" example:"张伟"`
} // @name PersonRef

// OrgUnit is an org unit as read.
type OrgUnit struct {
	ID string `json:"id" format:"uuid"`
	// ParentID is null for the root (the group).
	ParentID *string `json:"parent_id" format:"uuid" extensions:"x-nullable"`
	// ScopeID is the supervision scope: the unit itself for the group and
	// enterprises, else its parent's scope.
	ScopeID             string      `json:"scope_id" format:"uuid"`
	Name                string      `json:"name" example:"规划发展部"`
	ShortName           string      `json:"short_name" example:"规划部"`
	Kind                string      `json:"kind" enums:"group,enterprise,department" example:"department"`
	IsSupervisionOffice bool        `json:"is_supervision_office"`
	HeadUserID          *string     `json:"head_user_id" format:"uuid" extensions:"x-nullable"`
	Head                *PersonRef  `json:"head" extensions:"x-nullable"`
	LiaisonUserIDs      []string    `json:"liaison_user_ids" format:"uuid"`
	Liaisons            []PersonRef `json:"liaisons"`
	SortOrder           int         `json:"sort_order" example:"10"`
	Version             int         `json:"version" example:"1"`
	CreatedAt           time.Time   `json:"created_at" format:"date-time"`
	UpdatedAt           time.Time   `json:"updated_at" format:"date-time"`
	// AllowedActions lists what the caller may do: update, delete.
	AllowedActions []string `json:"allowed_actions" example:"update,delete"`
	// Children is present only in ?tree=true answers ([] for a leaf).
	Children *[]OrgUnit `json:"children,omitempty"`
} // @name OrgUnit

// OrgUnitList is a page of org units; with ?tree=true, data holds the root(s) with
// nested children and total counts every unit.
type OrgUnitList struct {
	Data     []OrgUnit `json:"data"`
	Total    int64     `json:"total" example:"12"`
	Page     int       `json:"page" example:"1"`
	PageSize int       `json:"page_size" example:"20"`
} // @name OrgUnitList

// ToOrgUnit converts a unit for the wire, with the caller's allowed actions.
func ToOrgUnit(d *Detail, p *access.Principal) OrgUnit {
	out := OrgUnit{
		ID: d.ID.String(), ParentID: idString(d.ParentID), ScopeID: d.ScopeID.String(), Name: d.Name,
		ShortName: d.ShortName, Kind: string(d.Kind), IsSupervisionOffice: d.IsSupervisionOffice,
		HeadUserID: idString(d.HeadUserID), LiaisonUserIDs: make([]string, 0, len(d.Liaisons)),
		Liaisons: make([]PersonRef, 0, len(d.Liaisons)), SortOrder: d.SortOrder, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, AllowedActions: Actions(p, &d.Unit),
	}
	if d.Head != nil {
		h := toPersonRef(*d.Head)
		out.Head = &h
	}
	for _, l := range d.Liaisons {
		out.LiaisonUserIDs = append(out.LiaisonUserIDs, l.ID.String())
		out.Liaisons = append(out.Liaisons, toPersonRef(l))
	}
	return out
}

// ToOrgUnitTree converts a tree node and its descendants.
func ToOrgUnitTree(n *Node, p *access.Principal) OrgUnit {
	out := ToOrgUnit(&n.Detail, p)
	children := make([]OrgUnit, 0, len(n.Children))
	for _, c := range n.Children {
		children = append(children, ToOrgUnitTree(c, p))
	}
	out.Children = &children
	return out
}

func toPersonRef(p Person) PersonRef {
	return PersonRef{ID: p.ID.String(), Username: p.Username, DisplayName: p.DisplayName}
}

func idString(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

// ToCreateInput converts a validated create request.
func ToCreateInput(r CreateOrgUnitRequest) (CreateInput, error) {
	in := CreateInput{Name: r.Name, ShortName: r.ShortName, Kind: Kind(r.Kind),
		IsSupervisionOffice: r.IsSupervisionOffice, SortOrder: r.SortOrder}
	var err error
	in.ParentID, err = parseID("parent_id", r.ParentID)
	return in, err
}

// ToUpdateInput converts a validated update request; ifMatch comes from If-Match.
func ToUpdateInput(r UpdateOrgUnitRequest, ifMatch etag.Precondition) (UpdateInput, error) {
	in := UpdateInput{Name: r.Name, ShortName: r.ShortName, IsSupervisionOffice: r.IsSupervisionOffice,
		SortOrder: r.SortOrder, IfMatch: ifMatch}
	if r.Kind != nil {
		k := Kind(*r.Kind)
		in.Kind = &k
	}
	if r.Version != nil {
		switch {
		case ifMatch == nil:
			in.IfMatch = []int{*r.Version}
		case !containsInt(ifMatch, *r.Version):
			in.IfMatch = []int{} // header and body disagree: nothing can match
		}
	}
	var err error
	if in.ParentID, err = parseID("parent_id", r.ParentID); err != nil {
		return in, err
	}
	if r.HeadUserID.Set {
		in.HeadUserID.Set = true
		if in.HeadUserID.ID, err = parseID("head_user_id", r.HeadUserID.Value); err != nil {
			return in, err
		}
	}
	if r.LiaisonUserIDs != nil {
		if in.LiaisonUserIDs, err = httpserver.UUIDs("liaison_user_ids", r.LiaisonUserIDs); err != nil {
			return in, err
		}
	}
	return in, nil
}

func parseID(field string, s *string) (*uuid.UUID, error) {
	if s == nil {
		return nil, nil
	}
	id, err := uuid.Parse(*s)
	if err != nil {
		return nil, problem.Field(field, "uuid", "must be a UUID")
	}
	return &id, nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
