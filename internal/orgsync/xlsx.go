package orgsync

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/org"
)

// The workbook: a sheet of units (单位) and a sheet of people (人员), one row
// each under a header row. Columns are found by their header, so their order is
// free; a column missing altogether leaves that field as it is in Duban, an empty
// cell sets it empty (or to its default).

// Sheet names of the workbook.
const (
	UnitsSheetName = "单位"
	UsersSheetName = "人员"
	helpSheetName  = "说明"
)

// MaxRows bounds one sheet.
const MaxRows = 50000

// column is one column of a sheet.
type column struct {
	field    string
	header   string // the template's header
	required bool
	width    float64
	note     string
}

var unitColumns = []column{
	{"code", "单位编码", true, 14, "唯一，导入时据此识别单位，如 G01"},
	{"name", "单位名称", true, 24, "同一上级下不重名"},
	{"short_name", "简称", false, 12, ""},
	{"kind", "类型", true, 10, "集团 / 企业 / 部门（group / enterprise / department）"},
	{"parent_code", "上级单位编码", false, 14, "集团不填；企业的上级是集团；部门的上级是集团或企业"},
	{"is_supervision_office", "督办处", false, 10, "是 / 否"},
	{"sort_order", "排序", false, 8, "整数，小的在前"},
	{"head", "主要负责人工号", false, 16, "须为本单位或下级单位的在职人员"},
	{"liaisons", "督办联络人工号", false, 20, "多个以逗号分隔"},
}

var userColumns = []column{
	{"employee_no", "工号", true, 12, "唯一，导入时据此识别人员"},
	{"username", "用户名", true, 16, "3–64 位小写字母、数字、点、下划线、连字符"},
	{"display_name", "姓名", true, 12, ""},
	{"unit_code", "单位编码", true, 14, "所属单位的编码"},
	{"roles", "角色", false, 18, "管理员 / 督办员 / 领导 / 成员 / 审计，多个以逗号分隔；空为成员"},
	{"title", "职务", false, 14, ""},
	{"phone", "手机", false, 14, ""},
	{"email", "邮箱", false, 24, ""},
	{"status", "状态", false, 8, "在职 / 离职；空为在职"},
}

// headerAliases are other headers accepted for a field (English names, and the
// template's header with the required mark).
func headerField(cols []column, h string) string {
	h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), "*"))
	for _, c := range cols {
		if h == c.header || strings.EqualFold(h, c.field) {
			return c.field
		}
	}
	return ""
}

var kindWords = map[string]org.Kind{
	"集团": org.KindGroup, "集团公司": org.KindGroup, "group": org.KindGroup,
	"企业": org.KindEnterprise, "enterprise": org.KindEnterprise,
	"部门": org.KindDepartment, "department": org.KindDepartment,
}

var roleWords = map[string]string{
	"管理员": "admin", "系统管理员": "admin", "admin": "admin",
	"督办员": "supervisor", "督办": "supervisor", "supervisor": "supervisor",
	"领导": "leader", "公司领导": "leader", "leader": "leader",
	"成员": "member", "普通用户": "member", "member": "member",
	"审计": "auditor", "审计员": "auditor", "auditor": "auditor",
}

var yesWords = map[string]bool{"是": true, "y": true, "yes": true, "true": true, "1": true, "√": true,
	"否": false, "n": false, "no": false, "false": false, "0": false, "": false}

