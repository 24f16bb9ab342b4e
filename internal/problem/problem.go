// Package problem holds the errors that Duban shows to clients, shaped after RFC 9457
// (application/problem+json).
//
// Domain packages return these errors and know nothing of HTTP transport; the HTTP
// layer renders them. Each carries a stable machine Code so that clients can show the
// message in the user's language.
package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Stable codes. Clients switch on these; never rename one.
const (
	CodeBadRequest         = "bad_request"
	CodeMalformedJSON      = "malformed_json"
	CodeUnauthorized       = "unauthorized"
	CodeForbidden          = "forbidden"
	CodeNotFound           = "not_found"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeConflict           = "conflict"
	CodeInvalidTransition  = "invalid_transition"
	CodePreconditionFailed = "precondition_failed"
	CodePreconditionNeeded = "precondition_required"
	CodeTooLarge           = "payload_too_large"
	CodeUnsupportedMedia   = "unsupported_media_type"
	CodeValidation         = "validation_failed"
	CodeRateLimited        = "rate_limited"
	CodeInternal           = "internal_error"
	CodeUnavailable        = "service_unavailable"
)

// FieldError names one invalid field by its JSON name.
type FieldError struct {
	Field   string `json:"field" example:"title"`
	Message string `json:"message" example:"is required"`
	// Rule is the machine name of the failed rule (required, max, oneof, ...).
	Rule string `json:"rule,omitempty" example:"required"`
} // @name FieldError

// Problem is an RFC 9457 problem detail. It implements error.
type Problem struct {
	Type      string       `json:"type" example:"https://duban.dev/problems/validation_failed"`
	Title     string       `json:"title" example:"Validation failed"`
	Status    int          `json:"status" example:"422"`
	Detail    string       `json:"detail,omitempty" example:"title: is required"`
	Instance  string       `json:"instance,omitempty" example:"/api/v1/items"`
	Code      string       `json:"code" example:"validation_failed"`
	RequestID string       `json:"request_id,omitempty" example:"01J9Z3S6Q8C1ZP5E9V6M4T2K7A"`
	Errors    []FieldError `json:"errors,omitempty"`
	// Extra carries problem-specific extension members, e.g. the current state and the
	// allowed actions of an invalid transition. They are written at the top level of the
	// JSON object, as RFC 9457 asks for extension members.
	Extra map[string]any `json:"-"`

	cause error
} // @name Problem

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%s: %s", p.Code, p.Detail)
	}
	return p.Code
}

// MarshalJSON writes the fixed members and the extension members side by side.
func (p *Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	base, err := json.Marshal((*plain)(p))
	if err != nil || len(p.Extra) == 0 {
		return base, err
	}
	var merged map[string]any
	if err := json.Unmarshal(base, &merged); err != nil {
		return nil, err
	}
	for k, v := range p.Extra {
		if _, taken := merged[k]; !taken {
			merged[k] = v
		}
	}
	return json.Marshal(merged)
}

// Unwrap gives the underlying error, kept for logs only.
func (p *Problem) Unwrap() error { return p.cause }

// TypeBase prefixes the problem type URIs.
const TypeBase = "https://duban.dev/problems/"

// New builds a problem with the given status, code and detail.
func New(status int, code, detail string) *Problem {
	return &Problem{
		Type:   TypeBase + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}

// Wrap attaches an underlying error that is logged but never shown.
func (p *Problem) Wrap(err error) *Problem { p.cause = err; return p }

// With adds an extension member.
func (p *Problem) With(key string, value any) *Problem {
	if p.Extra == nil {
		p.Extra = map[string]any{}
	}
	p.Extra[key] = value
	return p
}

// BadRequest is a 400 for a request that cannot be understood.
func BadRequest(detail string) *Problem { return New(http.StatusBadRequest, CodeBadRequest, detail) }

// Unauthorized is a 401: no or invalid credentials.
func Unauthorized(detail string) *Problem {
	return New(http.StatusUnauthorized, CodeUnauthorized, detail)
}

// Forbidden is a 403: the caller sees the object but may not do this.
func Forbidden(detail string) *Problem { return New(http.StatusForbidden, CodeForbidden, detail) }

// NotFound is a 404: absent, or not visible to the caller.
func NotFound(what string) *Problem {
	return New(http.StatusNotFound, CodeNotFound, what+" not found")
}

// Conflict is a 409 with a specific code.
func Conflict(code, detail string) *Problem { return New(http.StatusConflict, code, detail) }

// InvalidTransition is a 409 naming the current state and what may be done from it.
func InvalidTransition(action, state string, allowed []string) *Problem {
	if allowed == nil {
		allowed = []string{}
	}
	return New(http.StatusConflict, CodeInvalidTransition,
		fmt.Sprintf("action %q is not allowed in state %q", action, state)).
		With("state", state).With("allowed_actions", allowed)
}

// PreconditionFailed is a 412 for a stale If-Match.
func PreconditionFailed(detail string) *Problem {
	return New(http.StatusPreconditionFailed, CodePreconditionFailed, detail)
}

// Invalid is a 422 listing the invalid fields.
func Invalid(errs ...FieldError) *Problem {
	p := New(http.StatusUnprocessableEntity, CodeValidation, "the request has invalid fields")
	p.Title = "Validation failed"
	if len(errs) > 0 {
		p.Detail = errs[0].Field + ": " + errs[0].Message
		if len(errs) > 1 {
			p.Detail += fmt.Sprintf(" (and %d more)", len(errs)-1)
		}
	}
	p.Errors = errs
	return p
}

// Field is a shorthand for Invalid with a single field.
func Field(field, rule, message string) *Problem {
	return Invalid(FieldError{Field: field, Rule: rule, Message: message})
}

// RateLimited is a 429.
func RateLimited(detail string, retryAfterSeconds int) *Problem {
	return New(http.StatusTooManyRequests, CodeRateLimited, detail).With("retry_after", retryAfterSeconds)
}

// Internal is a 500. The cause is logged, never shown.
func Internal(err error) *Problem {
	return New(http.StatusInternalServerError, CodeInternal,
		"an unexpected error occurred; quote the request id when reporting it").Wrap(err)
}

// From turns any error into a problem: problems pass through, everything else is an
// internal error whose text stays in the logs.
func From(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	return Internal(err)
}
