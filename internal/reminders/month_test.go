package reminders_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
)

func date(t testing.TB, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sim moves the application's clock through days, the background work run at
// each step as the workers would.
type sim struct {
	t   *testing.T
	env *apitest.Env
	w   *apitest.World
	cal *calendar.Calendar
}

func newSim(t *testing.T, env *apitest.Env, start string) *sim {
	s := &sim{t: t, env: env}
	s.at(date(t, start))
	s.w = apitest.NewWorld(env)
	cal, err := calendar.NewService(env.DB, env.App.Config.Location, env.Clock).Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.cal = cal
	return s
}

// at sets the clock to 09:00 of day in the company time zone (after the 08:00
// sweep's period began).
func (s *sim) at(day civil.Date) {
	s.env.Clock.Set(day.In(s.env.App.Config.Location).Add(9 * time.Hour))
}

func (s *sim) drain() {
	s.t.Helper()
	if err := s.env.App.Jobs.Drain(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// day runs a day's background work three times over: the scheduler's sweep, the
// same again (a retry, another process), and an explicit second sweep.
func (s *sim) day() {
	s.t.Helper()
	s.drain()
	s.drain()
	if _, err := s.env.App.Reminders.Sweep(context.Background()); err != nil {
		s.t.Fatal(err)
	}
	s.drain()
}

func (s *sim) as(user string) *apitest.Env { return s.env.As(s.env.Login(user)) }

// workdays lists the working days from..to (inclusive).
func (s *sim) workdays(from, to string) []civil.Date {
	var out []civil.Date
	for d := date(s.t, from); !d.After(date(s.t, to)); d = d.AddDays(1) {
		if s.cal.IsWorkday(d) {
			out = append(out, d)
		}
	}
	return out
}

// sent lists the automatic urges of the item as "day kind unit", in order.
func (s *sim) sent(item uuid.UUID) []string {
	s.t.Helper()
	var rows []struct {
		ReminderDay string
		Reminder    string
		UnitID      uuid.UUID `gorm:"type:uuid"`
		CreatedBy   *uuid.UUID
	}
	if err := s.env.DB.Gorm().Table("item_urges").Where("item_id = ? AND kind = 'auto'", item).
		Select("reminder_day, reminder, unit_id, created_by").Find(&rows).Error; err != nil {
		s.t.Fatal(err)
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.CreatedBy != nil {
			s.t.Errorf("an automatic urge has an author: %+v", r)
		}
		out = append(out, r.ReminderDay+" "+r.Reminder+" "+s.unit(r.UnitID))
	}
	slices.Sort(out)
	return out
}

func (s *sim) unit(id uuid.UUID) string {
	switch id {
	case s.w.DeptB:
		return "B"
	case s.w.DeptC:
		return "C"
	}
	return id.String()
}

// told counts the reminder notifications of each user.
func (s *sim) told(item uuid.UUID) map[string]int {
	s.t.Helper()
	var rows []struct {
		Username string
		N        int
	}
	if err := s.env.DB.Gorm().Raw(`SELECT u.username, COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.kind = 'reminder' AND n.item_id = ? GROUP BY u.username`, item).Scan(&rows).Error; err != nil {
		s.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Username] = r.N
	}
	return out
}

// TestSimulatedMonth drives an item's month through the clock (2027-04-19 to
// 2027-05-19, across the Labour Day holidays and their Saturday working day):
// every reminder the rules call for is sent once, on working days only, as an
// urge of kind auto by the system, and tells exactly the people it is for.
func TestSimulatedMonth(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		s := newSim(t, env, "2027-04-19")
		ctx := context.Background()
		// Led by B, C cooperating; deadline Friday 2027-04-30, monthly feedback.
		item := s.w.ItemInProgress("安全生产专项整治", 11)
		id := item.String()
		var ext string
		for d := date(t, "2027-04-19"); !d.After(date(t, "2027-05-19")); d = d.AddDays(1) {
			s.at(d)
			s.day()
			switch d.String() {
			case "2027-04-22": // C accepts, after two reminders
				asgs, err := env.App.Items.ListAssignments(ctx, env.Principal(s.w.Sup), item)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range asgs {
					if a.UnitID == s.w.DeptC {
						if _, err := env.App.Items.AcceptAssignment(ctx, env.Principal(s.w.HeadC), a.ID, nil); err != nil {
							t.Fatal(err)
						}
					}
				}
			case "2027-04-26": // B asks for more time; nobody decides for a while
				var v struct{ ID string }
				s.as("headb").Do("POST", "/api/v1/items/"+id+"/extensions",
					map[string]any{"requested_deadline": "2027-05-31", "reason": "设备到货延迟"}).Expect(201).JSON(&v)
				ext = v.ID
			case "2027-05-06": // the office forwards it to the leader
				s.as("sup").Do("POST", "/api/v1/extensions/"+ext+"/review", map[string]any{"decision": "forward", "comment": "请领导审批"}).Expect(200)
			case "2027-05-11": // the leader refuses
				s.as("leader").Do("POST", "/api/v1/extensions/"+ext+"/reject", map[string]any{"comment": "不同意延期"}).Expect(200)
			}
		}
		var want []string
		add := func(kind, unit string, days ...civil.Date) {
			for _, d := range days {
				want = append(want, d.String()+" "+kind+" "+unit)
			}
		}
		add("assignment_not_accepted", "C", date(t, "2027-04-21"), date(t, "2027-04-22"))
		add("deadline_approaching", "B", date(t, "2027-04-27"), date(t, "2027-04-29"))
		add("feedback_due", "B", date(t, "2027-04-30"))
		add("feedback_due", "C", date(t, "2027-04-30"))
		// Waiting for the office since 04-26: from the third working day on; then
		// for the leader since 05-06 (forwarded), until refused on 05-11.
		add("extension_waiting", "B", date(t, "2027-04-29"), date(t, "2027-04-30"), date(t, "2027-05-06"),
			date(t, "2027-05-10"), date(t, "2027-05-11"))
		// Overdue from the first working day after the holidays (05-08 is a
		// Saturday worked in exchange), escalated once past 5 working days.
		overdue := s.workdays("2027-05-01", "2027-05-19")
		if len(overdue) != 11 || overdue[0].String() != "2027-05-06" || overdue[2].String() != "2027-05-08" {
			t.Fatalf("calendar: %v", overdue)
		}
		add("overdue", "B", overdue...)
		add("escalation", "B", date(t, "2027-05-12"))
		slices.Sort(want)
		got := s.sent(item)
		if !slices.Equal(got, want) {
			t.Fatalf("reminders:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
		for _, g := range got {
			if !s.cal.IsWorkday(date(t, g[:10])) {
				t.Errorf("a reminder on a day off: %s", g)
			}
		}
		// Each on the timeline as the system.
		var system int64
		env.DB.Gorm().Table("item_events").Where("item_id = ? AND action = 'urge' AND actor_id IS NULL", item).Count(&system)
		if int(system) != len(want) {
			t.Errorf("timeline: %d urges by the system, want %d", system, len(want))
		}
		// Who was told: the urged unit's head and liaison (B: everything but the
		// waiting request; C: its acceptance and feedback), C's writers of its
		// feedback, the decider of the waiting request, the leader on escalation.
		b := 2 + 1 + 11 + 1
		wantTold := map[string]int{"headb": b, "liaisonb": b, "memberb": 1, "headc": 3, "memberc": 1, "sup": 3, "leader": 2 + 1}
		if got := s.told(item); !mapsEqual(got, wantTold) {
			t.Errorf("notifications: got %v, want %v", got, wantTold)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
