package ledger_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/stats/statstest"
)

func total(env *apitest.Env, query string) int {
	env.T.Helper()
	var out struct {
		Total int `json:"total"`
	}
	env.Do("GET", "/api/v1/items?page_size=1&"+query, nil).Expect(200).JSON(&out)
	return out.Total
}

func open(t *testing.T, body []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestExport(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		h := statstest.Build(env)
		sup := env.As(env.Login("sup"))
		r := sup.Do("GET", "/api/v1/items/export.xlsx", nil).Expect(200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/vnd.openxmlformats") {
			t.Fatalf("content type %s", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
			t.Errorf("disposition %s", cd)
		}
		f := open(t, r.Body)
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "督办编号" || rows[0][1] != "事项名称" || rows[0][2] != "事项内容" || len(rows[0]) != 23 || rows[0][5] != "文号" {
			t.Errorf("header %v", rows[0])
		}
		if len(rows)-1 != total(sup, "") {
			t.Errorf("%d rows, the list has %d", len(rows)-1, total(sup, ""))
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("header row not frozen: %+v %v", panes, err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:W") {
			t.Errorf("no auto-filter table: %+v %v", tables, err)
		}
		if w, _ := f.GetColWidth(sheet, "B"); w < 30 {
			t.Errorf("title column width %v", w)
		}
		// the overdue item: its row carries the urges and the red light
		found := false
		for _, row := range rows[1:] {
			if row[1] == "统计测试事项 overdue" {
				found = true
				if row[17] != "红灯" || row[20] != "2" || row[7] != "安全生产部" || row[8] != "财务部" {
					t.Errorf("overdue row %v", row)
				}
			}
		}
		if !found {
			t.Error("the overdue item is not in the ledger")
		}
		// filters of GET /items apply
		r = sup.Do("GET", "/api/v1/items/export.xlsx?state=closed,archived", nil).Expect(200)
		rows, _ = open(t, r.Body).GetRows("台账")
		if len(rows)-1 != total(sup, "state=closed,archived") || len(rows) < 3 {
			t.Errorf("filtered: %d rows", len(rows)-1)
		}
		// English
		r = sup.Do("GET", "/api/v1/items/export.xlsx?unit_id="+h.W.DeptC.String(), nil, "Accept-Language", "en-US,en;q=0.9")
		ef := open(t, r.Expect(200).Body)
		rows, _ = ef.GetRows("Ledger")
		if rows[0][0] != "Code" || rows[0][22] != "Closed" || len(rows)-1 != total(sup, "unit_id="+h.W.DeptC.String()) {
			t.Errorf("English header %v, %d rows", rows[0], len(rows)-1)
		}
		// a member exports what they see
		memberc := env.As(env.Login("memberc"))
		rows, _ = open(t, memberc.Do("GET", "/api/v1/items/export.xlsx", nil).Expect(200).Body).GetRows("台账")
		if len(rows)-1 != total(memberc, "") {
			t.Errorf("member: %d rows, list %d", len(rows)-1, total(memberc, ""))
		}
		// CSV
		r = sup.Do("GET", "/api/v1/items/export.csv?state=in_progress", nil).Expect(200)
		body := string(r.Body)
		if !strings.HasPrefix(body, "\ufeff督办编号,事项名称,事项内容,") || strings.Count(body, "\n")-1 != total(sup, "state=in_progress") {
			t.Errorf("csv: %q", body[:min(200, len(body))])
		}
		// a selection of the list (ids=, issue 11): exactly those rows, with the other filters
		var page struct {
			Data []struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		sup.Do("GET", "/api/v1/items?page_size=3", nil).Expect(200).JSON(&page)
		ids := []string{page.Data[0].ID, page.Data[1].ID}
		rows, _ = open(t, sup.Do("GET", "/api/v1/items/export.xlsx?ids="+strings.Join(ids, ","), nil).Expect(200).Body).GetRows("台账")
		if len(rows) != 3 {
			t.Errorf("export of 2 selected items: %d rows", len(rows)-1)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(sup.Do("GET", "/api/v1/items/export.csv?ids="+ids[0], nil).Expect(200).Body), "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Errorf("csv of one selected item: %d records, %v", len(recs), err)
		}
		sup.Do("GET", "/api/v1/items/export.xlsx?ids=nope", nil).Problem(422, "validation_failed")
		// the ledger re-imports: its open items with a deadline ahead become new items
		open := "state=in_progress&deadline_from=" + env.App.Items.Today().String()
		r = sup.Do("GET", "/api/v1/items/export.xlsx?"+open, nil).Expect(200)
		var again result
		upload(sup, "?dry_run=true", r.Body).Expect(200).JSON(&again)
		if len(again.Errors) != 0 || len(again.Rows) != total(sup, open) || len(again.Rows) == 0 {
			t.Errorf("re-import of the ledger: %+v", again)
		}
		sup.Do("GET", "/api/v1/items/export.xlsx?light=purple", nil).Problem(422, "validation_failed")
		env.As("").Do("GET", "/api/v1/items/export.csv", nil).Problem(401, "unauthorized")
	})
}

// workbook builds an import file from rows under the template's header.
func workbook(t *testing.T, env *apitest.Env, rows [][]any) []byte {
	t.Helper()
	r := env.Do("GET", "/api/v1/items/import-template.xlsx", nil).Expect(200)
	f := open(t, r.Body)
	sheet := f.GetSheetList()[0]
	for i, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, ref, &row); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func upload(env *apitest.Env, query string, data []byte, headers ...string) *apitest.Response {
	env.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	// a retry sends the same bytes: a fixed boundary makes them so
	_ = mw.SetBoundary("duban-test-boundary")
	fw, _ := mw.CreateFormFile("file", "会议纪要.xlsx")
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/items/import"+query, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+env.Token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return env.Send(req)
}

func itemCount(t *testing.T, env *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table("items").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

type result struct {
	DryRun  bool `json:"dry_run"`
	Created int  `json:"created"`
	Rows    []struct {
		Row   int     `json:"row"`
		Title string  `json:"title"`
		State string  `json:"state"`
		ID    *string `json:"id"`
	} `json:"rows"`
	Errors []struct {
		Row    int    `json:"row"`
		Column string `json:"column"`
		Field  string `json:"field"`
	} `json:"errors"`
}

func TestImport(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		_ = w
		sup := env.As(env.Login("sup"))
		deadline := env.App.Items.Today().AddDays(30).String()
		good := [][]any{
			{"落实会议决定一", "按会议纪要第一条落实", "月底前完成", "重要事项", "集团会议", "总经理办公会纪要〔2026〕12号", "安全生产部", "财务部、人力资源部", "leader", "", deadline, "跟踪督办", "紧急", "每月"},
			{"落实会议决定二", "按会议纪要第二条落实", "", "重要事项", "专题会议", "", "财务部", "", "leader", "leader2", deadline, "", "", ""},
			{"落实会议决定三", "按会议纪要第三条落实", "", "important_matter", "board", "", "安全生产部", "", "leader", "", deadline, "", "", ""},
		}
		data := workbook(t, sup, good)
		before := itemCount(t, env)
		var dry result
		upload(sup, "?dry_run=true", data).Expect(200).JSON(&dry)
		if !dry.DryRun || len(dry.Rows) != 3 || len(dry.Errors) != 0 || dry.Rows[0].ID != nil || dry.Rows[0].Row != 2 {
			t.Fatalf("dry run: %+v", dry)
		}
		if itemCount(t, env) != before {
			t.Fatal("a dry run wrote items")
		}
		// under an Idempotency-Key (as the SPA sends it) the request runs in the
		// idempotency store's transaction: the dry run must still keep nothing
		upload(sup, "?dry_run=true", data, "Idempotency-Key", "check-1").Expect(200).JSON(&dry)
		if itemCount(t, env) != before {
			t.Fatal("a dry run with an Idempotency-Key wrote items")
		}
		var done result
		upload(sup, "", data, "Idempotency-Key", "import-1").Expect(201).JSON(&done)
		if done.Created != 3 || done.Rows[0].ID == nil {
			t.Fatalf("import: %+v", done)
		}
		// the supervision office's imports are submitted at once: group meeting and
		// board skip approval, a special meeting waits for the leader
		states := []string{done.Rows[0].State, done.Rows[1].State, done.Rows[2].State}
		if states[0] != "approved" || states[1] != "pending_approval" || states[2] != "approved" {
			t.Errorf("states %v", states)
		}
		var it struct {
			Title              string   `json:"title"`
			SourceRef          string   `json:"source_ref"`
			CooperatingUnitIDs []string `json:"cooperating_unit_ids"`
			Urgency            string   `json:"urgency"`
			FeedbackCadence    string   `json:"feedback_cadence"`
			Deadline           string   `json:"deadline"`
		}
		sup.Do("GET", "/api/v1/items/"+*done.Rows[0].ID, nil).Expect(200).JSON(&it)
		if it.SourceRef != "总经理办公会纪要〔2026〕12号" || len(it.CooperatingUnitIDs) != 2 || it.Urgency != "urgent" || it.FeedbackCadence != "monthly" || it.Deadline != deadline {
			t.Errorf("imported item %+v", it)
		}
		// the same key again: the first answer, no new items
		var again result
		upload(sup, "", data, "Idempotency-Key", "import-1").Expect(201).JSON(&again)
		if itemCount(t, env) != before+3 || *again.Rows[0].ID != *done.Rows[0].ID {
			t.Errorf("a repeated import created items again")
		}
		// a member's import stays draft (special meeting); a board matter is declared
		// only by the board or supervision office, so a member's board row is refused
		headb := env.As(env.Login("headb"))
		var mine result
		upload(headb, "", workbook(t, headb, good[1:2])).Expect(201).JSON(&mine)
		if mine.Rows[0].State != "draft" {
			t.Errorf("member import states %+v", mine.Rows)
		}
		var refused struct {
			RowErrors []struct {
				Row  int    `json:"row"`
				Rule string `json:"rule"`
			} `json:"row_errors"`
		}
		upload(headb, "", workbook(t, headb, good[2:])).Expect(422).JSON(&refused)
		if len(refused.RowErrors) != 1 || refused.RowErrors[0].Rule != "declarer" {
			t.Errorf("a member's board row: %+v", refused)
		}

		// errors by row and column; nothing written
		bad := [][]any{
			good[0],
			{"", "内容", "", "重要事项", "集团会议", "", "不存在的部门", "", "", "", "2026-02-30", "", "很急", ""},
			{"过去的时限", "内容", "", "重要事项", "其他", "", "财务部", "", "", "", "2020-01-01", "", "", ""},
		}
		before = itemCount(t, env)
		var dry2 result
		upload(sup, "?dry_run=true", workbook(t, sup, bad)).Expect(200).JSON(&dry2)
		got := map[string]bool{}
		for _, e := range dry2.Errors {
			got[fmt.Sprintf("%d%s", e.Row, e.Column)] = true
		}
		for _, want := range []string{"3A", "3G", "3K", "3M", "4K"} {
			if !got[want] {
				t.Errorf("no error at %s: %+v", want, dry2.Errors)
			}
		}
		if len(dry2.Rows) != 1 {
			t.Errorf("the good row is listed: %+v", dry2.Rows)
		}
		pb := upload(sup, "", workbook(t, sup, bad)).Problem(422, "import_invalid_rows")
		if rows, _ := pb["row_errors"].([]any); len(rows) != len(dry2.Errors) {
			t.Errorf("row_errors %v", pb["row_errors"])
		}
		if itemCount(t, env) != before {
			t.Error("a failed import wrote items")
		}
		// not allowed
		env.As(env.Login("auditor")).Do("POST", "/api/v1/items/import", nil).Problem(403, "forbidden")
	})
}

func TestImportRefusesBadFiles(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		apitest.NewWorld(env)
		sup := env.As(env.Login("sup"))
		deadline := env.App.Items.Today().AddDays(30).String()
		row := []any{"事项", "内容", "", "重要事项", "集团会议", "", "安全生产部", "", "", "", deadline, "", "", ""}
		before := itemCount(t, env)

		upload(sup, "", []byte("title,content\n一,二\n")).Problem(415, "import_not_xlsx")
		var z bytes.Buffer
		zw := zip.NewWriter(&z)
		fw, _ := zw.Create("readme.txt")
		_, _ = fw.Write([]byte("not a workbook"))
		_ = zw.Close()
		upload(sup, "", z.Bytes()).Problem(415, "import_not_xlsx")

		// a zip bomb: 200 MB of zeros in a few hundred kilobytes
		var bomb bytes.Buffer
		bw := zip.NewWriter(&bomb)
		_, _ = bw.Create("xl/workbook.xml")
		big, _ := bw.Create("xl/worksheets/sheet1.xml")
		zeros := make([]byte, 1<<20)
		for range 200 {
			_, _ = big.Write(zeros)
		}
		_ = bw.Close()
		upload(sup, "", bomb.Bytes()).Problem(413, "import_too_large")

		// a wrong template
		f := excelize.NewFile()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"标题", "内容", "期限"})
		_ = f.SetSheetRow("Sheet1", "A2", &[]any{"一", "二", deadline})
		buf, _ := f.WriteToBuffer()
		upload(sup, "", buf.Bytes()).Problem(422, "import_wrong_template")

		// 10,000 rows
		rows := make([][]any, 10000)
		for i := range rows {
			rows[i] = row
		}
		upload(sup, "", workbook(t, sup, rows)).Problem(413, "import_too_many_rows")

		// a formula
		tf := open(t, sup.Do("GET", "/api/v1/items/import-template.xlsx", nil).Expect(200).Body)
		sheet := tf.GetSheetList()[0]
		_ = tf.SetSheetRow(sheet, "A2", &row)
		_ = tf.SetCellFormula(sheet, "B2", `CONCATENATE("a","b")`)
		fb, _ := tf.WriteToBuffer()
		pb := upload(sup, "", fb.Bytes()).Problem(422, "import_invalid_rows")
		if !strings.Contains(fmt.Sprint(pb["row_errors"]), "formula") {
			t.Errorf("formula: %v", pb)
		}
		// in Chinese for a Chinese caller, row_errors as well as errors
		pb = upload(sup, "", fb.Bytes(), "Accept-Language", "zh-CN").Problem(422, "import_invalid_rows")
		if !strings.Contains(fmt.Sprint(pb["row_errors"]), "公式") || !strings.Contains(fmt.Sprint(pb["errors"]), "公式") {
			t.Errorf("formula in Chinese: %v", pb)
		}
		// a huge cell
		huge := append([]any{}, row...)
		huge[1] = strings.Repeat("长", 30000)
		upload(sup, "", workbook(t, sup, [][]any{huge})).Problem(422, "import_invalid_rows")
		// an empty sheet
		upload(sup, "", workbook(t, sup, nil)).Problem(422, "import_empty")
		// over 5 MB
		upload(sup, "", append([]byte("PK\x03\x04"), make([]byte, 6<<20)...)).Problem(413, "payload_too_large")
		// no file, a JSON body
		sup.Do("POST", "/api/v1/items/import", map[string]any{"file": "x"}).Problem(415, "unsupported_media_type")
		if itemCount(t, env) != before {
			t.Error("a refused file wrote items")
		}
	})
}
