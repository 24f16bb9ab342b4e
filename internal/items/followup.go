package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
)

// This file is the door through which the follow-up packages (feedback, urges,
// extensions, completion, verification, comments, attachments) act on an item. They
// load it with the same visibility, ask the same state machine, change it with the
// same optimistic lock and append to the same hash-chained timeline — always inside
// the caller's transaction (db.InTx), so a follow-up record and its item change
// commit together or not at all.

// Load returns the item p may see (404 otherwise) with its assignments. forUpdate
// locks the row on PostgreSQL; call it inside a transaction when you will change it.
func (s *Service) Load(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Item, []Assignment, error) {
	return s.visibleItem(ctx, p, id, forUpdate)
}

// FactsOf returns the facts the state machine looks at for an item.
func FactsOf(it *Item) Facts { return factsOf(it) }

// Change applies a decided transition (or, with to == it.State, a change without a
// state change): cols are set on the row together with the state, the version is
// bumped under the optimistic lock (a concurrent change answers 409), and an event
// named action is appended with changes and comment.
func (s *Service) Change(ctx context.Context, p *access.Principal, it *Item, action string, to State, cols map[string]any, changes map[string]any, comment string) error {
	if cols == nil {
		cols = map[string]any{}
	}
	before := it.State
	if to != "" && to != it.State {
		cols["state"] = string(to)
	} else {
		to = it.State
	}
	if err := s.updateItem(ctx, it, cols); err != nil {
		return conflict(err)
	}
	it.State = to
	_, err := s.appendEvent(ctx, it.ID, actorOf(p), eventInput{Action: action, StateBefore: before, StateAfter: to, Changes: changes, Comment: comment})
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// Record appends an event that changes nothing on the item row itself (a feedback
// submitted, an urge sent, a comment written).
func (s *Service) Record(ctx context.Context, p *access.Principal, it *Item, action string, changes map[string]any, comment string) error {
	_, err := s.appendEvent(ctx, it.ID, actorOf(p), eventInput{Action: action, StateBefore: it.State, StateAfter: it.State, Changes: changes, Comment: comment})
	if err != nil {
		return fmt.Errorf("record %s: %w", action, err)
	}
	return nil
}

// Today is today's date in the company time zone.
func (s *Service) Today() civil.Date { return s.today() }

// IsSupervisor reports whether p acts as the supervision office of the item's scope.
func IsSupervisor(p *access.Principal, it *Item) bool {
	return Relations(p, it, nil)&RelSupervisor != 0
}

// IsSupervisingLeader reports whether p is the item's supervising leader (主管领导).
func IsSupervisingLeader(p *access.Principal, it *Item) bool {
	return Relations(p, it, nil)&RelLeader != 0
}

// IsLeadUnit reports whether p is head or liaison of the item's lead unit.
func IsLeadUnit(p *access.Principal, it *Item) bool { return Relations(p, it, nil)&RelLead != 0 }

// IsInitiator reports whether p created the item or heads/liaises for its initiator unit.
func IsInitiator(p *access.Principal, it *Item) bool { return Relations(p, it, nil)&RelInitiator != 0 }

// LiveAssignment returns the live (pending or accepted) assignment of unit, if any.
func LiveAssignment(asgs []Assignment, unit uuid.UUID) *Assignment {
	for i := range asgs {
		if asgs[i].UnitID == unit && asgs[i].Live() {
			return &asgs[i]
		}
	}
	return nil
}

func actorOf(p *access.Principal) *uuid.UUID {
	if p == nil {
		return nil
	}
	id := p.UserID
	return &id
}

// ReadItem answers for attachments.ItemAccess: nil when p may see the item.
func (s *Service) ReadItem(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	_, _, err := s.visibleItem(ctx, p, id, false)
	return err
}

// AttachToItem answers for attachments.ItemAccess: the people who work on the item
// may add files — the supervision office, the supervising leader, the initiator,
// members of a unit with a live assignment, and any leader of the item's scope (who
// may attach a file to an instruction 批示). Auditors and read-only tokens may not.
func (s *Service) AttachToItem(ctx context.Context, p *access.Principal, id uuid.UUID) error {
	it, asgs, err := s.visibleItem(ctx, p, id, false)
	if err != nil {
		return err
	}
	if !p.CanWrite() {
		return access.Forbidden.Err("item", "attach files to")
	}
	if Relations(p, it, nil) != 0 || (p.Has(access.RoleLeader) && p.ScopeID == it.ScopeID) {
		return nil
	}
	for i := range asgs {
		if asgs[i].Live() && (asgs[i].UnitID == p.UnitID || p.IsHeadOrLiaison(asgs[i].UnitID)) {
			return nil
		}
	}
	return access.Forbidden.Err("item", "attach files to")
}
