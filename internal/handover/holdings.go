// Package handover hands the posts of a person who is deactivated or moved to
// others, so that nothing is left waiting for someone who can no longer act: unit
// head and liaison, responsible person (承办人) of live assignments, supervising
// and assisting leader of open items (and so the decider of their approvals and
// pending extension and completion requests). GET /users/{id}/holdings shows what
// a person holds and who would take it by default; users.Update calls Handoff in
// its transaction. Items change only through items.Service.HandOver, which records
// the handover on each item's timeline.
package handover

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/review"
)

// Roles of a holding.
const (
	RoleHead              = "head"
	RoleLiaison           = "liaison"
	RoleResponsible       = "responsible"
	RoleSupervisingLeader = "supervising_leader"
	RoleAssistingLeader   = "assisting_leader"
)

// Person names someone.
type Person struct {
	ID          uuid.UUID `json:"id" format:"uuid"`
	DisplayName string    `json:"display_name" example:"李明"`
} // @name HandoverPerson

// Holding is one post a person holds.
type Holding struct {
	Role     string     `json:"role" enums:"head,liaison,responsible,supervising_leader,assisting_leader"`
	UnitID   *uuid.UUID `json:"unit_id,omitempty" format:"uuid"`
	UnitName string     `json:"unit_name,omitempty"`
	ItemID   *uuid.UUID `json:"item_id,omitempty" format:"uuid"`
	ItemCode *string    `json:"item_code,omitempty"`
	// ItemTitle and ItemState describe the item of an item post.
	ItemTitle    string     `json:"item_title,omitempty"`
	ItemState    string     `json:"item_state,omitempty"`
	AssignmentID *uuid.UUID `json:"assignment_id,omitempty" format:"uuid"`
	// PendingDecisions counts what waits for the supervising leader on the item:
	// its approval (立项) and forwarded extension and completion requests.
	PendingDecisions int `json:"pending_decisions"`
	// HandedOver: the change asked about (deactivation, or a move to unit_id)
	// takes this post away, so it must be handed over.
	HandedOver bool `json:"handed_over"`
	// DefaultSuccessor takes the post when the request names nobody (null: the
	// post is left empty, or for a supervising leader a successor is required).
	DefaultSuccessor *Person `json:"default_successor"`
	scope            uuid.UUID
} // @name HandoverHolding

// Holdings is the answer of GET /users/{id}/holdings.
type Holdings struct {
	UserID   uuid.UUID `json:"user_id" format:"uuid"`
	Holdings []Holding `json:"holdings"`
	// Delegations counts the delegations (代理) not yet over in which the person is
	// principal or deputy: deactivation ends them.
	Delegations int `json:"delegations"`
	// SuccessorRequired: handing over with the defaults is not possible (a
	// supervising leader post without a default successor).
	SuccessorRequired bool `json:"successor_required"`
} // @name Holdings

