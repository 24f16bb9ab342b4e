package review_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/problem"
	"github.com/duban/duban/internal/review"
)

func TestStep(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		step    review.Step
		field   string // the field a 422 names, "" for valid
		to      review.State
		decider bool // written as the leader's decision, not the office's review
	}{
		{"review forwards", review.Step{Action: review.ActReview, Decision: review.DecisionForward}, "", review.Forwarded, false},
		{"review rejects with a reason", review.Step{Action: review.ActReview, Decision: review.DecisionReject, Comment: " 材料不全 "}, "", review.Rejected, false},
		{"review rejects without a reason", review.Step{Action: review.ActReview, Decision: review.DecisionReject, Comment: "  "}, "comment", review.Rejected, false},
		{"review without a decision", review.Step{Action: review.ActReview}, "decision", review.Forwarded, false},
		{"review with an unknown decision", review.Step{Action: review.ActReview, Decision: "approve"}, "decision", review.Forwarded, false},
		{"leader approves without a comment", review.Step{Action: review.ActApprove}, "", review.Approved, true},
		{"leader rejects with a reason", review.Step{Action: review.ActReject, Comment: "理由不充分"}, "", review.Rejected, true},
		{"leader rejects without a reason", review.Step{Action: review.ActReject}, "comment", review.Rejected, true},
		{"comment too long", review.Step{Action: review.ActApprove, Comment: strings.Repeat("长", review.MaxComment+1)}, "comment", review.Approved, true},
	} {
		err := c.step.Check()
		var p *problem.Problem
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.field != "" && (!errors.As(err, &p) || !problem.IsInvalid(err) || len(p.Errors) != 1 || p.Errors[0].Field != c.field):
			t.Errorf("%s: %v, want a 422 on %s", c.name, err, c.field)
		}
		if got := c.step.To(); got != c.to {
			t.Errorf("%s: to %s, want %s", c.name, got, c.to)
		}
		by, at := uuid.New(), time.Now()
		cols := c.step.Columns(by, at, 3)
		who := "reviewed_by"
		if c.decider {
			who = "decided_by"
		}
		if cols[who] != by || cols["version"] != 4 || cols["state"] != string(c.to) {
			t.Errorf("%s: columns %v", c.name, cols)
		}
	}
	s := review.Step{Action: review.ActReview, Decision: review.DecisionReject, Comment: " 材料不全 "}
	if err := s.Check(); err != nil || s.Comment != "材料不全" {
		t.Errorf("the comment is trimmed: %q, %v", s.Comment, err)
	}
}
