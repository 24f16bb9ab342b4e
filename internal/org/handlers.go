package org

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

type handlers struct{ s *Service }

// list answers GET /org-units.
//
//	@Summary		List org units, or the whole tree
//	@Description	Everyone signed in may read the organisation. Without `tree` the answer is a flat, paginated list filtered by kind, parent, scope and a search text, ordered by `sort` (keys name, short_name, sort_order, kind, created_at, updated_at; prefix - for descending; the default is sort_order then name). With `tree=true` it is the whole tree in one call: `data` holds the root with nested `children` (filters and paging do not apply) and `total` counts every unit.
//	@ID				listOrgUnits
//	@Tags			org
//	@Produce		json
//	@Param			tree		query		bool	false	"return the whole tree with nested children"
//	@Param			kind		query		string	false	"only units of this kind"	Enums(group, enterprise, department)
//	@Param			parent_id	query		string	false	"only children of this unit"	format(uuid)
//	@Param			scope_id	query		string	false	"only units of this supervision scope"	format(uuid)
//	@Param			q			query		string	false	"search in name and short name"
//	@Param			sort		query		string	false	"sort keys, e.g. -created_at,name"
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	OrgUnitList
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org-units [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	tree, err := queryBool(c, "tree")
	if err != nil {
		return err
	}
	if tree != nil && *tree {
		roots, total, err := h.s.Tree(ctx, p)
		if err != nil {
			return err
		}
		out := OrgUnitList{Data: make([]OrgUnit, 0, len(roots)), Total: int64(total), Page: 1, PageSize: total}
		for _, n := range roots {
			out.Data = append(out.Data, ToOrgUnitTree(n, p))
		}
		return c.JSON(http.StatusOK, out)
	}
	page, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	f := Filter{Kind: Kind(c.QueryParam("kind")), Q: c.QueryParam("q")}
	if f.ParentID, err = queryID(c, "parent_id"); err != nil {
		return err
	}
	if f.ScopeID, err = queryID(c, "scope_id"); err != nil {
		return err
	}
	units, total, err := h.s.List(ctx, p, f, c.QueryParam("sort"), page)
	if err != nil {
		return err
	}
	out := OrgUnitList{Data: make([]OrgUnit, 0, len(units)), Total: total, Page: page.Page, PageSize: page.Size}
	for i := range units {
		out.Data = append(out.Data, ToOrgUnit(&units[i], p))
	}
	return c.JSON(http.StatusOK, out)
}

// get answers GET /org-units/{id}.
//
//	@Summary		Get an org unit
//	@Description	The unit with its head and liaisons. The ETag header carries its version for If-Match.
//	@ID				getOrgUnit
//	@Tags			org
//	@Produce		json
//	@Param			id	path		string	true	"unit id"	format(uuid)
//	@Success		200	{object}	OrgUnit
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org-units/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "org unit")
	if err != nil {
		return err
	}
	d, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return renderUnit(c, http.StatusOK, d, p)
}

// create answers POST /org-units.
//
//	@Summary		Create an org unit
//	@Description	Admin only. Exactly one group (the root, no parent); an enterprise's parent is the group; a department's parent is the group or an enterprise. Sibling names are unique.
//	@ID				createOrgUnit
//	@Tags			org
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateOrgUnitRequest	true	"the new unit"
//	@Success		201		{object}	OrgUnit
//	@Header			201		{string}	ETag		"the version, quoted"
//	@Header			201		{string}	Location	"the new unit's URL"
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org-units [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	if err := CanCreate(p).Err("org unit", "create"); err != nil {
		return err // before reading the body: a non-admin learns nothing from validation
	}
	req, err := httpserver.Bind[CreateOrgUnitRequest](c)
	if err != nil {
		return err
	}
	in, err := ToCreateInput(req)
	if err != nil {
		return err
	}
	d, err := h.s.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/org-units/"+d.ID.String())
	return renderUnit(c, http.StatusCreated, d, p)
}

// update answers PATCH /org-units/{id}.
//
//	@Summary		Change an org unit
//	@Description	Admin only. Absent fields stay. Moving a unit (parent_id) recomputes the scope of its subtree; moving it under itself or a descendant is refused (422 on parent_id). head_user_id and liaison_user_ids must name active users of the unit or of its descendants; liaison_user_ids replaces the set. Send If-Match with the ETag (or version in the body): a stale one answers 412.
//	@ID				updateOrgUnit
//	@Tags			org
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string					true	"unit id"	format(uuid)
//	@Param			If-Match	header		string					false	"the ETag of the copy being changed"
//	@Param			body		body		UpdateOrgUnitRequest	true	"the fields to change"
//	@Success		200			{object}	OrgUnit
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org-units/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "org unit")
	if err != nil {
		return err
	}
	current, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	if err := CanUpdate(p, &current.Unit).Err("org unit", "update"); err != nil {
		return err // before reading the body: a non-admin learns nothing from validation
	}
	req, err := httpserver.Bind[UpdateOrgUnitRequest](c)
	if err != nil {
		return err
	}
	in, err := ToUpdateInput(req, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	d, err := h.s.Update(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return renderUnit(c, http.StatusOK, d, p)
}

// remove answers DELETE /org-units/{id}.
//
//	@Summary		Delete an org unit
//	@Description	Admin only. Refused with 409 unit_in_use (with `reasons`) while the unit has child units, users, or supervision records. Accepts If-Match.
//	@ID				deleteOrgUnit
//	@Tags			org
//	@Param			id			path	string	true	"unit id"	format(uuid)
//	@Param			If-Match	header	string	false	"the ETag of the copy being deleted"
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem
//	@Failure		412	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/org-units/{id} [delete]
func (h handlers) remove(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "org unit")
	if err != nil {
		return err
	}
	if err := h.s.Delete(c.Request().Context(), p, id, httpserver.IfMatch(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func renderUnit(c echo.Context, status int, d *Detail, p *access.Principal) error {
	c.Response().Header().Set("ETag", etag.Of(d.Version))
	return c.JSON(status, ToOrgUnit(d, p))
}

func queryID(c echo.Context, name string) (*uuid.UUID, error) {
	s := c.QueryParam(name)
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, problem.Field(name, "uuid", "must be a UUID")
	}
	return &id, nil
}

func queryBool(c echo.Context, name string) (*bool, error) {
	s := c.QueryParam(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, problem.Field(name, "bool", "must be true or false")
	}
	return &b, nil
}