// splitList splits a cell holding several values.
func splitList(s string) []string {
	f := func(r rune) bool { return strings.ContainsRune(",，、;；/ \n", r) }
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ReadWorkbook reads a workbook into the desired state. Problems of single cells
// are RowErrors (the engine adds its own); a file that is no workbook at all, or
// lacks a sheet, is an error of the whole upload.
func ReadWorkbook(r io.Reader) (*Desired, []RowError, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not an Excel workbook (.xlsx): %w", err)
	}
	defer f.Close()
	d := &Desired{Source: SourceImport, Columns: map[string]map[string]string{}}
	var errs []RowError
	sheets := f.GetSheetList()
	find := func(name, alt string) string {
		for _, s := range sheets {
			if strings.TrimSpace(s) == name || strings.EqualFold(strings.TrimSpace(s), alt) {
				return s
			}
		}
		return ""
	}
	unitSheet, userSheet := find(UnitsSheetName, "units"), find(UsersSheetName, "users")
	if unitSheet == "" && userSheet == "" {
		return nil, nil, fmt.Errorf("the workbook has neither a sheet %q nor a sheet %q; start from the template", UnitsSheetName, UsersSheetName)
	}
	if unitSheet != "" {
		rows, err := f.GetRows(unitSheet)
		if err != nil {
			return nil, nil, fmt.Errorf("read sheet %s: %w", unitSheet, err)
		}
		errs = append(errs, readUnits(d, rows)...)
	}
	if userSheet != "" {
		rows, err := f.GetRows(userSheet)
		if err != nil {
			return nil, nil, fmt.Errorf("read sheet %s: %w", userSheet, err)
		}
		errs = append(errs, readUsers(d, rows)...)
	}
	return d, errs, nil
}

// header maps the fields to column indexes; it reports unknown and missing
// required columns.
func header(d *Desired, sheet string, cols []column, row []string) (map[string]int, []RowError) {
	idx := map[string]int{}
	d.Columns[sheet] = map[string]string{}
	var errs []RowError
	for i, h := range row {
		if strings.TrimSpace(h) == "" {
			continue
		}
		f := headerField(cols, h)
		letter, _ := excelize.ColumnNumberToName(i + 1)
		if f == "" {
			errs = append(errs, RowError{Sheet: sheet, Row: 1, Column: letter, Value: h, Rule: "unknown_column",
				Message: "unknown column; the template's headers are " + headers(cols)})
			continue
		}
		if _, dup := idx[f]; dup {
			errs = append(errs, RowError{Sheet: sheet, Row: 1, Column: letter, Field: f, Value: h, Rule: "unique", Message: "the column appears twice"})
			continue
		}
		idx[f] = i
		d.Columns[sheet][f] = letter
	}
	for _, c := range cols {
		if _, ok := idx[c.field]; c.required && !ok {
			errs = append(errs, RowError{Sheet: sheet, Row: 1, Field: c.field, Rule: "required",
				Message: fmt.Sprintf("the column %s (%s) is missing", c.header, c.field)})
		}
	}
	return idx, errs
}

func headers(cols []column) string {
	var hs []string
	for _, c := range cols {
		hs = append(hs, c.header)
	}
	return strings.Join(hs, ", ")
}

// cells reads one row by field.
type cells struct {
	row []string
	idx map[string]int
}

func (c cells) has(field string) bool { _, ok := c.idx[field]; return ok }

func (c cells) get(field string) string {
	i, ok := c.idx[field]
	if !ok || i >= len(c.row) {
		return ""
	}
	return strings.TrimSpace(c.row[i])
}

func blank(row []string) bool {
	return !slices.ContainsFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" })
}

