package stats_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/stats/statstest"
)

type figures struct {
	Assigned             int64    `json:"assigned"`
	InProgress           int64    `json:"in_progress"`
	Closed               int64    `json:"closed"`
	ClosedOnTime         int64    `json:"closed_on_time"`
	OverdueNow           int64    `json:"overdue_now"`
	OnTimeRate           *float64 `json:"on_time_rate"`
	ExtensionsRequested  int64    `json:"extensions_requested"`
	ExtensionsGranted    int64    `json:"extensions_granted"`
	Urges                int64    `json:"urges"`
	UrgesManual          int64    `json:"urges_manual"`
	UrgesAuto            int64    `json:"urges_auto"`
	FeedbackLate         int64    `json:"feedback_late"`
	VerificationFailures int64    `json:"verification_failures"`
	AvgWorkdaysToClose   *float64 `json:"avg_workdays_to_close"`
}

type overview struct {
	Period struct {
		Key  string `json:"key"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"period"`
	Figures  figures `json:"figures"`
	BySource []struct {
		Key string `json:"key"`
		figures
	} `json:"by_source"`
}

type unitRow struct {
	UnitID              string `json:"unit_id"`
	UnitName            string `json:"unit_name"`
	AssignedLead        int64  `json:"assigned_lead"`
	AssignedCooperating int64  `json:"assigned_cooperating"`
	figures
}

type listItem struct {
	ID        string `json:"id"`
	IssuedAt  string `json:"issued_at"`
	LeadUnit  string `json:"lead_unit_id"`
	State     string `json:"state"`
	ClosedAt  string `json:"closed_at"`
	Original  string `json:"original_deadline"`
	CoopUnits []string
}

// total is GET /items?<query> as the caller: the number of items.
func total(env *apitest.Env, query string) int64 {
	env.T.Helper()
	var out struct {
		Total int64 `json:"total"`
	}
	env.Do("GET", "/api/v1/items?page_size=1&"+query, nil).Expect(200).JSON(&out)
	return out.Total
}

// all lists every item of GET /items?<query>.
func all(env *apitest.Env, query string) []listItem {
	env.T.Helper()
	var out []listItem
	for page := 1; ; page++ {
		var pg struct {
			Data  []listItem `json:"data"`
			Total int        `json:"total"`
		}
		env.Do("GET", fmt.Sprintf("/api/v1/items?page_size=100&page=%d&%s", page, query), nil).Expect(200).JSON(&pg)
		out = append(out, pg.Data...)
		if len(pg.Data) == 0 || len(out) >= pg.Total {
			return out
		}
	}
}

// followUps counts, through the item sub-resources the caller may read, the urges
// (manual, auto) to unit (any unit when empty), extensions (requested, approved) by
// unit, and failed verifications of the items, in [from, to).
func followUps(env *apitest.Env, list []listItem, unit string, from, to time.Time) (manual, auto, ext, granted, failed int64) {
	in := func(s string) bool {
		at, err := time.Parse(time.RFC3339Nano, s)
		return err == nil && !at.Before(from) && at.Before(to)
	}
	for _, it := range list {
		var urges struct {
			Data []struct {
				UnitID    string `json:"unit_id"`
				Kind      string `json:"kind"`
				CreatedAt string `json:"created_at"`
			} `json:"data"`
		}
		env.Do("GET", "/api/v1/items/"+it.ID+"/urges?page_size=100", nil).Expect(200).JSON(&urges)
		for _, u := range urges.Data {
			if (unit == "" || u.UnitID == unit) && in(u.CreatedAt) {
				if u.Kind == "auto" {
					auto++
				} else {
					manual++
				}
			}
		}
		var exts struct {
			Data []struct {
				UnitID    string `json:"unit_id"`
				State     string `json:"state"`
				CreatedAt string `json:"created_at"`
			} `json:"data"`
		}
		env.Do("GET", "/api/v1/items/"+it.ID+"/extensions", nil).Expect(200).JSON(&exts)
		for _, e := range exts.Data {
			if (unit == "" || e.UnitID == unit) && in(e.CreatedAt) {
				ext++
				if e.State == "approved" {
					granted++
				}
			}
		}
		if unit != "" && it.LeadUnit != unit {
			continue
		}
		var vs struct {
			Data []struct {
				Result    string `json:"result"`
				CreatedAt string `json:"created_at"`
			} `json:"data"`
		}
		env.Do("GET", "/api/v1/items/"+it.ID+"/verifications", nil).Expect(200).JSON(&vs)
		for _, v := range vs.Data {
			if v.Result == "failed" && in(v.CreatedAt) {
				failed++
			}
		}
	}
	return
}

// check compares every figure with the item list as the same caller; filter is the
// list query of the statistics' filters (unit_id, source, …).
func check(t *testing.T, env *apitest.Env, who string, from, to civil.Date, loc *time.Location, got figures, filter, unit string) {
	t.Helper()
	period := "issued_from=" + from.String() + "&issued_to=" + to.String()
	closed := "state=closed,archived&closed_from=" + from.String() + "&closed_to=" + to.String()
	want := map[string][2]int64{
		"assigned":       {got.Assigned, total(env, period+filter)},
		"in_progress":    {got.InProgress, total(env, "state=issued,in_progress,suspended,completion_requested"+filter)},
		"closed":         {got.Closed, total(env, closed+filter)},
		"closed_on_time": {got.ClosedOnTime, total(env, closed+"&on_time=true"+filter)},
		"overdue_now":    {got.OverdueNow, total(env, "overdue=true"+filter)},
	}
	list := all(env, strings.TrimPrefix(filter, "&"))
	manual, auto, ext, granted, failed := followUps(env, list, unit, from.In(loc), to.AddDays(1).In(loc))
	want["urges_manual"] = [2]int64{got.UrgesManual, manual}
	want["urges_auto"] = [2]int64{got.UrgesAuto, auto}
	want["extensions_requested"] = [2]int64{got.ExtensionsRequested, ext}
	want["extensions_granted"] = [2]int64{got.ExtensionsGranted, granted}
	want["verification_failures"] = [2]int64{got.VerificationFailures, failed}
	for k, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s %s~%s%s: %s = %d, the item list gives %d", who, from, to, filter, k, v[0], v[1])
		}
	}
	if got.Urges != got.UrgesManual+got.UrgesAuto {
		t.Errorf("%s: urges %d is not manual+auto", who, got.Urges)
	}
}

