package handover_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/handover"
)

// holds checks the invariant: nothing waits for someone who can no longer act.
func holds(t *testing.T, f *apitest.Fixture) {
	t.Helper()
	d, err := handover.Dangling(context.Background(), f.Env.DB, f.Env.App.Items.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d) > 0 {
		t.Fatalf("left waiting: %v", d)
	}
}

// setResponsible names user the responsible person of unit's assignment of item.
func setResponsible(t *testing.T, f *apitest.Fixture, item, unit, user uuid.UUID) uuid.UUID {
	t.Helper()
	svc, ctx, sup := f.Env.App.Items, context.Background(), f.Env.Principal(f.W.Sup)
	asgs, err := svc.ListAssignments(ctx, sup, item)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range asgs {
		if a.UnitID == unit {
			f.As("sup").Do("PATCH", "/api/v1/assignments/"+a.ID.String(), map[string]any{"responsible_user_id": user}).Expect(200)
			return a.ID
		}
	}
	t.Fatalf("no assignment of %s", unit)
	return uuid.Nil
}

func lastEvent(t *testing.T, f *apitest.Fixture, item uuid.UUID) map[string]any {
	t.Helper()
	_, evs := f.Events(item)
	return evs[len(evs)-1]
}

func TestDeactivatingALeaderNeedsASuccessorOrTheUnitHead(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 20)
		id2 := f.W.ItemInProgress("财务专项检查", 20)
		// An extension forwarded to the leader: a decision pending on them.
		ext := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/extensions", map[string]any{
			"requested_deadline": f.Today().AddDays(40).String(), "reason": "设备到货延迟"}).Expect(201).Map()
		f.As("sup").Do("POST", "/api/v1/extensions/"+ext["id"].(string)+"/review", map[string]any{"decision": "forward"}).Expect(200)

		userPath := "/api/v1/users/" + f.W.Leader.String()
		h := f.As("admin1").Do("GET", userPath+"/holdings", nil).Expect(200).Map()
		list := h["holdings"].([]any)
		if len(list) != 2 || h["successor_required"] != true {
			t.Fatalf("holdings %v", h)
		}
		first := list[0].(map[string]any)
		if first["role"] != "supervising_leader" || first["pending_decisions"].(float64) != 1 || first["handed_over"] != true || first["default_successor"] != nil {
			t.Fatalf("holding %v", first)
		}
		f.As("stranger").Do("GET", userPath+"/holdings", nil).Problem(404, "not_found")
		f.As("leader").Do("GET", userPath+"/holdings", nil).Expect(200)

		// No default successor: the admin must name one.
		f.As("admin1").Do("PATCH", userPath, map[string]any{"active": false}).Problem(409, "successor_required")
		f.As("admin1").Do("PATCH", userPath, map[string]any{"active": false,
			"handover": map[string]any{"supervising_leader": f.W.MemberB}}).Problem(422, "validation_failed")
		f.As("admin1").Do("PATCH", userPath, map[string]any{"active": false,
			"handover": map[string]any{"supervising_leader": f.W.Leader2}}).Expect(200)
		holds(t, f)
		ev := lastEvent(t, f, id)
		ch := ev["changes"].(map[string]any)
		if ev["action"] != "handover" || ch["supervising_leader_id"].(map[string]any)["to"] != f.W.Leader2.String() {
			t.Fatalf("timeline %v", ev)
		}
		// The pending decision is the successor's now.
		f.As("leader2").Do("POST", "/api/v1/extensions/"+ext["id"].(string)+"/approve", nil).Expect(200)

		// Default: the head of the leader's unit when an active leader.
		env.SetHead(f.W.Group, f.W.Leader2)
		l3 := env.User("leader3", f.W.Group, "leader")
		_ = l3
		f.As("admin1").Do("PATCH", "/api/v1/users/"+f.W.Leader2.String(), map[string]any{"active": false}).Problem(409, "successor_required")
		f.As("admin1").Do("PATCH", "/api/v1/org-units/"+f.W.Group.String(), map[string]any{"head_user_id": l3}).Expect(200)
		h = f.As("admin1").Do("GET", "/api/v1/users/"+f.W.Leader2.String()+"/holdings", nil).Expect(200).Map()
		if h["successor_required"] != false {
			t.Fatalf("with a head: %v", h)
		}
		f.As("admin1").Do("PATCH", "/api/v1/users/"+f.W.Leader2.String(), map[string]any{"active": false}).Expect(200)
		holds(t, f)
		for _, it := range []uuid.UUID{id, id2} {
			if got := f.Item(it)["supervising_leader_id"]; got != l3.String() {
				t.Fatalf("item %s supervising leader %v", it, got)
			}
		}
	})
}