// collect reads what user holds. toUnit nil asks about deactivation, else about a
// move to that unit (posts that still fit stay).
func (s *Service) collect(ctx context.Context, user, fromUnit uuid.UUID, toUnit *uuid.UUID) (*Holdings, error) {
	conn := s.db.Conn(ctx)
	out := &Holdings{UserID: user, Holdings: []Holding{}}
	var units []struct {
		ID   uuid.UUID `gorm:"type:uuid"`
		Name string
		Head bool
	}
	if err := conn.Raw(`SELECT id, name, TRUE AS head FROM org_units WHERE head_user_id = ?
		UNION ALL SELECT ou.id, ou.name, FALSE AS head FROM org_unit_liaisons l JOIN org_units ou ON ou.id = l.org_unit_id WHERE l.user_id = ?`,
		user, user).Scan(&units).Error; err != nil {
		return nil, fmt.Errorf("load posts: %w", err)
	}
	for _, u := range units {
		h := Holding{Role: RoleLiaison, UnitID: &u.ID, UnitName: u.Name, HandedOver: true}
		if u.Head {
			h.Role = RoleHead
		}
		if toUnit != nil {
			sub, err := org.Subtree(ctx, s.db, u.ID)
			if err != nil {
				return nil, err
			}
			h.HandedOver = !slices.Contains(sub, *toUnit)
		}
		out.Holdings = append(out.Holdings, h)
	}
	open := make([]string, len(items.OpenStates))
	for i, st := range items.OpenStates {
		open[i] = string(st)
	}
	var asgs []struct {
		ID       uuid.UUID `gorm:"type:uuid"`
		UnitID   uuid.UUID `gorm:"type:uuid"`
		UnitName string
		ItemID   uuid.UUID `gorm:"type:uuid"`
		Code     *string
		Title    string
		State    string
	}
	if err := conn.Raw(`SELECT a.id, a.unit_id, ou.name AS unit_name, i.id AS item_id, i.code, i.title, i.state
		FROM item_assignments a JOIN items i ON i.id = a.item_id JOIN org_units ou ON ou.id = a.unit_id
		WHERE a.responsible_user_id = ? AND a.state <> ? AND i.state IN ? ORDER BY i.created_at, a.id`,
		user, items.AssignmentReturned, open).Scan(&asgs).Error; err != nil {
		return nil, fmt.Errorf("load assignments: %w", err)
	}
	for _, a := range asgs {
		h := Holding{Role: RoleResponsible, UnitID: &a.UnitID, UnitName: a.UnitName, ItemID: &a.ItemID, ItemCode: a.Code,
			ItemTitle: a.Title, ItemState: a.State, AssignmentID: &a.ID, HandedOver: true}
		if toUnit != nil {
			fits, err := s.fitsUnit(ctx, *toUnit, a.UnitID)
			if err != nil {
				return nil, err
			}
			h.HandedOver = !fits
		}
		if head, err := s.unitHead(ctx, a.UnitID, user); err != nil {
			return nil, err
		} else if head != nil {
			if ok, err := s.personFits(ctx, head.ID, a.UnitID); err != nil {
				return nil, err
			} else if ok {
				h.DefaultSuccessor = head
			}
		}
		out.Holdings = append(out.Holdings, h)
	}
	var led []struct {
		ID      uuid.UUID `gorm:"type:uuid"`
		Code    *string
		Title   string
		State   string
		ScopeID uuid.UUID `gorm:"type:uuid"`
		Role    string
	}
	// Ordered by id (UUIDv7: creation order) so that the list reads the same on
	// every engine and every run.
	if err := conn.Raw(`SELECT id, code, title, state, scope_id, ? AS role FROM items WHERE supervising_leader_id = ? AND state IN ?
		UNION ALL SELECT i.id, i.code, i.title, i.state, i.scope_id, ? AS role FROM item_assisting_leaders al JOIN items i ON i.id = al.item_id
		WHERE al.user_id = ? AND i.state IN ?
		ORDER BY 1, 6`, RoleSupervisingLeader, user, open, RoleAssistingLeader, user, open).Scan(&led).Error; err != nil {
		return nil, fmt.Errorf("load led items: %w", err)
	}
	var leaderDefault *Person
	if len(led) > 0 {
		var err error
		if leaderDefault, err = s.leaderHead(ctx, fromUnit, user); err != nil {
			return nil, err
		}
	}
	var toScope uuid.UUID
	if toUnit != nil && len(led) > 0 {
		var scopes []uuid.UUID
		if err := conn.Table("org_units").Where("id = ?", *toUnit).Pluck("scope_id", &scopes).Error; err != nil {
			return nil, fmt.Errorf("load scope: %w", err)
		}
		if len(scopes) > 0 {
			toScope = scopes[0]
		}
	}
	for _, it := range led {
		h := Holding{Role: it.Role, ItemID: &it.ID, ItemCode: it.Code, ItemTitle: it.Title, ItemState: it.State,
			HandedOver: toUnit == nil || toScope != it.ScopeID, DefaultSuccessor: leaderDefault, scope: it.ScopeID}
		if it.Role == RoleSupervisingLeader {
			n, err := s.pendingDecisions(ctx, it.ID, it.State)
			if err != nil {
				return nil, err
			}
			h.PendingDecisions = n
			if h.HandedOver && leaderDefault == nil {
				out.SuccessorRequired = true
			}
		}
		out.Holdings = append(out.Holdings, h)
	}
	var n int64
	if err := conn.Table("delegations").Where("(principal_id = ? OR deputy_id = ?) AND ended_at IS NULL AND ends_at > ?",
		user, user, s.clock.Now()).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count delegations: %w", err)
	}
	out.Delegations = int(n)
	return out, nil
}

