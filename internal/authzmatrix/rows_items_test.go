package authzmatrix

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/duban/duban/internal/items"
)

// Supervision items, their assignments and milestones.
//
// For every item row the relation is the item's (see matrix_test.go): own is led by
// department A whose head is the member, supervised by the leader L1 and initiated by
// the member; other is led by department B, supervised by leader2; none is an
// enterprise's item. Admins, auditors and supervisors see every item of their
// scope (own and other alike), the leader too; the member and the undertaker (of
// department A) only see the own item.
func init() {
	register(byRelation(itemRows())...)
	register(byRelation(assignmentRows())...)
	register(byRelation(milestoneRows())...)
}

// seeItem is the grid of reading an item of the relation: every role sees the own
// item, the scope-wide roles also the other one, nobody the enterprise's.
func seeItem(ok int) grid {
	return grid{
		admin: {ok, ok, 404}, supervisor: {ok, ok, 404}, leader: {ok, ok, 404},
		member: {ok, 404, 404}, undertaker: {ok, 404, 404}, auditor: {ok, ok, 404},
	}
}

// actItem is the grid of an action on an item of the relation that the roles in who
// may take: the supervisor on every item of the scope, the leader as the
// supervising leader (own only), the member as the head of the lead and initiator
// unit (own only), the undertaker as one of the lead unit's people (own only).
// Everyone else who sees the item gets 403, who does not 404.
func actItem(ok int, who ...role) grid {
	g := grid{}
	for _, r := range roles {
		w := [3]int{403, 403, 404}
		if r == member || r == undertaker {
			w[1] = 404 // the other unit's item is invisible to department A
		}
		if slices.Contains(who, r) {
			w[0] = ok
			if r == supervisor {
				w[1] = ok
			}
		}
		g[r] = w
	}
	return g
}

// action is a row for POST /items/{id}/<name> on a fresh item in state.
func action(name string, state items.State, body any, want grid) row {
	return row{
		method: "POST", route: "/api/v1/items/:id/" + name, variant: string(state),
		setup: func(f *fixture, c *cell) (string, any) {
			return f.item(c.rel, state).path("/" + name), body
		},
		want: want,
	}
}

func itemRows() []row {
	comment := map[string]string{"comment": "授权矩阵测试意见"}
	return []row{
		{
			// Lists never fail for lack of a relation, they show less: the relation
			// picks the shared item searched for, and the list must hold it exactly
			// when the caller may see it (as GET /items/{id} answers).
			method: "GET", route: "/api/v1/items",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.sharedItem(c.rel, items.StateInProgress)
				return "/api/v1/items?page_size=100&q=" + url.QueryEscape(it.Title), nil
			},
			want: all(http.StatusOK),
			check: func(f *fixture, c *cell, body []byte) string {
				it := f.sharedItem(c.rel, items.StateInProgress)
				return listed(body, it.ID.String(), seeItem(200)[c.role][c.rel] == 200)
			},
		},
		{
			// own: led by department A, other: by department B, none: by the
			// enterprise's department — outside the caller's scope, so 422 (an item
			// cannot name a unit of another scope). Admins and auditors create nothing.
			method: "POST", route: "/api/v1/items",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/items", map[string]any{
					"title": fmt.Sprintf("矩阵新事项%d", f.next()), "content": "按期完成。", "requirements": "按月反馈",
					"category": "important_matter", "source": "special_meeting", "method": "tracking", "urgency": "normal",
					"lead_unit_id": f.partyOf(c.rel).lead.String(), "supervising_leader_id": f.actors[leader].id.String(),
					"deadline": f.items.Today().AddDays(60).String(), "feedback_cadence": "monthly",
				}
			},
			want: grid{
				admin: {403, 403, 403}, supervisor: {201, 201, 422}, leader: {201, 201, 422},
				member: {201, 201, 422}, undertaker: {201, 201, 422}, auditor: {403, 403, 403},
			},
		},
		{
			// A sub-item of an item of the relation: its supervision office or the
			// head of its lead unit decompose it. A parent the caller cannot see is a
			// bad reference in the body: 422.
			method: "POST", route: "/api/v1/items", variant: "sub-item",
			setup: func(f *fixture, c *cell) (string, any) {
				parent := f.sharedItem(c.rel, items.StateInProgress)
				return "/api/v1/items", map[string]any{
					"title": fmt.Sprintf("矩阵子事项%d", f.next()), "content": "分解落实。", "category": "important_matter",
					"source": "special_meeting", "lead_unit_id": parent.party.lead.String(), "parent_id": parent.ID.String(),
					"deadline": f.items.Today().AddDays(50).String(),
				}
			},
			want: grid{
				admin: {403, 403, 403}, supervisor: {201, 201, 422}, leader: {403, 403, 422},
				member: {201, 422, 422}, undertaker: {403, 422, 422}, auditor: {403, 403, 403},
			},
		},
		{
			method: "GET", route: "/api/v1/items/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path(""), nil
			},
			want: seeItem(200),
		},
		{
			// A draft: the initiator (the member, own) and the supervision office edit it.
			method: "PATCH", route: "/api/v1/items/:id", variant: "draft",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateDraft).path(""), map[string]any{"title": fmt.Sprintf("矩阵改题%d", f.next())}
			},
			want: actItem(200, supervisor, member),
		},
		{
			// Once issued only the supervision office edits.
			method: "PATCH", route: "/api/v1/items/:id", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path(""), map[string]any{"title": fmt.Sprintf("矩阵改题%d", f.next())}
			},
			want: actItem(200, supervisor),
		},
		{
			method: "DELETE", route: "/api/v1/items/:id", variant: "draft",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateDraft).path(""), nil
			},
			want: actItem(204, supervisor, member),
		},
		action("submit", items.StateDraft, nil, actItem(200, supervisor, member)),
		action("approve", items.StatePendingApproval, comment, actItem(200, leader)),
		action("reject", items.StatePendingApproval, comment, actItem(200, leader)),
		action("issue", items.StateApproved, nil, actItem(200, supervisor)),
		action("suspend", items.StateInProgress, comment, actItem(200, supervisor)),
		action("resume", items.StateSuspended, nil, actItem(200, supervisor)),
		// Before issue the initiator may withdraw; afterwards only the office cancels.
		action("cancel", items.StatePendingApproval, comment, actItem(200, supervisor, member)),
		action("cancel", items.StateInProgress, comment, actItem(200, supervisor)),
		// The initiator (the member, own) or the office files a closed item.
		action("archive", items.StateClosed, nil, actItem(200, supervisor, member)),
		{
			// The timeline is read like the item (auditors included).
			method: "GET", route: "/api/v1/items/:id/events",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/events"), nil
			},
			want: seeItem(200),
		},
	}
}

func assignmentRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/assignments",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/assignments"), nil
			},
			want: seeItem(200),
		},
		{
			// Reassign: the office adds a cooperating unit that has no assignment yet.
			method: "POST", route: "/api/v1/items/:id/assignments", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.item(c.rel, items.StateInProgress)
				unit := map[relation]string{own: f.deptB.String(), other: f.deptA.String(), none: f.entOffice.String()}[c.rel]
				return it.path("/assignments"), map[string]any{"unit_id": unit, "role": "cooperating"}
			},
			want: actItem(201, supervisor),
		},
		{
			// The responsible person of the lead's accepted assignment: named by the
			// head or a liaison of the unit (the member, own) or the office.
			method: "PATCH", route: "/api/v1/assignments/:id", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.item(c.rel, items.StateInProgress)
				person := map[relation]string{own: f.memberA.String(), other: f.headB.String(), none: f.entHead.String()}[c.rel]
				return "/api/v1/assignments/" + it.LeadAssignment.String(), map[string]any{"responsible_user_id": person}
			},
			want: actItem(200, supervisor, member),
		},
		{
			// Only the head or a liaison of the assigned unit accepts (签收).
			method: "POST", route: "/api/v1/assignments/:id/accept", variant: "issued",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/assignments/" + f.item(c.rel, items.StateIssued).LeadAssignment.String() + "/accept", nil
			},
			want: actItem(200, member),
		},
		{
			method: "POST", route: "/api/v1/assignments/:id/return", variant: "issued",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/assignments/" + f.item(c.rel, items.StateIssued).LeadAssignment.String() + "/return",
					map[string]string{"reason": "该事项不属于本部门职责"}
			},
			want: actItem(200, member),
		},
	}
}

// milestoneRows: on a running item the office and the lead unit's head or liaison
// manage milestones.
func milestoneRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/milestones",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/milestones"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/milestones", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/milestones"),
					map[string]string{"title": "完成排查", "due_date": f.items.Today().AddDays(20).String()}
			},
			want: actItem(201, supervisor, member),
		},
		{
			method: "PATCH", route: "/api/v1/milestones/:id", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				m := f.milestone(f.item(c.rel, items.StateInProgress))
				return "/api/v1/milestones/" + m.String(), map[string]any{"done": true}
			},
			want: actItem(200, supervisor, member),
		},
		{
			method: "DELETE", route: "/api/v1/milestones/:id", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				m := f.milestone(f.item(c.rel, items.StateInProgress))
				return "/api/v1/milestones/" + m.String(), nil
			},
			want: actItem(204, supervisor, member),
		},
	}
}

// listed checks that a list answer ({"data": [{"id": ...}, ...]}) holds id exactly
// when want says so; it returns what is wrong, or "".
func listed(body []byte, id string, want bool) string {
	var page struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "decode list: " + err.Error()
	}
	found := slices.ContainsFunc(page.Data, func(d struct {
		ID string `json:"id"`
	}) bool {
		return d.ID == id
	})
	switch {
	case found && !want:
		return "the list shows " + id + ", which the caller may not see"
	case !found && want:
		return "the list lacks " + id + ", which the caller may see"
	}
	return ""
}
