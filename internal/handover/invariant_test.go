package handover_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/handover"
	"github.com/duban/duban/internal/items"
)

// TestNothingWaitsForSomeoneWhoLeft runs a seeded sequence of deactivations and
// moves, through PATCH /users/{id} and POST /users/bulk, with the default
// successors (naming a leader only when asked to: 409 successor_required), over a
// world of items with responsible persons, assisting leaders, pending decisions
// and delegations; after each step the invariant must hold.
func TestNothingWaitsForSomeoneWhoLeft(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		w := f.W
		l3 := env.User("leader3", w.Group, access.RoleLeader)
		env.SetHead(w.Group, l3)
		memberX := env.User("memberx", w.DeptX, access.RoleMember)
		env.SetHead(w.DeptX, memberX)
		var ids []uuid.UUID
		for i, title := range []string{"安全生产专项整治", "财务专项检查", "人才引进计划"} {
			id := w.ItemInProgress(title, 20+i)
			ids = append(ids, id)
			setResponsible(t, f, id, w.DeptB, []uuid.UUID{w.MemberB, w.LiaisonB, w.HeadB}[i])
		}
		// An item waiting for approval with assisting leaders.
		svc, ctx, sup := env.App.Items, context.Background(), env.Principal(w.Sup)
		lead, leader := w.DeptC, w.Leader2
		v, err := svc.Create(ctx, sup, items.ItemInput{Title: "专题会议部署落实", Content: "落实", Requirements: "按期",
			Category: items.CategoryImportantMatter, Source: "special_meeting", Method: "tracking", Urgency: "normal",
			FeedbackCadence: "monthly", LeadUnitID: &lead, SupervisingLeaderID: &leader, AssistingLeaderIDs: []uuid.UUID{w.Leader, l3},
			Deadline: svc.Today().AddDays(30)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
			t.Fatal(err)
		}
		ext := f.As("headb").Do("POST", "/api/v1/items/"+ids[0].String()+"/extensions", map[string]any{
			"requested_deadline": f.Today().AddDays(40).String(), "reason": "设备到货延迟"}).Expect(201).Map()
		f.As("sup").Do("POST", "/api/v1/extensions/"+ext["id"].(string)+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": w.MemberC,
			"ends_at": svc.Now().AddDate(0, 0, 5)}).Expect(201)
		holds(t, f)
		// The check sees a deactivation that bypasses the handover.
		env.SetActive(w.MemberB, false)
		if d, err := handover.Dangling(ctx, env.DB, svc.Now()); err != nil || len(d) == 0 {
			t.Fatalf("bypassed deactivation not found: %v %v", d, err)
		}
		env.SetActive(w.MemberB, true)

		people := []uuid.UUID{w.Leader, w.Leader2, l3, w.HeadB, w.LiaisonB, w.MemberB, w.HeadC, w.MemberC, memberX, w.Stranger}
		units := []uuid.UUID{w.Group, w.DeptB, w.DeptC, w.DeptX, w.Office}
		active := map[uuid.UUID]bool{}
		for _, p := range people {
			active[p] = true
		}
		leaders := []uuid.UUID{w.Leader, w.Leader2, l3}
		rng := rand.New(rand.NewPCG(17, 2026))
		admin := f.As("admin1")
		steps := 0
		for range 40 {
			p := people[rng.IntN(len(people))]
			if !active[p] {
				continue
			}
			body := map[string]any{}
			deactivate := rng.IntN(3) == 0
			if deactivate {
				body["active"] = false
			} else {
				body["org_unit_id"] = units[rng.IntN(len(units))]
			}
			bulk := rng.IntN(2) == 0
			send := func() *apitest.Response {
				if bulk {
					b := map[string]any{"user_ids": []uuid.UUID{p}, "handover": body["handover"]}
					if deactivate {
						b["action"] = "deactivate"
					} else {
						b["action"], b["org_unit_id"] = "move", body["org_unit_id"]
					}
					return admin.Do("POST", "/api/v1/users/bulk", b)
				}
				return admin.Do("PATCH", "/api/v1/users/"+p.String(), body)
			}
			r := send()
			if r.Status == 409 {
				r.Problem(409, "successor_required")
				var named uuid.UUID
				for _, l := range leaders {
					if l != p && active[l] {
						named = l
					}
				}
				if named == uuid.Nil {
					continue // nobody could take over: the change is refused, nothing dangles
				}
				body["handover"] = map[string]any{"supervising_leader": named}
				r = send()
			}
			r.Expect(200)
			if deactivate {
				active[p] = false
			}
			steps++
			t.Logf("step %d: %v (bulk %v)", steps, body, bulk)
			holds(t, f)
		}
		if steps < 6 {
			t.Fatalf("only %d steps ran", steps)
		}
	})
}
