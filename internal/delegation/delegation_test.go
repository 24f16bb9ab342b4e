package delegation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

// as signs in afresh: the clock moves past the access tokens' lifetime.
func as(f *apitest.Fixture, user string) *apitest.Env { return f.Env.As(f.Env.Login(user)) }

// todoCount is how many entries the caller's /me/todo group key holds.
func todoCount(t *testing.T, env *apitest.Env, key string) int {
	t.Helper()
	var out struct {
		Groups []struct {
			Key   string `json:"key"`
			Count int    `json:"count"`
		} `json:"groups"`
	}
	env.Do("GET", "/api/v1/me/todo", nil).Expect(200).JSON(&out)
	for _, g := range out.Groups {
		if g.Key == key {
			return g.Count
		}
	}
	return 0
}

// pendingApproval makes an item (special_meeting: the supervising leader approves)
// submitted by the supervision office and waiting for the World's Leader.
func pendingApproval(t *testing.T, f *apitest.Fixture) uuid.UUID {
	t.Helper()
	svc, ctx, sup := f.Env.App.Items, context.Background(), f.Env.Principal(f.W.Sup)
	lead, leader := f.W.DeptB, f.W.Leader
	v, err := svc.Create(ctx, sup, items.ItemInput{
		Title: "专题会议部署落实", Content: "开展隐患排查整治", Requirements: "按期完成",
		Category: items.CategoryImportantMatter, Source: "special_meeting", Method: "tracking", Urgency: "normal",
		FeedbackCadence: "monthly", LeadUnitID: &lead, SupervisingLeaderID: &leader, Deadline: svc.Today().AddDays(30),
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
		t.Fatalf("submit: %v", err)
	}
	return v.ID
}

func TestDeputyApprovesForLeaderWhileDelegationRuns(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := pendingApproval(t, f)
		path := "/api/v1/items/" + id.String()
		deputy := f.As("memberc")
		// Before any delegation the deputy does not even see the item.
		deputy.Do("POST", path+"/approve", map[string]any{"comment": "同意"}).Problem(404, "not_found")
		if n := todoCount(t, deputy, "approvals"); n != 0 {
			t.Fatalf("deputy's approvals before: %d", n)
		}

		// The leader delegates from in an hour, for a day.
		now := env.Clock.Now()
		d := f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{
			"deputy_id": f.W.MemberC, "starts_at": now.Add(time.Hour), "ends_at": now.Add(25 * time.Hour), "reason": "出差"}).Expect(201).Map()
		if d["status"] != "scheduled" || d["principal"].(map[string]any)["display_name"] != "leader" {
			t.Fatalf("created: %v", d)
		}
		// Not yet: the delegation starts in an hour.
		deputy.Do("POST", path+"/approve", map[string]any{"comment": "同意"}).Problem(404, "not_found")

		env.Clock.Advance(90 * time.Minute)
		if n := todoCount(t, as(f, "memberc"), "approvals"); n != 1 {
			t.Fatalf("deputy's approvals while running: %d", n)
		}
		if n := todoCount(t, as(f, "leader"), "approvals"); n != 1 {
			t.Fatalf("leader's approvals while delegated: %d", n)
		}
		var me struct {
			HeadOf    []string `json:"head_of"`
			ActingFor []struct {
				PrincipalID string `json:"principal_id"`
				DisplayName string `json:"display_name"`
			} `json:"acting_for"`
		}
		as(f, "memberc").Do("GET", "/api/v1/me", nil).Expect(200).JSON(&me)
		if len(me.ActingFor) != 1 || me.ActingFor[0].DisplayName != "leader" || me.ActingFor[0].PrincipalID != f.W.Leader.String() {
			t.Fatalf("/me acting_for %+v", me.ActingFor)
		}
		as(f, "memberc").Do("POST", path+"/approve", map[string]any{"comment": "同意立项"}).Expect(200)
		if st := f.State(id); st != "approved" {
			t.Fatalf("state %s", st)
		}
		_, evs := f.Events(id)
		last := evs[len(evs)-1]
		ch, _ := last["changes"].(map[string]any)
		ob, _ := ch["on_behalf_of"].(map[string]any)
		if last["action"] != "approve" || ob["id"] != f.W.Leader.String() || ob["name"] != "leader" {
			t.Fatalf("timeline entry: %v", last)
		}

		// Mine lists it received; the leader's given.
		var mine struct {
			Given, Received []map[string]any
		}
		as(f, "memberc").Do("GET", "/api/v1/me/delegations", nil).Expect(200).JSON(&mine)
		if len(mine.Received) != 1 || len(mine.Given) != 0 || mine.Received[0]["status"] != "active" {
			t.Fatalf("deputy's list %v", mine)
		}
	})
}

