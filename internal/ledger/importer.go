package ledger

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Limits of an import. A meeting's minutes have tens of decisions; a file past these
// is refused before anything is read into items.
const (
	// MaxFileBytes is the largest upload.
	MaxFileBytes = 5 << 20
	// MaxRows is the most items one import creates.
	MaxRows = 500
	// MaxUnzippedBytes bounds the workbook's unpacked size (zip bombs).
	MaxUnzippedBytes = 50 << 20
	// MaxRatio bounds an entry's compression ratio (zip bombs).
	MaxRatio = 200
	// MaxEntries bounds the files inside the workbook.
	MaxEntries = 500
	// MaxCellRunes bounds one cell (the longest field, content, takes 20,000).
	MaxCellRunes = 20000
)

// Problem codes of the import. Never rename one.
const (
	CodeNotXLSX       = "import_not_xlsx"
	CodeWrongTemplate = "import_wrong_template"
	CodeTooManyRows   = "import_too_many_rows"
	CodeTooLarge      = "import_too_large"
	CodeInvalidRows   = "import_invalid_rows"
	CodeEmpty         = "import_empty"
)

// importColumns are the template's columns, in order; required ones are marked.
var importColumns = []struct {
	field    string
	label    label
	required bool
	width    float64
}{
	{"title", label{"事项名称", "Title"}, true, 30},
	{"content", label{"事项内容", "Content"}, true, 40},
	{"requirements", label{"工作目标及要求", "Goals and requirements"}, false, 30},
	{"category", label{"类别", "Category"}, true, 10},
	{"source", label{"来源", "Source"}, true, 12},
	{"source_ref", label{"来源依据/文号", "Source reference"}, false, 24},
	{"lead_unit_id", label{"牵头单位", "Lead unit"}, true, 16},
	{"cooperating_unit_ids", label{"配合单位", "Cooperating units"}, false, 24},
	{"supervising_leader_id", label{"主管领导", "Supervising leader"}, false, 12},
	{"assisting_leader_ids", label{"协管领导", "Assisting leaders"}, false, 16},
	{"deadline", label{"完成时限", "Deadline"}, true, 12},
	{"method", label{"督办方式", "Method"}, false, 10},
	{"urgency", label{"紧急程度", "Urgency"}, false, 10},
	{"feedback_cadence", label{"反馈周期", "Feedback cadence"}, false, 10},
}

func columnLetter(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}

// RowError is one problem of one row: the row number as the spreadsheet shows it,
// the column (letter and head) and what is wrong.
type RowError struct {
	Row     int    `json:"row" example:"3"`
	Column  string `json:"column" example:"K"`
	Header  string `json:"header" example:"完成时限"`
	Field   string `json:"field" example:"deadline"`
	Rule    string `json:"rule" example:"date"`
	Message string `json:"message" example:"must be a date"`
} // @name ImportRowError

// RowResult is one row that would be (or was) created.
type RowResult struct {
	Row      int        `json:"row" example:"2"`
	Title    string     `json:"title"`
	LeadUnit string     `json:"lead_unit"`
	Deadline civil.Date `json:"deadline" swaggertype:"string" format:"date"`
	// State is the state the item is (or would be) in: draft, or pending_approval /
	// approved when submitted at once.
	State string     `json:"state" example:"draft"`
	ID    *uuid.UUID `json:"id,omitempty" swaggertype:"string" format:"uuid"`
} // @name ImportRow

// Result is the answer of an import.
type Result struct {
	DryRun  bool        `json:"dry_run"`
	Created int         `json:"created"`
	Rows    []RowResult `json:"rows"`
	Errors  []RowError  `json:"errors"`
} // @name ImportResult

// checkZip refuses what is not a workbook, and workbooks that unpack to far more
// than they weigh (zip bombs), from the zip's directory alone.
func checkZip(data []byte) error {
	if len(data) < 4 || !bytes.Equal(data[:4], []byte("PK\x03\x04")) {
		return problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the file is not an Excel workbook (.xlsx); save it as .xlsx and send it again")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the file is not a readable .xlsx workbook")
	}
	if len(zr.File) > MaxEntries {
		return problem.New(problem.KindTooLarge, CodeTooLarge, "the workbook holds too many parts")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzippedBytes || total > MaxUnzippedBytes ||
			(f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxRatio) ||
			(f.CompressedSize64 == 0 && f.UncompressedSize64 > 1<<20) {
			return problem.New(problem.KindTooLarge, CodeTooLarge,
				"the workbook unpacks to far more than it weighs (at most "+strconv.Itoa(MaxUnzippedBytes>>20)+" MB); it is refused")
		}
		if f.Name == "xl/workbook.xml" {
			workbook = true
		}
	}
	if !workbook {
		return problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the file is a zip archive but not an Excel workbook (.xlsx)")
	}
	return nil
}

