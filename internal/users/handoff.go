package users

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/problem"
)

// A person who is deactivated or moved may hold posts others wait on: unit head
// or liaison, responsible person (承办人) of assignments, supervising or assisting
// leader of open items (and so the decider of their pending requests). Update
// hands them over, in its transaction, through the Handoff the application plugs
// in (package handover, which changes items only through package items).

// Successors name who takes each kind of post; nil means the default (the unit
// head, see package handover).
type Successors struct {
	Head              *uuid.UUID
	Liaison           *uuid.UUID
	Responsible       *uuid.UUID
	SupervisingLeader *uuid.UUID
	AssistingLeader   *uuid.UUID
}

// HandoverRequest is the handover part of PATCH /users/{id} and POST /users/bulk:
// a successor per kind of post; an absent one takes the default.
type HandoverRequest struct {
	// Head: the new head of the units the person heads (default: the post is left empty).
	Head *string `json:"head,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Liaison: the new liaison in their place (default: removed).
	Liaison *string `json:"liaison,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Responsible: the new responsible person of their assignments (default: the
	// assigned unit's head, else none).
	Responsible *string `json:"responsible,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// SupervisingLeader: the new supervising leader of their open items (default:
	// the head of their unit when an active leader; else required: 409 successor_required).
	SupervisingLeader *string `json:"supervising_leader,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// AssistingLeader: takes their place among assisting leaders (default: removed).
	AssistingLeader *string `json:"assisting_leader,omitempty" validate:"omitempty,uuid" format:"uuid"`
} // @name HandoverSuccessors

// ToSuccessors converts a validated request; prefix names the fields in errors.
func (r *HandoverRequest) ToSuccessors(prefix string) (*Successors, error) {
	if r == nil {
		return nil, nil
	}
	out := &Successors{}
	for _, f := range []struct {
		name string
		in   *string
		out  **uuid.UUID
	}{{"head", r.Head, &out.Head}, {"liaison", r.Liaison, &out.Liaison}, {"responsible", r.Responsible, &out.Responsible},
		{"supervising_leader", r.SupervisingLeader, &out.SupervisingLeader}, {"assisting_leader", r.AssistingLeader, &out.AssistingLeader}} {
		if f.in == nil {
			continue
		}
		id, err := uuid.Parse(*f.in)
		if err != nil {
			return nil, problem.Field(prefix+f.name, "uuid", "must be a UUID")
		}
		*f.out = &id
	}
	return out, nil
}

// Departure is a person leaving their posts: deactivated (Active false) or moved
// from FromUnit to ToUnit.
type Departure struct {
	User       uuid.UUID
	FromUnit   uuid.UUID
	ToUnit     uuid.UUID
	Active     bool
	Successors Successors
}

// Handoff hands a departing person's posts over in the caller's transaction and
// returns what it did (for the audit record).
type Handoff func(ctx context.Context, p *access.Principal, d Departure) (map[string]any, error)

// UseHandoff plugs in the handover of posts (package handover).
func (s *Service) UseHandoff(h Handoff) { s.handoff = h }

// handOver runs the handoff when the change takes the person away from posts.
func (s *Service) handOver(ctx context.Context, p *access.Principal, a *Account, next User, ch Changes, details map[string]any) error {
	leaving := a.Active && !next.Active
	moving := next.Active && next.OrgUnitID != a.OrgUnitID
	if s.handoff == nil || (!leaving && !moving) {
		return nil
	}
	d := Departure{User: a.ID, FromUnit: a.OrgUnitID, ToUnit: next.OrgUnitID, Active: next.Active}
	if ch.Handover != nil {
		d.Successors = *ch.Handover
	}
	out, err := s.handoff(ctx, p, d)
	if err != nil {
		return err
	}
	if len(out) > 0 {
		details["handover"] = out
	}
	return nil
}
