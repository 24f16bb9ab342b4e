package svcaccounts

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/auth"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Mount registers the routes; r authenticates every request. API tokens cannot
// use them (the scope table says session).
func Mount(r httpserver.Router, s *Service, authSvc *auth.Service) {
	h := handlers{s: s, auth: authSvc}
	r.GET("/service-accounts", h.list)
	r.POST("/service-accounts", h.create)
	r.GET("/service-accounts/:id", h.get)
	r.PATCH("/service-accounts/:id", h.update)
	r.DELETE("/service-accounts/:id", h.delete)
	r.POST("/service-accounts/:id/tokens", h.issueToken)
	r.GET("/service-accounts/:id/activity", h.activity)
	r.GET("/tokens", h.tokens)
	r.DELETE("/tokens/:id", h.revokeToken)
}

type handlers struct {
	s    *Service
	auth *auth.Service
}

// list answers GET /service-accounts.
//
//	@Summary		List service accounts
//	@Description	Admins only, with a login session. Every service account (non-person principal of an integration), newest first, with its owning unit, role, number of live tokens and last use.
//	@ID				listServiceAccounts
//	@Tags			service-accounts
//	@Produce		json
//	@Param			org_unit_id	query		string	false	"only accounts owned by this unit"	format(uuid)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	List
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"forbidden, session_required"
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	var unit *uuid.UUID
	if v := c.QueryParam("org_unit_id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return problem.Field("org_unit_id", "uuid", "must be a UUID")
		}
		unit = &id
	}
	out, err := h.s.List(c.Request().Context(), p, unit, pg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// create answers POST /service-accounts.
//
//	@Summary		Create a service account
//	@Description	Admins only, with a login session. The account has no password and never signs in; it acts through the tokens an admin issues it (POST /service-accounts/{id}/tokens), with the rights of a person of its owning unit holding its role, limited by each token's scopes.
//	@ID				createServiceAccount
//	@Tags			service-accounts
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateRequest	true	"the account"
//	@Success		201		{object}	Account
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"forbidden, session_required"
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateRequest](c)
	if err != nil {
		return err
	}
	out, err := h.s.Create(c.Request().Context(), p, req)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/service-accounts/"+out.ID.String())
	return c.JSON(http.StatusCreated, out)
}

// get answers GET /service-accounts/{id}.
//
//	@Summary		Read a service account
//	@Description	Admins only, with a login session.
//	@ID				getServiceAccount
//	@Tags			service-accounts
//	@Produce		json
//	@Param			id	path		string	true	"service account id"	format(uuid)
//	@Success		200	{object}	Account
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "service account")
	if err != nil {
		return err
	}
	out, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// update answers PATCH /service-accounts/{id}.
