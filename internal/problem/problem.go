// Package problem holds the errors that Duban shows to clients, shaped after RFC 9457
// (application/problem+json).
//
// A problem says what kind of failure happened (not found, forbidden, a conflict with
// the object's state, invalid fields, ...) and carries a stable machine Code so that
// clients can show the message in the user's language. Domain packages return problems
// and branch on their kind with the predicates (IsNotFound, IsInvalid, ...); they know
// nothing of HTTP. The HTTP edge (internal/httpserver) maps each Kind to a status and
// renders the problem.
package problem

import (
	"encoding/json"
	"errors"
	"fmt"
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

// Kind is what went wrong, in business terms. The HTTP edge turns it into a status;
// the zero Kind is not a failure anyone meant and renders as an internal error.
//
// Kind is a byte on purpose: an HTTP status passed where a Kind is expected does not
// compile (it overflows), so no call site can mix the two up.
type Kind uint8

// The kinds. Add one here and give it a status in internal/httpserver.
const (
	_ Kind = iota
	// KindBadRequest: the request cannot be understood (malformed JSON, a bad header).
	KindBadRequest
	// KindUnauthenticated: no or invalid credentials.
	KindUnauthenticated
	// KindForbidden: the caller sees the object but may not do this.
	KindForbidden
	// KindNotFound: absent, or not visible to the caller (no existence leak).
	KindNotFound
	// KindConflict: the object's state does not allow this now.
	KindConflict
	// KindPreconditionFailed: the caller's copy is stale (If-Match).
	KindPreconditionFailed
	// KindInvalid: invalid fields, listed in Errors.
	KindInvalid
	// KindTooLarge: the body is larger than accepted.
	KindTooLarge
	// KindUnsupportedMedia: the body is not of a type this endpoint reads.
	KindUnsupportedMedia
	// KindRateLimited: too many attempts; Extra["retry_after"] says when to retry.
	KindRateLimited
	// KindUnavailable: the server cannot answer now (not ready, too slow).
	KindUnavailable
	// KindInternal: a bug or an outage; the cause is logged, never shown.
	KindInternal
	// KindInsufficientStorage: the server has no room to keep what was sent (a
	// full disk or temporary directory); a server fault, not the client's.
	KindInsufficientStorage
	// KindPreconditionRequired: the change must name the version it was made
	// from (If-Match) and did not.
	KindPreconditionRequired
)

var kindNames = [...]string{
	KindBadRequest: "bad_request", KindUnauthenticated: "unauthenticated", KindForbidden: "forbidden",
	KindNotFound: "not_found", KindConflict: "conflict", KindPreconditionFailed: "precondition_failed",
	KindInvalid: "invalid", KindTooLarge: "too_large", KindUnsupportedMedia: "unsupported_media",
	KindRateLimited: "rate_limited", KindUnavailable: "unavailable", KindInternal: "internal",
	KindInsufficientStorage: "insufficient_storage", KindPreconditionRequired: "precondition_required",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// FieldError names one invalid field by its JSON name.
type FieldError struct {
	Field   string `json:"field" example:"title"`
	Message string `json:"message" example:"is required"`
	// Rule is the machine name of the failed rule (required, max, oneof, ...).
	Rule string `json:"rule,omitempty" example:"required"`
} // @name FieldError

// Problem is an RFC 9457 problem detail. It implements error.
//
// The domain sets Kind and leaves Status and (mostly) Title empty: the HTTP edge fills
// them in from Kind when it renders the problem.
type Problem struct {
	Type      string       `json:"type" example:"https://duban.dev/problems/validation_failed"`
	Title     string       `json:"title" example:"Validation failed"`
	Status    int          `json:"status" example:"422"`
	Detail    string       `json:"detail,omitempty" example:"title: is required"`
	Instance  string       `json:"instance,omitempty" example:"/api/v1/items"`
	Code      string       `json:"code" example:"validation_failed"`
	RequestID string       `json:"request_id,omitempty" example:"01J9Z3S6Q8C1ZP5E9V6M4T2K7A"`
	Errors    []FieldError `json:"errors,omitempty"`
	Kind      Kind         `json:"-"`
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

// New builds a problem of the given kind, code and detail.
func New(kind Kind, code, detail string) *Problem {
	return &Problem{
		Type:   TypeBase + code,
		Kind:   kind,
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

// BadRequest is a request that cannot be understood.
func BadRequest(detail string) *Problem { return New(KindBadRequest, CodeBadRequest, detail) }

// Unauthorized: no or invalid credentials.
func Unauthorized(detail string) *Problem {
	return New(KindUnauthenticated, CodeUnauthorized, detail)
}

// Forbidden: the caller sees the object but may not do this.
func Forbidden(detail string) *Problem { return New(KindForbidden, CodeForbidden, detail) }

// NotFound: absent, or not visible to the caller.
func NotFound(what string) *Problem {
	return New(KindNotFound, CodeNotFound, what+" not found")
}

// Conflict is a conflict with the object's state, with a specific code.
func Conflict(code, detail string) *Problem { return New(KindConflict, code, detail) }

// InvalidTransition is a conflict naming the current state and what may be done from it.
func InvalidTransition(action, state string, allowed []string) *Problem {
	if allowed == nil {
		allowed = []string{}
	}
	return New(KindConflict, CodeInvalidTransition,
		fmt.Sprintf("action %q is not allowed in state %q", action, state)).
		With("state", state).With("allowed_actions", allowed)
}

// PreconditionFailed is a stale If-Match.
func PreconditionFailed(detail string) *Problem {
	return New(KindPreconditionFailed, CodePreconditionFailed, detail)
}

// PreconditionRequired: a change that must say which version it was made from
// (If-Match) came without one.
func PreconditionRequired(detail string) *Problem {
	return New(KindPreconditionRequired, CodePreconditionNeeded, detail)
}

// Invalid lists the invalid fields.
func Invalid(errs ...FieldError) *Problem {
	p := New(KindInvalid, CodeValidation, "the request has invalid fields")
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

// TooLarge is a body larger than accepted.
func TooLarge(detail string) *Problem { return New(KindTooLarge, CodeTooLarge, detail) }

// UnsupportedMedia is a body of a type the endpoint does not read.
func UnsupportedMedia(detail string) *Problem {
	return New(KindUnsupportedMedia, CodeUnsupportedMedia, detail)
}

// Unavailable: the server cannot answer now.
func Unavailable(detail string) *Problem { return New(KindUnavailable, CodeUnavailable, detail) }

// RateLimited: too many attempts; retry after the given seconds.
func RateLimited(detail string, retryAfterSeconds int) *Problem {
	return New(KindRateLimited, CodeRateLimited, detail).With("retry_after", retryAfterSeconds)
}

// Internal is a bug or an outage. The cause is logged, never shown.
func Internal(err error) *Problem {
	return New(KindInternal, CodeInternal,
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

// KindOf is the kind of err: that of the problem it is or wraps, KindInternal for any
// other error, and zero for nil.
func KindOf(err error) Kind {
	if err == nil {
		return 0
	}
	var p *Problem
	if errors.As(err, &p) {
		if p.Kind == 0 {
			return KindInternal
		}
		return p.Kind
	}
	return KindInternal
}

// Is reports whether err is (or wraps) a problem of the kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// IsNotFound reports whether err says the object is absent or not visible.
func IsNotFound(err error) bool { return Is(err, KindNotFound) }

// IsForbidden reports whether err says the caller may not do this.
func IsForbidden(err error) bool { return Is(err, KindForbidden) }

// IsConflict reports whether err is a conflict with the object's state.
func IsConflict(err error) bool { return Is(err, KindConflict) }

// IsInvalid reports whether err lists invalid fields.
func IsInvalid(err error) bool { return Is(err, KindInvalid) }

// IsPreconditionFailed reports whether err says the caller's copy is stale.
func IsPreconditionFailed(err error) bool { return Is(err, KindPreconditionFailed) }

// IsUnauthenticated reports whether err says the credentials are missing or invalid.
func IsUnauthenticated(err error) bool { return Is(err, KindUnauthenticated) }

// IsInternal reports whether err is a bug or an outage rather than the caller's fault
// (any error that is not a problem is one).
func IsInternal(err error) bool { return Is(err, KindInternal) }