func TestDelegationEndsByTheClockAndEarly(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		a, b := pendingApproval(t, f), pendingApproval(t, f)
		deputy := f.As("memberc")
		now := env.Clock.Now()
		d := f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{
			"deputy_id": f.W.MemberC, "ends_at": now.Add(2 * time.Hour)}).Expect(201).Map()
		if d["status"] != "active" {
			t.Fatalf("created %v", d)
		}
		deputy.Do("POST", "/api/v1/items/"+a.String()+"/approve", nil).Expect(200)
		// Past ends_at it is over without anyone acting.
		env.Clock.Advance(2*time.Hour + time.Second)
		as(f, "memberc").Do("POST", "/api/v1/items/"+b.String()+"/approve", nil).Problem(404, "not_found")
		if n := todoCount(t, as(f, "memberc"), "approvals"); n != 0 {
			t.Fatalf("after expiry: %d", n)
		}
		var mine struct{ Given []map[string]any }
		as(f, "leader").Do("GET", "/api/v1/me/delegations", nil).Expect(200).JSON(&mine)
		if mine.Given[0]["status"] != "expired" || len(apitest.Strings(mine.Given[0]["allowed_actions"])) != 0 {
			t.Fatalf("after expiry %v", mine.Given)
		}
		as(f, "leader").Do("POST", "/api/v1/me/delegations/"+d["id"].(string)+"/end", nil).Problem(409, "delegation_over")

		// A new one ended early stops at once.
		d2 := as(f, "leader").Do("POST", "/api/v1/me/delegations", map[string]any{
			"deputy_id": f.W.MemberC, "ends_at": env.Clock.Now().Add(time.Hour)}).Expect(201).Map()
		as(f, "stranger").Do("POST", "/api/v1/me/delegations/"+d2["id"].(string)+"/end", nil).Problem(404, "not_found")
		as(f, "leader").Do("POST", "/api/v1/me/delegations/"+d2["id"].(string)+"/end", nil, "If-Match", `"1"`).Expect(200)
		as(f, "memberc").Do("POST", "/api/v1/items/"+b.String()+"/approve", nil).Problem(404, "not_found")
		as(f, "leader").Do("POST", "/api/v1/items/"+b.String()+"/approve", nil).Expect(200)
	})
}

func TestDelegationRules(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		ends := env.Clock.Now().Add(24 * time.Hour)
		body := func(dep uuid.UUID) map[string]any { return map[string]any{"deputy_id": dep, "ends_at": ends} }
		// A member with no post has nothing to delegate; a deputy cannot pass on
		// what was handed to them.
		f.As("memberc").Do("POST", "/api/v1/me/delegations", body(f.W.MemberB)).Problem(403, "nothing_to_delegate")
		f.As("leader").Do("POST", "/api/v1/me/delegations", body(f.W.Leader)).Problem(422, "validation_failed")
		f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": f.W.MemberC,
			"ends_at": env.Clock.Now().Add(-time.Hour)}).Problem(422, "validation_failed")
		f.As("leader").Do("POST", "/api/v1/me/delegations", body(f.W.MemberC)).Expect(201)
		f.As("leader").Do("POST", "/api/v1/me/delegations", body(f.W.MemberB)).Problem(409, "delegation_overlaps")
		f.As("memberc").Do("POST", "/api/v1/me/delegations", body(f.W.MemberB)).Problem(403, "nothing_to_delegate")
		// A head delegates the head's powers.
		f.As("headb").Do("POST", "/api/v1/me/delegations", body(f.W.MemberB)).Expect(201)
		// Admins and auditors see anyone's; others only their own.
		f.As("admin1").Do("GET", "/api/v1/users/"+f.W.Leader.String()+"/delegations", nil).Expect(200)
		f.As("auditor").Do("GET", "/api/v1/users/"+f.W.Leader.String()+"/delegations", nil).Expect(200)
		f.As("stranger").Do("GET", "/api/v1/users/"+f.W.Leader.String()+"/delegations", nil).Problem(404, "not_found")
		f.As("leader").Do("GET", "/api/v1/users/"+f.W.Leader.String()+"/delegations", nil).Expect(200)
	})
}

