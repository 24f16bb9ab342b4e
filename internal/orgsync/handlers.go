package orgsync

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// ImportPath carries a workbook: it is exempt from the JSON body limit and bounded
// by DUBAN_UPLOAD_LIMIT instead.
const ImportPath = httpserver.APIPrefix + "/org/import"

type handlers struct {
	s        *Service
	maxBytes int64
}

// Mount registers the import routes; maxBytes bounds an uploaded workbook.
func Mount(authed httpserver.Router, s *Service, maxBytes int64) {
	h := handlers{s: s, maxBytes: maxBytes}
	authed.GET("/org/import-template.xlsx", h.template)
	authed.POST("/org/import", h.importOrg)
}

// template answers GET /org/import-template.xlsx.
//
//	@Summary		Org import template
//	@Description	The workbook to fill in for POST /org/import: the sheets 单位 (units: code, name, short name, kind, parent code, supervision office, sort order, head's and liaisons' employee numbers) and 人员 (people: employee number, username, name, unit code, roles, title, phone, e-mail, status), headers marked * when required, drop-down lists, and a sheet of instructions. Admins only.
//	@ID				getOrgImportTemplate
//	@Tags			org-units
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Success		200	{file}		file	"the template"
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org/import-template.xlsx [get]
func (h handlers) template(c echo.Context) error {
	if err := CanReadTemplate(access.FromContext(c.Request().Context())).Err("organisation", "read the import template"); err != nil {
		return err
	}
	b, err := Template()
	if err != nil {
		return fmt.Errorf("build the import template: %w", err)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		`attachment; filename="org-import-template.xlsx"; filename*=UTF-8''`+url.PathEscape("组织机构导入模板.xlsx"))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// importOrg answers POST /org/import.
//
//	@Summary		Import the organisation from Excel
//	@Description	Uploads a workbook made from GET /org/import-template.xlsx (multipart, field `file`). Units are identified by their code (单位编码), people by their employee number (工号); units and people made by hand before are adopted by name under the same parent and by username. With `dry_run=true` nothing is written and the answer lists every error by sheet, row and column, and every change the import would make. Without it the import is all or nothing: any error answers 422 `import_invalid` with the same report in the problem's `report` member, and nothing changes. Importing the same file again changes nothing; a changed file applies exactly the differences, listed in `changes`. People are never deleted; with `deactivate_missing=true` people an earlier import created and this file no longer lists are deactivated. Imported people have no local password: they sign in by single sign-on, or an admin sets one. Admins only. Limited by DUBAN_UPLOAD_LIMIT (413).
//	@ID				importOrg
//	@Tags			org-units
//	@Accept			multipart/form-data
//	@Produce		json
//	@Param			file				formData	file	true	"the workbook (.xlsx)"
//	@Param			dry_run				query		bool	false	"check and report only"
//	@Param			deactivate_missing	query		bool	false	"deactivate imported people the file no longer lists"
//	@Success		200					{object}	Report
//	@Failure		400					{object}	problem.Problem	"no file"
//	@Failure		401					{object}	problem.Problem
//	@Failure		403					{object}	problem.Problem
//	@Failure		413					{object}	problem.Problem
//	@Failure		415					{object}	problem.Problem	"not multipart/form-data"
//	@Failure		422					{object}	problem.Problem	"import_invalid (report in `report`), not_a_workbook, or validation_failed for the parameters"
//	@Security		BearerAuth
//	@Router			/org/import [post]
func (h handlers) importOrg(c echo.Context) error {
	p := access.FromContext(c.Request().Context())
	if err := CanImport(p).Err("organisation", "import"); err != nil {
		return err // before reading the upload
	}
	opts := ImportOptions{}
	for name, dst := range map[string]*bool{"dry_run": &opts.DryRun, "deactivate_missing": &opts.DeactivateMissing} {
		if v := c.QueryParam(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return problem.Field(name, "bool", "must be true or false")
			}
			*dst = b
		}
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, h.maxBytes+1<<20)
	if ct := req.Header.Get(echo.HeaderContentType); len(ct) < 19 || ct[:19] != "multipart/form-data" {
		return problem.New(problem.KindUnsupportedMedia, problem.CodeUnsupportedMedia, "send the workbook as multipart/form-data in the field file")
	}
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return problem.New(problem.KindTooLarge, problem.CodeTooLarge, "the workbook is larger than the upload limit")
		}
		return problem.BadRequest("the multipart body cannot be read")
	}
	defer req.MultipartForm.RemoveAll()
	files := req.MultipartForm.File["file"]
	if len(files) != 1 {
		return problem.BadRequest("send exactly one workbook in the field file")
	}
	if files[0].Size > h.maxBytes {
		return problem.New(problem.KindTooLarge, problem.CodeTooLarge, "the workbook is larger than the upload limit")
	}
	f, err := files[0].Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	rep, err := h.s.Import(req.Context(), p, f, opts)
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 && !opts.DryRun {
		return problem.New(problem.KindInvalid, CodeImportInvalid,
			fmt.Sprintf("the workbook has %d errors; nothing was imported", len(rep.Errors))).With("report", rep)
	}
	return c.JSON(http.StatusOK, rep)
}
