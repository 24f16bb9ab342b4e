package assessment_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/stats/statstest"
)

type result struct {
	Published bool `json:"published"`
	Rules     struct {
		Urge    float64 `json:"urge"`
		Version int     `json:"version"`
	} `json:"rules"`
	Units []struct {
		UnitID     string  `json:"unit_id"`
		UnitName   string  `json:"unit_name"`
		Score      float64 `json:"score"`
		Grade      string  `json:"grade"`
		Deductions float64 `json:"deductions"`
		Bonus      float64 `json:"bonus"`
		Rank       int     `json:"rank"`
		Points     []struct {
			Code   string  `json:"code"`
			Title  string  `json:"title"`
			Rule   string  `json:"rule"`
			Detail string  `json:"detail"`
			Points float64 `json:"points"`
		} `json:"points"`
	} `json:"units"`
}

func TestAssessment(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		h := statstest.Build(env)
		if h.Today.In(time.UTC).YearDay() < 75 {
			t.Skip("the history reaches back 60 days: it must fall inside this year")
		}
		period := fmt.Sprint(h.Today.Year)
		sup := env.As(env.Login("sup"))
		var res result
		sup.Do("GET", "/api/v1/assessments?period="+period, nil).Expect(200).JSON(&res)
		if res.Published || len(res.Units) != 2 {
			t.Fatalf("units: %+v", res)
		}
		byName := map[string]int{}
		for i, u := range res.Units {
			byName[u.UnitName] = i
		}
		b := res.Units[byName["安全生产部"]]
		var rules []string
		sum := 0.0
		for _, p := range b.Points {
			rules = append(rules, p.Rule)
			sum += p.Points
			if p.Title == "" || p.Detail == "" {
				t.Errorf("an unexplained point: %+v", p)
			}
		}
		slices.Sort(rules)
		want := []string{"auto_urge", "early_close", "overdue_days", "overdue_days", "overdue_item", "overdue_item", "urge", "verification_failure"}
		if !slices.Equal(rules, want) {
			t.Errorf("B's rules %v, want %v", rules, want)
		}
		if math.Abs(b.Score-(100+sum)) > 0.01 || b.Bonus != 1 || b.Grade != "pass" && b.Grade != "excellent" {
			t.Errorf("B: %+v (points sum %v)", b, sum)
		}
		c := res.Units[byName["财务部"]]
		if c.Score != 100 || c.Rank != 1 || len(c.Points) != 0 {
			t.Errorf("C: %+v", c)
		}
		// units see their own
		var mine result
		env.As(env.Login("headb")).Do("GET", "/api/v1/assessments?period="+period, nil).Expect(200).JSON(&mine)
		if len(mine.Units) != 1 || mine.Units[0].UnitName != "安全生产部" || len(mine.Units[0].Points) != len(b.Points) {
			t.Errorf("headb sees %+v", mine.Units)
		}
		env.As(env.Login("memberc")).Do("GET", "/api/v1/assessments?period="+period, nil).Expect(200).JSON(&mine)
		if len(mine.Units) != 1 || mine.Units[0].UnitName != "财务部" {
			t.Errorf("memberc sees %+v", mine.Units)
		}
		var all result
		env.As(env.Login("leader")).Do("GET", "/api/v1/assessments?period="+period, nil).Expect(200).JSON(&all)
		if len(all.Units) != 2 {
			t.Errorf("the leader sees %d units", len(all.Units))
		}
		sup.Do("GET", "/api/v1/assessments", nil).Problem(422, "validation_failed")
		sup.Do("GET", "/api/v1/assessments?period=2026-W3", nil).Problem(422, "validation_failed")

		// rules: If-Match, validation, who
		r := sup.Do("GET", "/api/v1/settings/assessment", nil).Expect(200)
		body := r.Map()
		body["urge"] = 1.0
		env.As(env.Login("headb")).Do("PUT", "/api/v1/settings/assessment", body).Problem(403, "forbidden")
		bad := map[string]any{}
		for k, v := range body {
			bad[k] = v
		}
		bad["pass"], bad["urge"] = 95.0, -1.0
		pb := sup.Do("PUT", "/api/v1/settings/assessment", bad).Problem(422, "validation_failed")
		if len(pb["errors"].([]any)) != 2 {
			t.Errorf("errors %v", pb["errors"])
		}
		sup.Do("PUT", "/api/v1/settings/assessment", body, "If-Match", `"5"`).Problem(412, "precondition_failed")

		// publish freezes; later rules and data do not change it
		env.As(env.Login("headb")).Do("POST", "/api/v1/assessments/"+period+"/publish", nil).Problem(403, "forbidden")
		var pub result
		sup.Do("POST", "/api/v1/assessments/"+period+"/publish", nil).Expect(201).JSON(&pub)
		if !pub.Published {
			t.Fatal("not published")
		}
		sup.Do("POST", "/api/v1/assessments/"+period+"/publish", nil).Problem(409, "assessment_published")
		sup.Do("PUT", "/api/v1/settings/assessment", body, "If-Match", r.Header.Get("ETag")).Expect(200)
		sup.Do("POST", "/api/v1/items/"+h.Items["overdue"].String()+"/urges", map[string]any{"unit_id": h.W.DeptB.String(), "message": "再催"}).Expect(201)
		var frozen result
		sup.Do("GET", "/api/v1/assessments?period="+period, nil).Expect(200).JSON(&frozen)
		if !frozen.Published || frozen.Units[byName["安全生产部"]].Score != b.Score || frozen.Rules.Urge != 0.5 {
			t.Errorf("the published result changed: %+v", frozen.Units)
		}
		var live result
		sup.Do("GET", "/api/v1/assessments?period="+h.Today.String()[:7], nil).Expect(200).JSON(&live)
		if live.Published || live.Rules.Urge != 1 || live.Rules.Version != 1 {
			t.Errorf("the month is computed with the new rules: %+v", live.Rules)
		}
		// Excel
		x := env.As(env.Login("headb")).Do("GET", "/api/v1/assessments/"+period+".xlsx", nil).Expect(200)
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		rows, _ := f.GetRows("考核得分")
		if len(rows) != 3 || rows[2][1] != "安全生产部" {
			t.Errorf("scores sheet %v", rows)
		}
		pts, _ := f.GetRows("扣加分明细")
		if len(pts) != 1+len(b.Points) {
			t.Errorf("%d point rows, want %d", len(pts)-1, len(b.Points))
		}
		sup.Do("GET", "/api/v1/assessments/"+period+".pdf", nil).Problem(404, "not_found")
	})
}
