package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
)

// This file is the door through which the follow-up packages (feedback, urges,
// extensions, completion, verification, comments, attachments) act on an item. They
// load it with the same visibility (Load), and then either note what happened
// (Note: the item row does not change) or ask for a named change that items
// decides against the state machine, applies with the row's effect under the
// optimistic lock, and records on the timeline with its domain events — always
// inside the caller's transaction (db.InTx), so a follow-up record and its item
// change commit together or not at all. No package outside items writes an item
// column.

// Load returns the item p may see (404 otherwise) with its assignments. forUpdate
// locks the row on PostgreSQL; call it inside a transaction when you will change it.
func (s *Service) Load(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Item, []Assignment, error) {
	return s.visibleItem(ctx, p, id, forUpdate)
}

// FactsOf returns the facts the state machine looks at for an item.
func FactsOf(it *Item) Facts { return factsOf(it) }

// Note is what a follow-up package records on the item: the timeline entry (its
// action, changes and comment) and its domain event.
type Note struct {
	// Action names the timeline entry, e.g. feedback_submitted.
	Action  string
	Changes map[string]any
	Comment string
	// Event is the domain event (the door fills in its item); nil for none.
	Event events.ItemEvent
}

func (n Note) entry() entry {
	e := entry{Action: n.Action, Changes: n.Changes, Comment: n.Comment}
	if n.Event != nil {
		e.Events = []events.ItemEvent{n.Event}
	}
	return e
}

// Note records something that happened to the item without changing its row (a
// feedback submitted, an urge sent, a comment written, a request forwarded).
func (s *Service) Note(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, n Note) error {
	e := n.entry()
	e.From = it.State
	return s.record(ctx, p, it, asgs, e)
}

// followup decides a row of the state machine for p and takes it.
func (s *Service) followup(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, a Action, in Input, n Note) error {
	f := factsOf(it)
	f.VerifyFailed = in.Failed
	t, err := Decide(p, it, asgs, a, f)
	if err != nil {
		return err
	}
	e := n.entry()
	if e.Action == "" {
		e.Action = string(a)
	}
	return s.take(ctx, p, it, asgs, t, in, e)
}

// RequestCompletion: the lead unit asks to close the item (办结申请);
// in_progress → completion_requested.
func (s *Service) RequestCompletion(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, n Note) error {
	return s.followup(ctx, p, it, asgs, ActRequestCompletion, Input{Comment: n.Comment}, n)
}

// ApproveCompletion: the supervising leader approves closing;
// completion_requested → closed.
func (s *Service) ApproveCompletion(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, n Note) error {
	return s.followup(ctx, p, it, asgs, ActApproveCompletion, Input{Comment: n.Comment}, n)
}

// RejectCompletion: the supervision office (退办) or the supervising leader sends
// the item back to work; completion_requested → in_progress.
func (s *Service) RejectCompletion(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, n Note) error {
	return s.followup(ctx, p, it, asgs, ActRejectCompletion, Input{Comment: n.Comment}, n)
}

// Verify records a verification after closing (结果核查): passed marks the item
// verified; failed reopens it (反弹).
func (s *Service) Verify(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, failed bool, n Note) error {
	return s.followup(ctx, p, it, asgs, ActVerify, Input{Comment: n.Comment, Failed: failed}, n)
}

// DeadlineCause says why a deadline moves.
type DeadlineCause struct {
	// Cause is "extension" (an approved extension request) or "office" (set by the
	// supervision office on a leader's decision once the item was overdue).
	Cause    string
	LeaderID *uuid.UUID
}

// Deadline causes.
const (
	CauseExtension = "extension"
	CauseOffice    = "office"
)

// MoveDeadline moves the item's current deadline to `to`; the original deadline
// stays (assessment measures against it). The caller (internal/extensions) has
// decided who may; items checks the state and records deadline.moved besides the
// caller's event.
func (s *Service) MoveDeadline(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, to civil.Date, why DeadlineCause, n Note) error {
	from := it.Deadline
	moved := &events.DeadlineMoved{From: from.String(), To: to.String(), Cause: why.Cause, LeaderID: why.LeaderID, Note: n.Comment}
	e := n.entry()
	e.Events = append(e.Events, moved)
	t, err := Decide(p, it, asgs, ActMoveDeadline, factsOf(it))
	if err != nil {
		return err
	}
	if e.Action == "" {
		e.Action = string(ActMoveDeadline)
	}
	in := Input{Comment: n.Comment, Deadline: to}
	if clk, err := s.dayOf(ctx); err != nil {
		return err
	} else if !from.IsZero() && clk.Today.After(from) {
		// Overdue now: counted against the original deadline (§14(d)).
		orig := it.OriginalDeadline
		if orig.IsZero() {
			orig = from
		}
		in.Overdue, in.OverdueWorkdays = true, max(0, clk.Cal.WorkdaysBetween(orig, clk.Today))
	}
	return s.take(ctx, p, it, asgs, t, in, e)
}

// SetProgress sets the item's progress from the lead unit's accepted report.
func (s *Service) SetProgress(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, progress int, n Note) error {
	if progress < 0 || progress > 100 {
		return fmt.Errorf("items: progress %d out of range", progress)
	}
	t, err := Decide(p, it, asgs, ActSetProgress, factsOf(it))
	if err != nil {
		return err
	}
	e := n.entry()
	e.Events = append(e.Events, &events.ProgressChanged{From: it.Progress, To: progress})
	if e.Action == "" {
		e.Action = string(ActSetProgress)
	}
	return s.take(ctx, p, it, asgs, t, Input{Comment: n.Comment, Progress: progress}, e)
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
