package review

import (
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// StepRequest is the body of POST /{requests}/{id}/review.
type StepRequest struct {
	Decision string `json:"decision" validate:"required,oneof=forward reject" enums:"forward,reject" example:"forward"`
	// Comment is required to reject (退办: the reason).
	Comment string `json:"comment,omitempty" validate:"max=5000" example:"材料齐全，报主管领导审批"`
} // @name ReviewStep

// DecisionRequest is the body of POST /{requests}/{id}/approve and /reject.
type DecisionRequest struct {
	// Comment is required to reject.
	Comment string `json:"comment,omitempty" validate:"max=5000" example:"同意"`
} // @name ReviewDecision

// StepFrom reads the step of a review, approve or reject request: the review's
// decision and comment, or the decision's optional comment (an empty body is
// allowed there).
func StepFrom(c echo.Context, action string) (Step, error) {
	if action == ActReview {
		req, err := httpserver.Bind[StepRequest](c)
		return Step{Action: action, Decision: req.Decision, Comment: req.Comment}, err
	}
	var req DecisionRequest
	if c.Request().ContentLength != 0 {
		var err error
		if req, err = httpserver.Bind[DecisionRequest](c); err != nil {
			return Step{}, err
		}
	}
	return Step{Action: action, Comment: req.Comment}, nil
}
