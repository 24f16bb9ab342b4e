package bulletins_test

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/stats/statstest"
)

type bulletin struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Period   string `json:"period"`
	Title    string `json:"title"`
	State    string `json:"state"`
	DocNo    string `json:"doc_no"`
	Version  int    `json:"version"`
	Sections struct {
		Summary   string `json:"summary"`
		Problems  string `json:"problems"`
		NextSteps string `json:"next_steps"`
	} `json:"sections"`
	Data struct {
		Overview struct {
			Assigned     int64 `json:"assigned"`
			Closed       int64 `json:"closed"`
			Urges        int64 `json:"urges"`
			OverdueNow   int64 `json:"overdue_now"`
			ClosedOnTime int64 `json:"closed_on_time"`
		} `json:"overview"`
		Units []struct {
			UnitName string `json:"unit_name"`
			Urges    int64  `json:"urges"`
		} `json:"units"`
		Overdue []struct {
			Title       string `json:"title"`
			LeadUnit    string `json:"lead_unit"`
			DaysOverdue int    `json:"days_overdue"`
		} `json:"overdue"`
		VerificationFailures []struct {
			Title string `json:"title"`
			Note  string `json:"note"`
		} `json:"verification_failures"`
		Commended []struct {
			UnitName string `json:"unit_name"`
		} `json:"commended"`
		Criticised []struct {
			UnitName string `json:"unit_name"`
			Reason   string `json:"reason"`
		} `json:"criticised"`
	} `json:"data"`
	AllowedActions []string `json:"allowed_actions"`
}

