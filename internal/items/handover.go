package items

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
)

// EvHandover is the timeline entry of a person's posts on the item handed to
// others because they left or moved (package handover decides who).
const EvHandover = "handover"

// Handover is one item's share of a departing person's handover. The frozen-field
// rules of edits do not apply: the person can no longer act, so an open item's
// supervising leader may change in any state.
type Handover struct {
	// From is the person leaving the posts.
	From uuid.UUID
	// Reason says why (deactivated, moved), for the timeline.
	Reason string
	// Leader, when From is the supervising leader, is who takes over (nil: keep).
	Leader *uuid.UUID
	// HandAssisting: From leaves the assisting leaders; Assisting takes their
	// place when not nil and not already there.
	HandAssisting bool
	Assisting     *uuid.UUID
	// Responsible maps a live assignment naming From as responsible person to
	// the new one (nil clears it: the unit's head and liaisons act).
	Responsible map[uuid.UUID]*uuid.UUID
}

// HandOver applies h to the item in the caller's transaction, as p (the admin
// deactivating or moving the person), and records one timeline entry naming every
// post that changed hands. It checks nothing of p's relation to the item: the
// caller (package handover) decided the change is owed.
func (s *Service) HandOver(ctx context.Context, p *access.Principal, itemID uuid.UUID, h Handover) error {
	it, err := s.loadItem(ctx, itemID, true)
	if err != nil {
		return err
	}
	m, err := s.assignmentsOf(ctx, it.ID)
	if err != nil {
		return err
	}
	asgs := m[it.ID]
	changes := map[string]any{"from_user_id": h.From}
	e := entry{Action: EvHandover, From: it.State, Comment: h.Reason}
	if h.Leader != nil && it.SupervisingLeaderID != nil && *it.SupervisingLeaderID == h.From {
		changes["supervising_leader_id"] = change{From: h.From, To: *h.Leader}
		it.SupervisingLeaderID = h.Leader
		e.cols = append(e.cols, "supervising_leader_id")
	}
	if h.HandAssisting && slices.Contains(it.AssistingLeaderIDs, h.From) {
		next := []uuid.UUID{}
		for _, u := range it.AssistingLeaderIDs {
			switch {
			case u != h.From:
				next = append(next, u)
			case h.Assisting != nil && !slices.Contains(it.AssistingLeaderIDs, *h.Assisting) &&
				(it.SupervisingLeaderID == nil || *it.SupervisingLeaderID != *h.Assisting):
				next = append(next, *h.Assisting)
			}
		}
		if err := s.replaceAssisting(ctx, it.ID, next); err != nil {
			return err
		}
		changes["assisting_leader_ids"] = change{From: it.AssistingLeaderIDs, To: next}
		it.AssistingLeaderIDs = next
		e.bump = true
	}
	var handed []map[string]any
	for i := range asgs {
		a := &asgs[i]
		to, ok := h.Responsible[a.ID]
		if !ok || a.ResponsibleUserID == nil || *a.ResponsibleUserID != h.From {
			continue
		}
		if err := s.updateAssignment(ctx, a, map[string]any{"responsible_user_id": to}); err != nil {
			return err
		}
		a.ResponsibleUserID = to
		handed = append(handed, map[string]any{"assignment_id": a.ID, "unit_id": a.UnitID, "from": h.From, "to": to})
		e.Events = append(e.Events, &events.AssignmentUpdated{AssignmentEvent: events.AssignmentEvent{Assignment: assignmentRef(a)}})
	}
	if len(handed) > 0 {
		changes["responsible"] = handed
	}
	if len(changes) == 1 {
		return nil // nothing of theirs left here
	}
	e.Changes = changes
	return s.record(ctx, p, it, asgs, e)
}
