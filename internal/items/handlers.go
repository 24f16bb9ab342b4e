package items

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/changes"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/httpserver"
)

type handlers struct{ s *Service }

func renderItem(c echo.Context, status int, v *ItemView) error {
	c.Response().Header().Set("ETag", etag.Of(v.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, httpserver.APIPrefix+"/items/"+v.ID.String())
	}
	return c.JSON(status, ToItemResponse(v))
}

// list answers GET /items.
//
//	@Summary		List supervision items
//	@Description	The items the caller may see (their scope for supervisors, leaders, admins and auditors; otherwise those they initiated or their units take part in), filtered and paged in the database. `overdue`, `light` and `days_remaining` are derived from the deadline, the milestones and the working-day calendar; `light` is red (overdue), yellow (a milestone missed, or a unit's feedback missed by more than feedback_grace_workdays working days while the item is issued or in progress), blue (deadline or a milestone within blue_workdays working days of GET /settings/warnings, default 3), green, or none (not open: draft, closed, archived, cancelled); a light cleared by the supervision office (摘牌) shows green with warning_cleared until the underlying light gets worse or the deadline moves, and the light filter agrees. Sort keys: deadline, code, created_at, updated_at, issued_at, title, state, urgency, progress (prefix - for descending; default -created_at); nulls sort last. For synchronisation, give `cursor` (empty to start) or `updated_since`: the list is then in the order items were last changed (oldest first), `next_cursor` continues it and `has_more` says whether another page is ready; a cursor never skips nor repeats a change under concurrent writes (see docs/integrations.md). `ids` picks items by id in either mode.
//	@ID				listItems
//	@Tags			items
//	@Produce		json
//	@Param			state			query		[]string	false	"states, comma separated"	collectionFormat(csv)	Enums(draft,pending_approval,approved,issued,in_progress,suspended,completion_requested,closed,archived,cancelled)
//	@Param			category		query		string	false	"category"	Enums(important_matter, document)
//	@Param			source			query		string	false	"source"
//	@Param			lead_unit_id	query		string	false	"lead unit"	format(uuid)
//	@Param			unit_id			query		string	false	"lead or cooperating unit, or a live assignment"	format(uuid)
//	@Param			leader_id		query		string	false	"supervising or assisting leader"	format(uuid)
//	@Param			deadline_from	query		string	false	"deadline on or after"	format(date)
//	@Param			deadline_to		query		string	false	"deadline on or before"	format(date)
//	@Param			overdue			query		bool	false	"only overdue (true) or not overdue (false) items"
//	@Param			was_overdue		query		bool	false	"only items that ran past a deadline before a new one was set (true), or the others (false): the stored overdue record"
//	@Param			light			query		string	false	"warning light"	Enums(red, yellow, blue, green, none)
//	@Param			q				query		string	false	"search in code, title, content and document number (文号)"
//	@Param			parent_id		query		string	false	"sub-items of this item; none for top-level items only"
//	@Param			tag				query		string	false	"items with this tag"
//	@Param			doc_number		query		string	false	"items whose document number (文号) contains this"
//	@Param			supervising_leader_id	query	string	false	"supervising leader (主管领导) only"	format(uuid)
//	@Param			cooperating_unit_id		query	string	false	"items naming this cooperating unit (配合部门)"	format(uuid)
//	@Param			issued_from		query		string	false	"issued on or after (company time zone)"	format(date)
//	@Param			issued_to		query		string	false	"issued on or before"	format(date)
//	@Param			closed_from		query		string	false	"closed on or after"	format(date)
//	@Param			closed_to		query		string	false	"closed on or before"	format(date)
//	@Param			on_time			query		bool	false	"closed or archived items closed by (true) or after (false) their original deadline"
//	@Param			scope_id		query		string	false	"supervision scope (group or enterprise)"	format(uuid)
//	@Param			sort			query		string	false	"sort keys"	example(-deadline,code)
//	@Param			ids				query		[]string	false	"only these items (at most 100), comma separated"	collectionFormat(csv)
//	@Param			updated_since	query		string	false	"only items changed at or after this time (RFC 3339); lists in change order with next_cursor"	format(date-time)
//	@Param			cursor			query		string	false	"the next_cursor of the previous page; empty to start: lists in change order (sort and page are ignored)"
//	@Param			page			query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size		query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200				{object}	ItemListResponse
//	@Failure		400				{object}	problem.Problem
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	f, err := ParseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	sq, err := changes.ParseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	if sq.Sync {
		cp, err := h.s.Changes(c.Request().Context(), p, f, sq)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, ToItemChangesResponse(cp, sq.Limit))
	}
	f.IDs = sq.IDs
	pg, err := h.s.List(c.Request().Context(), p, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToItemListResponse(pg))
}

