package urges_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/urges"
)

type urgeJSON struct {
	ID             string   `json:"id"`
	UnitID         string   `json:"unit_id"`
	Kind           string   `json:"kind"`
	Message        string   `json:"message"`
	CreatedBy      *string  `json:"created_by"`
	AcknowledgedAt *string  `json:"acknowledged_at"`
	AllowedActions []string `json:"allowed_actions"`
}

type listJSON struct {
	Data           []urgeJSON `json:"data"`
	Total          int        `json:"total"`
	AllowedActions []string   `json:"allowed_actions"`
	Counts         []struct {
		UnitID         string `json:"unit_id"`
		Total          int    `json:"total"`
		Unacknowledged int    `json:"unacknowledged"`
	} `json:"counts"`
}

func count(t *testing.T, env *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table("item_urges").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func timeline(t *testing.T, env *apitest.Env, item string) []string {
	t.Helper()
	var out struct {
		Data []struct {
			Action  string  `json:"action"`
			ActorID *string `json:"actor_id"`
			Comment string  `json:"comment"`
		} `json:"data"`
	}
	env.Do("GET", "/api/v1/items/"+item+"/events?page_size=100", nil).Expect(200).JSON(&out)
	var got []string
	for _, e := range out.Data {
		if e.Action == "urge" || e.Action == "urge_acknowledged" {
			actor := "system"
			if e.ActorID != nil {
				actor = "user"
			}
			got = append(got, e.Action+"/"+actor)
		}
	}
	return got
}

// TestUrges: the office urges (the lead unit by default), counts go up; the unit's
// head acknowledges once; nobody else urges or acknowledges; the system sends
// automatic urges through the same service.
func TestUrges(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		itemID := w.ItemInProgress("安全生产专项整治", 30)
		item := itemID.String()
		path := "/api/v1/items/" + item + "/urges"
		sup := env.As(env.Login("sup"))
		headB := env.As(env.Login("headb"))
		memberB := env.As(env.Login("memberb"))
		headC := env.As(env.Login("headc"))
		leader := env.As(env.Login("leader"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))

		var u urgeJSON
		r := sup.Do("POST", path, map[string]any{"message": "请抓紧办理并及时反馈进展。"}).Expect(201)
		r.JSON(&u)
		if u.UnitID != w.DeptB.String() || u.Kind != "manual" || u.CreatedBy == nil || *u.CreatedBy != w.Sup.String() ||
			u.AcknowledgedAt != nil || len(u.AllowedActions) != 0 || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("urge: %+v", u)
		}
		var uc urgeJSON
		sup.Do("POST", path, map[string]any{"unit_id": w.DeptC, "message": "请配合落实资金。"}).Expect(201).JSON(&uc)
		if uc.UnitID != w.DeptC.String() {
			t.Fatalf("urge of C: %+v", uc)
		}

		// Nobody else urges; bad urges write nothing.
		before := count(t, env)
		for _, c := range []*apitest.Env{memberB, headB, leader, auditor} {
			c.Do("POST", path, map[string]any{"message": "催"}).Problem(403, "forbidden")
		}
		stranger.Do("POST", path, map[string]any{"message": "催"}).Problem(404, "not_found")
		sup.Do("POST", path, map[string]any{"unit_id": w.DeptX, "message": "催"}).Problem(422, "validation_failed")
		sup.Do("POST", path, map[string]any{"message": ""}).Problem(422, "validation_failed")
		sup.Do("POST", path, map[string]any{"message": "   "}).Problem(422, "validation_failed")
		sup.Do("POST", path, map[string]any{"unit_id": "x", "message": "催"}).Problem(422, "validation_failed")
		if count(t, env) != before {
			t.Fatal("refused urges were written")
		}

		var l listJSON
		headB.Do("GET", path, nil).Expect(200).JSON(&l)
		if l.Total != 2 || len(l.Counts) != 2 || l.Counts[0].UnitID != w.DeptB.String() || l.Counts[0].Total != 1 ||
			l.Counts[0].Unacknowledged != 1 || l.Counts[1].UnitID != w.DeptC.String() || l.Counts[1].Unacknowledged != 1 {
			t.Fatalf("counts: %+v", l)
		}
		if l.Data[0].ID != uc.ID || !slices.Equal(l.Data[1].AllowedActions, []string{"acknowledge"}) || len(l.Data[0].AllowedActions) != 0 {
			t.Fatalf("head's view: %+v", l.Data)
		}
		if len(l.AllowedActions) != 0 {
			t.Fatalf("the head may urge: %v", l.AllowedActions)
		}
		auditor.Do("GET", path, nil).Expect(200)
		stranger.Do("GET", path, nil).Problem(404, "not_found")

		// Only the urged unit's head or liaison acknowledges, once.
		ack := "/api/v1/urges/" + u.ID + "/acknowledge"
		memberB.Do("POST", ack, nil).Problem(403, "forbidden")
		headC.Do("POST", ack, nil).Problem(403, "forbidden")
		sup.Do("POST", ack, nil).Problem(403, "forbidden")
		stranger.Do("POST", ack, nil).Problem(404, "not_found")
		headB.Do("POST", ack, nil, "If-Match", `"7"`).Problem(412, "precondition_failed")
		headB.Do("POST", ack, nil).Expect(200).JSON(&u)
		if u.AcknowledgedAt == nil || len(u.AllowedActions) != 0 {
			t.Fatalf("acknowledged: %+v", u)
		}
		headB.Do("POST", ack, nil).Problem(409, "invalid_transition")
		sup.Do("GET", path, nil).Expect(200).JSON(&l)
		if l.Counts[0].Total != 1 || l.Counts[0].Unacknowledged != 0 || l.Counts[1].Unacknowledged != 1 ||
			!slices.Equal(l.AllowedActions, []string{"create"}) {
			t.Fatalf("counts after acknowledging: %+v", l.Counts)
		}
		sup.Do("GET", path+"?unit_id="+w.DeptC.String(), nil).Expect(200).JSON(&l)
		if l.Total != 1 || len(l.Counts) != 1 || l.Counts[0].UnitID != w.DeptC.String() {
			t.Fatalf("filtered: %+v", l)
		}

		// A reminder job urges as the system: no actor, kind auto, the lead unit by default.
		svc := urges.NewService(env.DB, env.App.Items)
		v, err := svc.Send(context.Background(), nil, itemID, uuid.Nil, "距办结时限不足3个工作日。", urges.KindAuto)
		if err != nil || v.Kind != urges.KindAuto || v.CreatedBy != nil || v.UnitID != w.DeptB {
			t.Fatalf("system urge: %+v, %v", v, err)
		}
		if _, err := svc.Send(context.Background(), nil, uuid.New(), uuid.Nil, "x", urges.KindAuto); err == nil {
			t.Fatal("system urge on a missing item")
		}
		sup.Do("GET", path, nil).Expect(200).JSON(&l)
		if l.Counts[0].Total != 2 || l.Counts[0].Unacknowledged != 1 || l.Data[0].Kind != "auto" {
			t.Fatalf("after the automatic urge: %+v", l)
		}
		want := []string{"urge/user", "urge/user", "urge_acknowledged/user", "urge/system"}
		if got := timeline(t, sup, item); !slices.Equal(got, want) {
			t.Fatalf("timeline %v, want %v", got, want)
		}

		// Not once the item is cancelled.
		sup.Do("POST", "/api/v1/items/"+item+"/cancel", map[string]string{"comment": "任务取消"}).Expect(200)
		sup.Do("POST", path, map[string]any{"message": "催"}).Problem(409, "invalid_transition")
		if _, err := svc.Send(context.Background(), nil, itemID, uuid.Nil, "x", urges.KindAuto); err == nil {
			t.Fatal("system urge on a cancelled item")
		}
	})
}
