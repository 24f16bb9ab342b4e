package items

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// act runs a simple state action: an optional {comment} body.
func (h handlers) act(c echo.Context, a Action) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	var req ActionRequest
	if c.Request().ContentLength != 0 {
		if req, err = httpserver.Bind[ActionRequest](c); err != nil {
			return err
		}
	}
	v, err := h.s.Act(c.Request().Context(), p, id, a, req.Comment, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusOK, v)
}

// submit answers POST /items/{id}/submit.
//
//	@Summary		Submit a draft
//	@Description	By the initiator or the supervision office. Items from board, party_group, leader_activity and group_meeting skip the leader's approval and go straight to approved; special_meeting and other go to pending_approval (a supervising leader is then required). Documents are registered directly by the supervision office (only a supervisor may submit them; they go to approved). Needs lead_unit_id and a deadline not in the past (422). Honours If-Match; 409 with the state and allowed_actions from any other state.
//	@ID				submitItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	false	"optional comment"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/submit [post]
func (h handlers) submit(c echo.Context) error { return h.act(c, ActSubmit) }

// approve answers POST /items/{id}/approve.
//
//	@Summary		Approve an item (supervising leader)
//	@Description	pending_approval → approved, by the item's supervising leader only.
//	@ID				approveItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	false	"optional comment"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/approve [post]
func (h handlers) approve(c echo.Context) error { return h.act(c, ActApprove) }

// reject answers POST /items/{id}/reject.
//
//	@Summary		Reject an item back to draft (supervising leader)
//	@Description	pending_approval → draft, by the supervising leader; the comment (the reason) is required (422).
//	@ID				rejectItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	true	"the reason"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/reject [post]
func (h handlers) reject(c echo.Context) error { return h.act(c, ActReject) }

// suspend answers POST /items/{id}/suspend.
//
//	@Summary		Suspend an item
//	@Description	in_progress → suspended, by the supervision office; the comment is kept as suspend_reason.
//	@ID				suspendItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	false	"the reason"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/suspend [post]
func (h handlers) suspend(c echo.Context) error { return h.act(c, ActSuspend) }

// resume answers POST /items/{id}/resume.
//
//	@Summary		Resume a suspended item
//	@Description	suspended → in_progress, by the supervision office.
//	@ID				resumeItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	false	"optional comment"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/resume [post]
func (h handlers) resume(c echo.Context) error { return h.act(c, ActResume) }

// cancel answers POST /items/{id}/cancel.
//
//	@Summary		Cancel an item
//	@Description	Any open state → cancelled. The supervision office may cancel until the item closes; the initiator may withdraw it while pending_approval or approved. A draft is deleted instead. The comment (the reason) is required (422).
//	@ID				cancelItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	true	"the reason"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/cancel [post]
func (h handlers) cancel(c echo.Context) error { return h.act(c, ActCancel) }

// archive answers POST /items/{id}/archive.
//
//	@Summary		Archive a closed item (销号)
//	@Description	closed → archived, by the initiator or the supervision office: the item leaves the active ledger.
//	@ID				archiveItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		ActionRequest	false	"optional comment"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/archive [post]
func (h handlers) archive(c echo.Context) error { return h.act(c, ActArchive) }

// issue answers POST /items/{id}/issue.
//
//	@Summary		Issue an approved item (处理单)
//	@Description	approved → issued, by the supervision office of the item's scope. The item gets its code (DB-2026-0001 in the group; DB-<enterprise short name>-2026-0001 in an enterprise; gapless per scope and year), its original_deadline (fixed from now on) and its assignments: exactly one lead and any cooperating units, by default the item's lead and cooperating units; the item's units follow the assignments. The deadline must not be in the past (422).
//	@ID				issueItem
//	@Tags			items
//	@Accept			json
//	@Produce		json
//	@Param			id			path		string			true	"item id"	format(uuid)
//	@Param			If-Match	header		string			false	"the item's ETag"
//	@Param			body		body		IssueRequest	false	"the assignments"
//	@Success		200			{object}	ItemResponse
//	@Failure		400			{object}	problem.Problem
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		409			{object}	problem.Problem
//	@Failure		412			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/issue [post]
func (h handlers) issue(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	var req IssueRequest
	if c.Request().ContentLength != 0 {
		if req, err = httpserver.Bind[IssueRequest](c); err != nil {
			return err
		}
	}
	asgs, err := ToAssignmentInputs(req.Assignments)
	if err != nil {
		return err
	}
	v, err := h.s.Issue(c.Request().Context(), p, id, asgs, req.Comment, httpserver.IfMatch(c))
	if err != nil {
		return err
	}
	return renderItem(c, http.StatusOK, v)
}