// sheetRow is one data row of the sheet, cells as text.
type sheetRow struct {
	n     int
	cells []string
	// cols maps a field to its column (from the header row).
	cols map[string]int
}

// readSheet opens the workbook and reads the first sheet's rows under the header,
// refusing a wrong header, formulas, huge cells and too many rows.
func readSheet(data []byte) ([]sheetRow, error) {
	if err := checkZip(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedBytes, UnzipXMLSizeLimit: MaxUnzippedBytes})
	if err != nil {
		return nil, problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the workbook cannot be read: "+err.Error())
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, problem.New(problem.KindInvalid, CodeWrongTemplate, "the workbook has no sheet")
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the sheet cannot be read")
	}
	defer func() { _ = rows.Close() }()
	var (
		out   []sheetRow
		cols  map[string]int
		heads []string
	)
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the sheet cannot be read")
		}
		if n == 1 {
			heads = cells
			if cols = headerColumns(cells); cols == nil {
				return nil, problem.New(problem.KindInvalid, CodeWrongTemplate,
					"the first row is neither the template's header ("+strings.Join(templateHeads(Zh), ", ")+") nor the ledger's; download GET /items/import-template.xlsx and fill it in").
					With("expected", templateHeads(Zh))
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if len(out) >= MaxRows {
			return nil, problem.New(problem.KindTooLarge, CodeTooManyRows,
				"an import creates at most "+strconv.Itoa(MaxRows)+" items; split the file").With("max_rows", MaxRows)
		}
		for i, c := range cells {
			if utf8.RuneCountInString(c) > MaxCellRunes {
				return nil, rowProblem(fmt.Sprintf("cell %s%d is longer than %d characters", columnLetter(i), n, MaxCellRunes),
					[]RowError{{Row: n, Column: columnLetter(i), Header: cell(heads, i), Field: fieldAt(cols, i), Rule: "max", Message: "too long"}})
			}
			if c == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, n)
			if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
				return nil, rowProblem("cell "+ref+" holds a formula; an import takes values only (paste as values)",
					[]RowError{{Row: n, Column: columnLetter(i), Header: cell(heads, i), Field: fieldAt(cols, i), Rule: "formula", Message: "formulas are not accepted"}})
			}
		}
		out = append(out, sheetRow{n: n, cells: cells, cols: cols})
	}
	if err := rows.Error(); err != nil {
		return nil, problem.New(problem.KindUnsupportedMedia, CodeNotXLSX, "the sheet cannot be read")
	}
	if len(out) == 0 {
		return nil, problem.New(problem.KindInvalid, CodeEmpty, "the sheet has no rows under the header")
	}
	return out, nil
}

// fieldAt is the field read from column i ("" for a column the import skips).
func fieldAt(cols map[string]int, i int) string {
	for f, c := range cols {
		if c == i {
			return f
		}
	}
	return ""
}

func templateHeads(lang Lang) []string {
	out := make([]string, len(importColumns))
	for i, c := range importColumns {
		out[i] = c.label.in(lang)
		if c.required && lang == Zh {
			out[i] += "*"
		} else if c.required {
			out[i] += " *"
		}
	}
	return out
}

// ledgerFields are the ledger's columns that an import reads back (its other
// columns — code, state, dates, counts — describe what happened and are skipped),
// so that an exported ledger re-imports as new items.
var ledgerFields = map[string]string{"事项名称": "title", "事项内容": "content", "来源": "source", "来源依据/文号": "source_ref",
	"类别": "category", "牵头单位": "lead_unit_id", "配合单位": "cooperating_unit_ids", "主管领导": "supervising_leader_id",
	"协管领导": "assisting_leader_ids", "完成时限": "deadline"}

// headerColumns reads the header row: the template's (either language, with or
// without the required marks) or the ledger's (either language). It answers the
// column of each field, or nil when a head is unknown or a required one missing.
func headerColumns(cells []string) map[string]int {
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	known := map[string]string{}
	for _, c := range importColumns {
		known[c.label.zh] = c.field
		known[strings.ToLower(c.label.en)] = c.field
	}
	for _, c := range ledgerColumns {
		field := ledgerFields[c.label.zh]
		if _, ok := known[c.label.zh]; !ok {
			known[c.label.zh] = field
		}
		if _, ok := known[strings.ToLower(c.label.en)]; !ok {
			known[strings.ToLower(c.label.en)] = field
		}
	}
	cols := map[string]int{}
	for i, h := range cells {
		h = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "*"))
		field, ok := known[h]
		if !ok {
			field, ok = known[strings.ToLower(h)]
		}
		if !ok {
			return nil
		}
		if field != "" {
			if _, dup := cols[field]; dup {
				return nil
			}
			cols[field] = i
		}
	}
	for _, c := range importColumns {
		if _, ok := cols[c.field]; c.required && !ok {
			return nil
		}
	}
	return cols
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

