package todo

import (
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/review"
	"github.com/duban/duban/internal/urges"
)

// A group holds what its owning package's rule allows the caller to do now and
// its waiting condition says is waiting. The rules are the Go functions below; spec
// writes each as SQL, and TestGroupsMatchRules proves the two equal, for every
// principal of a generated world, on both engines:
//
//	group                  rule (Go)                                         waiting
//	approvals              "approve" in items.AllowedActions                 —
//	to_issue               "issue" in items.AllowedActions                   —
//	assignments_to_accept  "accept" in items.AssignmentActions               —
//	returned_assignments   "reassign" in items.AllowedActions                the assignment in items.AwaitingReassign
//	                                                                         (returned, nobody assigned since)
//	feedback_to_write      feedback.CanCreate for a live assignment's unit   item in items.FeedbackDueStates; the
//	                                                                         unit's next feedback due (clamped to the
//	                                                                         deadline) within the blue threshold; no
//	                                                                         report of the unit in the works
//	feedback_to_submit     "submit" in feedback.AllowedActions               —
//	feedback_to_review     "accept" in feedback.AllowedActions               —
//	urges_to_acknowledge   "acknowledge" in urges.AllowedActions             —
//	extension_decisions    a step in the review engine's Actions             item open (a request of a finished item
//	                                                                         decides nothing)
//	completion_decisions   a step in the review engine's Actions             —
//	verifications_due      "verify" in items.AllowedActions                  item closed (not archived), not verified
//	overdue                items.AnswersFor                                  item overdue (open, past its deadline)
//	drafts_returned        "submit" in items.AllowedActions                  a draft the leader rejected (a reject on
//	                                                                         its timeline)
//	rework                 "request_completion" in items.AllowedActions      completion refused (退办) or the item
//	                                                                         reopened (反弹), no completion request open
//	instructions           items.IsLeadUnit, items.Writes, item running      an instruction (批示) with no report of
//	                                                                         the lead unit submitted at or after it
//	feedback_returned      "update" in feedback.AllowedActions               returned, written by the caller
//	my_assignments         a live assignment naming the caller responsible   item running
//
// Every rule also requires that the caller sees the item (items.VisibleSQL is
// added to every query). The list is the person's: the rules are asked of the
// caller with full credentials (person), so a read-only token shows what waits
// for its user, who acts with a session.

// query is one group's query before paging: the FROM/JOIN, the conditions, the
// selected ref and unit columns and the column the entries wait since.
type query struct {
	join  string
	where []cond
	ref   string
	unit  string
	// wait is the column the entries wait since, oldest first; its kind says how
	// to read it.
	wait string
	kind waitKind
}

// waitKind says what the wait column holds.
type waitKind int

const (
	// sinceTime: a timestamp.
	sinceTime waitKind = iota
	// sinceDue: a due date (feedback_to_write); the entry waits since its start
	// and shows it.
	sinceDue
	// sinceDayAfter: a deadline (overdue); the entry waits since the next day.
	sinceDayAfter
)

type cond struct {
	sql  string
	args []any
}

func where(sql string, args ...any) cond { return cond{sql, args} }

func states(ss ...items.State) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// person is p with full credentials (see above).
func person(p *access.Principal) *access.Principal {
	q := *p
	q.TokenScopes = nil
	return &q
}

// liveAssignmentOf is the condition that the unit (a column) still has a live
// assignment on the item (a column): feedback is written and submitted only then.
func liveAssignmentOf(item, unit string) cond {
	return where("EXISTS (SELECT 1 FROM item_assignments la WHERE la.item_id = "+item+" AND la.unit_id = "+unit+" AND la.state <> ?)",
		items.AssignmentReturned)
}

// feedbackDue is the unit's next feedback due date as feedback's reads give it:
// the stored next_feedback_due, clamped to the item's deadline unless reports
// follow milestones (feedback/due.go).
const feedbackDue = `(CASE WHEN items.feedback_cadence <> 'milestones' AND items.deadline IS NOT NULL AND items.deadline < a.next_feedback_due
	THEN items.deadline ELSE a.next_feedback_due END)`

