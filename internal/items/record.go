package items

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
)

// Every change of an item ends here (record): one entry appended to the item's
// hash-chained timeline, the item's changed columns and its new chain head written
// in one UPDATE under the optimistic lock, and the change's domain events into the
// outbox — all in the caller's transaction; then the hooks that asked for the
// change's action run with the item already loaded.

// entry is one change as recorded.
type entry struct {
	// Action names the timeline entry (the state machine's action, or a
	// follow-up's name such as feedback_submitted).
	Action string
	// From is the state before the change (the item's state after it is it.State).
	From    State
	Changes map[string]any
	Comment string
	// Events are the domain events of the change; record fills in their item.
	Events []events.ItemEvent
	// cols are the columns of the item the change set (it carries the new
	// values); they are written with the chain head, version+1 and updated_at.
	cols []string
	// bump moves the version even when no column changed (a cleared light: a
	// derived field of the item's reads changed).
	bump bool
}

// take applies a decided row of the state machine — its effect and its target
// state — and records the change with the row's own domain event (submitted,
// issued, closed, reopened, …) after the caller's.
func (s *Service) take(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, t Transition, in Input, e entry) error {
	if in.At.IsZero() {
		in.At = s.now()
	}
	from := it.State
	if t.Apply != nil {
		e.cols = append(e.cols, t.Apply(it, in)...)
	}
	if to := t.Target(from); to != from {
		it.State = to
		e.cols = append(e.cols, "state")
	}
	if e.Action == "" {
		e.Action = string(t.Action)
	}
	if e.Comment == "" {
		e.Comment = in.Comment
	}
	e.From = from
	if ev := transitionEvent(t.Action, from, it.State, in); ev != nil {
		e.Events = append(e.Events, ev)
	}
	return s.record(ctx, p, it, asgs, e)
}

// record writes and records a change: see the top of the file.
func (s *Service) record(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, e entry) error {
	actor := actorOf(p)
	if b := onBehalfOf(p, it, e.Action, e.Changes); b != nil {
		changes := make(map[string]any, len(e.Changes)+1)
		for k, v := range e.Changes {
			changes[k] = v
		}
		changes["on_behalf_of"] = b
		e.Changes = changes
	}
	ev, err := s.appendEvent(ctx, it, actor, eventInput{Action: e.Action, StateBefore: e.From, StateAfter: it.State,
		Changes: e.Changes, Comment: e.Comment})
	if err != nil {
		return fmt.Errorf("record %s: %w", e.Action, err)
	}
	if err := s.writeHead(ctx, it, ev, e); err != nil {
		return err
	}
	if len(e.Events) > 0 {
		ref := refOf(it, asgs)
		for _, de := range e.Events {
			*de.ItemRef() = ref
			if err := s.outbox.Emit(ctx, actor, de); err != nil {
				return err
			}
		}
	}
	if s.feedbackDue != nil && s.feedbackDue.WantsFeedbackDue(ev.Action) {
		if err := s.feedbackDue.RefreshFeedbackDue(ctx, it, asgs); err != nil {
			return fmt.Errorf("refresh feedback due dates: %w", err)
		}
	}
	if s.statsKeeper != nil && s.statsKeeper.WantsItem(ev.Action) {
		if err := s.statsKeeper.KeepItem(ctx, it.ID); err != nil {
			return fmt.Errorf("keep statistics: %w", err)
		}
	}
	return nil
}

// writeHead moves the item's chain head to ev and, when the change set columns
// (or bumps), writes them with version+1 and updated_at under the optimistic lock
// (a concurrent change answers 409).
func (s *Service) writeHead(ctx context.Context, it *Item, ev *Event, e entry) error {
	m := it.columns(e.cols)
	m["event_seq"], m["last_event_hash"] = ev.Seq, ev.Hash
	q := s.db.Conn(ctx).Table("items").Where("id = ?", it.ID)
	versioned := len(e.cols) > 0 || e.bump
	if versioned {
		m["version"] = gorm.Expr("version + 1")
		m["updated_at"] = ev.At
		q = q.Where("version = ?", it.Version)
	}
	res := q.Updates(m)
	if res.Error != nil {
		return fmt.Errorf("update item: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return conflict(errStale)
	}
	it.EventSeq, it.LastEventHash = ev.Seq, ev.Hash
	if versioned {
		it.Version++
		it.UpdatedAt = ev.At
	}
	if slices.Contains(e.cols, "lead_unit_id") {
		return s.syncVisibility(ctx, it.ID)
	}
	return nil
}

// transitionEvent is the domain event of a state machine row, nil for rows whose
// event the caller gives (accept, return, request and verification steps).
func transitionEvent(a Action, from, to State, in Input) events.ItemEvent {
	tr := events.Transition{From: string(from), To: string(to), Comment: in.Comment}
	switch a {
	case ActSubmit:
		return &events.ItemSubmitted{Transition: tr}
	case ActApprove:
		return &events.ItemApproved{Transition: tr}
	case ActReject:
		return &events.ItemRejected{Transition: tr}
	case ActIssue:
		return &events.ItemIssued{Transition: tr}
	case ActSuspend:
		return &events.ItemSuspended{Transition: tr}
	case ActResume:
		return &events.ItemResumed{Transition: tr}
	case ActCancel:
		return &events.ItemCancelled{Transition: tr}
	case ActArchive:
		return &events.ItemArchived{Transition: tr}
	case ActApproveCompletion:
		return &events.ItemClosed{Transition: tr}
	case ActVerify:
		if in.Failed {
			return &events.ItemReopened{Transition: tr}
		}
	}
	return nil
}

// refOf is the item as its events name it.
func refOf(it *Item, asgs []Assignment) events.ItemRef {
	r := events.ItemRef{
		ID: it.ID, ScopeID: it.ScopeID, ParentScopeID: it.ParentScopeID, Title: it.Title, State: string(it.State),
		Category: string(it.Category), Source: string(it.Source), Urgency: it.Urgency,
		InitiatorUserID: it.InitiatorUserID, InitiatorUnitID: it.InitiatorUnitID,
		SupervisingLeaderID: it.SupervisingLeaderID, AssistingLeaderIDs: orEmpty(it.AssistingLeaderIDs),
		LeadUnitID: it.LeadUnitID, UnitIDs: []uuid.UUID{},
	}
	if it.Code != nil {
		r.Code = *it.Code
	}
	if !it.Deadline.IsZero() {
		r.Deadline = it.Deadline.String()
	}
	add := func(u uuid.UUID) {
		for _, x := range r.UnitIDs {
			if x == u {
				return
			}
		}
		r.UnitIDs = append(r.UnitIDs, u)
	}
	live := 0
	for _, a := range asgs {
		if a.Live() {
			live++
		}
	}
	if live == 0 {
		if it.LeadUnitID != nil {
			add(*it.LeadUnitID)
		}
		for _, u := range it.CooperatingUnitIDs {
			add(u)
		}
		return r
	}
	for _, role := range []string{RoleLead, RoleCooperating} {
		for _, a := range asgs {
			if a.Live() && a.Role == role {
				add(a.UnitID)
				if a.ResponsibleUserID != nil {
					r.ResponsibleUserIDs = append(r.ResponsibleUserIDs, *a.ResponsibleUserID)
				}
			}
		}
	}
	return r
}

func actorOf(p *access.Principal) *uuid.UUID {
	if p == nil || p.UserID == uuid.Nil {
		return nil
	}
	id := p.UserID
	return &id
}