var listSep = regexp.MustCompile(`[、,，;；\n]+`)

func splitList(s string) []string {
	var out []string
	for _, p := range listSep.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// excelDate reads a date cell: an Excel serial number (a date-formatted cell read
// raw) or text as 2026-12-31, 2026/12/31 or 2026年12月31日.
func excelDate(s string) (civil.Date, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(math.Floor(f)) * 24 * time.Hour)
		return civil.Of(t), true
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) != 3 {
		return civil.Date{}, false
	}
	y, e1 := strconv.Atoi(parts[0])
	m, e2 := strconv.Atoi(parts[1])
	d, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil {
		return civil.Date{}, false
	}
	out, err := civil.Parse(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
	return out, err == nil
}

// directory resolves unit and leader names of the importer's scope.
type directory struct {
	units   map[string][]uuid.UUID
	leaders map[string][]uuid.UUID
}

func (s *Service) directory(ctx context.Context, p *access.Principal) (*directory, error) {
	d := &directory{units: map[string][]uuid.UUID{}, leaders: map[string][]uuid.UUID{}}
	var us []struct {
		ID        uuid.UUID
		Name      string
		ShortName string
		ScopeID   uuid.UUID
		ParentID  *uuid.UUID
	}
	conn := s.db.Conn(ctx)
	// the scope's units and the enterprises directly under it (items may name them)
	if err := conn.Table("org_units").Select("id, name, short_name, scope_id, parent_id").
		Where("scope_id = ? OR (kind = 'enterprise' AND id = scope_id)", p.ScopeID).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("import units: %w", err)
	}
	for _, u := range us {
		for _, k := range []string{u.Name, u.ShortName} {
			if k != "" && !slices.Contains(d.units[k], u.ID) {
				d.units[k] = append(d.units[k], u.ID)
			}
		}
	}
	var ls []struct {
		ID          uuid.UUID
		Username    string
		DisplayName string
	}
	if err := conn.Table("users").Select("users.id, users.username, users.display_name").
		Joins("JOIN user_roles ON user_roles.user_id = users.id AND user_roles.role = 'leader'").
		Joins("JOIN org_units ON org_units.id = users.org_unit_id").
		Where("org_units.scope_id = ? AND users.active = ?", p.ScopeID, true).Find(&ls).Error; err != nil {
		return nil, fmt.Errorf("import leaders: %w", err)
	}
	for _, l := range ls {
		for _, k := range []string{l.Username, l.DisplayName} {
			if k != "" && !slices.Contains(d.leaders[k], l.ID) {
				d.leaders[k] = append(d.leaders[k], l.ID)
			}
		}
	}
	return d, nil
}

