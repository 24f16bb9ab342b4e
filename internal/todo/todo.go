// Package todo answers "what waits for me" (GET /me/todo): for the caller, the
// things they should act on now, grouped by kind and counted, with the first few of
// each group.
//
// Every group is one bounded query (its first Limit rows in the order of waiting,
// the total by a window count) on the tables of the package that owns the thing —
// items, feedback, urges, extensions, completion requests — under the same
// visibility rule as the item list (items.VisibleSQL) and the same relation that
// the owning package's rules ask for the action (the supervision office of the
// item's scope, the supervising leader, the head or a liaison of the unit). The
// items of all groups are then rendered in one batch through items.Service.Views,
// so code, title, deadline and the (cleared) light are those of the item reads.
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
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/urges"
)

// Group keys, in the order of the answer. Never rename one.
const (
	KeyApprovals           = "approvals"
	KeyToIssue             = "to_issue"
	KeyAssignmentsToAccept = "assignments_to_accept"
	KeyFeedbackToWrite     = "feedback_to_write"
	KeyFeedbackToSubmit    = "feedback_to_submit"
	KeyFeedbackToReview    = "feedback_to_review"
	KeyUrgesToAcknowledge  = "urges_to_acknowledge"
	KeyExtensionDecisions  = "extension_decisions"
	KeyCompletionDecisions = "completion_decisions"
	KeyVerificationsDue    = "verifications_due"
	KeyOverdue             = "overdue"
)

// Keys lists the groups in the order of the answer.
var Keys = []string{KeyApprovals, KeyToIssue, KeyAssignmentsToAccept, KeyFeedbackToWrite, KeyFeedbackToSubmit, KeyFeedbackToReview,
	KeyUrgesToAcknowledge, KeyExtensionDecisions, KeyCompletionDecisions, KeyVerificationsDue, KeyOverdue}

// Reference types of entries (what ref_id names).
const (
	RefAssignment = "assignment"
	RefFeedback   = "feedback"
	RefUrge       = "urge"
	RefExtension  = "extension"
	RefCompletion = "completion_request"
)

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

// row is what a group query returns.
type row struct {
	ItemID uuid.UUID  `gorm:"type:uuid"`
	RefID  *uuid.UUID `gorm:"type:uuid"`
	UnitID *uuid.UUID `gorm:"type:uuid"`
	Since  *time.Time
	// SinceDate is a date the entry waits since the day after (overdue).
	SinceDate *civil.Date
	Total     int64
}