// create answers POST /items.
//
//	@Summary		Create a supervision item (a draft)
//	@Description	Members propose (立项建议), supervisors register, leaders instruct; admins and auditors may not. The item starts as a draft in the caller's scope with the caller as initiator. title, content, category, source, lead_unit_id and deadline are required; method defaults to special, urgency to normal, feedback_cadence to none. Units must belong to the item's scope (or be an enterprise directly under it); leaders must have the leader role in the scope; the deadline must not be in the past. A sub-item (parent_id) is added by the parent's supervision office or lead unit; with scope_id of an enterprise under the parent's scope it is handed down to that enterprise, whose supervision office then runs it. notice_issuer_unit_id defaults from the source (第十四条).
//	@ID				createItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			body	body		CreateItemRequest	true	"the new item"
//	@Success		201		{object}	ItemResponse
//	@Header			201		{string}	ETag	"the version, quoted"
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateItemRequest](c)
	if err != nil {
		return err
	}
	in, err := ToItemInput(req)
	if err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, in)
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusCreated, v)
}

// get answers GET /items/{id}.
//
//	@Summary		Read a supervision item
//	@Description	With the derived fields (overdue, light, days_remaining), the roll-up of its sub-items (children_progress) and the caller's allowed_actions. The ETag header carries the version for If-Match. 404 when absent or not visible to the caller.
//	@ID				getItem
//	@Tags			items
//	@Produce		json
//	@Param			id	path		string	true	"item id"	format(uuid)
//	@Success		200	{object}	ItemResponse
//	@Header			200	{string}	ETag	"the version, quoted"
//	@Failure		401	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id} [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	v, err := h.s.Get(c.Request().Context(), p, id)
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusOK, v)
}

// update answers PATCH /items/{id}.
//
//	@Summary		Edit a supervision item
//	@Description	Absent fields stay. The initiator and the supervision office edit a draft; afterwards only the supervision office, until the item completes. category, source, supervising_leader_id and initiator_unit_id change only in a draft; lead_unit_id, cooperating_unit_ids and deadline only before issue (later through the assignments and the deadline endpoint): other changes to them answer 422. Send If-Match with the ETag: a stale one answers 412.
//	@ID				updateItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string				true	"item id"	format(uuid)
//	@Param			If-Match	header		string				false	"the ETag of the copy being changed"
//	@Param			body		body		UpdateItemRequest	true	"the fields to change"
//	@Success		200			{object}	ItemResponse
//	@Header			200			{string}	ETag	"the new version, quoted"
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id} [patch]
func (h handlers) update(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[UpdateItemRequest](c)
	if err != nil {
		return err
	}
	in, err := ToItemPatch(req)
	if err != nil {
		return err
	}
	v, err := h.s.Update(c.Request().Context(), p, id, in, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusOK, v)
}

// remove answers DELETE /items/{id}.
//
//	@Summary		Delete a draft
//	@Description	Only drafts, by their initiator or the supervision office; a draft with sub-items answers 409 item_has_sub_items. The deletion is kept in the audit log. Honours If-Match.
//	@ID				deleteItem
//	@Tags			items
//	@Param			id			path	string	true	"item id"	format(uuid)
//	@Param			If-Match	header	string	false	"the ETag of the copy being deleted"
//	@Success		204
//	@Failure		401	{object}	problem.Problem
//	@Failure		403	{object}	problem.Problem
//	@Failure		404	{object}	problem.Problem
//	@Failure		409	{object}	problem.Problem
//	@Failure		412	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id} [delete]
func (h handlers) remove(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	if err := h.s.Delete(c.Request().Context(), p, id, httpserver.IfMatch(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// events answers GET /items/{id}/events.
//
//	@Summary		The item's timeline
//	@Description	Every change and action, oldest first: who, when, what, state before and after, the changed fields and the comment. Each event carries the hash of the previous one (prev_hash) and its own (hash), so an edited or removed event shows (`duban audit verify`). Paged like lists, 100 events per page by default.
//	@ID				listItemEvents
//	@Tags			items
//	@Produce		json
//	@Param			id			path		string	true	"item id"	format(uuid)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(100)	minimum(1)	maximum(100)
//	@Success		200			{object}	EventListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/events [get]
func (h handlers) events(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParamsSized(c, MaxPageSize)
	if err != nil {
		return err
	}
	out, err := h.s.ListEvents(c.Request().Context(), p, id, pg)
	if err != nil {
		return err
	}
	res := EventListResponse{Data: make([]EventResponse, len(out.Events)), Total: out.Total, Page: pg.Page, PageSize: pg.Size}
	for i := range out.Events {
		res.Data[i] = ToEventResponse(&out.Events[i])
	}
	return c.JSON(http.StatusOK, res)
}