// TestFiguresMatchTheItemList: every figure of /stats/overview and /stats/units,
// for every kind of caller, equals what the same caller counts through GET /items
// and the items' own sub-resources.
func TestFiguresMatchTheItemList(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		h := statstest.Build(env)
		today := h.Today
		periods := []struct{ q string }{
			{"period=" + fmt.Sprint(today.Year)},
			{fmt.Sprintf("from=%s&to=%s", today.AddDays(-45), today)},
			{fmt.Sprintf("from=%s&to=%s", today.AddDays(-700), today)},
			// whole months (the rollup answers the scope), back past lastYear's closing
			{fmt.Sprintf("from=%s&to=%s", civil.Date{Year: today.Year - 2, Month: today.Month, Day: 1},
				civil.Date{Year: today.Year, Month: today.Month + 1, Day: 1}.AddDays(-1))},
		}
		for _, who := range []string{"sup", "leader", "auditor", "headb", "memberc", "headc", "stranger"} {
			c := env.As(env.Login(who))
			for _, p := range periods {
				var ov overview
				c.Do("GET", "/api/v1/stats/overview?"+p.q, nil).Expect(200).JSON(&ov)
				from, to := civil.MustParse(ov.Period.From), civil.MustParse(ov.Period.To)
				check(t, c, who, from, to, h.Loc, ov.Figures, "", "")
				for _, s := range ov.BySource {
					var bs overview
					c.Do("GET", "/api/v1/stats/overview?"+p.q+"&source="+s.Key, nil).Expect(200).JSON(&bs)
					if bs.Figures.Assigned != s.Assigned || bs.Figures.Closed != s.Closed || bs.Figures.OverdueNow != s.OverdueNow {
						t.Errorf("%s: by_source %s differs from the overview filtered by it", who, s.Key)
					}
					if n := total(c, "issued_from="+from.String()+"&issued_to="+to.String()+"&source="+s.Key); n != s.Assigned {
						t.Errorf("%s: source %s assigned %d, list %d", who, s.Key, s.Assigned, n)
					}
				}
				var us struct {
					Data []unitRow `json:"data"`
				}
				c.Do("GET", "/api/v1/stats/units?"+p.q, nil).Expect(200).JSON(&us)
				for _, u := range us.Data {
					var leadOnly int64 = total(c, "issued_from="+from.String()+"&issued_to="+to.String()+"&lead_unit_id="+u.UnitID)
					if u.AssignedLead != leadOnly || u.AssignedLead+u.AssignedCooperating != u.Assigned {
						t.Errorf("%s: unit %s lead %d coop %d assigned %d, list lead %d", who, u.UnitName, u.AssignedLead, u.AssignedCooperating, u.Assigned, leadOnly)
					}
					check(t, c, who+"/"+u.UnitName, from, to, h.Loc, u.figures, "&unit_id="+u.UnitID, u.UnitID)
				}
			}
		}
		// The history shows in the supervisor's figures for the last 45 days.
		var ov overview
		sup := env.As(env.Login("sup"))
		sup.Do("GET", fmt.Sprintf("/api/v1/stats/overview?from=%s&to=%s", today.AddDays(-45), today), nil).Expect(200).JSON(&ov)
		f := ov.Figures
		if f.Closed != 2 || f.ClosedOnTime != 1 || f.OnTimeRate == nil || *f.OnTimeRate != 0.5 || f.OverdueNow != 1 ||
			f.UrgesManual != 1 || f.UrgesAuto != 1 || f.ExtensionsRequested != 1 || f.VerificationFailures != 1 || f.AvgWorkdaysToClose == nil {
			t.Errorf("supervisor's last 45 days: %+v", f)
		}
		// A member of C sees C's row only; X's member only X's (X cooperates on C's item).
		var us struct {
			Data []unitRow `json:"data"`
		}
		env.As(env.Login("memberc")).Do("GET", "/api/v1/stats/units", nil).Expect(200).JSON(&us)
		if len(us.Data) != 1 || us.Data[0].UnitID != h.W.DeptC.String() {
			t.Errorf("memberc's units: %+v", us.Data)
		}
		env.As(env.Login("stranger")).Do("GET", "/api/v1/stats/units", nil).Expect(200).JSON(&us)
		if len(us.Data) != 1 || us.Data[0].UnitID != h.W.DeptX.String() || us.Data[0].AssignedCooperating != 1 {
			t.Errorf("stranger's units: %+v", us.Data)
		}
	})
}

