package svcaccounts_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/config"
)

// org is a group with its supervision office and departments A and B, and an
// enterprise E with department EA.
type org struct {
	group, office, a, b, ent, ea uuid.UUID
	admin, headA, headB          uuid.UUID
}

func newOrg(env *apitest.Env) org {
	var o org
	o.group = env.Unit("集团", "group", nil, false)
	o.office = env.Unit("督办处", "department", &o.group, true)
	o.a = env.Unit("规划发展部", "department", &o.group, false)
	o.b = env.Unit("财务部", "department", &o.group, false)
	o.ent = env.Unit("企业甲", "enterprise", &o.group, false)
	o.ea = env.Unit("企业甲办公室", "department", &o.ent, false)
	o.admin = env.User("admin1", o.office, access.RoleAdmin)
	o.headA = env.User("head.a", o.a, access.RoleMember)
	o.headB = env.User("head.b", o.b, access.RoleMember)
	env.SetHead(o.a, o.headA)
	env.SetHead(o.b, o.headB)
	return o
}

func clocked(cfg *config.Config) {
	cfg.Clock = clock.NewFake(time.Now())
	cfg.APITokenMaxTTL = 720 * time.Hour
}

func TestServiceAccounts(t *testing.T) {
	t.Parallel()
	apitest.EachConfig(t, clocked, func(t *testing.T, env *apitest.Env) {
		o := newOrg(env)
		admin := env.As(env.Login("admin1"))

		var acct map[string]any
		admin.Do("POST", "/api/v1/service-accounts", map[string]any{
			"username": "oa-a", "display_name": "OA 系统", "org_unit_id": o.a.String(), "description": "待办同步",
		}).Expect(201).JSON(&acct)
		if acct["kind"] != "service" || acct["owner"] != "unit" || acct["active"] != true || fmt.Sprint(acct["roles"]) != "[member]" {
			t.Fatalf("created %v", acct)
		}
		id := acct["id"].(string)
		admin.Do("POST", "/api/v1/service-accounts", map[string]any{
			"username": "oa-a", "display_name": "again", "org_unit_id": o.a.String()}).Problem(422, "validation_failed")
		list := admin.Do("GET", "/api/v1/service-accounts", nil).Expect(200).Map()
		if list["total"] != 1.0 {
			t.Errorf("list %v", list)
		}
		admin.Do("GET", "/api/v1/service-accounts/"+id, nil).Expect(200)
		admin.Do("GET", "/api/v1/service-accounts/"+o.headA.String(), nil).Problem(404, "not_found")

		// No password, no login.
		env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "oa-a", "password": apitest.TestPassword}).
			Problem(401, "invalid_credentials")

		// Expiry: bounded by the maximum, which is also the default.
		far := env.Clock.Now().Add(800 * time.Hour).Format(time.RFC3339)
		admin.Do("POST", "/api/v1/service-accounts/"+id+"/tokens",
			map[string]any{"name": "too long", "scopes": []string{"todo:read"}, "expires_at": far}).Problem(422, "validation_failed")
		var tok map[string]any
		admin.Do("POST", "/api/v1/service-accounts/"+id+"/tokens",
			map[string]any{"name": "feed", "scopes": []string{"todo:read", "items:read"}}).Expect(201).JSON(&tok)
		exp, err := time.Parse(time.RFC3339, tok["expires_at"].(string))
		if err != nil || exp.Sub(env.Clock.Now()) < 719*time.Hour || exp.Sub(env.Clock.Now()) > 721*time.Hour {
			t.Errorf("default expiry %v (%v)", tok["expires_at"], err)
		}
		bot := env.As(tok["token"].(string))
		me := bot.Do("GET", "/api/v1/me", nil).Expect(200).Map()
		if me["kind"] != "service" || me["may_have_tokens"] != false {
			t.Errorf("/me of the service account %v", me)
		}

		// Scopes: no items:write.
		p := bot.Do("POST", "/api/v1/notifications/read-all", nil).Problem(403, "insufficient_scope")
		if p["missing_scope"] != "items:write" {
			t.Errorf("problem %v", p)
		}
		// Management needs a session.
		bot.Do("GET", "/api/v1/service-accounts", nil).Problem(403, "session_required")
		bot.Do("GET", "/api/v1/tokens", nil).Problem(403, "session_required")
		// Only admins manage.
		env.As(env.Login("head.a")).Do("GET", "/api/v1/service-accounts", nil).Problem(403, "forbidden")
		env.As(env.Login("head.a")).Do("GET", "/api/v1/tokens", nil).Problem(403, "forbidden")

		// last_used_at and the address, written at most once a minute.
		used := func() string {
			l := admin.Do("GET", "/api/v1/tokens?owner_id="+id, nil).Expect(200).Map()
			d := l["data"].([]any)
			if len(d) != 1 {
				t.Fatalf("tokens of the account %v", l)
			}
			m := d[0].(map[string]any)
			if m["last_used_ip"] == "" || m["owner"].(map[string]any)["kind"] != "service" {
				t.Errorf("token %v", m)
			}
			return fmt.Sprint(m["last_used_at"])
		}
		first := used()
		env.Clock.Advance(10 * time.Second)
		bot.Do("GET", "/api/v1/me", nil).Expect(200)
		if again := used(); again != first {
			t.Errorf("last_used_at rewritten within a minute: %s then %s", first, again)
		}
		env.Clock.Advance(2 * time.Minute)
		bot.Do("GET", "/api/v1/me", nil).Expect(200)
		if later := used(); later == first {
			t.Errorf("last_used_at not rewritten after a minute: %s", later)
		}

		// A write lands in the audit log with the account and the token.
		var wt map[string]any
		admin.Do("POST", "/api/v1/service-accounts/"+id+"/tokens",
			map[string]any{"name": "writer", "scopes": []string{"write"}}).Expect(201).JSON(&wt)
		env.As(wt["token"].(string)).Do("POST", "/api/v1/notifications/read-all", nil).Expect(200)
		act := admin.Do("GET", "/api/v1/service-accounts/"+id+"/activity", nil).Expect(200).Map()
		entries := act["data"].([]any)
		// The newest first; before it, the refused password login.
		if len(entries) != 2 || entries[1].(map[string]any)["action"] != "auth.login_failed" {
			t.Fatalf("activity %v", act)
		}
		e := entries[0].(map[string]any)
		d := e["details"].(map[string]any)
		if e["action"] != "service_account.request" || d["token_id"] != wt["id"] || d["route"] != "/api/v1/notifications/read-all" {
			t.Errorf("activity entry %v", e)
		}
		admin.Do("DELETE", "/api/v1/service-accounts/"+id, nil).Problem(409, "service_account_has_activity")

		// Admins list every token, by kind and expiry.
		if n := admin.Do("GET", "/api/v1/tokens?kind=service", nil).Expect(200).Map()["total"]; n != 2.0 {
			t.Errorf("service tokens %v", n)
		}
		if n := admin.Do("GET", "/api/v1/tokens?kind=person", nil).Expect(200).Map()["total"]; n != 0.0 {
			t.Errorf("person tokens %v", n)
		}
		admin.Do("GET", "/api/v1/tokens?kind=robot", nil).Problem(422, "validation_failed")

		// Revocation: the next request is refused.
		admin.Do("DELETE", "/api/v1/tokens/"+wt["id"].(string), nil).Expect(204)
		env.As(wt["token"].(string)).Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		admin.Do("DELETE", "/api/v1/tokens/"+wt["id"].(string), nil).Problem(404, "not_found")
		if n := admin.Do("GET", "/api/v1/tokens?revoked=true", nil).Expect(200).Map()["total"]; n != 1.0 {
			t.Errorf("revoked tokens %v", n)
		}

		// Disabled: its tokens stop at once; enabled: they work again.
		admin.Do("PATCH", "/api/v1/service-accounts/"+id, map[string]any{"active": false}).Expect(200)
		bot.Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		admin.Do("POST", "/api/v1/service-accounts/"+id+"/tokens",
			map[string]any{"name": "x", "scopes": []string{"read"}}).Problem(409, "service_account_disabled")
		admin.Do("PATCH", "/api/v1/service-accounts/"+id, map[string]any{"active": true, "display_name": "OA"}).Expect(200)
		bot.Do("GET", "/api/v1/me", nil).Expect(200)

		// Expiry through the clock: 401, and listed as expired.
		env.Clock.Advance(721 * time.Hour)
		bot.Do("GET", "/api/v1/me", nil).Problem(401, "unauthorized")
		admin = env.As(env.Login("admin1")) // the session ended too
		if n := admin.Do("GET", "/api/v1/tokens?expired=true", nil).Expect(200).Map()["total"]; n != 1.0 {
			t.Errorf("expired tokens %v", n)
		}
		if n := admin.Do("GET", "/api/v1/tokens?expired=false", nil).Expect(200).Map()["total"]; n != 0.0 {
			t.Errorf("unexpired tokens %v", n)
		}

		// An account that never acted can be deleted.
		var idle map[string]any
		admin.Do("POST", "/api/v1/service-accounts", map[string]any{
			"username": "idle-bot", "display_name": "闲置", "org_unit_id": o.group.String(), "role": "supervisor"}).Expect(201).JSON(&idle)
		if idle["owner"] != "scope" {
			t.Errorf("owner of an account of the group's unit: %v", idle["owner"])
		}
		admin.Do("DELETE", "/api/v1/service-accounts/"+idle["id"].(string), nil).Expect(204)
		admin.Do("GET", "/api/v1/service-accounts/"+idle["id"].(string), nil).Problem(404, "not_found")
	})
}

