package orgsync_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/orgsync"
)

// book is a workbook under construction: header rows and data rows per sheet.
type book struct {
	units [][]string
	users [][]string
}

var (
	unitHeader = []string{"单位编码*", "单位名称*", "简称", "类型*", "上级单位编码", "督办处", "排序", "主要负责人工号", "督办联络人工号"}
	userHeader = []string{"工号*", "用户名*", "姓名*", "单位编码*", "角色", "职务", "手机", "邮箱", "状态"}
)

// sampleBook is a small group: HQ departments, an enterprise with a department,
// people in each, heads and liaisons.
func sampleBook() *book {
	return &book{
		units: [][]string{
			{"G", "集团公司", "集团", "集团", "", "否", "0", "E001", ""},
			{"G-OFF", "办公厅督办处", "督办处", "部门", "G", "是", "1", "E002", "E003"},
			{"G-PLAN", "规划发展部", "", "部门", "G", "", "2", "E004", "E005"},
			{"HD", "华东公司", "", "企业", "G", "", "3", "E006", ""},
			{"HD-PROD", "华东公司生产部", "", "部门", "HD", "", "1", "", "E007"},
		},
		users: [][]string{
			{"E001", "li.dong", "李董", "G", "领导", "董事长", "13800000001", "li.dong@example.com", ""},
			{"E002", "du.ban", "杜办", "G-OFF", "督办员,管理员", "处长", "", "du.ban@example.com", "在职"},
			{"E003", "lian.luo", "连络", "G-OFF", "督办员", "", "", "", ""},
			{"E004", "gui.hua", "桂华", "G-PLAN", "", "部长", "", "", ""},
			{"E005", "ping.an", "平安", "G-PLAN", "成员", "", "", "", ""},
			{"E006", "hua.dong", "华东", "HD", "leader", "总经理", "", "", ""},
			{"E007", "sheng.chan", "生产", "HD-PROD", "member", "", "", "", ""},
		},
	}
}

func (b *book) clone() *book {
	c := &book{}
	for _, r := range b.units {
		c.units = append(c.units, append([]string{}, r...))
	}
	for _, r := range b.users {
		c.users = append(c.users, append([]string{}, r...))
	}
	return c
}

func (b *book) bytes(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	write := func(sheet string, header []string, rows [][]string) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		all := append([][]string{header}, rows...)
		for i, r := range all {
			row := make([]any, len(r))
			for j, v := range r {
				row[j] = v
			}
			if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(orgsync.UnitsSheetName, unitHeader, b.units)
	write(orgsync.UsersSheetName, userHeader, b.users)
	_ = f.DeleteSheet("Sheet1")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a workbook to /org/import with the query.
func upload(e *apitest.Env, content []byte, query string) *apitest.Response {
	e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "组织机构.xlsx")
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest("POST", e.URL+"/api/v1/org/import"+query, &body)
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if e.Token != "" {
		req.Header.Set("Authorization", "Bearer "+e.Token)
	}
	return e.Send(req)
}

// report decodes an import answer: the body of a 200, or the problem's report.
type reportBody struct {
	orgsync.Report
	Code   string          `json:"code"`
	Inner  *orgsync.Report `json:"report"`
	Status int             `json:"status"`
}

func decode(t testing.TB, r *apitest.Response) orgsync.Report {
	t.Helper()
	var b reportBody
	r.JSON(&b)
	if b.Inner != nil {
		return *b.Inner
	}
	return b.Report
}

// errorAt finds the error of a sheet, row and column.
func errorAt(rep orgsync.Report, sheet string, row int, column string) *orgsync.RowError {
	for i, e := range rep.Errors {
		if e.Sheet == sheet && e.Row == row && e.Column == column {
			return &rep.Errors[i]
		}
	}
	return nil
}

// adminEnv is an environment with an admin signed in (the bootstrap of a new
// installation: an admin in an unnamed root).
func adminEnv(t *testing.T, env *apitest.Env) (*apitest.Env, string) {
	t.Helper()
	root := env.Unit("集团公司", "group", nil, false)
	admin := env.User("it.admin", root, "admin")
	return env.As(env.OpenSession(admin)), admin.String()
}
