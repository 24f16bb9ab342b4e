package users

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

// list answers GET /users.
//
//	@Summary		List users
//	@Description	Admins see every account with every field. Everyone else sees the directory for pickers: active users only, with id, username, display_name, org_unit_id, org_unit_name, roles, title and active; HQ (the group's scope) sees every enterprise, an enterprise sees itself and HQ. `sort` keys: username, display_name, created_at, updated_at (prefix - for descending); the default is display_name then username.
//	@ID				listUsers
//	@Tags			users
//	@Produce		json
//	@Param			org_unit_id	query		string	false	"only users of this unit"	format(uuid)
//	@Param			subtree		query		bool	false	"with org_unit_id: the users of the units under it too"
//	@Param			role		query		string	false	"only users with this role"	Enums(admin, supervisor, leader, member, auditor)
//	@Param			q			query		string	false	"search in username, display name and employee number"
//	@Param			active		query		bool	false	"only active (true) or inactive (false) accounts; non-admins only ever see active ones"
//	@Param			sort		query		string	false	"sort keys, e.g. -created_at,username"
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	UserList
//	@Failure		401			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	page, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	f := ListFilter{Role: c.QueryParam("role"), Q: c.QueryParam("q")}
	if s := c.QueryParam("org_unit_id"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			return problem.Field("org_unit_id", "uuid", "must be a UUID")
		}
		f.OrgUnitID = &id
	}
	if s := c.QueryParam("subtree"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return problem.Field("subtree", "bool", "must be true or false")
		}
		f.Subtree = b
	}
	if s := c.QueryParam("active"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return problem.Field("active", "bool", "must be true or false")
		}
		f.Active = &b
	}
	accts, total, v, err := h.s.List(c.Request().Context(), p, f, c.QueryParam("sort"), page)
	if err != nil {
		return err
	}
	out := UserList{Data: make([]UserResponse, 0, len(accts)), Total: total, Page: page.Page, PageSize: page.Size}
	for i := range accts {
		out.Data = append(out.Data, ToUserResponse(&accts[i], p, v))
	}
	return c.JSON(http.StatusOK, out)
}

// get answers GET /users/{id}.
//
//	@Summary		Get a user
//	@Description	Admins and the user themself get every field; others get the directory fields (id, username, display_name, org_unit_id, org_unit_name, roles, title, active) of any active user, to put a name to an id; an inactive user is 404 to them. The ETag header carries the version for If-Match (full view only).
//	@ID				getUser
//	@Tags			users
//	@Produce		json
//	@Param			id	path		string	true	"user id"	format(uuid)
//	@Success		200	{object}	UserResponse
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "user")
	if err != nil {
		return err
	}
	a, v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, a, p, v)
}

// create answers POST /users.
//
//	@Summary		Create a user
//	@Description	Admin only. The new account must change its password at the first login. A taken username answers 409 username_taken; an unknown role, a weak password or an unknown unit answer 422 naming the field.
//	@ID				createUser
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateUserRequest	true	"the new account"
//	@Success		201		{object}	UserResponse
//	@Header			201		{string}	ETag		"the version, quoted"
//	@Header			201		{string}	Location	"the new user's URL"
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		415		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	if err := CanCreate(p).Err("user", "create"); err != nil {
		return err // before reading the body: a non-admin learns nothing from validation
	}
	req, err := httpserver.Bind[CreateUserRequest](c)
	if err != nil {
		return err
	}
	in, err := ToNewUser(req)
	if err != nil {
		return err
	}
	a, err := h.s.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/users/"+a.ID.String())
	return render(c, http.StatusCreated, a, p, Visibility{Everything: true})
}

// update answers PATCH /users/{id}.
//
//	@Summary		Change a user
//	@Description	Admin only. Absent fields stay; roles replaces the roles; password resets it (the user must change it at the next login, and their sessions end); active=false deactivates the account (sessions end; it stops being head or liaison). Moving a user to another unit releases the head and liaison posts it no longer fits. An admin cannot remove their own admin role or deactivate themself (409 self_lockout), and the last active admin stays one (409 last_admin). Send If-Match with the ETag (or version in the body): a stale one answers 412.
//	@ID				updateUser
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"user id"	format(uuid)
//	@Param			If-Match	header		string				false	"the ETag of the copy being changed"
//	@Param			body		body		UpdateUserRequest	true	"the fields to change"
//	@Success		200			{object}	UserResponse
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/users/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	current, v, err := h.s.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if err := CanUpdate(p, current, v).Err("user", "update"); err != nil {
		return err // before reading the body: a non-admin learns nothing from validation
	}
	req, err := httpserver.Bind[UpdateUserRequest](c)
	if err != nil {
		return err
	}
	ch, err := ToChanges(req, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	a, err := h.s.Update(ctx, p, id, ch)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, a, p, v)
}

func render(c echo.Context, status int, a *Account, p *access.Principal, v Visibility) error {
	if FullView(p, a) {
		c.Response().Header().Set("ETag", etag.Of(a.Version))
	}
	return c.JSON(status, ToUserResponse(a, p, v))
}