func TestMovingTheResponsiblePersonHandsTheAssignmentToTheUnitHead(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 20)
		asg := setResponsible(t, f, id, f.W.DeptB, f.W.MemberB)
		userPath := "/api/v1/users/" + f.W.MemberB.String()
		// The preview of the move names the post and its default successor.
		h := f.As("admin1").Do("GET", userPath+"/holdings?unit_id="+f.W.DeptX.String(), nil).Expect(200).Map()
		x := h["holdings"].([]any)[0].(map[string]any)
		if x["role"] != "responsible" || x["handed_over"] != true || x["default_successor"].(map[string]any)["id"] != f.W.HeadB.String() {
			t.Fatalf("holdings %v", h)
		}
		// Named successors must belong to the assigned unit.
		f.As("admin1").Do("PATCH", userPath, map[string]any{"org_unit_id": f.W.DeptX,
			"handover": map[string]any{"responsible": f.W.MemberC}}).Problem(422, "validation_failed")
		f.As("admin1").Do("PATCH", userPath, map[string]any{"org_unit_id": f.W.DeptX}).Expect(200)
		holds(t, f)
		asgs, err := env.App.Items.ListAssignments(context.Background(), env.Principal(f.W.Sup), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range asgs {
			if a.ID == asg && (a.ResponsibleUserID == nil || *a.ResponsibleUserID != f.W.HeadB) {
				t.Fatalf("assignment %+v", a)
			}
		}
		ev := lastEvent(t, f, id)
		if ev["action"] != "handover" || ev["comment"] != "moved" {
			t.Fatalf("timeline %v", ev)
		}
	})
}

func TestBulkDeactivationHandsPostsToNamedSuccessors(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 20)
		setResponsible(t, f, id, f.W.DeptB, f.W.LiaisonB)
		// headb delegated to memberc: deactivation ends it.
		f.As("headb").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": f.W.MemberC,
			"ends_at": env.App.Items.Now().AddDate(0, 0, 3)}).Expect(201)
		// A head from another unit does not fit.
		f.As("admin1").Do("PATCH", "/api/v1/users/"+f.W.HeadB.String(), map[string]any{"active": false,
			"handover": map[string]any{"head": f.W.MemberC}}).Problem(422, "validation_failed")
		f.As("admin1").Do("POST", "/api/v1/users/bulk", map[string]any{"action": "deactivate",
			"user_ids": []uuid.UUID{f.W.HeadB, f.W.LiaisonB},
			"handover": map[string]any{"head": f.W.MemberB, "liaison": f.W.MemberB, "responsible": f.W.MemberB}}).Expect(200)
		holds(t, f)
		u := f.As("admin1").Do("GET", "/api/v1/org-units/"+f.W.DeptB.String(), nil).Expect(200).Map()
		if u["head_user_id"] != f.W.MemberB.String() || !slices.Contains(apitest.Strings(u["liaison_user_ids"]), f.W.MemberB.String()) {
			t.Fatalf("unit %v", u)
		}
		if n := f.Count("delegations", "ended_at IS NOT NULL"); n != 1 {
			t.Fatalf("delegations ended: %d", n)
		}
		// The new head acts.
		f.As("memberb").Do("POST", "/api/v1/items/"+id.String()+"/extensions", map[string]any{
			"requested_deadline": f.Today().AddDays(40).String(), "reason": "设备到货延迟"}).Expect(201)
	})
}
