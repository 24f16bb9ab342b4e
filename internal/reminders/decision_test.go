package reminders_test

import (
	"context"
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/calendar"
)

// TestCompletionWaiting: a completion request left undecided presses the office
// from its third working day (the Dragon Boat holiday does not count), then the
// leader once forwarded; the reminder tells the decider only, and it is sent
// although the item waits in completion_requested, where units are not urged.
func TestCompletionWaiting(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		s := &sim{t: t, env: env}
		s.at(date(t, "2027-06-07"))
		f := apitest.NewFixture(t, env)
		s.w = f.W
		cal, err := calendar.NewService(env.DB, env.App.Config.Location, env.Clock).Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		s.cal = cal
		item := f.W.ItemInProgress("完成年度审计整改", 30)
		var req string
		for d := date(t, "2027-06-07"); !d.After(date(t, "2027-06-18")); d = d.AddDays(1) {
			s.at(d)
			s.day()
			switch d.String() {
			case "2027-06-07":
				report := f.Upload("headb", item, "整改报告.pdf")
				var v struct{ ID string }
				s.as("headb").Do("POST", "/api/v1/items/"+item.String()+"/completion-requests", map[string]any{"summary": "整改完成",
					"materials": []map[string]any{{"kind": "report", "attachment_id": report}}}).Expect(201).JSON(&v)
				req = v.ID
			case "2027-06-14":
				s.as("sup").Do("POST", "/api/v1/completion-requests/"+req+"/review", map[string]any{"decision": "forward", "comment": "材料齐全"}).Expect(200)
			}
		}
		want := []string{"2027-06-11 completion_waiting B", "2027-06-14 completion_waiting B",
			"2027-06-17 completion_waiting B", "2027-06-18 completion_waiting B"}
		if got := s.sent(item); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if got := s.told(item); !mapsEqual(got, map[string]int{"sup": 2, "leader": 2}) {
			t.Fatalf("told %v", got)
		}
		// A reminder that presses the decider costs the unit nothing.
		var res struct {
			Units []struct {
				Points []struct {
					Rule string `json:"rule"`
				} `json:"points"`
			} `json:"units"`
		}
		s.as("sup").Do("GET", "/api/v1/assessments?period=2027-06", nil).Expect(200).JSON(&res)
		for _, u := range res.Units {
			for _, p := range u.Points {
				if p.Rule == "auto_urge" {
					t.Fatalf("a decision reminder counted against a unit: %+v", res)
				}
			}
		}
	})
}
