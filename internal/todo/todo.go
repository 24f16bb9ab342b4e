// Package todo answers "what waits for me" (GET /me/todo): for the caller, the
// things they should act on now, grouped by kind and counted, with the first few of
// each group; and, for reminders, the other way round: who must act now on an item
// (Recipients).
//
// Every group is one bounded query (its first Limit rows in the order of waiting,
// the total by a window count) on the tables of the package that owns the thing —
// items, feedback, urges, extensions, completion requests — under the same
// visibility rule as the item list (items.VisibleSQL). Its conditions are the
// owning package's rule for the action, written as SQL, and the group's waiting
// condition; groups.go lists, per group, the Go rule it equals, and
// TestGroupsMatchRules proves each one equal to it on a generated world. The items
// of all groups are then rendered in one batch through items.Service.Views, so
// code, title, deadline and the (cleared) light are those of the item reads.
//
// feedback_to_write reads when feedback is due from
// item_assignments.next_feedback_due, which the feedback package keeps with its
// rule (feedback/due.go).
package todo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
)

// Group keys, in the order of the answer. Never rename one.
const (
	KeyApprovals           = "approvals"
	KeyToIssue             = "to_issue"
	KeyAssignmentsToAccept = "assignments_to_accept"
	KeyReturnedAssignments = "returned_assignments"
	KeyFeedbackToWrite     = "feedback_to_write"
	KeyFeedbackToSubmit    = "feedback_to_submit"
	KeyFeedbackToReview    = "feedback_to_review"
	KeyUrgesToAcknowledge  = "urges_to_acknowledge"
	KeyExtensionDecisions  = "extension_decisions"
	KeyCompletionDecisions = "completion_decisions"
	KeyVerificationsDue    = "verifications_due"
	KeyOverdue             = "overdue"
	// Work that came back (issue 11): a draft rejected at 立项, an item whose
	// completion was refused (退办) or reopened (反弹), a leader's instruction
	// (批示) not yet answered by a report, a report returned to its author, and
	// the items naming the caller as responsible person (承办人).
	KeyDraftsReturned   = "drafts_returned"
	KeyRework           = "rework"
	KeyInstructions     = "instructions"
	KeyFeedbackReturned = "feedback_returned"
	KeyMyAssignments    = "my_assignments"
)

// Keys lists the groups in the order of the answer.
var Keys = []string{KeyApprovals, KeyToIssue, KeyAssignmentsToAccept, KeyReturnedAssignments, KeyFeedbackToWrite, KeyFeedbackToSubmit, KeyFeedbackToReview,
	KeyUrgesToAcknowledge, KeyExtensionDecisions, KeyCompletionDecisions, KeyVerificationsDue, KeyOverdue,
	KeyDraftsReturned, KeyRework, KeyInstructions, KeyFeedbackReturned, KeyMyAssignments}

// Reference types of entries (what ref_id names).
const (
	RefAssignment = "assignment"
	RefFeedback   = "feedback"
	RefUrge       = "urge"
	RefExtension  = "extension"
	RefCompletion = "completion_request"
	RefComment    = "comment"
)

// RefTypes names what ref_id is, per group; groups absent here have no ref (the
// item itself is the thing).
var RefTypes = map[string]string{
	KeyAssignmentsToAccept: RefAssignment, KeyReturnedAssignments: RefAssignment, KeyFeedbackToWrite: RefAssignment, KeyFeedbackToSubmit: RefFeedback,
	KeyFeedbackToReview: RefFeedback, KeyUrgesToAcknowledge: RefUrge, KeyExtensionDecisions: RefExtension,
	KeyCompletionDecisions: RefCompletion, KeyInstructions: RefComment, KeyFeedbackReturned: RefFeedback,
	KeyMyAssignments: RefAssignment,
}

// Limit is how many entries a group shows.
const Limit = 20

// Entry is one thing waiting for the caller.
type Entry struct {
	ItemID  uuid.UUID
	RefID   *uuid.UUID
	RefType string
	// UnitID is the caller's unit concerned (assignments, feedback, urges).
	UnitID *uuid.UUID
	// Since is when it started waiting.
	Since time.Time
	// DueDate is when the feedback is due (feedback_to_write).
	DueDate *civil.Date
	// Item is the item as the caller sees it.
	Item items.ItemView
}

// Group is one kind of thing waiting, counted, with its first Limit entries.
type Group struct {
	Key     string
	Count   int
	Entries []Entry
}

// BlueSource gives the warning threshold (internal/warnings): feedback due within
// that many working days counts as due.
type BlueSource interface {
	BlueWorkdays(ctx context.Context) (int, error)
}

// Service answers the to-do list.
type Service struct {
	db       *database.DB
	items    *items.Service
	feedback *feedback.Service
	cal      *calendar.Service
	blue     BlueSource
}

// NewService returns the to-do service; blue may be nil (the items' default).
func NewService(db *database.DB, itemsSvc *items.Service, feedbackSvc *feedback.Service, cal *calendar.Service, blue BlueSource) *Service {
	return &Service{db: db, items: itemsSvc, feedback: feedbackSvc, cal: cal, blue: blue}
}

// day is what the waiting conditions look at: today, and the last day a feedback
// may be due on to count as due now (the blue threshold in working days).
type day struct {
	today, horizon civil.Date
}

func (s *Service) day(ctx context.Context) (day, error) {
	today := s.items.Today()
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return day{}, err
	}
	blue := items.DefaultBlueWorkdays
	if s.blue != nil {
		if blue, err = s.blue.BlueWorkdays(ctx); err != nil {
			return day{}, err
		}
	}
	return day{today: today, horizon: cal.AddWorkdays(today, blue)}, nil
}

// For returns the caller's to-do list: every group, in the order of Keys.
func (s *Service) For(ctx context.Context, p *access.Principal) ([]Group, error) {
	if p == nil {
		return nil, fmt.Errorf("todo: no principal")
	}
	d, err := s.day(ctx)
	if err != nil {
		return nil, err
	}
	groups := make([]Group, 0, len(Keys))
	for _, key := range Keys {
		g := Group{Key: key, Entries: []Entry{}}
		rows, err := s.rows(ctx, p, key, d, Limit, nil)
		if err != nil {
			return nil, fmt.Errorf("todo %s: %w", key, err)
		}
		for _, r := range rows {
			g.Count = int(r.Total)
			g.Entries = append(g.Entries, s.entry(key, r))
		}
		groups = append(groups, g)
	}
	if err := s.fill(ctx, p, groups); err != nil {
		return nil, err
	}
	return groups, nil
}

// fill renders the items of every entry in one batch and drops entries whose item
// the caller cannot see (which the queries' visibility already excludes).
func (s *Service) fill(ctx context.Context, p *access.Principal, groups []Group) error {
	var ids []uuid.UUID
	for _, g := range groups {
		for _, e := range g.Entries {
			if !slices.Contains(ids, e.ItemID) {
				ids = append(ids, e.ItemID)
			}
		}
	}
	views, err := s.items.Views(ctx, p, ids)
	if err != nil {
		return err
	}
	for gi := range groups {
		kept := groups[gi].Entries[:0]
		for _, e := range groups[gi].Entries {
			if v, ok := views[e.ItemID]; ok {
				e.Item = v
				kept = append(kept, e)
			}
		}
		groups[gi].Entries = kept
	}
	return nil
}

// Total is the number of things waiting over all groups.
func Total(groups []Group) int {
	n := 0
	for _, g := range groups {
		n += g.Count
	}
	return n
}
