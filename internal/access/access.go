// Package access holds who is acting (the Principal) and the shape of every
// authorization answer. It has no HTTP and no database in it: each domain package
// writes its rules as plain functions over a Principal and an already loaded object
// (items/permissions.go, org/permissions.go, ...), and list queries apply the same
// visibility as SQL conditions.
//
// Answers have three values because Duban must not leak existence: an object the
// caller may not see is Invisible (404), one they see but may not change is
// Forbidden (403).
package access

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/problem"
)

// Role is one of the fixed roles of DESIGN.md.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleSupervisor Role = "supervisor"
	RoleLeader     Role = "leader"
	RoleMember     Role = "member"
	RoleAuditor    Role = "auditor"
)

// Roles lists every role, in display order.
var Roles = []Role{RoleAdmin, RoleSupervisor, RoleLeader, RoleMember, RoleAuditor}

// ValidRole reports whether s names a role.
func ValidRole(s string) bool { return slices.Contains(Roles, Role(s)) }

// Token scopes of API tokens (scopes.go): the fine ones, and the two of the first
// tokens, kept as aliases of sets of fine ones.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// Principal is the authenticated caller with the relations the rules need, loaded
// once per request.
type Principal struct {
	UserID      uuid.UUID
	Username    string
	DisplayName string
	// UnitID is the user's own org unit.
	UnitID uuid.UUID
	// ScopeID is the supervision scope (the group or an enterprise) of the user's unit.
	ScopeID uuid.UUID
	// InSupervisionOffice is true when the user's unit is a supervision office.
	InSupervisionOffice bool
	Roles               []Role
	// HeadOf and LiaisonOf list the units whose head or liaison the user is.
	HeadOf    []uuid.UUID
	LiaisonOf []uuid.UUID
	// TokenScopes is set for API tokens (fine scopes, aliases expanded); nil means
	// a full login session.
	TokenScopes []string
	// TokenID is the API token of the request (uuid.Nil for a login session).
	TokenID uuid.UUID
	// Service is true for a service account: a non-person principal acting through
	// tokens only, with the rights of a person of its owning unit.
	Service bool
	// MustChangePassword limits the session to changing the password.
	MustChangePassword bool
	// DeputyWindows are the delegations (代理) naming the user as deputy that have
	// not ended when the principal was loaded; Deputizing are those running at the
	// request's time (ApplyDeputyships), and DelegatedHeadOf the units in HeadOf
	// held only through them (deputy.go).
	DeputyWindows   []Deputyship
	Deputizing      []Deputyship
	DelegatedHeadOf []uuid.UUID
}

// Has reports whether the principal holds the role.
func (p *Principal) Has(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// HasAny reports whether the principal holds one of the roles.
func (p *Principal) HasAny(rs ...Role) bool {
	for _, r := range rs {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// IsHeadOrLiaison reports whether the principal is head or liaison of the unit.
func (p *Principal) IsHeadOrLiaison(unit uuid.UUID) bool {
	return p != nil && (slices.Contains(p.HeadOf, unit) || slices.Contains(p.LiaisonOf, unit))
}

// CanWrite reports whether the credentials allow changes at all (a token with no
// writing scope does not). Which changes a token may make is the route table's
// matter (scopes.go).
func (p *Principal) CanWrite() bool {
	if p == nil {
		return false
	}
	if p.TokenScopes == nil {
		return true
	}
	for _, s := range p.TokenScopes {
		if s == ScopeItemsWrite || s == ScopeFeedbackWrite || s == ScopeWebhooksManage {
			return true
		}
	}
	return false
}

// HasScope reports whether the credentials carry the scope (a session has all).
func (p *Principal) HasScope(scope string) bool {
	return p != nil && (p.TokenScopes == nil || slices.Contains(p.TokenScopes, scope))
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of ctx, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Decision is the answer of a rule.
type Decision int

const (
	// Invisible: the caller may not know the object exists (404).
	Invisible Decision = iota
	// Forbidden: the caller sees the object but may not do this (403).
	Forbidden
	// Allowed: go ahead.
	Allowed
)

// Err turns a decision into the error to return: nil when allowed.
func (d Decision) Err(what, action string) error {
	switch d {
	case Allowed:
		return nil
	case Forbidden:
		return problem.Forbidden("you may not " + action + " this " + what)
	default:
		return problem.NotFound(what)
	}
}

// See answers Allowed when visible, else Invisible: the usual first step of a rule.
func See(visible bool) Decision {
	if visible {
		return Allowed
	}
	return Invisible
}

// Only answers Allowed when ok, else Forbidden (for an object already visible).
func Only(ok bool) Decision {
	if ok {
		return Allowed
	}
	return Forbidden
}

// Actions collects the names of the allowed actions for an object's
// `allowed_actions`, always as a non-nil list so clients get [] rather than null.
func Actions(checks map[string]bool) []string {
	out := make([]string, 0, len(checks))
	for name, ok := range checks {
		if ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