func TestTodoFeed(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		o := newOrg(env)
		env.User("member.ea", o.ea, access.RoleMember)
		admin := env.As(env.Login("admin1"))
		token := func(username string, unit uuid.UUID, scopes ...string) *apitest.Env {
			var a, tk map[string]any
			admin.Do("POST", "/api/v1/service-accounts", map[string]any{
				"username": username, "display_name": username, "org_unit_id": unit.String()}).Expect(201).JSON(&a)
			admin.Do("POST", "/api/v1/service-accounts/"+a["id"].(string)+"/tokens",
				map[string]any{"name": "feed", "scopes": scopes}).Expect(201).JSON(&tk)
			return env.As(tk["token"].(string))
		}
		botA := token("bot-a", o.a, "todo:read")
		botGroup := token("bot-group", o.group, "todo:read")
		botNoScope := token("bot-items", o.group, "items:read")

		// The feed of A holds head.a's list exactly as /me/todo shows it to them.
		feed := botA.Do("GET", "/api/v1/todo?unit_id="+o.a.String(), nil).Expect(200).Map()
		data := feed["data"].([]any)
		if feed["total"] != 1.0 || len(data) != 1 {
			t.Fatalf("feed of A %v", feed)
		}
		person := data[0].(map[string]any)
		own := env.As(env.Login("head.a")).Do("GET", "/api/v1/me/todo", nil).Expect(200).Map()
		a, _ := json.Marshal(person["todo"])
		b, _ := json.Marshal(own)
		if person["user_id"] != o.headA.String() || string(a) != string(b) {
			t.Errorf("feed entry %s, /me/todo %s", a, b)
		}

		// Cross-unit: A's account may not read B; the group's account reads every
		// department of the group's scope but not the enterprise.
		botA.Do("GET", "/api/v1/todo?unit_id="+o.b.String(), nil).Problem(403, "forbidden")
		botGroup.Do("GET", "/api/v1/todo?unit_id="+o.b.String(), nil).Expect(200)
		botGroup.Do("GET", "/api/v1/todo?unit_id="+o.ea.String(), nil).Problem(403, "forbidden")
		all := botGroup.Do("GET", "/api/v1/todo?unit_id="+o.group.String()+"&subunits=true&page_size=1", nil).Expect(200).Map()
		if all["total"] != 3.0 || len(all["data"].([]any)) != 1 {
			t.Errorf("group feed with sub-units (enterprise left out) %v", all)
		}
		// The scope is needed; people and unknown units.
		botNoScope.Do("GET", "/api/v1/todo?unit_id="+o.a.String(), nil).Problem(403, "insufficient_scope")
		env.As(env.Login("head.a")).Do("GET", "/api/v1/todo?unit_id="+o.a.String(), nil).Problem(403, "forbidden")
		admin.Do("GET", "/api/v1/todo?unit_id="+o.ea.String(), nil).Expect(200)
		admin.Do("GET", "/api/v1/todo?unit_id="+uuid.NewString(), nil).Problem(404, "not_found")
		admin.Do("GET", "/api/v1/todo", nil).Problem(422, "validation_failed")
	})
}