// pendingDecisions counts the leader's decisions waiting on an item.
func (s *Service) pendingDecisions(ctx context.Context, item uuid.UUID, state string) (int, error) {
	n := 0
	if state == string(items.StatePendingApproval) {
		n++
	}
	for _, table := range []string{"extension_requests", "completion_requests"} {
		var c int64
		if err := s.db.Conn(ctx).Table(table).Where("item_id = ? AND state = ?", item, string(review.Forwarded)).Count(&c).Error; err != nil {
			return 0, fmt.Errorf("count %s: %w", table, err)
		}
		n += int(c)
	}
	return n, nil
}

// unitHead is the active head of unit other than user, or nil.
func (s *Service) unitHead(ctx context.Context, unit, user uuid.UUID) (*Person, error) {
	var p []Person
	if err := s.db.Conn(ctx).Raw(`SELECT u.id, u.display_name FROM org_units ou JOIN users u ON u.id = ou.head_user_id
		WHERE ou.id = ? AND u.active = ? AND u.id <> ?`, unit, true, user).Scan(&p).Error; err != nil {
		return nil, fmt.Errorf("load unit head: %w", err)
	}
	if len(p) == 0 {
		return nil, nil
	}
	return &p[0], nil
}

// leaderHead is the default successor of a leader's items: the head of the
// leader's unit when an active leader other than them.
func (s *Service) leaderHead(ctx context.Context, unit, user uuid.UUID) (*Person, error) {
	head, err := s.unitHead(ctx, unit, user)
	if err != nil || head == nil {
		return nil, err
	}
	ok, err := s.isLeader(ctx, head.ID)
	if err != nil || !ok {
		return nil, err
	}
	return head, nil
}

func (s *Service) isLeader(ctx context.Context, user uuid.UUID) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Table("users u").Joins("JOIN user_roles r ON r.user_id = u.id").
		Where("u.id = ? AND u.active = ? AND r.role = ?", user, true, "leader").Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check leader: %w", err)
	}
	return n > 0, nil
}

// fitsUnit is items' rule for a responsible person (validate.go checkResponsible):
// someone of the assigned unit, of a unit right under it, or of its scope.
func (s *Service) fitsUnit(ctx context.Context, personUnit, asgUnit uuid.UUID) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Table("org_units").Where("id = ? AND (id = ? OR parent_id = ? OR scope_id = ?)",
		personUnit, asgUnit, asgUnit, asgUnit).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check unit: %w", err)
	}
	return n > 0, nil
}

// personFits reports whether user is active and fits the assigned unit.
func (s *Service) personFits(ctx context.Context, user, asgUnit uuid.UUID) (bool, error) {
	var unit []uuid.UUID
	if err := s.db.Conn(ctx).Table("users").Where("id = ? AND active = ?", user, true).Pluck("org_unit_id", &unit).Error; err != nil {
		return false, fmt.Errorf("load user: %w", err)
	}
	if len(unit) == 0 {
		return false, nil
	}
	return s.fitsUnit(ctx, unit[0], asgUnit)
}
