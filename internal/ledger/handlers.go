package ledger

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// ImportPath is the import's path: it takes a file, so the JSON body limit does not
// apply to it (MaxFileBytes does).
const ImportPath = httpserver.APIPrefix + "/items/import"

// XLSXType is the media type of a workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Mount registers the ledger routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/items/export.xlsx", h.exportXLSX)
	r.GET("/items/export.csv", h.exportCSV)
	r.GET("/items/import-template.xlsx", h.template)
	r.POST("/items/import", h.importItems)
}

type handlers struct{ s *Service }

func principal(c echo.Context) (*access.Principal, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	return p, nil
}

func (h handlers) fileName(base, ext string, lang Lang) string {
	if lang == En {
		base = map[string]string{"督办台账": "supervision-ledger", "督办事项导入模板": "item-import-template"}[base]
	}
	return base + "-" + strings.ReplaceAll(clock.Today(h.s.clock, h.s.loc).String(), "-", "") + "." + ext
}

// exportXLSX answers GET /items/export.xlsx.
//
//	@Summary		The ledger (台账) as an Excel workbook
//	@Description	One row per item the caller may see, with every filter of GET /items (paging and sort aside; rows in registration order): code, title, content, source and reference, document number (文号), category, lead and cooperating units, supervising and assisting leaders, issued, deadline, original deadline, the overdue record kept when a new deadline was set (逾期记录), state, progress, light, last feedback and its date, urges, approved extensions, closing date. Chinese headers and values, English with Accept-Language: en. The header row is frozen and carries an auto-filter (an Excel table); columns have widths. Built with a stream writer: memory stays flat whatever the number of rows.
//	@ID				exportItemsXLSX
//	@Tags			ledger
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			Accept-Language	header	string	false	"en for English headers and values"
//	@Param			state			query	[]string	false	"as GET /items"	collectionFormat(csv)	Enums(draft,pending_approval,approved,issued,in_progress,suspended,completion_requested,closed,archived,cancelled)
//	@Param			category		query	string	false	"as GET /items"
//	@Param			source			query	string	false	"as GET /items"
//	@Param			lead_unit_id	query	string	false	"as GET /items"	format(uuid)
//	@Param			unit_id			query	string	false	"as GET /items"	format(uuid)
//	@Param			leader_id		query	string	false	"as GET /items"	format(uuid)
//	@Param			deadline_from	query	string	false	"as GET /items"	format(date)
//	@Param			deadline_to		query	string	false	"as GET /items"	format(date)
//	@Param			overdue			query	bool	false	"as GET /items"
//	@Param			was_overdue		query	bool	false	"as GET /items"
//	@Param			light			query	string	false	"as GET /items"
//	@Param			q				query	string	false	"as GET /items"
//	@Param			parent_id		query	string	false	"as GET /items"
//	@Param			tag				query	string	false	"as GET /items"
//	@Param			doc_number		query	string	false	"as GET /items"
//	@Param			supervising_leader_id	query	string	false	"as GET /items"	format(uuid)
//	@Param			cooperating_unit_id		query	string	false	"as GET /items"	format(uuid)
//	@Param			ids				query	[]string	false	"only these items (a selection of the list), comma separated, at most 500"	collectionFormat(csv)
//	@Param			issued_from		query	string	false	"as GET /items"	format(date)
//	@Param			issued_to		query	string	false	"as GET /items"	format(date)
//	@Param			closed_from		query	string	false	"as GET /items"	format(date)
//	@Param			closed_to		query	string	false	"as GET /items"	format(date)
//	@Param			on_time			query	bool	false	"as GET /items"
//	@Param			scope_id		query	string	false	"as GET /items"	format(uuid)
//	@Success		200				{file}	file	"the workbook"
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/export.xlsx [get]
func (h handlers) exportXLSX(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	lang := LangOf(c.Request().Header.Get("Accept-Language"))
	x, err := h.s.BuildXLSX(c.Request().Context(), p, f, lang)
	if err != nil {
		return err
	}
	defer func() { _ = x.Close() }()
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, XLSXType)
	w.Header().Set(echo.HeaderContentDisposition, attachments.ContentDisposition(h.fileName("督办台账", "xlsx", lang)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// The headers are out: a failure now can only cut the download short.
	return x.Write(w)
}

// exportCSV answers GET /items/export.csv.
//
//	@Summary		The ledger (台账) as CSV
//	@Description	The rows and columns of GET /items/export.xlsx as UTF-8 CSV with a byte order mark (so that Excel reads Chinese), streamed batch by batch. Text that would start a formula is prefixed with an apostrophe. Same filters and languages.
//	@ID				exportItemsCSV
//	@Tags			ledger
//	@Produce		text/csv
//	@Param			Accept-Language	header	string	false	"en for English headers and values"
//	@Param			state			query	[]string	false	"as GET /items"	collectionFormat(csv)	Enums(draft,pending_approval,approved,issued,in_progress,suspended,completion_requested,closed,archived,cancelled)
//	@Param			unit_id			query	string	false	"as GET /items"	format(uuid)
//	@Param			source			query	string	false	"as GET /items"
//	@Param			overdue			query	bool	false	"as GET /items"
//	@Param			was_overdue		query	bool	false	"as GET /items"
//	@Param			light			query	string	false	"as GET /items"
//	@Param			q				query	string	false	"as GET /items (every filter of GET /items applies)"
//	@Param			ids				query	[]string	false	"only these items, as the workbook"	collectionFormat(csv)
//	@Success		200				{file}	file	"the CSV"
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/export.csv [get]
func (h handlers) exportCSV(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	lang := LangOf(c.Request().Header.Get("Accept-Language"))
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, attachments.ContentDisposition(h.fileName("督办台账", "csv", lang)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return h.s.WriteCSV(c.Request().Context(), flushing{w}, p, f, lang)
}

// parseFilter reads the filter of GET /items and the export's own ids= (a
// selection of rows in the list).
func parseFilter(c echo.Context) (items.Filter, error) {
	f, err := items.ParseFilter(c.QueryParams())
	if err != nil {
		return f, err
	}
	v := strings.TrimSpace(c.QueryParam("ids"))
	if v == "" {
		return f, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > maxIDs {
		return f, problem.Field("ids", "max", "must name at most "+strconv.Itoa(maxIDs)+" items")
	}
	for _, s := range parts {
		id, err := uuid.Parse(strings.TrimSpace(s))
		if err != nil {
			return f, problem.Field("ids", "uuid", "must be UUIDs separated by commas")
		}
		f.IDs = append(f.IDs, id)
	}
	return f, nil
}

// maxIDs bounds ids= of the export (a selection of the list's rows).
const maxIDs = 500

// flushing sends what is written at once, so a long CSV flows to the client.
type flushing struct{ w *echo.Response }

func (f flushing) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if len(b) > 32<<10 {
		f.w.Flush()
	}
	return n, err
}

// template answers GET /items/import-template.xlsx.
//
//	@Summary		The import template
//	@Description	An .xlsx with the header row POST /items/import expects (Chinese, or English with Accept-Language: en; either is accepted back), drop-down lists for the enumerations and a sheet of instructions.
//	@ID				getImportTemplate
//	@Tags			ledger
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			Accept-Language	header	string	false	"en for English"
//	@Success		200				{file}	file	"the template"
//	@Failure		401				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/import-template.xlsx [get]
func (h handlers) template(c echo.Context) error {
	if _, err := principal(c); err != nil {
		return err
	}
	lang := LangOf(c.Request().Header.Get("Accept-Language"))
	x, err := Template(lang)
	if err != nil {
		return err
	}
	defer func() { _ = x.Close() }()
	c.Response().Header().Set(echo.HeaderContentDisposition, attachments.ContentDisposition(h.fileName("督办事项导入模板", "xlsx", lang)))
	buf, err := x.WriteToBuffer()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, XLSXType, buf.Bytes())
}

// importItems answers POST /items/import.
//
//	@Summary		Import items from a workbook
//	@Description	The file (multipart field file, or the workbook itself as the body with the .xlsx media type) filled in from GET /items/import-template.xlsx, or a ledger exported by GET /items/export.xlsx (columns are read by their headers, either language): one item per row, as drafts of the caller — submitted at once when the caller is the supervision office or the source skips approval (§14: board, party_group, leader_activity, group_meeting). Every rule of POST /items applies. All or nothing: with dry_run=true nothing is written and the answer lists the rows it would create and every error by row and column; otherwise any error answers 422 import_invalid_rows with row_errors and nothing is written. Idempotency-Key makes a retry safe. Refused: not an .xlsx (415 import_not_xlsx), a wrong header (422 import_wrong_template), more than 500 rows (413 import_too_many_rows), a file over 5 MB or one that unpacks to more than 50 MB (413), formulas and cells over 20,000 characters (422 import_invalid_rows).
//	@ID				importItems
//	@Tags			ledger
//	@Accept			multipart/form-data
//	@Produce		json
//	@Param			file			formData	file	true	"the workbook (.xlsx)"
//	@Param			dry_run			query		bool	false	"check only; write nothing"
//	@Param			Idempotency-Key	header		string	false	"makes a retry safe"
//	@Success		200				{object}	Result	"dry run"
//	@Success		201				{object}	Result	"imported"
//	@Failure		400				{object}	problem.Problem
//	@Failure		401				{object}	problem.Problem
//	@Failure		403				{object}	problem.Problem
//	@Failure		413				{object}	problem.Problem
//	@Failure		415				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/import [post]
func (h handlers) importItems(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	if !p.CanWrite() || !p.HasAny(access.RoleSupervisor, access.RoleLeader, access.RoleMember) {
		return problem.Forbidden("you may not create supervision items")
	}
	dry := false
	if v := c.QueryParam("dry_run"); v != "" {
		if dry, err = strconv.ParseBool(v); err != nil {
			return problem.Field("dry_run", "bool", "must be true or false")
		}
	}
	data, err := readUpload(c)
	if err != nil {
		return err
	}
	lang := httpserver.Language(c.Request().Header.Get("Accept-Language"))
	res, err := h.s.Import(c.Request().Context(), p, data, dry)
	var pb *problem.Problem
	if errors.As(err, &pb) {
		// the problem's own errors are localised with it; its row_errors too
		if rows, ok := pb.Extra["row_errors"].([]RowError); ok {
			pb.Extra["row_errors"] = localizeRows(rows, lang)
		}
	}
	if err != nil {
		return err
	}
	res.Errors = localizeRows(res.Errors, lang)
	c.Response().Header().Set("Content-Language", lang)
	c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
	if dry {
		return c.JSON(http.StatusOK, res)
	}
	return c.JSON(http.StatusCreated, res)
}

// readUpload reads the workbook from a multipart form (field file) or the raw body,
// at most MaxFileBytes.
func readUpload(c echo.Context) ([]byte, error) {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxFileBytes+64<<10)
	tooBig := func(err error) error {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return problem.New(problem.KindTooLarge, problem.CodeTooLarge, "the file is larger than "+strconv.Itoa(MaxFileBytes>>20)+" MB")
		}
		return problem.BadRequest("the upload could not be read")
	}
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	var r io.Reader
	switch mt {
	case "multipart/form-data":
		mr, err := req.MultipartReader()
		if err != nil {
			return nil, problem.BadRequest("a malformed multipart body")
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, problem.Field("file", "required", "send the workbook in the form field file")
			}
			if err != nil {
				return nil, tooBig(err)
			}
			if part.FormName() == "file" {
				r = part
				break
			}
		}
	case XLSXType, "application/octet-stream":
		r = req.Body
	default:
		return nil, problem.New(problem.KindUnsupportedMedia, problem.CodeUnsupportedMedia,
			"send the workbook as multipart/form-data (field file) or as "+XLSXType)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, tooBig(err)
	}
	if len(data) > MaxFileBytes {
		return nil, problem.New(problem.KindTooLarge, problem.CodeTooLarge, "the file is larger than "+strconv.Itoa(MaxFileBytes>>20)+" MB")
	}
	return data, nil
}

// localizeRows answers the rows' messages in lang (the domain writes them in English,
// like every message; internal/problem's catalogue holds their Chinese).
func localizeRows(rows []RowError, lang string) []RowError {
	out := make([]RowError, len(rows))
	for i, r := range rows {
		r.Message = problem.Translate(r.Message, lang)
		out[i] = r
	}
	return out
}