// spec returns the query of a group for p (already a person), or false when the
// group cannot hold anything for them (no role or relation for it).
func spec(p *access.Principal, key string, d day) (query, bool) {
	// leaders: p and those p stands in for under a running delegation (代理).
	sup, leaders, writes := p.Has(access.RoleSupervisor), p.LeadersRepresented(), items.Writes(p)
	led, mine := items.LedUnits(p), items.MyUnits(p)
	open := states(items.OpenStates...)
	switch key {
	case KeyApprovals:
		// The state machine: approve is the supervising leader's (RelLeader).
		// An item without a supervising leader is the office's (items.Relations).
		return query{where: []cond{where("items.state = ?", string(items.StatePendingApproval)),
			deciderOf(p, sup, leaders)}, wait: "items.submitted_at"}, len(leaders) > 0 || sup
	case KeyToIssue:
		// issue is the supervision office's of the item's scope (RelSupervisor).
		return query{where: []cond{where("items.state = ?", string(items.StateApproved)),
			where("items.scope_id = ?", p.ScopeID)}, wait: "items.approved_at"}, sup
	case KeyAssignmentsToAccept:
		// A pending assignment, by the head or a liaison of its unit (RelAssignee):
		// the lead's while the item is issued, a cooperating one's while it runs.
		return query{join: "JOIN item_assignments a ON a.item_id = items.id",
			where: []cond{where("a.state = ?", items.AssignmentPending), where("a.unit_id IN ?", led),
				where("((a.role = ? AND items.state = ?) OR (a.role = ? AND items.state IN ?))",
					items.RoleLead, string(items.StateIssued), items.RoleCooperating, states(items.RunningStates()...))},
			ref: "a.id", unit: "a.unit_id", wait: "a.created_at"}, len(led) > 0
	case KeyReturnedAssignments:
		// reassign is the supervision office's of the item's scope while it runs
		// (RelSupervisor); waiting while nobody was assigned since the return.
		return query{join: "JOIN item_assignments a ON a.item_id = items.id",
			where: []cond{where("a.state = ? AND a.reassigned_at IS NULL", items.AssignmentReturned),
				where("items.scope_id = ?", p.ScopeID), where("items.state IN ?", states(items.RunningStates()...))},
			ref: "a.id", unit: "a.unit_id", wait: "a.returned_at"}, sup
	case KeyFeedbackToWrite:
		// feedback.CanCreate: a writer of the unit of a live assignment — its own
		// unit, one they head or liaise for, or the unit of an assignment naming
		// them responsible — while the item runs; waiting as above.
		return query{join: "JOIN item_assignments a ON a.item_id = items.id",
			where: []cond{where("a.state <> ?", items.AssignmentReturned),
				where(`(a.unit_id IN ? OR EXISTS (SELECT 1 FROM item_assignments ra
					WHERE ra.item_id = a.item_id AND ra.unit_id = a.unit_id AND ra.responsible_user_id = ?))`, mine, p.UserID),
				where("items.state IN ? AND items.feedback_cadence <> ?", states(items.FeedbackDueStates()...), "none"),
				where("a.next_feedback_due IS NOT NULL AND "+feedbackDue+" <= ?", d.horizon),
				where("NOT EXISTS (SELECT 1 FROM item_feedback fo WHERE fo.item_id = a.item_id AND fo.unit_id = a.unit_id AND fo.state IN ?)",
					[]string{string(feedback.StateDraft), string(feedback.StateReturned)})},
			ref: "a.id", unit: "a.unit_id", wait: feedbackDue, kind: sinceDue}, writes
	case KeyFeedbackToSubmit:
		// submit: a draft or returned report of a unit the caller heads or liaises
		// for, which still has a live assignment, while the item runs.
		return query{join: "JOIN item_feedback f ON f.item_id = items.id",
			where: []cond{where("f.state IN ?", []string{string(feedback.StateDraft), string(feedback.StateReturned)}),
				where("f.unit_id IN ?", led), where("items.state IN ?", states(items.RunningStates()...)),
				liveAssignmentOf("f.item_id", "f.unit_id")},
			ref: "f.id", unit: "f.unit_id", wait: "f.updated_at"}, writes && len(led) > 0
	case KeyFeedbackToReview:
		// accept/return: submitted reports, for the supervision office of the
		// item's scope, while the item runs or waits for completion.
		return query{join: "JOIN item_feedback f ON f.item_id = items.id",
			where: []cond{where("f.state = ?", string(feedback.StateSubmitted)), where("items.scope_id = ?", p.ScopeID),
				where("items.state IN ?", states(feedback.ReviewableStates()...))},
			ref: "f.id", unit: "f.unit_id", wait: "f.submitted_at"}, sup
	case KeyUrgesToAcknowledge:
		// acknowledge: an urge not yet acknowledged, by the head or a liaison of
		// the urged unit, in any state of the item.
		return query{join: "JOIN " + urges.Urge{}.TableName() + " u ON u.item_id = items.id",
			where: []cond{where("u.acknowledged_at IS NULL"), where("u.unit_id IN ?", led)},
			ref:   "u.id", unit: "u.unit_id", wait: "u.created_at"}, writes && len(led) > 0
	case KeyExtensionDecisions:
		// The engine's steps; extensions' own rule (approve needs the item open)
		// is the waiting condition for every step.
		return decisions(p, sup, leaders, extensions.Request{}.TableName(), &cond{"items.state IN ?", []any{open}})
	case KeyCompletionDecisions:
		// The engine's steps; completion's own rule (the item's reject_completion
		// and approve_completion rows) needs the item waiting on the request.
		return decisions(p, sup, leaders, completion.Request{}.TableName(),
			&cond{"items.state = ?", []any{string(items.StateCompletionRequested)}})
	case KeyVerificationsDue:
		// verify is the supervision office's; waiting while closed and unverified.
		return query{where: []cond{where("items.state = ?", string(items.StateClosed)), where("items.verified = ?", false),
			where("items.scope_id = ?", p.ScopeID)}, wait: "items.closed_at"}, sup
	case KeyDraftsReturned:
		// submit is the initiator's (the user, or head or liaison of the
		// initiator unit; documents the office's): a draft rejected at 立项.
		init := cond{"(items.category <> ? AND (items.initiator_user_id = ? OR items.initiator_unit_id IN ?))",
			[]any{string(items.CategoryDocument), p.UserID, led}}
		if sup {
			init = cond{"(items.scope_id = ? OR " + init.sql + ")", append([]any{p.ScopeID}, init.args...)}
		}
		return query{where: []cond{where("items.state = ?", string(items.StateDraft)), init,
			where("items.id IN (SELECT rj.item_id FROM item_events rj WHERE rj.action = ?)", string(items.ActReject))},
			wait: "items.updated_at"}, true
	case KeyRework:
		// request_completion is the lead unit's (RelLead) while in progress.
		return query{where: []cond{where("items.state = ?", string(items.StateInProgress)), where("items.lead_unit_id IN ?", led),
			where(`(items.reopened_count > 0 OR items.id IN (SELECT rc.item_id FROM `+completion.Request{}.TableName()+` rc WHERE rc.state = ?))`, string(review.Rejected)),
			where(`items.id NOT IN (SELECT oc.item_id FROM `+completion.Request{}.TableName()+` oc WHERE oc.state IN ?)`,
				[]string{string(review.Requested), string(review.Forwarded)})},
			unit: "items.lead_unit_id", wait: "items.updated_at"}, len(led) > 0
	case KeyInstructions:
		return query{join: "JOIN item_comments c ON c.item_id = items.id",
			where: []cond{where("c.kind = ?", "instruction"), where("items.lead_unit_id IN ?", led),
				where("items.state IN ?", states(items.RunningStates()...)),
				where(`NOT EXISTS (SELECT 1 FROM item_feedback fr WHERE fr.item_id = c.item_id AND fr.unit_id = items.lead_unit_id
					AND fr.submitted_at IS NOT NULL AND fr.submitted_at >= c.created_at)`)},
			ref: "c.id", unit: "items.lead_unit_id", wait: "c.created_at"}, writes && len(led) > 0
	case KeyFeedbackReturned:
		// update: a writer of the report's unit (feedback's ofUnit), while the
		// unit holds a live assignment and the item runs; waiting for its author.
		return query{join: "JOIN item_feedback f ON f.item_id = items.id",
			where: []cond{where("f.state = ? AND f.created_by = ?", string(feedback.StateReturned), p.UserID),
				where(`(f.unit_id IN ? OR EXISTS (SELECT 1 FROM item_assignments ra
					WHERE ra.item_id = f.item_id AND ra.unit_id = f.unit_id AND ra.responsible_user_id = ?))`, mine, p.UserID),
				where("items.state IN ?", states(items.RunningStates()...)), liveAssignmentOf("f.item_id", "f.unit_id")},
			ref: "f.id", unit: "f.unit_id", wait: "f.updated_at"}, writes
	case KeyMyAssignments:
		return query{join: "JOIN item_assignments a ON a.item_id = items.id",
			where: []cond{where("a.responsible_user_id = ? AND a.state <> ?", p.UserID, items.AssignmentReturned),
				where("items.state IN ?", states(items.RunningStates()...))},
			ref: "a.id", unit: "a.unit_id", wait: "a.created_at"}, true
	case KeyOverdue:
		// items.AnswersFor: the supervision office of the scope, or one of the
		// caller's units leads, cooperates or holds a live assignment; waiting
		// while open past the deadline.
		resp := cond{`(items.lead_unit_id IN ? OR items.id IN (SELECT oc.item_id FROM item_cooperating_units oc WHERE oc.unit_id IN ?)
			OR items.id IN (SELECT oa.item_id FROM item_assignments oa WHERE oa.unit_id IN ? AND oa.state <> ?))`,
			[]any{mine, mine, mine, items.AssignmentReturned}}
		if sup {
			resp = cond{"(items.scope_id = ? OR " + resp.sql + ")", append([]any{p.ScopeID}, resp.args...)}
		}
		return query{where: []cond{where("items.state IN ?", open),
			where("items.deadline IS NOT NULL AND items.deadline < ?", d.today), resp}, wait: "items.deadline", kind: sinceDayAfter}, true
	}
	return query{}, false
}

