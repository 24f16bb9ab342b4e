package bulletins

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Response is a bulletin as read.
type Response struct {
	ID         uuid.UUID `json:"id" format:"uuid"`
	ScopeID    uuid.UUID `json:"scope_id" format:"uuid"`
	Kind       string    `json:"kind" enums:"monthly,quarterly,special"`
	Period     string    `json:"period" example:"2026-11"`
	PeriodFrom string    `json:"period_from" format:"date"`
	PeriodTo   string    `json:"period_to" format:"date"`
	Title      string    `json:"title" example:"2026年11月督查督办通报"`
	State      string    `json:"state" enums:"draft,published"`
	DocNo      string    `json:"doc_no" example:"督办通报〔2026〕11号"`
	Year       *int      `json:"year"`
	Number     *int      `json:"number"`
	Sections   Sections  `json:"sections"`
	// Data are the figures and lists; left out of lists.
	Data           *Data      `json:"data,omitempty"`
	CreatedBy      uuid.UUID  `json:"created_by" format:"uuid"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	PublishedBy    *uuid.UUID `json:"published_by" format:"uuid"`
	PublishedAt    *time.Time `json:"published_at"`
	Version        int        `json:"version"`
	AllowedActions []string   `json:"allowed_actions"`
} // @name Bulletin

// ListResponse is a page of bulletins.
type ListResponse struct {
	Data     []Response `json:"data"`
	Total    int64      `json:"total"`
	Page     int        `json:"page"`
	PageSize int        `json:"page_size"`
} // @name BulletinList

// CreateRequest is the body of POST /bulletins.
type CreateRequest struct {
	Kind string `json:"kind" validate:"required,oneof=monthly quarterly special" enums:"monthly,quarterly,special"`
	// Period: 2026-11 (monthly), 2026-Q4 (quarterly); or from and to (special).
	Period   string    `json:"period,omitempty" example:"2026-11"`
	From     string    `json:"from,omitempty" format:"date"`
	To       string    `json:"to,omitempty" format:"date"`
	Title    string    `json:"title,omitempty" validate:"max=200"`
	Sections *Sections `json:"sections,omitempty"`
} // @name CreateBulletin

// UpdateRequest is the body of PATCH /bulletins/{id}; absent fields stay.
type UpdateRequest struct {
	Title    *string   `json:"title,omitempty"`
	Sections *Sections `json:"sections,omitempty"`
	// Refresh recomputes the figures and lists from today's data.
	Refresh bool `json:"refresh,omitempty"`
} // @name UpdateBulletin

func toResponse(v *View, withData bool) Response {
	r := Response{ID: v.ID, ScopeID: v.ScopeID, Kind: v.Kind, Period: v.Period, PeriodFrom: v.PeriodFrom.String(), PeriodTo: v.PeriodTo.String(),
		Title: v.Title, State: v.State, DocNo: v.DocNo, Year: v.Year, Number: v.Number, Sections: v.SectionsV,
		CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, PublishedBy: v.PublishedBy, PublishedAt: v.PublishedAt,
		Version: v.Version, AllowedActions: v.AllowedActions}
	if withData {
		d := v.DataV
		r.Data = &d
	}
	return r
}

// Mount registers the bulletin routes; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/bulletins", h.list)
	r.POST("/bulletins", h.create)
	r.GET("/bulletins/:id", h.get)
	r.PATCH("/bulletins/:id", h.update)
	r.POST("/bulletins/:id/publish", h.publish)
	r.GET("/bulletins/:id/appendix.xlsx", h.appendix)
}

type handlers struct{ s *Service }

func principal(c echo.Context) (*access.Principal, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	return p, nil
}

func render(c echo.Context, status int, v *View) error {
	httpserver.SetETag(c, v.Version)
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/bulletins/"+v.ID.String())
	}
	return c.JSON(status, toResponse(v, true))
}

// list answers GET /bulletins.
//
//	@Summary		List bulletins (通报)
//	@Description	The bulletins of the caller's scope, newest first: published ones for everyone in the scope; drafts too for the supervision office, admins and auditors. Without their data (GET /bulletins/{id} has it).
//	@ID				listBulletins
//	@Tags			bulletins
//	@Produce		json
//	@Param			state		query		string	false	"draft or published"	Enums(draft, published)
//	@Param			page		query		int		false	"page, from 1"	default(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	maximum(100)
//	@Success		200			{object}	ListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins [get]
func (h handlers) list(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	res, err := h.s.List(c.Request().Context(), p, c.QueryParam("state"), pg)
	if err != nil {
		return err
	}
	out := ListResponse{Data: []Response{}, Total: res.Total, Page: pg.Page, PageSize: pg.Size}
	for _, v := range res.Data {
		out.Data = append(out.Data, toResponse(v, false))
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /bulletins.
//
//	@Summary		Draft a bulletin
//	@Description	The supervision office (supervisors of the scope) drafts a monthly (period 2026-11), quarterly (period 2026-Q4) or special (from, to) bulletin of its scope. The draft is filled from the statistics: the overview, the per-unit table, overdue and yellow-light items with their units, verification failures, units commended (closed items, all on time, none overdue) and criticised (overdue items, or urged three times or more); the summary section is drafted from the figures. Others get 403.
//	@ID				createBulletin
//	@Tags			bulletins
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateRequest	true	"the period"
//	@Success		201		{object}	Response
//	@Header			201		{string}	ETag	"the version, quoted"
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins [post]
func (h handlers) create(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	if !office(p, p.ScopeID) {
		return problem.Forbidden("only the supervision office writes bulletins")
	}
	req, err := httpserver.Bind[CreateRequest](c)
	if err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, CreateInput{Kind: req.Kind, Period: req.Period, From: req.From, To: req.To,
		Title: req.Title, Sections: req.Sections})
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, v)
}

// get answers GET /bulletins/{id}.
//
//	@Summary		Read a bulletin
//	@Description	With its sections and data. A draft is the supervision office's (404 for the units until published). The ETag carries the version.
//	@ID				getBulletin
//	@Tags			bulletins
//	@Produce		json
//	@Param			id	path		string	true	"bulletin id"	format(uuid)
//	@Success		200	{object}	Response
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "bulletin")
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// update answers PATCH /bulletins/{id}.
//
//	@Summary		Edit a draft bulletin
//	@Description	The supervision office edits the title and the sections (summary, highlights, problems, next_steps; at most 20,000 characters each), or recomputes the figures with refresh=true. Send If-Match with the ETag (412 when stale). A published bulletin answers 409 bulletin_published.
//	@ID				updateBulletin
//	@Tags			bulletins
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"bulletin id"	format(uuid)
//	@Param			If-Match	header		string			false	"the ETag last read"
//	@Param			body		body		UpdateRequest	true	"the changes"
//	@Success		200			{object}	Response
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "bulletin")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateRequest](c)
	if err != nil {
		return err
	}
	v, err := h.s.Update(c.Request().Context(), p, id, UpdateInput{Title: req.Title, Sections: req.Sections, Refresh: req.Refresh}, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// publish answers POST /bulletins/{id}/publish.
//
//	@Summary		Publish a bulletin
//	@Description	The supervision office publishes a draft: its figures are frozen as last computed (later data never changes a published bulletin), it is numbered 督办通报〔year〕N号 (a yearly sequence per scope, gapless) and every user of the scope may read it. Honours If-Match (412); 409 bulletin_published when already published.
//	@ID				publishBulletin
//	@Tags			bulletins
//	@Produce		json
//	@Param			id			path		string	true	"bulletin id"	format(uuid)
//	@Param			If-Match	header		string	false	"the ETag last read"
//	@Success		200			{object}	Response
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins/{id}/publish [post]
func (h handlers) publish(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "bulletin")
	if err != nil {
		return err
	}
	v, err := h.s.Publish(c.Request().Context(), p, id, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, v)
}

// appendix answers GET /bulletins/{id}/appendix.xlsx.
//
//	@Summary		A bulletin's Excel appendix
//	@Description	The per-unit table, the overdue and yellow-light items and the verification failures of the bulletin, one sheet each, as frozen (published) or last computed (draft). Visible as the bulletin is.
//	@ID				getBulletinAppendix
//	@Tags			bulletins
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			id	path	string	true	"bulletin id"	format(uuid)
//	@Success		200	{file}	file	"the workbook"
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/bulletins/{id}/appendix.xlsx [get]
func (h handlers) appendix(c echo.Context) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "bulletin")
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	buf, err := Appendix(v)
	if err != nil {
		return err
	}
	name := v.Title
	if v.DocNo != "" {
		name = v.DocNo + " " + name
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, attachments.ContentDisposition(name+" 附件.xlsx"))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf)
}