//
//	@Summary		Change or disable a service account
//	@Description	Admins only, with a login session. `active: false` disables the account: each of its tokens answers 401 from the next request on, in every process; `active: true` enables it again.
//	@ID				updateServiceAccount
//	@Tags			service-accounts
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string			true	"service account id"	format(uuid)
//	@Param			body	body		UpdateRequest	true	"the changes"
//	@Success		200		{object}	Account
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "service account")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateRequest](c)
	if err != nil {
		return err
	}
	out, err := h.s.Update(c.Request().Context(), p, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// delete answers DELETE /service-accounts/{id}.
//
//	@Summary		Delete a service account
//	@Description	Admins only, with a login session. Deletes an account that never acted, with its tokens; one that acted stays for the audit trail (409 service_account_has_activity: disable it instead).
//	@ID				deleteServiceAccount
//	@Tags			service-accounts
//	@Param			id	path	string	true	"service account id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem	"service_account_has_activity"
//	@Security		BearerAuth
//	@Router			/service-accounts/{id} [delete]
func (h handlers) delete(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "service account")
	if err != nil {
		return err
	}
	if err := h.s.Delete(c.Request().Context(), p, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// issueToken answers POST /service-accounts/{id}/tokens.
//
//	@Summary		Issue a token to a service account
//	@Description	Admins only, with a login session. The secret is in this answer only. Scopes: items:read, items:write, feedback:write, webhooks:manage, todo:read (or the aliases read and write); expires_at is bounded by DUBAN_API_TOKEN_MAX_TTL when set (and defaults to it).
//	@ID				issueServiceAccountToken
//	@Tags			service-accounts
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string						true	"service account id"	format(uuid)
//	@Param			body	body		auth.CreateAPITokenRequest	true	"the token"
//	@Success		201		{object}	auth.CreatedAPIToken
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem	"too_many_tokens, service_account_disabled"
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts/{id}/tokens [post]
func (h handlers) issueToken(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "service account")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[auth.CreateAPITokenRequest](c)
	if err != nil {
		return err
	}
	out, err := h.s.IssueToken(c.Request().Context(), p, id, req)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/tokens?owner_id="+id.String())
	return c.JSON(http.StatusCreated, out)
}

// activity answers GET /service-accounts/{id}/activity.
//
//	@Summary		What a service account did
//	@Description	Admins only, with a login session. The audit log's entries the account is the actor of, newest first: every change it made through the API (action service_account.request, with the route, status and token id), besides what the domain records itself.
//	@ID				listServiceAccountActivity
//	@Tags			service-accounts
//	@Produce		json
//	@Param			id			path		string	true	"service account id"	format(uuid)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	ActivityList
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/service-accounts/{id}/activity [get]
func (h handlers) activity(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "service account")
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	out, err := h.s.Activity(c.Request().Context(), p, id, pg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// tokens answers GET /tokens.
//
//	@Summary		Every API token
//	@Description	Admins only, with a login session. The tokens of every principal, people and service accounts, newest first, never with their secret; each with its owner, scopes, expiry, last use and address.
//	@ID				listAllTokens
//	@Tags			service-accounts
//	@Produce		json
//	@Param			owner_id	query		string	false	"only the tokens of this principal"	format(uuid)
//	@Param			kind		query		string	false	"only the tokens of people or of service accounts"	Enums(person, service)
//	@Param			expired		query		bool	false	"true: only expired tokens; false: only unexpired ones"
//	@Param			revoked		query		bool	false	"true: the revoked tokens instead of the live ones"
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	auth.APITokenList
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"forbidden, session_required"
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/tokens [get]
func (h handlers) tokens(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	var f auth.TokenFilter
	var errs []problem.FieldError
	if v := c.QueryParam("owner_id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "owner_id", Rule: "uuid", Message: "must be a UUID"})
		}
		f.OwnerID = &id
	}
	switch v := c.QueryParam("kind"); v {
	case "", "person", "service":
		f.Kind = v
	default:
		errs = append(errs, problem.FieldError{Field: "kind", Rule: "oneof", Message: "must be person or service"})
	}
	if v := c.QueryParam("expired"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "expired", Rule: "bool", Message: "must be true or false"})
		}
		f.Expired = &b
	}
	if v := c.QueryParam("revoked"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, problem.FieldError{Field: "revoked", Rule: "bool", Message: "must be true or false"})
		}
		f.Revoked = b
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	out, err := h.auth.ListAllTokens(c.Request().Context(), p, f, pg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// revokeToken answers DELETE /tokens/{id}.
//
//	@Summary		Revoke any API token
//	@Description	Admins only, with a login session. Revokes a token of any principal; its next request answers 401 in every process (tokens are checked in the database on each request).
//	@ID				revokeAnyToken
//	@Tags			service-accounts
//	@Param			id	path	string	true	"token id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem	"forbidden, session_required"
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/tokens/{id} [delete]
func (h handlers) revokeToken(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "API token")
	if err != nil {
		return err
	}
	if err := h.auth.RevokeAnyToken(c.Request().Context(), p, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