func TestHeadsDeputyAcceptsTheAssignment(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		svc, ctx, sup := env.App.Items, context.Background(), env.Principal(f.W.Sup)
		lead, leader := f.W.DeptC, f.W.Leader
		v, err := svc.Create(ctx, sup, items.ItemInput{Title: "财务专项检查", Content: "检查", Requirements: "按期",
			Category: items.CategoryImportantMatter, Source: "board", Method: "tracking", Urgency: "normal",
			FeedbackCadence: "monthly", LeadUnitID: &lead, SupervisingLeaderID: &leader, Deadline: svc.Today().AddDays(30)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Issue(ctx, sup, v.ID, nil, "", nil); err != nil {
			t.Fatal(err)
		}
		asgs, _ := svc.ListAssignments(ctx, sup, v.ID)
		f.As("stranger").Do("POST", "/api/v1/assignments/"+asgs[0].ID.String()+"/accept", nil).Problem(404, "not_found")
		f.As("headc").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": f.W.Stranger,
			"ends_at": env.Clock.Now().Add(time.Hour)}).Expect(201)
		var me struct {
			HeadOf    []string          `json:"head_of"`
			ActingFor []json.RawMessage `json:"acting_for"`
		}
		f.As("stranger").Do("GET", "/api/v1/me", nil).Expect(200).JSON(&me)
		if len(me.HeadOf) != 0 || len(me.ActingFor) != 1 {
			t.Fatalf("/me of a head's deputy: %+v", me) // head_of lists only one's own posts
		}
		f.As("stranger").Do("POST", "/api/v1/assignments/"+asgs[0].ID.String()+"/accept", nil).Expect(200)
		_, evs := f.Events(v.ID)
		last := evs[len(evs)-1]
		ch, _ := last["changes"].(map[string]any)
		if ob, _ := ch["on_behalf_of"].(map[string]any); last["action"] != "accept" || ob["name"] != "headc" {
			t.Fatalf("timeline entry: %v", last)
		}
	})
}

func TestDeputyDecidesAForwardedExtension(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		id := f.W.ItemInProgress("安全生产专项整治", 10)
		ext := f.As("headb").Do("POST", "/api/v1/items/"+id.String()+"/extensions", map[string]any{
			"requested_deadline": f.Today().AddDays(40).String(), "reason": "设备到货延迟"}).Expect(201).Map()
		extPath := "/api/v1/extensions/" + ext["id"].(string)
		f.As("sup").Do("POST", extPath+"/review", map[string]any{"decision": "forward"}).Expect(200)
		f.As("memberc").Do("POST", extPath+"/approve", nil).Problem(403, "forbidden") // memberc sees the item (C cooperates)
		f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": f.W.MemberC,
			"ends_at": env.Clock.Now().Add(time.Hour)}).Expect(201)
		got := f.As("memberc").Do("GET", extPath, nil).Expect(200).Map()
		if acts := apitest.Strings(got["allowed_actions"]); len(acts) != 2 {
			t.Fatalf("deputy's actions %v", acts)
		}
		if n := todoCount(t, f.As("memberc"), "extension_decisions"); n != 1 {
			t.Fatalf("deputy's extension decisions: %d", n)
		}
		ok := f.As("memberc").Do("POST", extPath+"/approve", map[string]any{"comment": "同意"}).Expect(200).Map()
		if ok["decided_by"] != f.W.MemberC.String() {
			t.Fatalf("decided %v", ok)
		}
		ev := lastEvent(t, f, id, "extension_approve")
		ob, _ := ev["changes"].(map[string]any)["on_behalf_of"].(map[string]any)
		if ob["id"] != f.W.Leader.String() || ev["actor_id"] != f.W.MemberC.String() {
			t.Fatalf("timeline %v", ev)
		}
	})
}

// lastEvent is the newest timeline entry of the action.
func lastEvent(t *testing.T, f *apitest.Fixture, item uuid.UUID, action string) map[string]any {
	t.Helper()
	_, evs := f.Events(item)
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i]["action"] == action {
			return evs[i]
		}
	}
	t.Fatalf("no %s on the timeline", action)
	return nil
}

// The deputy is told of what waits for them: an item submitted for the principal's
// approval notifies the deputy too (the to-do's recipients).
func TestDeputyIsToldOfTheApproval(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		f.As("leader").Do("POST", "/api/v1/me/delegations", map[string]any{"deputy_id": f.W.MemberC,
			"ends_at": env.App.Items.Now().Add(time.Hour)}).Expect(201)
		pendingApproval(t, f)
		if err := env.App.Jobs.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		var out struct {
			Data []struct {
				EventKind string `json:"event_kind"`
			} `json:"data"`
		}
		f.As("memberc").Do("GET", "/api/v1/notifications", nil).Expect(200).JSON(&out)
		if len(out.Data) != 1 || out.Data[0].EventKind != "item.submitted" {
			t.Fatalf("deputy's notifications %+v", out.Data)
		}
	})
}
