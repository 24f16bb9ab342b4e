package reminders_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/reminders"
)

// item registers and issues an item of the World like World.ItemInProgress, with
// the urgency given; C's assignment stays pending.
func (s *sim) item(title, urgency string, deadline civil.Date) uuid.UUID {
	s.t.Helper()
	ctx, svc := context.Background(), s.env.App.Items
	sup := s.env.Principal(s.w.Sup)
	lead, leader := s.w.DeptB, s.w.Leader
	v, err := svc.Create(ctx, sup, items.ItemInput{Title: title, Content: title, Requirements: "按期完成",
		Category: items.CategoryImportantMatter, Source: "board", Method: "tracking", Urgency: urgency,
		FeedbackCadence: "monthly", LeadUnitID: &lead, CooperatingUnitIDs: []uuid.UUID{s.w.DeptC},
		SupervisingLeaderID: &leader, Deadline: deadline})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
		s.t.Fatal(err)
	}
	if _, err := svc.Issue(ctx, sup, v.ID, nil, "", nil); err != nil {
		s.t.Fatal(err)
	}
	asgs, err := svc.ListAssignments(ctx, sup, v.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, a := range asgs {
		if a.UnitID == s.w.DeptB {
			if _, err := svc.AcceptAssignment(ctx, s.env.Principal(s.w.HeadB), a.ID, nil); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	return v.ID
}

// TestUrgentEveryDay: across the Labour Day holidays an urgent item is reminded
// every day (its days are calendar days), a normal one only on working days.
func TestUrgentEveryDay(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		s := newSim(t, env, "2027-04-29")
		urgentItem := s.item("防汛紧急部署", "urgent", date(t, "2027-05-02"))
		normalItem := s.item("年度预算编制", "normal", date(t, "2027-05-07"))
		for d := date(t, "2027-04-29"); !d.After(date(t, "2027-05-09")); d = d.AddDays(1) {
			s.at(d)
			s.day()
		}
		days := func(from, to string) []civil.Date {
			var out []civil.Date
			for d := date(t, from); !d.After(date(t, to)); d = d.AddDays(1) {
				out = append(out, d)
			}
			return out
		}
		var want []string
		add := func(kind, unit string, ds ...civil.Date) {
			for _, d := range ds {
				want = append(want, d.String()+" "+kind+" "+unit)
			}
		}
		// Urgent, deadline Sunday 05-02 in the holidays: 3 and 1 days before, C not
		// accepted from its second day, feedback due on the deadline, overdue
		// every day after it, escalated once more than 5 days overdue.
		add("deadline_approaching", "B", date(t, "2027-04-29"), date(t, "2027-05-01"))
		add("assignment_not_accepted", "C", days("2027-05-01", "2027-05-09")...)
		add("feedback_due", "B", date(t, "2027-05-02"))
		add("feedback_due", "C", date(t, "2027-05-02"))
		add("overdue", "B", days("2027-05-03", "2027-05-09")...)
		add("escalation", "B", date(t, "2027-05-08"))
		slices.Sort(want)
		if got := s.sent(urgentItem); !slices.Equal(got, want) {
			t.Fatalf("urgent:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
		// Normal, deadline Friday 05-07: nothing from 05-01 to 05-05 nor on Sunday
		// 05-09; Saturday 05-08 is a working day.
		want = nil
		add("deadline_approaching", "B", date(t, "2027-04-29"), date(t, "2027-05-06"))
		add("assignment_not_accepted", "C", date(t, "2027-05-06"), date(t, "2027-05-07"), date(t, "2027-05-08"))
		add("feedback_due", "B", date(t, "2027-05-07"))
		add("feedback_due", "C", date(t, "2027-05-07"))
		add("overdue", "B", date(t, "2027-05-08"))
		slices.Sort(want)
		if got := s.sent(normalItem); !slices.Equal(got, want) {
			t.Fatalf("normal:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	})
}

// TestOncePerDay: sweeps and workers running side by side (as several processes
// would), and a send repeated outside the queue (a retry whose first attempt
// committed), write each reminder once and tell each person once.
func TestOncePerDay(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		s := newSim(t, env, "2027-06-01")
		// Issued on 06-01, due 06-03; the first sweep runs on 06-04: overdue, and
		// C has not accepted for 3 working days.
		item := s.item("节能改造", "normal", date(t, "2027-06-03"))
		s.at(date(t, "2027-06-04"))
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := env.App.Reminders.Sweep(ctx); err != nil {
					errs <- err
				}
				if _, err := env.App.Jobs.Worker.RunOnce(ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		s.drain()
		day, deadline := date(t, "2027-06-04"), date(t, "2027-06-03")
		for range 2 {
			sent, err := env.App.Reminders.SendOnce(ctx, reminders.KindOverdue, item, s.w.DeptB, day, deadline)
			if err != nil || sent {
				t.Fatalf("a repeated send wrote again: %v %v", sent, err)
			}
		}
		s.drain()
		want := []string{"2027-06-04 assignment_not_accepted C", "2027-06-04 overdue B"}
		if got := s.sent(item); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if got := s.told(item); got["headb"] != 1 || got["headc"] != 1 {
			t.Fatalf("told %v", got)
		}
		// A new kind the same day is a reminder of its own.
		sent, err := env.App.Reminders.SendOnce(ctx, reminders.KindEscalation, item, s.w.DeptB, day, deadline)
		if err != nil || !sent {
			t.Fatalf("escalation: %v %v", sent, err)
		}
	})
}

// TestScopeRules: a scope's own rules replace the defaults in the sweep: with
// overdue off and the approach reminder 2 days before, an overdue item gets no
// overdue reminder and another item is reminded 2 working days before.
func TestScopeRules(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		s := newSim(t, env, "2027-06-21") // a Monday
		ctx := context.Background()
		rules := reminders.Defaults(s.w.Group)
		rules.Overdue.Enabled = false
		rules.DeadlineApproaching.DaysBefore = []int{2}
		rules.AssignmentNotAccepted.Enabled = false
		rules.FeedbackDue.Enabled = false
		if _, err := env.App.Reminders.Put(ctx, env.Principal(s.w.Sup), rules, []int{0}); err != nil {
			t.Fatal(err)
		}
		late := s.item("污染源排查", "normal", date(t, "2027-06-22"))
		soon := s.item("安全培训", "normal", date(t, "2027-06-25"))
		for d := date(t, "2027-06-21"); !d.After(date(t, "2027-06-24")); d = d.AddDays(1) {
			s.at(d)
			s.day()
		}
		if got := s.sent(late); len(got) != 0 {
			t.Fatalf("overdue is off, yet: %v", got)
		}
		if got, want := s.sent(soon), []string{"2027-06-23 deadline_approaching B"}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

// TestFeedbackOverdue: monthly feedback due on 04-01 reminds both units that
// day, presses them the next working day, and keeps pressing only the unit that
// has not reported once the other has, after the Qingming holidays.
func TestFeedbackOverdue(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		s := newSim(t, env, "2027-03-01")
		ctx := context.Background()
		rules := reminders.Defaults(s.w.Group)
		rules.AssignmentNotAccepted.Enabled = false
		if _, err := env.App.Reminders.Put(ctx, env.Principal(s.w.Sup), rules, []int{0}); err != nil {
			t.Fatal(err)
		}
		item := s.item("科技创新项目", "normal", date(t, "2027-06-30"))
		for d := date(t, "2027-03-31"); !d.After(date(t, "2027-04-06")); d = d.AddDays(1) {
			s.at(d)
			s.day()
			if d.String() == "2027-04-02" {
				s.as("headb").Do("POST", "/api/v1/items/"+item.String()+"/feedback",
					map[string]any{"progress": 30, "content": "已完成方案论证", "submit": true}).Expect(201)
			}
		}
		want := []string{"2027-04-01 feedback_due B", "2027-04-01 feedback_due C", "2027-04-02 feedback_overdue B",
			"2027-04-02 feedback_overdue C", "2027-04-06 feedback_overdue C"}
		if got := s.sent(item); !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}