func readUnits(d *Desired, rows [][]string) []RowError {
	if len(rows) == 0 {
		return []RowError{{Sheet: SheetUnits, Row: 1, Rule: "required", Message: "the sheet has no header row"}}
	}
	idx, errs := header(d, SheetUnits, unitColumns, rows[0])
	if len(rows)-1 > MaxRows {
		return append(errs, RowError{Sheet: SheetUnits, Row: MaxRows + 2, Rule: "max", Message: fmt.Sprintf("at most %d rows", MaxRows)})
	}
	fail := func(row int, field, value, rule, msg string) {
		errs = append(errs, RowError{Sheet: SheetUnits, Row: row, Column: d.Columns[SheetUnits][field], Field: field,
			Value: value, Rule: rule, Message: msg})
	}
	for i, raw := range rows[1:] {
		if blank(raw) {
			continue
		}
		n := i + 2
		c := cells{raw, idx}
		s := UnitSpec{Key: c.get("code"), ParentKey: c.get("parent_code"), Name: c.get("name"), ShortName: c.get("short_name"), Row: n}
		switch {
		case s.Key == "":
			fail(n, "code", "", "required", "is required")
		case utf8.RuneCountInString(s.Key) > 64:
			fail(n, "code", s.Key, "max", "must be at most 64 characters")
			s.Key = ""
		}
		switch l := utf8.RuneCountInString(s.Name); {
		case l == 0:
			fail(n, "name", "", "required", "is required")
		case l > 200:
			fail(n, "name", s.Name, "max", "must be at most 200 characters")
		}
		if utf8.RuneCountInString(s.ShortName) > 100 {
			fail(n, "short_name", s.ShortName, "max", "must be at most 100 characters")
		}
		k := c.get("kind")
		if kind, ok := kindWords[strings.ToLower(k)]; ok {
			s.Kind = kind
		} else if k == "" {
			fail(n, "kind", "", "required", "is required: 集团, 企业 or 部门")
		} else {
			fail(n, "kind", k, "oneof", "must be 集团, 企业 or 部门 (group, enterprise, department)")
		}
		if s.Kind == org.KindGroup && s.ParentKey != "" {
			fail(n, "parent_code", s.ParentKey, "root", "the group is the root and has no parent")
		}
		if s.Kind != org.KindGroup && s.Kind != "" && s.ParentKey == "" {
			fail(n, "parent_code", "", "required", "is required for an enterprise or a department")
		}
		if c.has("is_supervision_office") {
			v := c.get("is_supervision_office")
			yes, ok := yesWords[strings.ToLower(v)]
			if !ok {
				fail(n, "is_supervision_office", v, "bool", "must be 是 or 否")
			}
			s.IsSupervisionOffice = &yes
		}
		if c.has("sort_order") {
			v := c.get("sort_order")
			o := 0
			if v != "" {
				var err error
				if o, err = strconv.Atoi(v); err != nil {
					fail(n, "sort_order", v, "integer", "must be a whole number")
				}
			}
			s.SortOrder = &o
		}
		if c.has("head") {
			h := c.get("head")
			s.HeadKey = &h
		}
		if c.has("liaisons") {
			s.LiaisonKeys = splitList(c.get("liaisons"))
			if s.LiaisonKeys == nil {
				s.LiaisonKeys = []string{}
			}
		}
		d.Units = append(d.Units, s)
	}
	return errs
}

func readUsers(d *Desired, rows [][]string) []RowError {
	if len(rows) == 0 {
		return []RowError{{Sheet: SheetUsers, Row: 1, Rule: "required", Message: "the sheet has no header row"}}
	}
	idx, errs := header(d, SheetUsers, userColumns, rows[0])
	if len(rows)-1 > MaxRows {
		return append(errs, RowError{Sheet: SheetUsers, Row: MaxRows + 2, Rule: "max", Message: fmt.Sprintf("at most %d rows", MaxRows)})
	}
	fail := func(row int, field, value, rule, msg string) {
		errs = append(errs, RowError{Sheet: SheetUsers, Row: row, Column: d.Columns[SheetUsers][field], Field: field,
			Value: value, Rule: rule, Message: msg})
	}
	opt := func(c cells, field string) *string {
		if !c.has(field) {
			return nil
		}
		v := c.get(field)
		return &v
	}
	for i, raw := range rows[1:] {
		if blank(raw) {
			continue
		}
		n := i + 2
		c := cells{raw, idx}
		s := UserSpec{Key: c.get("employee_no"), EmployeeNo: c.get("employee_no"), Username: strings.ToLower(c.get("username")),
			DisplayName: c.get("display_name"), UnitKey: c.get("unit_code"), Email: opt(c, "email"), Phone: opt(c, "phone"),
			Title: opt(c, "title"), Active: true, Row: n}
		if s.Key == "" {
			fail(n, "employee_no", "", "required", "is required")
		}
		if s.UnitKey == "" {
			fail(n, "unit_code", "", "required", "is required")
		}
		s.Roles = []string{}
		for _, w := range splitList(c.get("roles")) {
			r, ok := roleWords[strings.ToLower(w)]
			if !ok {
				fail(n, "roles", w, "oneof", "unknown role; use 管理员, 督办员, 领导, 成员, 审计 (admin, supervisor, leader, member, auditor)")
				continue
			}
			if !slices.Contains(s.Roles, r) {
				s.Roles = append(s.Roles, r)
			}
		}
		if len(s.Roles) == 0 {
			s.Roles = []string{"member"}
		}
		if c.has("status") {
			switch v := strings.ToLower(c.get("status")); v {
			case "", "在职", "active", "正常", "启用":
			case "离职", "inactive", "停用", "disabled":
				s.Active = false
			default:
				fail(n, "status", v, "oneof", "must be 在职 or 离职")
			}
		}
		d.Users = append(d.Users, s)
	}
	return errs
}

