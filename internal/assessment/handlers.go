package assessment

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the assessment routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/settings/assessment", h.getRules)
	r.PUT("/settings/assessment", h.putRules)
	r.GET("/assessments", h.get)
	r.POST("/assessments/:period/publish", h.publish)
	// GET /assessments/{period}.xlsx: the router matches the whole segment.
	r.GET("/assessments/:file", h.export)
}

type handlers struct{ s *Service }

func principal(c echo.Context) (*access.Principal, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	return p, nil
}

// getRules answers GET /settings/assessment.
//
//	@Summary		Assessment rules of my scope
//	@Description	The scoring rules of the caller's supervision scope (the defaults until the office sets them): base 100; deductions per item overdue against its original deadline and per working day overdue (capped per item), per urge received (manual, automatic), per returned feedback, per verification failure, per extension granted; a bonus per item closed early (capped); grades excellent ≥ 90, pass ≥ 76, fail below. The ETag carries the version.
//	@ID				getAssessmentRules
//	@Tags			assessment
//	@Produce		json
//	@Success		200	{object}	Rules
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/assessment [get]
func (h handlers) getRules(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	r, _, err := h.s.Rules.Get(c.Request().Context(), p.ScopeID)
	if err != nil {
		return err
	}
	httpserver.SetETag(c, r.Version)
	return c.JSON(http.StatusOK, r)
}

// putRules answers PUT /settings/assessment.
//
//	@Summary		Set the assessment rules of my scope
//	@Description	The supervision office of the scope (supervisors) or an administrator replaces the rules (every field; 0 switches a rule off). Points 0–100, base 1–1000, pass not above excellent (422 otherwise). Send If-Match with the ETag: a stale one answers 412. Published assessments keep the rules they were computed with.
//	@ID				putAssessmentRules
//	@Tags			assessment
//	@Accept			json
//	@Produce		json
//	@Param			If-Match	header		string	false	"the ETag last read"
//	@Param			body		body		Rules	true	"the rules (version, updated_by, updated_at are ignored)"
//	@Success		200			{object}	Rules
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/settings/assessment [put]
func (h handlers) putRules(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	if !mayEdit(p) {
		return problem.Forbidden("only the supervision office or an administrator sets the assessment rules")
	}
	in, err := httpserver.Bind[Rules](c)
	if err != nil {
		return err
	}
	r, err := h.s.Rules.Put(c.Request().Context(), p, in, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	httpserver.SetETag(c, r.Version)
	return c.JSON(http.StatusOK, r)
}

// get answers GET /assessments.
//
//	@Summary		Unit scores of a period
//	@Description	Each unit's score for the period in the caller's scope, against the original deadlines, with the explanation of every point (item, rule, points). The published snapshot once the period is published (published=true); until then computed as of today. The supervision office, leaders, auditors and admins see every unit; anyone else only their own units.
//	@ID				getAssessments
//	@Tags			assessment
//	@Produce		json
//	@Param			period	query		string	true	"a quarter, month or year"	example(2026-Q4)
//	@Success		200		{object}	Result
//	@Failure		401		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assessments [get]
func (h handlers) get(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	per, err := ParsePeriod(c.QueryParam("period"))
	if err != nil {
		return err
	}
	res, err := h.s.Get(c.Request().Context(), p, per)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// publish answers POST /assessments/{period}/publish.
//
//	@Summary		Publish a period's assessment
//	@Description	The supervision office freezes the period's result for its scope as a stored snapshot: later changes to items or rules do not change it. Once per period (409 assessment_published after).
//	@ID				publishAssessment
//	@Tags			assessment
//	@Produce		json
//	@Param			period	path		string	true	"a quarter, month or year"	example(2026-Q4)
//	@Success		201		{object}	Result
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assessments/{period}/publish [post]
func (h handlers) publish(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	if !p.Has(access.RoleSupervisor) || !p.CanWrite() {
		return problem.Forbidden("only the supervision office publishes the assessment")
	}
	per, err := ParsePeriod(c.Param("period"))
	if err != nil {
		return err
	}
	res, err := h.s.Publish(c.Request().Context(), p, per)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// export answers GET /assessments/{period}.xlsx.
//
//	@Summary		A period's assessment as Excel
//	@Description	The scores (one row per unit, ranked) and the explanation of every point (a second sheet), as GET /assessments shows them to the caller.
//	@ID				exportAssessment
//	@Tags			assessment
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			period	path	string	true	"the period followed by .xlsx"	example(2026-Q4.xlsx)
//	@Success		200		{file}	file	"the workbook"
//	@Failure		401		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/assessments/{period}.xlsx [get]
func (h handlers) export(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	file := c.Param("file")
	if !strings.HasSuffix(file, ".xlsx") {
		return problem.NotFound("resource")
	}
	per, err := ParsePeriod(strings.TrimSuffix(file, ".xlsx"))
	if err != nil {
		return err
	}
	res, err := h.s.Get(c.Request().Context(), p, per)
	if err != nil {
		return err
	}
	buf, err := Workbook(res)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, attachments.ContentDisposition("督办考核-"+per.Key+".xlsx"))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf)
}

var gradeNames = map[string]string{"excellent": "优秀", "pass": "合格", "fail": "不合格"}

var ruleNames = map[string]string{RuleOverdueItem: "超期事项", RuleOverdueDays: "超期天数", RuleUrge: "督办处催办", RuleAutoUrge: "自动催办",
	RuleReturnedFeedback: "反馈退回", RuleVerificationFailure: "核查未通过", RuleExtension: "延期", RuleEarlyClose: "提前办结"}

// Workbook renders a result: the scores, then every point.
func Workbook(res *Result) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	const scores, points = "考核得分", "扣加分明细"
	if err := f.SetSheetName("Sheet1", scores); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(points); err != nil {
		return nil, err
	}
	status := "未发布（按今日数据计算）"
	if res.Published {
		status = "已发布"
	}
	_ = f.SetSheetRow(scores, "A1", &[]any{fmt.Sprintf("督办考核 %s（%s 至 %s）%s", res.Period.Key, res.Period.From, res.Period.To, status)})
	_ = f.SetSheetRow(scores, "A2", &[]any{"名次", "单位", "得分", "等级", "扣分", "加分"})
	for i, u := range res.Units {
		_ = f.SetSheetRow(scores, fmt.Sprintf("A%d", i+3), &[]any{u.Rank, u.UnitName, u.Score, gradeNames[u.Grade], u.Deductions, u.Bonus})
	}
	_ = f.SetSheetRow(points, "A1", &[]any{"单位", "督办编号", "事项名称", "规则", "说明", "分值"})
	n := 2
	for _, u := range res.Units {
		for _, pt := range u.Points {
			_ = f.SetSheetRow(points, fmt.Sprintf("A%d", n), &[]any{u.UnitName, pt.Code, pt.Title, ruleNames[pt.Rule], pt.Detail, pt.Points})
			n++
		}
	}
	for sheet, widths := range map[string][]float64{scores: {8, 24, 10, 10, 10, 10}, points: {20, 18, 36, 12, 40, 8}} {
		for i, w := range widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			_ = f.SetColWidth(sheet, col, col, w)
		}
	}
	_ = f.SetPanes(points, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
