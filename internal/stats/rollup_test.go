package stats_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/stats"
)

// TestRollupEqualsRecount: after each change of a sequence (create, issue, close,
// reopen by a failed verification, extension, urge, deadline move, cancel, delete)
// the rollup the items' transactions kept equals a recount from the items, on both
// engines.
func TestRollupEqualsRecount(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		w := apitest.NewWorld(env)
		svc, st := env.App.Items, env.App.Stats
		sup, leader, headB := env.Principal(w.Sup), env.Principal(w.Leader), env.Principal(w.HeadB)
		same := func(step string) {
			t.Helper()
			want := sameAsRecount(t, st, step)
			if len(want) == 0 && step != "create" {
				t.Fatalf("after %s: nothing counted", step)
			}
			var closed int64
			for _, v := range want {
				closed += v[1] // closed
			}
			if wantClosed := int64(map[bool]int{true: 3}[step == "closed"]); closed != wantClosed {
				// closed: counted for the item, its lead and its cooperating unit
				t.Fatalf("after %s: %d closings counted, want %d", step, closed, wantClosed)
			}
		}
		inTx := func(step string, id uuid.UUID, f func(ctx context.Context, it *items.Item, asgs []items.Assignment) error) {
			t.Helper()
			err := env.DB.InTx(ctx, func(ctx context.Context) error {
				it, asgs, err := svc.Load(ctx, sup, id, true)
				if err != nil {
					return err
				}
				return f(ctx, it, asgs)
			})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			same(step)
		}
		lead, coop, leaderID := w.DeptB, w.DeptC, w.Leader
		draft := func(title string) uuid.UUID {
			v, err := svc.Create(ctx, sup, items.ItemInput{Title: title, Content: title + "的内容", Category: items.CategoryImportantMatter,
				Source: "board", LeadUnitID: &lead, CooperatingUnitIDs: []uuid.UUID{coop}, SupervisingLeaderID: &leaderID,
				Deadline: svc.Today().AddDays(30)})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			return v.ID
		}
		id := draft("统计汇总事项")
		same("create")
		if _, err := svc.Act(ctx, sup, id, items.ActSubmit, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Issue(ctx, sup, id, nil, "", nil); err != nil {
			t.Fatal(err)
		}
		same("issue")
		asgs, err := svc.ListAssignments(ctx, sup, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range asgs {
			head := w.HeadB
			if a.UnitID == w.DeptC {
				head = w.HeadC
			}
			env.As(env.OpenSession(head)).Do("POST", "/api/v1/assignments/"+a.ID.String()+"/accept", nil).Expect(200)
		}
		same("accept")
		env.As(env.Login("sup")).Do("POST", "/api/v1/items/"+id.String()+"/urges",
			map[string]any{"unit_id": w.DeptB.String(), "message": "请抓紧办理"}).Expect(201)
		same("urge")
		var ext struct {
			ID string `json:"id"`
		}
		env.As(env.Login("headb")).Do("POST", "/api/v1/items/"+id.String()+"/extensions",
			map[string]any{"requested_deadline": svc.Today().AddDays(60).String(), "reason": "设备到货延迟"}).Expect(201).JSON(&ext)
		same("extension requested")
		env.As(env.Login("sup")).Do("POST", "/api/v1/extensions/"+ext.ID+"/review", map[string]any{"decision": "forward", "comment": "拟同意"}).Expect(200)
		env.As(env.Login("leader")).Do("POST", "/api/v1/extensions/"+ext.ID+"/approve", map[string]any{"comment": "同意"}).Expect(200)
		same("extension granted")
		inTx("deadline move", id, func(ctx context.Context, it *items.Item, asgs []items.Assignment) error {
			return svc.MoveDeadline(ctx, sup, it, asgs, svc.Today().AddDays(90), items.DeadlineCause{Cause: items.CauseOffice, LeaderID: &leaderID},
				items.Note{Comment: "领导同意"})
		})
		inTx("completion requested", id, func(ctx context.Context, it *items.Item, asgs []items.Assignment) error {
			return svc.RequestCompletion(ctx, headB, it, asgs, items.Note{Comment: "已完成"})
		})
		inTx("closed", id, func(ctx context.Context, it *items.Item, asgs []items.Assignment) error {
			return svc.ApproveCompletion(ctx, leader, it, asgs, items.Note{Comment: "同意办结"})
		})
		env.As(env.Login("sup")).Do("POST", "/api/v1/items/"+id.String()+"/verifications",
			map[string]any{"method": "document_review", "findings": "整改不到位", "result": "failed"}).Expect(201)
		same("reopened by a failed verification")
		if _, err := svc.Act(ctx, sup, id, items.ActCancel, "不再督办", nil); err != nil {
			t.Fatal(err)
		}
		same("cancel")
		gone := draft("待删除草稿")
		if err := svc.Delete(ctx, sup, gone, nil); err != nil {
			t.Fatal(err)
		}
		same("delete")
		// and the rebuild writes what the recount says
		if err := st.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		same("rebuild")
	})
}

// sameAsRecount fails the test unless the rollup as stored equals a recount from
// the items; it answers the recount.
func sameAsRecount(t *testing.T, st *stats.Service, step string) map[string][stats.NVals]int64 {
	t.Helper()
	ctx := context.Background()
	got, err := st.RollupRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := st.Recount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after %s the rollup\n%v\ndiffers from a recount\n%v", step, got, want)
	}
	return want
}