// Template is the empty workbook to fill in: the two sheets with their headers
// (required ones marked *), drop-down lists where the values are fixed, and a
// sheet of instructions.
func Template() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", helpSheetName); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"B7202E"}}})
	if err != nil {
		return nil, err
	}
	help := [][]any{
		{"督办系统 · 组织机构与人员导入模板"},
		{""},
		{"1. 在“单位”表中每行填写一个单位，在“人员”表中每行填写一个人；带 * 的列必填。"},
		{"2. 单位以“单位编码”识别、人员以“工号”识别：再次导入同一文件不会产生任何变化，修改后的文件只应用差异。"},
		{"3. 先试导入（预检）：系统逐行逐列列出所有错误；确认无误后正式导入，全部成功或全部不生效。"},
		{"4. 导入的人员没有本地密码：通过统一身份认证登录，或由管理员为其设置初始密码。"},
		{"5. 某列整列不存在时保留系统中的原值；单元格留空表示清空（或取默认值）。"},
		{"6. 人员不会被删除；勾选“停用文件中没有的人员”时，以前由导入创建而本次文件中没有的人员将被停用。"},
		{""},
		{"列", "说明"},
	}
	for _, c := range unitColumns {
		help = append(help, []any{"单位 · " + c.header, c.note})
	}
	for _, c := range userColumns {
		help = append(help, []any{"人员 · " + c.header, c.note})
	}
	for i, row := range help {
		if err := f.SetSheetRow(helpSheetName, fmt.Sprintf("A%d", i+1), &row); err != nil {
			return nil, err
		}
	}
	_ = f.SetColWidth(helpSheetName, "A", "A", 24)
	_ = f.SetColWidth(helpSheetName, "B", "B", 70)
	lists := map[string][]string{
		"kind": {"集团", "企业", "部门"}, "is_supervision_office": {"是", "否"}, "status": {"在职", "离职"},
		"roles": {"成员", "督办员", "领导", "管理员", "审计"},
	}
	for _, sh := range []struct {
		name string
		cols []column
	}{{UnitsSheetName, unitColumns}, {UsersSheetName, userColumns}} {
		if _, err := f.NewSheet(sh.name); err != nil {
			return nil, err
		}
		row := make([]any, len(sh.cols))
		for i, c := range sh.cols {
			h := c.header
			if c.required {
				h += "*"
			}
			row[i] = h
			letter, _ := excelize.ColumnNumberToName(i + 1)
			_ = f.SetColWidth(sh.name, letter, letter, c.width)
			if l, ok := lists[c.field]; ok {
				dv := excelize.NewDataValidation(true)
				dv.Sqref = fmt.Sprintf("%s2:%s%d", letter, letter, MaxRows+1)
				if err := dv.SetDropList(l); err != nil {
					return nil, err
				}
				if c.field == "roles" {
					// several roles are allowed: the list offers, it does not forbid
					dv.ShowErrorMessage = false
				}
				if err := f.AddDataValidation(sh.name, dv); err != nil {
					return nil, err
				}
			}
		}
		if err := f.SetSheetRow(sh.name, "A1", &row); err != nil {
			return nil, err
		}
		last, _ := excelize.ColumnNumberToName(len(sh.cols))
		if err := f.SetCellStyle(sh.name, "A1", last+"1", head); err != nil {
			return nil, err
		}
		if err := f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// columnOf is the column letter of a field in a sheet as read (import only).
func (e *engine) columnOf(sheet, field string) string {
	if e.d.Columns == nil {
		return ""
	}
	return e.d.Columns[sheet][field]
}