// decisions is the review engine's rule as a query: a requested request for the
// supervision office of the scope (review), a forwarded one for the supervising
// leader (approve, reject); never the caller's own request.
func decisions(p *access.Principal, sup bool, leaders []uuid.UUID, table string, extra *cond) (query, bool) {
	var who []string
	var args []any
	if sup {
		who = append(who, "(x.state = ? AND items.scope_id = ?)")
		args = append(args, string(review.Requested), p.ScopeID)
	}
	if len(leaders) > 0 || sup {
		d := deciderOf(p, sup, leaders)
		who = append(who, "(x.state = ? AND "+d.sql+")")
		args = append(args, append([]any{string(review.Forwarded)}, d.args...)...)
	}
	if len(who) == 0 {
		return query{}, false
	}
	sql := who[0]
	if len(who) > 1 {
		sql = "(" + strings.Join(who, " OR ") + ")"
	}
	q := query{join: "JOIN " + table + " x ON x.item_id = items.id",
		where: []cond{{sql, args}, where("x.requested_by <> ?", p.UserID)},
		ref:   "x.id", unit: "x.unit_id", wait: "x.updated_at"}
	if extra != nil {
		q.where = append(q.where, *extra)
	}
	return q, true
}

// deciderOf is the supervising leader's relation (items.RelLeader) as a condition:
// the item's supervising leader, or the supervision office of its scope when the
// item has none.
func deciderOf(p *access.Principal, sup bool, leaders []uuid.UUID) cond {
	var or []string
	var args []any
	if len(leaders) > 0 {
		or = append(or, "items.supervising_leader_id IN ?")
		args = append(args, leaders)
	}
	if sup {
		or = append(or, "(items.supervising_leader_id IS NULL AND items.scope_id = ?)")
		args = append(args, p.ScopeID)
	}
	if len(or) == 0 {
		return where("1 = 0")
	}
	return cond{"(" + strings.Join(or, " OR ") + ")", args}
}
