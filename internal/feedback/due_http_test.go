package feedback_test

import (
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
)

// TestFeedbackDueThroughHTTP: the list tells when each assigned unit reports next
// and whether it is late, following the item's cadence; every change of the item
// stores the same date in item_assignments.next_feedback_due (RefreshFeedbackDue).
func TestFeedbackDueThroughHTTP(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		itemID := w.ItemInProgress("月度反馈事项", 120)
		item := itemID.String()
		headB := env.As(env.Login("headb"))
		sup := env.As(env.Login("sup"))
		today := env.App.Items.Today()
		path := "/api/v1/items/" + item + "/feedback"
		due := func() listJSON {
			t.Helper()
			var l listJSON
			sup.Do("GET", path, nil).Expect(200).JSON(&l)
			if len(l.Due) != 2 || l.Due[0].UnitID != w.DeptB.String() || l.Due[0].Role != "lead" ||
				l.Due[1].UnitID != w.DeptC.String() || l.Due[1].Role != "cooperating" {
				t.Fatalf("due: %+v", l.Due)
			}
			// The stored dates agree with the list (no clamp: the deadline is far).
			var rows []struct {
				UnitID          string
				NextFeedbackDue *string
			}
			if err := env.DB.Gorm().Table("item_assignments").Select("unit_id, next_feedback_due").
				Where("item_id = ?", itemID).Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			for _, d := range l.Due {
				for _, r := range rows {
					if r.UnitID == d.UnitID && (r.NextFeedbackDue == nil) != (d.NextDue == nil) ||
						r.UnitID == d.UnitID && r.NextFeedbackDue != nil && *r.NextFeedbackDue != *d.NextDue {
						t.Fatalf("stored %v, listed %+v", r.NextFeedbackDue, d)
					}
				}
			}
			return l
		}

		// Monthly, just issued: due in about a month, nobody late.
		l := due()
		for _, d := range l.Due {
			if d.NextDue == nil || *d.NextDue <= today.AddDays(27).String() || *d.NextDue > today.AddDays(45).String() || d.Overdue {
				t.Fatalf("fresh monthly due: %+v", d)
			}
		}
		// Six weeks later without a report, both units are late.
		back := time.Now().UTC().AddDate(0, 0, -45)
		if err := env.DB.Gorm().Table("item_assignments").Where("item_id = ?", itemID).Update("created_at", back).Error; err != nil {
			t.Fatal(err)
		}
		var late listJSON
		sup.Do("GET", path, nil).Expect(200).JSON(&late) // stored dates are stale until the next change
		for _, d := range late.Due {
			if d.NextDue == nil || *d.NextDue >= today.String() || !d.Overdue {
				t.Fatalf("late unit: %+v", d)
			}
		}
		// The lead unit reports (waiting for review counts); it is due again in a month.
		headB.Do("POST", path, map[string]any{"progress": 30, "content": "按月报送", "submit": true}).Expect(201)
		l = due()
		if b := l.Due[0]; b.NextDue == nil || *b.NextDue <= today.AddDays(27).String() || b.Overdue {
			t.Fatalf("after reporting: %+v", b)
		}
		if !l.Due[1].Overdue {
			t.Fatalf("the cooperating unit is no longer late: %+v", l.Due[1])
		}

		// By milestones: the earliest open milestone the unit has not reported on.
		sup.Do("PATCH", "/api/v1/items/"+item, map[string]any{"feedback_cadence": "milestones"}).Expect(200)
		var m1, m2 map[string]any
		sup.Do("POST", "/api/v1/items/"+item+"/milestones", map[string]any{"title": "完成排查", "due_date": today.AddDays(20).String()}).Expect(201).JSON(&m2)
		sup.Do("POST", "/api/v1/items/"+item+"/milestones", map[string]any{"title": "制定方案", "due_date": today.AddDays(5).String()}).Expect(201).JSON(&m1)
		l = due()
		if b := l.Due[0]; b.NextDue == nil || *b.NextDue != today.AddDays(5).String() || b.Overdue {
			t.Fatalf("milestone due: %+v", b)
		}
		headB.Do("POST", path, map[string]any{"progress": 40, "content": "方案已制定", "milestone_id": m1["id"], "submit": true}).Expect(201)
		l = due()
		if b := l.Due[0]; b.NextDue == nil || *b.NextDue != today.AddDays(20).String() {
			t.Fatalf("after reporting on the first milestone: %+v", b)
		}
		if c := l.Due[1]; c.NextDue == nil || *c.NextDue != today.AddDays(5).String() {
			t.Fatalf("the cooperating unit's milestone: %+v", c)
		}
		// The copy-forward template proposes the next milestone and says when it is due.
		var d map[string]any
		headB.Do("GET", path+"/draft", nil).Expect(200).JSON(&d)
		if d["milestone_id"] != m2["id"] || d["next_due"] != today.AddDays(20).String() || d["progress"] != float64(40) {
			t.Fatalf("template: %v", d)
		}

		// No cadence, nothing due.
		sup.Do("PATCH", "/api/v1/items/"+item, map[string]any{"feedback_cadence": "none"}).Expect(200)
		for _, d := range due().Due {
			if d.NextDue != nil || d.Overdue {
				t.Fatalf("cadence none: %+v", d)
			}
		}
	})
}