func TestBadQueries(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		_ = w
		c := env.As(env.Login("sup"))
		for q, field := range map[string]string{
			"period=2026-13": "period", "period=26": "period", "period=2026-Q5": "period", "from=2026-01-01": "to",
			"from=2026-02-01&to=2026-01-01": "to", "from=x&to=2026-01-01": "from", "period=2026&from=2026-01-01": "period",
			"unit_id=x": "unit_id", "source=nope": "source", "category=x": "category", "scope_id=1": "scope_id",
			"from=2000-01-01&to=2026-01-01": "to",
		} {
			for _, path := range []string{"overview", "units", "trend"} {
				pb := c.Do("GET", "/api/v1/stats/"+path+"?"+q, nil).Problem(422, "validation_failed")
				errs, _ := pb["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != field {
					t.Errorf("%s?%s: %v, want field %s", path, q, pb["errors"], field)
				}
			}
		}
		env.As("").Do("GET", "/api/v1/stats/overview", nil).Problem(401, "unauthorized")
	})
}

func TestTrend(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		h := statstest.Build(env)
		var tr struct {
			Data []struct {
				Month        string `json:"month"`
				Assigned     int64  `json:"assigned"`
				Closed       int64  `json:"closed"`
				ClosedOnTime int64  `json:"closed_on_time"`
			} `json:"data"`
		}
		sup := env.As(env.Login("sup"))
		sup.Do("GET", "/api/v1/stats/trend?period="+h.Today.String()[:7], nil).Expect(200).JSON(&tr)
		if len(tr.Data) != 12 || tr.Data[11].Month != h.Today.String()[:7] {
			t.Fatalf("12 months ending this month: %+v", tr.Data)
		}
		var assigned, closed, onTime int64
		for _, m := range tr.Data {
			first := civil.MustParse(m.Month + "-01")
			last := civil.Of(time.Date(first.Year, first.Month+1, 0, 0, 0, 0, 0, time.UTC))
			if n := total(sup, "issued_from="+first.String()+"&issued_to="+last.String()); n != m.Assigned {
				t.Errorf("%s: assigned %d, list %d", m.Month, m.Assigned, n)
			}
			if n := total(sup, "state=closed,archived&on_time=true&closed_from="+first.String()+"&closed_to="+last.String()); n != m.ClosedOnTime {
				t.Errorf("%s: on time %d, list %d", m.Month, m.ClosedOnTime, n)
			}
			assigned, closed, onTime = assigned+m.Assigned, closed+m.Closed, onTime+m.ClosedOnTime
		}
		if assigned < 5 || closed != 2 || onTime != 1 {
			t.Errorf("trend totals: assigned %d closed %d on time %d", assigned, closed, onTime)
		}
	})
}
