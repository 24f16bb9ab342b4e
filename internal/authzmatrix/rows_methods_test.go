package authzmatrix

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/items"
)

// The other supervision methods of §13 (internal/methods): everyone who sees the
// item reads them; the supervision office of the item's scope manages the joint
// supervision team; the office and the scope's leaders record visits and
// coordination meetings and link a decision to a sub-item; a decision becomes a
// milestone for whoever also manages the item's milestones (the office).
func init() {
	register(byRelation(methodRows())...)
}

// recordGrid: the office of the scope, and the leaders of the scope (who see every
// item of it, so the other relation too).
func recordGrid(ok int) grid {
	g := actItem(ok, supervisor, leader)
	g[leader] = [3]int{ok, ok, 404}
	return g
}

// scopeLeader is a leader of the scope of the item of a relation.
func (f *fixture) scopeLeader(rel relation) uuid.UUID {
	if rel == none {
		return f.entLeader
	}
	return f.actors[leader].id
}

// scopeUnit is a department of the scope of the item of a relation.
func (f *fixture) scopeUnit(rel relation) uuid.UUID {
	if rel == none {
		return f.entOffice
	}
	return f.deptB
}

// meeting records a coordination meeting with two decisions on a fresh running
// item of the relation (as its office) and returns the item and a decision's id.
func (f *fixture) meeting(rel relation) (itemRef, string) {
	it := f.item(rel, items.StateInProgress)
	m := f.post(f.sessionOf(it.party.supervisor), it.path("/coordinations"), map[string]any{
		"held_on": f.items.Today().String(), "place": "第二会议室", "attendee_unit_ids": []string{it.party.lead.String()},
		"decisions": []string{"报送调整方案", "测算资金缺口"},
	}, http.StatusCreated)
	d, _ := m["decisions"].([]any)[0].(map[string]any)["id"].(string)
	return it, d
}

func methodRows() []row {
	visit := func(f *fixture, c *cell) (string, any) {
		it := f.sharedItem(c.rel, items.StateInProgress)
		return it.path("/visits"), map[string]any{"visited_on": f.items.Today().String(), "place": "项目现场",
			"visitor_ids": []string{it.party.supervisor.String()}, "authorised_by": f.scopeLeader(c.rel).String(),
			"findings": "现场查看，进度滞后两周。"}
	}
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/methods",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/methods"), nil
			},
			want: seeItem(200),
		},
		{
			method: "PUT", route: "/api/v1/items/:id/joint-units/:unit_id",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/joint-units/" + f.scopeUnit(c.rel).String()), nil
			},
			want: actItem(200, supervisor),
		},
		{
			method: "DELETE", route: "/api/v1/items/:id/joint-units/:unit_id",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.item(c.rel, items.StateInProgress)
				_, _, err := f.items.SetJointUnit(f.ctx, f.principal(it.party.supervisor), it.ID, f.scopeUnit(c.rel), true)
				f.must(err, "add joint unit")
				return it.path("/joint-units/" + f.scopeUnit(c.rel).String()), nil
			},
			want: actItem(200, supervisor),
		},
		{method: "POST", route: "/api/v1/items/:id/visits", setup: visit, want: recordGrid(201)},
		{
			method: "POST", route: "/api/v1/items/:id/coordinations",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.sharedItem(c.rel, items.StateInProgress)
				return it.path("/coordinations"), map[string]any{"held_on": f.items.Today().String(), "place": "第二会议室",
					"attendee_user_ids": []string{it.party.initiator.String()}, "decisions": []string{"报送调整方案"}}
			},
			want: recordGrid(201),
		},
		{
			method: "POST", route: "/api/v1/coordination-decisions/:id/milestone",
			setup: func(f *fixture, c *cell) (string, any) {
				_, d := f.meeting(c.rel)
				return "/api/v1/coordination-decisions/" + d + "/milestone",
					map[string]any{"due_date": f.items.Today().AddDays(10).String()}
			},
			want: actItem(201, supervisor),
		},
		{
			method: "POST", route: "/api/v1/coordination-decisions/:id/sub-item",
			setup: func(f *fixture, c *cell) (string, any) {
				it, d := f.meeting(c.rel)
				lead := it.party.lead
				sub, err := f.items.Create(f.ctx, f.principal(it.party.supervisor), items.ItemInput{Title: "协调决定子事项",
					Content: "测算资金缺口", Category: items.CategoryImportantMatter, Source: items.SourceBoard, LeadUnitID: &lead,
					Deadline: f.items.Today().AddDays(20), ParentID: &it.ID})
				f.must(err, "create sub-item")
				return "/api/v1/coordination-decisions/" + d + "/sub-item", map[string]any{"sub_item_id": sub.ID.String()}
			},
			want: recordGrid(200),
		},
	}
}
