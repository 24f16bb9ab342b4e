package orgsync_test

import (
	"context"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/handover"
	"github.com/duban/duban/internal/items"
)

// An import that moves a responsible person (承办人) out of the assigned unit hands
// the assignment to the unit's head, on the item's timeline; nothing is left
// waiting for them.
func TestImportMoveHandsTheAssignmentOver(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		admin, _ := adminEnv(t, env)
		b := sampleBook()
		upload(admin, b.bytes(t), "").Expect(200)
		us, ps := units(t, env), people(t, env)
		plan := uuidOf(t, us["规划发展部"].ID)
		leader, head, undertaker := uuidOf(t, ps["li.dong"].ID), uuidOf(t, ps["gui.hua"].ID), uuidOf(t, ps["ping.an"].ID)
		svc, ctx := env.App.Items, context.Background()
		sup := env.Principal(uuidOf(t, ps["du.ban"].ID))
		v, err := svc.Create(ctx, sup, items.ItemInput{Title: "规划编制", Content: "编制十五五规划", Requirements: "按期",
			Category: items.CategoryImportantMatter, Source: "board", Method: "tracking", Urgency: "normal",
			FeedbackCadence: "monthly", LeadUnitID: &plan, SupervisingLeaderID: &leader, Deadline: svc.Today().AddDays(30)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Issue(ctx, sup, v.ID, nil, "", nil); err != nil {
			t.Fatal(err)
		}
		asgs, err := svc.ListAssignments(ctx, sup, v.ID)
		if err != nil || len(asgs) != 1 {
			t.Fatalf("assignments %v %v", asgs, err)
		}
		if _, err := svc.UpdateAssignment(ctx, sup, asgs[0].ID, &undertaker, nil); err != nil {
			t.Fatal(err)
		}

		c := b.clone()
		c.users[4][3] = "G-OFF" // ping.an moves to the supervision office
		c.units[2][8] = ""      // and leaves their liaison post
		upload(admin, c.bytes(t), "").Expect(200)
		asgs, _ = svc.ListAssignments(ctx, sup, v.ID)
		if asgs[0].ResponsibleUserID == nil || *asgs[0].ResponsibleUserID != head {
			t.Fatalf("responsible after the move: %v", asgs[0].ResponsibleUserID)
		}
		d, err := handover.Dangling(ctx, env.DB, svc.Now())
		if err != nil || len(d) != 0 {
			t.Fatalf("dangling %v %v", d, err)
		}
	})
}
