package access

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Deputyship is one delegation (代理) under which the principal of a request acts
// for someone else: from StartsAt until EndsAt the deputy may take the decisions
// PrincipalID's roles and posts allow. The loader keeps the windows (principals are
// cached across requests); ActiveAt keeps only those running at the request's time,
// so a delegation ends by the clock alone.
type Deputyship struct {
	DelegationID  uuid.UUID
	PrincipalID   uuid.UUID
	PrincipalName string
	// Leader: the principal holds the leader role, so the deputy decides as the
	// supervising leader of the principal's items.
	Leader bool
	// HeadOf are the units the principal heads: the deputy acts as their head.
	HeadOf   []uuid.UUID
	StartsAt time.Time
	EndsAt   time.Time
}

// ActiveAt returns the deputyships running at t (StartsAt ≤ t < EndsAt), as a new
// slice: the cached principal is shared.
func ActiveAt(ds []Deputyship, t time.Time) []Deputyship {
	var out []Deputyship
	for _, d := range ds {
		if !t.Before(d.StartsAt) && t.Before(d.EndsAt) {
			out = append(out, d)
		}
	}
	return out
}

// ActsAsLeader reports whether p decides as leader for the user: p is that leader
// (with the role), or p's running deputyship for them carries the leader role. It is
// the one check every "the supervising leader decides" rule goes through.
func (p *Principal) ActsAsLeader(leader uuid.UUID) bool {
	if p == nil {
		return false
	}
	if p.UserID == leader {
		return p.Has(RoleLeader)
	}
	return p.DeputyFor(leader) != nil && p.DeputyFor(leader).Leader
}

// DeputyFor returns p's running deputyship for the user, or nil.
func (p *Principal) DeputyFor(user uuid.UUID) *Deputyship {
	if p == nil {
		return nil
	}
	i := slices.IndexFunc(p.Deputizing, func(d Deputyship) bool { return d.PrincipalID == user })
	if i < 0 {
		return nil
	}
	return &p.Deputizing[i]
}

// LeadersRepresented are the leaders p decides for: p (when a leader) and the
// principals of p's leader deputyships. Queries of what waits for p use it.
func (p *Principal) LeadersRepresented() []uuid.UUID {
	var out []uuid.UUID
	if p.Has(RoleLeader) {
		out = append(out, p.UserID)
	}
	for _, d := range p.Deputizing {
		if d.Leader && !slices.Contains(out, d.PrincipalID) {
			out = append(out, d.PrincipalID)
		}
	}
	return out
}

// HeadDeputyFor returns the running deputyship through which p acts as head of
// the unit (p not being its head or liaison themself), or nil.
func (p *Principal) HeadDeputyFor(unit uuid.UUID) *Deputyship {
	if p == nil || !slices.Contains(p.DelegatedHeadOf, unit) {
		return nil
	}
	for i := range p.Deputizing {
		if slices.Contains(p.Deputizing[i].HeadOf, unit) {
			return &p.Deputizing[i]
		}
	}
	return nil
}

// ApplyDeputyships makes p act under the deputyships of DeputyWindows running at
// now: Deputizing lists them, and the units their principals head join HeadOf
// (DelegatedHeadOf names those p holds only by delegation). p must be p's own
// copy; the slices are new.
func ApplyDeputyships(p *Principal, now time.Time) {
	p.Deputizing = ActiveAt(p.DeputyWindows, now)
	p.DelegatedHeadOf = nil
	if len(p.Deputizing) == 0 {
		return
	}
	head := slices.Clone(p.HeadOf)
	for _, d := range p.Deputizing {
		for _, u := range d.HeadOf {
			if !slices.Contains(head, u) && !slices.Contains(p.LiaisonOf, u) {
				head = append(head, u)
				p.DelegatedHeadOf = append(p.DelegatedHeadOf, u)
			}
		}
	}
	p.HeadOf = head
}
