// Package review is the two-step decision that completion and extension requests
// share: the supervision office reviews a request first (forwards it to the
// supervising leader, or rejects it: 退办), then the leader approves or rejects it.
// Who may take a step, and what approval does to the item, stay with each request's
// own package.
package review

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/problem"
)

// State of a request: requested → forwarded (by the supervision office) → approved |
// rejected (by the supervising leader); or rejected at review.
type State string

const (
	Requested State = "requested"
	Forwarded State = "forwarded"
	Approved  State = "approved"
	Rejected  State = "rejected"
)

// Open reports whether the request still waits for a decision.
func (s State) Open() bool { return s == Requested || s == Forwarded }

// The steps, as named in a request's allowed_actions.
const (
	ActReview  = "review"
	ActApprove = "approve"
	ActReject  = "reject"
)

// The supervision office's review decisions.
const (
	DecisionForward = "forward"
	DecisionReject  = "reject"
)

// MaxComment is the longest comment a step takes, in characters.
const MaxComment = 5000

// Step is one review or decision as the caller sends it.
type Step struct {
	Action   string // ActReview, ActApprove or ActReject
	Decision string // the review's: DecisionForward or DecisionReject
	Comment  string
}

// Check trims the comment and validates the step: a review forwards or rejects, and
// a rejection gives its reason. The problem (422) names the field.
func (s *Step) Check() error {
	s.Comment = strings.TrimSpace(s.Comment)
	var e []problem.FieldError
	if s.Action == ActReview && s.Decision != DecisionForward && s.Decision != DecisionReject {
		e = append(e, problem.FieldError{Field: "decision", Rule: "oneof", Message: "must be one of: forward, reject"})
	}
	switch {
	case s.Rejecting() && s.Comment == "":
		e = append(e, problem.FieldError{Field: "comment", Rule: "required", Message: "is required: give the reason (退办)"})
	case utf8.RuneCountInString(s.Comment) > MaxComment:
		e = append(e, problem.FieldError{Field: "comment", Rule: "max", Message: fmt.Sprintf("must be at most %d characters", MaxComment)})
	}
	if len(e) > 0 {
		return problem.Invalid(e...)
	}
	return nil
}

// Rejecting reports whether the step rejects the request: the office's review that
// rejects it, or the leader's rejection.
func (s Step) Rejecting() bool {
	return s.Action == ActReject || (s.Action == ActReview && s.Decision == DecisionReject)
}

// To is the state the step leads the request to.
func (s Step) To() State {
	switch {
	case s.Rejecting():
		return Rejected
	case s.Action == ActApprove:
		return Approved
	}
	return Forwarded
}

// Columns are what the step writes on the request's row: the new state and version,
// and who reviewed or decided it, when, with which comment.
func (s Step) Columns(by uuid.UUID, at time.Time, version int) map[string]any {
	cols := map[string]any{"state": string(s.To()), "version": version + 1, "updated_at": at}
	if s.Action == ActReview {
		cols["reviewed_by"], cols["reviewed_at"], cols["review_comment"] = by, at, s.Comment
	} else {
		cols["decided_by"], cols["decided_at"], cols["decision_comment"] = by, at, s.Comment
	}
	return cols
}