// Import reads the workbook and creates its rows as items of p, in one
// transaction: all rows or none. With dryRun nothing is kept, and the answer lists
// the rows it would create and every error. Without it, any error answers 422 with
// every error by row and column.
func (s *Service) Import(ctx context.Context, p *access.Principal, data []byte, dryRun bool) (*Result, error) {
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	if !p.CanWrite() || !p.HasAny(access.RoleSupervisor, access.RoleLeader, access.RoleMember) {
		return nil, problem.Forbidden("you may not create supervision items")
	}
	rows, err := readSheet(data)
	if err != nil {
		return nil, err
	}
	dir, err := s.directory(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &Result{DryRun: dryRun, Rows: []RowResult{}, Errors: []RowError{}}
	errRollback := errors.New("roll back")
	// Attempt, not InTx: under an Idempotency-Key the request already runs in the
	// idempotency store's transaction, and the dry run's rollback must still happen.
	err = s.db.Attempt(ctx, func(ctx context.Context) error {
		for _, r := range rows {
			in, errs := s.input(r, dir)
			if len(errs) > 0 {
				res.Errors = append(res.Errors, errs...)
				continue
			}
			v, err := s.items.Create(ctx, p, in)
			if err == nil && (p.Has(access.RoleSupervisor) || in.Source.SkipsApproval()) {
				v, err = s.items.Act(ctx, p, v.ID, items.ActSubmit, "", nil)
			}
			if err != nil {
				pb := problem.From(err)
				if problem.IsInternal(err) || len(pb.Errors) == 0 && !problem.IsInvalid(err) && !problem.IsConflict(err) {
					return err
				}
				res.Errors = append(res.Errors, rowErrors(r, pb)...)
				continue
			}
			id := v.ID
			rr := RowResult{Row: r.n, Title: v.Title, Deadline: v.Deadline, State: string(v.State), LeadUnit: cell(r.cells, r.cols["lead_unit_id"])}
			if !dryRun {
				rr.ID = &id
			}
			res.Rows = append(res.Rows, rr)
		}
		if dryRun || len(res.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	if len(res.Errors) > 0 && !dryRun {
		return nil, rowProblem(fmt.Sprintf("%d problem(s) in the file; nothing was imported", len(res.Errors)), res.Errors)
	}
	if !dryRun {
		res.Created = len(res.Rows)
	}
	return res, nil
}

// rowProblem is a 422 listing the errors by row and column: in row_errors, and as
// the usual errors with field "row N column (head)".
func rowProblem(detail string, errs []RowError) *problem.Problem {
	pb := problem.New(problem.KindInvalid, CodeInvalidRows, detail)
	for _, e := range errs {
		field := fmt.Sprintf("row %d", e.Row)
		if e.Column != "" {
			field += fmt.Sprintf(" column %s (%s)", e.Column, e.Header)
		}
		pb.Errors = append(pb.Errors, problem.FieldError{Field: field, Rule: e.Rule, Message: e.Message})
	}
	return pb.With("row_errors", errs)
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}

// input turns a row into a new item, or the row's errors.
func (s *Service) input(r sheetRow, dir *directory) (items.ItemInput, []RowError) {
	var errs []RowError
	head := map[string]string{}
	for _, c := range importColumns {
		head[c.field] = c.label.zh
	}
	bad := func(field, rule, msg string) {
		e := RowError{Row: r.n, Header: head[field], Field: field, Rule: rule, Message: msg}
		if i, ok := r.cols[field]; ok {
			e.Column = columnLetter(i)
		}
		errs = append(errs, e)
	}
	val := func(field string) string {
		if i, ok := r.cols[field]; ok {
			return cell(r.cells, i)
		}
		return ""
	}
	for _, c := range importColumns {
		if c.required && val(c.field) == "" {
			bad(c.field, "required", "is required")
		}
	}
	in := items.ItemInput{Title: val("title"), Content: val("content"), Requirements: val("requirements"), SourceRef: val("source_ref")}
	enum := func(field, kind string, dst *string) {
		if v := val(field); v != "" {
			code, ok := enumValue(kind, v)
			if !ok {
				bad(field, "oneof", "unknown value "+strconv.Quote(v))
			}
			*dst = code
		}
	}
	var category, source string
	enum("category", "category", &category)
	enum("source", "source", &source)
	enum("method", "method", &in.Method)
	enum("urgency", "urgency", &in.Urgency)
	enum("feedback_cadence", "cadence", &in.FeedbackCadence)
	in.Category, in.Source = items.Category(category), items.Source(source)
	unit := func(field, name string) *uuid.UUID {
		ids := dir.units[name]
		switch len(ids) {
		case 1:
			return &ids[0]
		case 0:
			bad(field, "exists", "no unit named "+strconv.Quote(name)+" in your scope")
		default:
			bad(field, "unique", "several units are named "+strconv.Quote(name)+"; use the short name")
		}
		return nil
	}
	leader := func(field, name string) *uuid.UUID {
		ids := dir.leaders[name]
		switch len(ids) {
		case 1:
			return &ids[0]
		case 0:
			bad(field, "exists", "no leader named "+strconv.Quote(name)+" in your scope")
		default:
			bad(field, "unique", "several leaders are named "+strconv.Quote(name)+"; use the user name")
		}
		return nil
	}
	if v := val("lead_unit_id"); v != "" {
		in.LeadUnitID = unit("lead_unit_id", v)
	}
	for _, n := range splitList(val("cooperating_unit_ids")) {
		if id := unit("cooperating_unit_ids", n); id != nil {
			in.CooperatingUnitIDs = append(in.CooperatingUnitIDs, *id)
		}
	}
	if v := val("supervising_leader_id"); v != "" {
		in.SupervisingLeaderID = leader("supervising_leader_id", v)
	}
	for _, n := range splitList(val("assisting_leader_ids")) {
		if id := leader("assisting_leader_ids", n); id != nil {
			in.AssistingLeaderIDs = append(in.AssistingLeaderIDs, *id)
		}
	}
	if v := val("deadline"); v != "" {
		d, ok := excelDate(v)
		if !ok {
			bad("deadline", "date", "must be a date such as 2026-12-31")
		}
		in.Deadline = d
	}
	return in, errs
}

// rowErrors maps the items service's field errors onto the row's columns.
func rowErrors(r sheetRow, pb *problem.Problem) []RowError {
	var out []RowError
	for _, fe := range pb.Errors {
		re := RowError{Row: r.n, Field: fe.Field, Rule: fe.Rule, Message: fe.Message}
		if i, ok := r.cols[fe.Field]; ok {
			re.Column = columnLetter(i)
		}
		for _, c := range importColumns {
			if c.field == fe.Field {
				re.Header = c.label.zh
			}
		}
		out = append(out, re)
	}
	if len(out) == 0 {
		out = append(out, RowError{Row: r.n, Rule: pb.Code, Message: pb.Detail})
	}
	return out
}

// Template is the import template: the header row (Chinese or English), widths, a
// frozen header, lists of allowed values and a sheet of instructions.
func Template(lang Lang) (*excelize.File, error) {
	f := excelize.NewFile()
	fail := func(err error) (*excelize.File, error) { _ = f.Close(); return nil, err }
	sheet := "督办事项"
	if lang == En {
		sheet = "Items"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fail(err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FDECEA"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return fail(err)
	}
	for i, h := range templateHeads(lang) {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, ref, h); err != nil {
			return fail(err)
		}
		col := columnLetter(i)
		if err := f.SetColWidth(sheet, col, col, importColumns[i].width); err != nil {
			return fail(err)
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(importColumns), 1)
	if err := f.SetCellStyle(sheet, "A1", last, head); err != nil {
		return fail(err)
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	lists := map[int]string{3: "category", 4: "source", 11: "method", 12: "urgency", 13: "cadence"}
	for i, kind := range lists {
		var names []string
		for _, code := range enumOrder[kind] {
			names = append(names, enums[kind][code].in(lang))
		}
		dv := excelize.NewDataValidation(true)
		col := columnLetter(i)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, MaxRows+1)
		if err := dv.SetDropList(names); err != nil {
			return fail(err)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return fail(err)
		}
	}
	help := "填写说明"
	if lang == En {
		help = "Instructions"
	}
	if _, err := f.NewSheet(help); err != nil {
		return fail(err)
	}
	lines := instructions[lang]
	for i, l := range lines {
		if err := f.SetCellValue(help, fmt.Sprintf("A%d", i+1), l); err != nil {
			return fail(err)
		}
	}
	_ = f.SetColWidth(help, "A", "A", 110)
	return f, nil
}

var enumOrder = map[string][]string{
	"category": {"important_matter", "document"},
	"source":   {"board", "party_group", "leader_activity", "group_meeting", "special_meeting", "other", "leader_instruction", "superior_instruction", "subsidiary_request", "emergency"},
	"method":   {"special", "tracking", "on_site", "joint"},
	"urgency":  {"normal", "urgent", "very_urgent"},
	"cadence":  {"none", "weekly", "biweekly", "monthly", "quarterly", "milestones"},
}

var instructions = map[Lang][]string{
	Zh: {
		"督办事项导入模板（一行一项，如会议纪要的一项决定）",
		"1. 第一行为表头，请勿修改；带 * 的列必填。最多 " + strconv.Itoa(MaxRows) + " 行。",
		"2. 类别、来源、督办方式、紧急程度、反馈周期请从下拉列表选择。",
		"3. 牵头单位、配合单位填写本范围内的单位全称或简称；多个配合单位、协管领导用顿号（、）分隔。",
		"4. 主管领导、协管领导填写姓名或用户名；完成时限填写日期，如 2026-12-31，不得早于今天。",
		"5. 只接受数值，不接受公式；先用“仅导入检查”核对，全部无误后再正式导入（全部成功或全部不导入）。",
		"6. 督办处导入的事项及董事会、党组、领导公务活动、集团会议来源的事项直接提交；其余为草稿。",
	},
	En: {
		"Supervision item import template (one row per item, e.g. one decision of a meeting's minutes)",
		"1. Keep the first row (the header) as it is; columns marked * are required. At most " + strconv.Itoa(MaxRows) + " rows.",
		"2. Pick category, source, method, urgency and feedback cadence from the drop-down lists.",
		"3. Lead and cooperating units: the full or short name of a unit of your scope; separate several with commas.",
		"4. Leaders: name or user name. Deadline: a date such as 2026-12-31, not in the past.",
		"5. Values only, no formulas. Check with a dry run first; an import creates every row or none.",
		"6. Items imported by the supervision office, and those of the board, party group, leader activity and group meeting sources, are submitted at once; the others stay drafts.",
	},
}
