package items

import (
	"time"

	"github.com/duban/duban/internal/civil"
)

// The effects of the state machine's rows (statemachine.go), as code: each sets
// fields of the item and names the columns it set, which are written with the new
// state and version in the same UPDATE. No package outside items writes an item
// column: the follow-up packages ask for a row through the door (door.go).

// Effect applies a row's effect to it and returns the columns it set.
type Effect func(it *Item, in Input) []string

// Input is what a change carries besides who makes it.
type Input struct {
	// At is the moment of the change (the service's clock).
	At time.Time
	// Comment is the reason or note given with the action.
	Comment string
	// Deadline is the new deadline (move_deadline).
	Deadline civil.Date
	// Progress is the new progress (set_progress).
	Progress int
	// Failed is the verification's result (verify).
	Failed bool
	// Overdue, on move_deadline: the item is past its deadline today;
	// OverdueWorkdays the working days it is past its original deadline.
	Overdue         bool
	OverdueWorkdays int
}

func submitted(it *Item, in Input) []string {
	it.SubmittedAt = ptrTime(in.At)
	return []string{"submitted_at"}
}

func submittedApproved(it *Item, in Input) []string {
	it.SubmittedAt, it.ApprovedAt = ptrTime(in.At), ptrTime(in.At)
	return []string{"submitted_at", "approved_at"}
}

func approved(it *Item, in Input) []string {
	it.ApprovedAt = ptrTime(in.At)
	return []string{"approved_at"}
}

func unsubmitted(it *Item, _ Input) []string {
	it.SubmittedAt = nil
	return []string{"submitted_at"}
}

// issued fixes the original deadline; the code, the lead unit and the
// assignments are Issue's.
func issued(it *Item, in Input) []string {
	it.IssuedAt, it.OriginalDeadline = ptrTime(in.At), it.Deadline
	return []string{"issued_at", "original_deadline"}
}

func accepted(it *Item, in Input) []string {
	it.AcceptedAt = ptrTime(in.At)
	return []string{"accepted_at"}
}

func suspended(it *Item, in Input) []string {
	it.SuspendReason = in.Comment
	return []string{"suspend_reason"}
}

func resumed(it *Item, _ Input) []string {
	it.SuspendReason = ""
	return []string{"suspend_reason"}
}

func cancelled(it *Item, in Input) []string {
	it.CancelReason, it.CancelledAt = in.Comment, ptrTime(in.At)
	return []string{"cancel_reason", "cancelled_at"}
}

// closed: a closed item is done, so its progress is 100 % (the ledger, the
// processing sheet and its parent's roll-up read it).
func closed(it *Item, in Input) []string {
	it.ClosedAt, it.Progress = ptrTime(in.At), 100
	return []string{"closed_at", "progress"}
}

func archived(it *Item, in Input) []string {
	it.ArchivedAt = ptrTime(in.At)
	return []string{"archived_at"}
}

func verified(it *Item, _ Input) []string {
	it.Verified = true
	return []string{"verified"}
}

// reopened is 反弹: the item goes back to work, flagged, and counts once more.
func reopened(it *Item, _ Input) []string {
	it.Verified, it.Flagged, it.ReopenedCount = false, true, it.ReopenedCount+1
	it.ClosedAt, it.ArchivedAt = nil, nil
	return []string{"verified", "flagged", "reopened_count", "closed_at", "archived_at"}
}

// movedDeadline: moving the deadline of an overdue item keeps the overdue as a
// fact of the item (was_overdue, overdue_workdays): later deadlines never wipe it.
func movedDeadline(it *Item, in Input) []string {
	it.Deadline = in.Deadline
	if !in.Overdue {
		return []string{"deadline"}
	}
	it.WasOverdue, it.OverdueWorkdays = true, max(it.OverdueWorkdays, in.OverdueWorkdays)
	return []string{"deadline", "was_overdue", "overdue_workdays"}
}

func progressed(it *Item, in Input) []string {
	it.Progress = in.Progress
	return []string{"progress"}
}

func ptrTime(t time.Time) *time.Time { return &t }

// columns are the values of the named columns of it, for an UPDATE.
func (it *Item) columns(names []string) map[string]any {
	cols := make(map[string]any, len(names)+2)
	for _, n := range names {
		var v any
		switch n {
		case "state":
			v = string(it.State)
		case "code":
			v = it.Code
		case "lead_unit_id":
			v = it.LeadUnitID
		case "supervising_leader_id":
			v = it.SupervisingLeaderID
		case "deadline":
			v = it.Deadline
		case "original_deadline":
			v = it.OriginalDeadline
		case "progress":
			v = it.Progress
		case "was_overdue":
			v = it.WasOverdue
		case "overdue_workdays":
			v = it.OverdueWorkdays
		case "verified":
			v = it.Verified
		case "flagged":
			v = it.Flagged
		case "reopened_count":
			v = it.ReopenedCount
		case "cancel_reason":
			v = it.CancelReason
		case "suspend_reason":
			v = it.SuspendReason
		case "submitted_at":
			v = it.SubmittedAt
		case "approved_at":
			v = it.ApprovedAt
		case "issued_at":
			v = it.IssuedAt
		case "accepted_at":
			v = it.AcceptedAt
		case "closed_at":
			v = it.ClosedAt
		case "archived_at":
			v = it.ArchivedAt
		case "cancelled_at":
			v = it.CancelledAt
		default:
			panic("items: no column " + n + " in Item.columns")
		}
		cols[n] = v
	}
	return cols
}