// For returns the caller's to-do list: every group, in the order of Keys.
func (s *Service) For(ctx context.Context, p *access.Principal) ([]Group, error) {
	if p == nil {
		return nil, fmt.Errorf("todo: no principal")
	}
	today := s.items.Today()
	groups := make([]Group, 0, len(Keys))
	for _, key := range Keys {
		var (
			g   Group
			err error
		)
		if key == KeyFeedbackToWrite {
			g, err = s.feedbackToWrite(ctx, p, today)
		} else {
			g, err = s.group(ctx, p, key, today)
		}
		if err != nil {
			return nil, fmt.Errorf("todo %s: %w", key, err)
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

// myUnits are the units whose work the caller does: their own and those they head
// or liaise for.
func myUnits(p *access.Principal) []uuid.UUID {
	out := []uuid.UUID{p.UnitID}
	for _, u := range append(slices.Clone(p.HeadOf), p.LiaisonOf...) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// ledUnits are the units the caller heads or liaises for: whose assignments they
// accept, whose feedback they submit, whose urges they acknowledge.
func ledUnits(p *access.Principal) []uuid.UUID {
	var out []uuid.UUID
	for _, u := range append(slices.Clone(p.HeadOf), p.LiaisonOf...) {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

func states(ss ...items.State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// query is one group's query before paging: the FROM/JOIN, the conditions, the
// selected ref and unit columns and the column the entries wait since.
type query struct {
	join  string
	where []cond
	ref   string
	unit  string
	since string
	// sinceDate is a date column (YYYY-MM-DD) instead of a timestamp: the
	// entries wait since the start of the next day (overdue).
	sinceDate string
}

type cond struct {
	sql  string
	args []any
}

func where(sql string, args ...any) cond { return cond{sql, args} }

// spec returns the query of a group, or false when the group cannot hold anything
// for the caller (no role or relation for it).
func spec(p *access.Principal, key string, today civil.Date) (query, bool) {
	sup, leader := p.Has(access.RoleSupervisor), p.Has(access.RoleLeader)
	led, mine := ledUnits(p), myUnits(p)
	running := states(items.RunningStates()...)
	switch key {
	case KeyApprovals:
		// The state machine: approve is the supervising leader's (a leader).
		return query{where: []cond{where("items.state = ?", string(items.StatePendingApproval)),
			where("items.supervising_leader_id = ?", p.UserID)}, since: "items.submitted_at"}, leader
	case KeyToIssue:
		// Approved items of the caller's scope wait for its supervision office to
		// issue the notice (下达), the step between approval and the units' work.
		return query{where: []cond{where("items.state = ?", string(items.StateApproved)),
			where("items.scope_id = ?", p.ScopeID)}, since: "items.approved_at"}, sup
	case KeyAssignmentsToAccept:
		// A lead assignment is accepted while the item is issued, a cooperating one
		// while it runs; by the head or a liaison of the unit.
		return query{join: "JOIN item_assignments a ON a.item_id = items.id",
			where: []cond{where("a.state = ?", items.AssignmentPending), where("a.unit_id IN ?", led),
				where("((a.role = ? AND items.state = ?) OR (a.role = ? AND items.state IN ?))",
					items.RoleLead, string(items.StateIssued), items.RoleCooperating, running)},
			ref: "a.id", unit: "a.unit_id", since: "a.created_at"}, len(led) > 0
	case KeyFeedbackToSubmit:
		// Drafts and returned reports of the caller's units, while the item runs;
		// the head or a liaison submits.
		return query{join: "JOIN item_feedback f ON f.item_id = items.id",
			where: []cond{where("f.state IN ?", []string{string(feedback.StateDraft), string(feedback.StateReturned)}),
				where("f.unit_id IN ?", led), where("items.state IN ?", running)},
			ref: "f.id", unit: "f.unit_id", since: "f.updated_at"}, len(led) > 0
	case KeyFeedbackToReview:
		// Submitted reports on items of the caller's scope, for its supervision
		// office, while the item runs or waits for completion.
		return query{join: "JOIN item_feedback f ON f.item_id = items.id",
			where: []cond{where("f.state = ?", string(feedback.StateSubmitted)), where("items.scope_id = ?", p.ScopeID),
				where("items.state IN ?", append(running, string(items.StateCompletionRequested)))},
			ref: "f.id", unit: "f.unit_id", since: "f.submitted_at"}, sup
	case KeyUrgesToAcknowledge:
		return query{join: "JOIN " + urges.Urge{}.TableName() + " u ON u.item_id = items.id",
			where: []cond{where("u.acknowledged_at IS NULL"), where("u.unit_id IN ?", led)},
			ref:   "u.id", unit: "u.unit_id", since: "u.created_at"}, len(led) > 0
	case KeyExtensionDecisions:
		// Only while the item is open: the leader approves only then.
		return decisions(p, sup, leader, extensions.Request{}.TableName(), "x",
			string(extensions.StateRequested), string(extensions.StateForwarded),
			&cond{"items.state IN ?", []any{states(items.OpenStates...)}})
	case KeyCompletionDecisions:
		// The item waits on the request (completion_requested) in both stages.
		return decisions(p, sup, leader, completion.Request{}.TableName(), "x", string(completion.StateRequested), string(completion.StateForwarded),
			&cond{"items.state = ?", []any{string(items.StateCompletionRequested)}})
	case KeyVerificationsDue:
		// Closed items of the scope that no passed verification has marked yet;
		// the supervision office verifies (§13).
		return query{where: []cond{where("items.state = ?", string(items.StateClosed)), where("items.verified = ?", false),
			where("items.scope_id = ?", p.ScopeID)}, since: "items.closed_at"}, sup
	case KeyOverdue:
		// Open items past their deadline that the caller answers for: the
		// supervision office of the scope, or one of the caller's units leads,
		// cooperates or holds a live assignment.
		resp := cond{`(items.lead_unit_id IN ? OR items.id IN (SELECT oc.item_id FROM item_cooperating_units oc WHERE oc.unit_id IN ?)
			OR items.id IN (SELECT oa.item_id FROM item_assignments oa WHERE oa.unit_id IN ? AND oa.state <> ?))`,
			[]any{mine, mine, mine, items.AssignmentReturned}}
		if sup {
			resp = cond{"(items.scope_id = ? OR " + resp.sql + ")", append([]any{p.ScopeID}, resp.args...)}
		}
		return query{where: []cond{where("items.state IN ?", states(items.OpenStates...)),
			where("items.deadline IS NOT NULL AND items.deadline < ?", today), resp}, sinceDate: "items.deadline"}, true
	}
	return query{}, false
}

// decisions is the query of extension and completion requests: requested ones for
// the supervision office of the scope, forwarded ones for the supervising leader;
// never the caller's own request.
func decisions(p *access.Principal, sup, leader bool, table, alias, requested, forwarded string, extra *cond) (query, bool) {
	var who []string
	var args []any
	if sup {
		who = append(who, "("+alias+".state = ? AND items.scope_id = ?)")
		args = append(args, requested, p.ScopeID)
	}
	if leader {
		who = append(who, "("+alias+".state = ? AND items.supervising_leader_id = ?)")
		args = append(args, forwarded, p.UserID)
	}
	if len(who) == 0 {
		return query{}, false
	}
	sql := who[0]
	if len(who) == 2 {
		sql = "(" + who[0] + " OR " + who[1] + ")"
	}
	q := query{join: "JOIN " + table + " " + alias + " ON " + alias + ".item_id = items.id",
		where: []cond{{sql, args}, where(alias+".requested_by <> ?", p.UserID)},
		ref:   alias + ".id", unit: alias + ".unit_id", since: alias + ".updated_at"}
	if extra != nil {
		q.where = append(q.where, *extra)
	}
	return q, true
}

// refTypes names what ref_id is, per group.
var refTypes = map[string]string{
	KeyAssignmentsToAccept: RefAssignment, KeyFeedbackToSubmit: RefFeedback, KeyFeedbackToReview: RefFeedback,
	KeyUrgesToAcknowledge: RefUrge, KeyExtensionDecisions: RefExtension, KeyCompletionDecisions: RefCompletion,
}

// group runs one group's query: the first Limit entries, oldest first, and the
// total.
func (s *Service) group(ctx context.Context, p *access.Principal, key string, today civil.Date) (Group, error) {
	g := Group{Key: key, Entries: []Entry{}}
	q, ok := spec(p, key, today)
	if !ok {
		return g, nil
	}
	cols := "items.id AS item_id, COUNT(*) OVER () AS total"
	if q.ref != "" {
		cols += ", " + q.ref + " AS ref_id"
	}
	if q.unit != "" {
		cols += ", " + q.unit + " AS unit_id"
	}
	order := q.since
	if q.since != "" {
		cols += ", " + q.since + " AS since"
	} else {
		cols += ", " + q.sinceDate + " AS since_date"
		order = q.sinceDate
	}
	vis, visArgs := items.VisibleSQL(p)
	tx := s.db.Conn(ctx).Table("items").Select(cols)
	if q.join != "" {
		tx = tx.Joins(q.join)
	}
	for _, c := range q.where {
		tx = tx.Where(c.sql, c.args...)
	}
	tx = tx.Where(vis, visArgs...).Order(order + " ASC").Order("items.id ASC").Limit(Limit)
	var rows []row
	if err := tx.Scan(&rows).Error; err != nil {
		return g, err
	}
	loc := s.cal.Location()
	for _, r := range rows {
		g.Count = int(r.Total)
		e := Entry{ItemID: r.ItemID, RefID: r.RefID, UnitID: r.UnitID}
		if r.RefID != nil {
			e.RefType = refTypes[key]
		}
		switch {
		case r.Since != nil:
			e.Since = r.Since.UTC()
		case r.SinceDate != nil:
			// Overdue since the day after the deadline began.
			e.Since = r.SinceDate.AddDays(1).In(loc).UTC()
		}
		g.Entries = append(g.Entries, e)
	}
	return g, nil
}

// feedbackToWrite lists the live assignments of the caller's units whose next
// feedback is due within the warning threshold or overdue, leaving out units that
// already have a report in the works (that one is in feedback_to_submit). One
// bounded query on item_assignments.next_feedback_due, which the feedback package
// keeps (feedback/due.go); the deadline clamp of periodic cadences is applied here,
// as feedback's reads do.
func (s *Service) feedbackToWrite(ctx context.Context, p *access.Principal, today civil.Date) (Group, error) {
	g := Group{Key: KeyFeedbackToWrite, Entries: []Entry{}}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return g, err
	}
	blue := items.DefaultBlueWorkdays
	if s.blue != nil {
		if blue, err = s.blue.BlueWorkdays(ctx); err != nil {
			return g, err
		}
	}
	horizon := cal.AddWorkdays(today, blue)
	const due = `(CASE WHEN items.feedback_cadence <> 'milestones' AND items.deadline IS NOT NULL AND items.deadline < a.next_feedback_due
		THEN items.deadline ELSE a.next_feedback_due END)`
	vis, visArgs := items.VisibleSQL(p)
	var rows []struct {
		ItemID uuid.UUID  `gorm:"type:uuid"`
		RefID  *uuid.UUID `gorm:"type:uuid"`
		UnitID *uuid.UUID `gorm:"type:uuid"`
		Due    civil.Date
		Total  int64
	}
	err = s.db.Conn(ctx).Table("items").
		Select("items.id AS item_id, a.id AS ref_id, a.unit_id AS unit_id, "+due+" AS due, COUNT(*) OVER () AS total").
		Joins("JOIN item_assignments a ON a.item_id = items.id").
		Where("a.state <> ? AND a.unit_id IN ?", items.AssignmentReturned, myUnits(p)).
		Where("items.state IN ? AND items.feedback_cadence <> ?", states(items.StateIssued, items.StateInProgress), "none").
		Where("a.next_feedback_due IS NOT NULL AND "+due+" <= ?", horizon).
		Where(`NOT EXISTS (SELECT 1 FROM item_feedback fo WHERE fo.item_id = a.item_id AND fo.unit_id = a.unit_id AND fo.state IN ?)`,
			[]string{string(feedback.StateDraft), string(feedback.StateReturned)}).
		Where(vis, visArgs...).Order(due + " ASC").Order("items.id ASC").Order("a.id ASC").Limit(Limit).
		Scan(&rows).Error
	if err != nil {
		return g, err
	}
	loc := s.cal.Location()
	for _, r := range rows {
		g.Count = int(r.Total)
		d := r.Due
		g.Entries = append(g.Entries, Entry{ItemID: r.ItemID, RefID: r.RefID, RefType: RefAssignment, UnitID: r.UnitID,
			DueDate: &d, Since: d.In(loc).UTC()})
	}
	return g, nil
}

// Total is the number of things waiting over all groups.
func Total(groups []Group) int {
	n := 0
	for _, g := range groups {
		n += g.Count
	}
	return n
}