func TestBulletinLifecycle(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		h := statstest.Build(env)
		sup := env.As(env.Login("sup"))
		headb := env.As(env.Login("headb"))
		month := h.Today.String()[:7]
		year := h.Today.Year

		headb.Do("POST", "/api/v1/bulletins", map[string]any{"kind": "monthly", "period": month}).Problem(403, "forbidden")
		for body, field := range map[string]string{
			`{"kind":"weekly","period":"` + month + `"}`:               "kind",
			`{"kind":"monthly","period":"` + fmt.Sprint(year) + `"}`:   "period",
			`{"kind":"quarterly","period":"` + month + `"}`:            "period",
			`{"kind":"special"}`:                                       "period",
			`{"kind":"special","from":"2026-02-01","to":"2026-01-01"}`: "to",
		} {
			pb := sup.Do("POST", "/api/v1/bulletins", body).Problem(422, "validation_failed")
			if errs, _ := pb["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["field"] != field {
				t.Errorf("%s: %v", body, pb["errors"])
			}
		}

		var b bulletin
		r := sup.Do("POST", "/api/v1/bulletins", map[string]any{"kind": "special", "from": h.Today.AddDays(-45).String(), "to": h.Today.String()}).Expect(201)
		r.JSON(&b)
		if b.State != "draft" || b.DocNo != "" || b.Data.Overview.Closed != 2 || b.Data.Overview.ClosedOnTime != 1 || b.Data.Overview.OverdueNow != 1 ||
			len(b.Data.Overdue) != 1 || b.Data.Overdue[0].LeadUnit != "安全生产部" || b.Data.Overdue[0].DaysOverdue < 3 ||
			len(b.Data.VerificationFailures) != 1 || b.Data.VerificationFailures[0].Note != "整改不到位" || b.Sections.Summary == "" {
			t.Fatalf("draft: %+v", b)
		}
		// B leads the overdue item and C cooperates on it
		if len(b.Data.Criticised) != 2 || b.Data.Criticised[0].UnitName != "安全生产部" || b.Data.Criticised[0].Reason != "超期未办结1项" {
			t.Errorf("criticised: %+v", b.Data.Criticised)
		}
		// a draft is the office's
		headb.Do("GET", "/api/v1/bulletins/"+b.ID, nil).Problem(404, "not_found")
		var list struct {
			Total int `json:"total"`
		}
		headb.Do("GET", "/api/v1/bulletins", nil).Expect(200).JSON(&list)
		if list.Total != 0 {
			t.Errorf("a unit lists drafts")
		}
		// edit with If-Match
		patch := map[string]any{"sections": map[string]any{"summary": "本期总体平稳。", "problems": "个别单位超期。", "next_steps": "加强催办。"}, "title": "专项通报"}
		sup.Do("PATCH", "/api/v1/bulletins/"+b.ID, patch, "If-Match", `"9"`).Problem(412, "precondition_failed")
		sup.Do("PATCH", "/api/v1/bulletins/"+b.ID, patch, "If-Match", r.Header.Get("ETag")).Expect(200).JSON(&b)
		if b.Sections.Problems != "个别单位超期。" || b.Title != "专项通报" || b.Version != 2 {
			t.Errorf("patched: %+v", b)
		}
		headb.Do("PATCH", "/api/v1/bulletins/"+b.ID, patch).Problem(404, "not_found")
		env.As(env.Login("auditor")).Do("PATCH", "/api/v1/bulletins/"+b.ID, patch).Problem(403, "forbidden")
		sup.Do("PATCH", "/api/v1/bulletins/"+b.ID, map[string]any{"title": ""}).Problem(422, "validation_failed")

		// publish: numbered, visible to the units, frozen
		sup.Do("POST", "/api/v1/bulletins/"+b.ID+"/publish", nil, "If-Match", `"1"`).Problem(412, "precondition_failed")
		var pub bulletin
		sup.Do("POST", "/api/v1/bulletins/"+b.ID+"/publish", nil, "If-Match", `"2"`).Expect(200).JSON(&pub)
		if pub.State != "published" || pub.DocNo != fmt.Sprintf("督办通报〔%d〕1号", year) || len(pub.AllowedActions) != 0 {
			t.Fatalf("published: %+v", pub)
		}
		sup.Do("POST", "/api/v1/bulletins/"+b.ID+"/publish", nil).Problem(409, "bulletin_published")
		sup.Do("PATCH", "/api/v1/bulletins/"+b.ID, patch).Problem(409, "bulletin_published")
		var seen bulletin
		headb.Do("GET", "/api/v1/bulletins/"+b.ID, nil).Expect(200).JSON(&seen)
		headb.Do("GET", "/api/v1/bulletins?state=published", nil).Expect(200).JSON(&list)
		if seen.DocNo != pub.DocNo || list.Total != 1 {
			t.Errorf("the unit sees %+v, %d", seen, list.Total)
		}
		// later data does not change it; a new draft sees it
		sup.Do("POST", "/api/v1/items/"+h.Items["overdue"].String()+"/urges", map[string]any{"unit_id": h.W.DeptB.String(), "message": "再次催办"}).Expect(201)
		var after bulletin
		headb.Do("GET", "/api/v1/bulletins/"+b.ID, nil).Expect(200).JSON(&after)
		if !reflect.DeepEqual(after.Data, pub.Data) {
			t.Errorf("a published bulletin changed: %+v", after.Data.Overview)
		}
		var second bulletin
		sup.Do("POST", "/api/v1/bulletins", map[string]any{"kind": "monthly", "period": month}).Expect(201).JSON(&second)
		if second.Data.Overview.Urges != pub.Data.Overview.Urges+1 && h.Today.Day > 1 {
			t.Errorf("the new draft misses the urge: %d vs %d", second.Data.Overview.Urges, pub.Data.Overview.Urges)
		}
		sup.Do("POST", "/api/v1/bulletins/"+second.ID+"/publish", nil).Expect(200).JSON(&second)
		if second.DocNo != fmt.Sprintf("督办通报〔%d〕2号", year) {
			t.Errorf("second number %s", second.DocNo)
		}
		// the appendix
		ar := headb.Do("GET", "/api/v1/bulletins/"+b.ID+"/appendix.xlsx", nil).Expect(200)
		f, err := excelize.OpenReader(bytes.NewReader(ar.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"各单位情况", "超期事项", "黄灯事项", "核查未通过"}) {
			t.Errorf("sheets %v", got)
		}
		rows, _ := f.GetRows("超期事项")
		if len(rows) != 2 || rows[1][2] != "安全生产部" {
			t.Errorf("overdue sheet %v", rows)
		}
		env.As(env.Login("stranger")).Do("GET", "/api/v1/bulletins/"+b.ID+"/appendix.xlsx", nil).Expect(200)
		sup.Do("GET", "/api/v1/bulletins/not-a-uuid", nil).Problem(404, "not_found")
	})
}
