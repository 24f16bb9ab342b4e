package ledger_test

import (
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
)

// A new deadline on an overdue item keeps its overdue record in the ledger (issue
// 11, §14(d)): the column 逾期记录 names the working days past the original
// deadline, whatever the new deadline says.
func TestLedgerKeepsOverdueRecord(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		id := w.ItemInProgress("逾期后重新确定时限", 2)
		env.Clock.Advance(10 * 24 * time.Hour)
		sup := env.As(env.Login("sup"))
		it := sup.Do("POST", "/api/v1/items/"+id.String()+"/deadline", map[string]any{"deadline": env.App.Items.Today().AddDays(20).String(),
			"leader_id": w.Leader, "decision_note": "经主管领导同意，重新确定时限"}).Expect(200).Map()
		want := map[string]string{"zh": "曾逾期", "en": "overdue"}
		for lang, prefix := range want {
			r := sup.Do("GET", "/api/v1/items/export.xlsx?was_overdue=true", nil, "Accept-Language", lang)
			f := open(t, r.Expect(200).Body)
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			col := -1
			for i, h := range rows[0] {
				if h == "逾期记录" || h == "Overdue record" {
					col = i
				}
			}
			days := int(it["overdue_workdays"].(float64))
			if len(rows) != 2 || col < 0 || len(rows[1]) <= col || rows[1][col] == "" || rows[1][col][:len(prefix)] != prefix || days < 4 {
				t.Fatalf("%s ledger: header %v rows %v (%d working days)", lang, rows[0], rows[1:], days)
			}
		}
	})
}
