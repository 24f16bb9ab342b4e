package comments

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// list answers GET /items/{id}/comments.
//
//	@Summary		An item's instructions (批示), coordination records and comments
//	@Description	Oldest first (they read as a thread), for everyone who sees the item. `allowed_kinds` are the kinds the caller may write now.
//	@ID				listComments
//	@Tags			comments
//	@Produce		json
//	@Param			id			path		string	true	"item id"	format(uuid)
//	@Param			kind		query		string	false	"kinds, comma separated"	example(instruction,coordination)
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	CommentListResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/comments [get]
func (h handlers) list(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	f := Filter{Page: pg}
	if v := c.QueryParam("kind"); v != "" {
		for _, s := range strings.Split(v, ",") {
			k := Kind(strings.TrimSpace(s))
			if !k.Valid() {
				return problem.Field("kind", "oneof", "must be instruction, comment or coordination (comma separated)")
			}
			f.Kinds = append(f.Kinds, k)
		}
	}
	out, err := h.s.List(c.Request().Context(), p, id, f)
	if err != nil {
		return err
	}
	res := CommentListResponse{Data: make([]CommentResponse, len(out.Views)), Total: out.Total, Page: pg.Page,
		PageSize: pg.Size, AllowedKinds: out.AllowedKinds}
	for i := range out.Views {
		res.Data[i] = ToResponse(&out.Views[i])
	}
	return c.JSON(http.StatusOK, res)
}

// create answers POST /items/{id}/comments.
//
//	@Summary		Write an instruction (批示), a coordination record or a comment
//	@Description	instruction: a company leader of the item's scope (any, not only the supervising leader) or a leader named on the item; coordination (协调意见, 协调会记录): the supervision office of the item's scope; comment: anyone who sees the item and may write. Admins, auditors and read-only credentials write nothing (403). Not on drafts, archived or cancelled items (409). Appends an event named after the kind, with the text, to the item's timeline; attachment_ids are claimed like feedback's (422 attachment_ids[i], nothing written). Comments are never edited.
//	@ID				createComment
//	@Tags			comments
//	@Accept			json
//	@Produce		json
//	@Param			id		path		string					true	"item id"	format(uuid)
//	@Param			body	body		CreateCommentRequest	true	"the comment"
//	@Success		201		{object}	CommentResponse
//	@Failure		400		{object}	problem.Problem
//	@Failure		401		{object}	problem.Problem
//	@Failure		403		{object}	problem.Problem
//	@Failure		404		{object}	problem.Problem
//	@Failure		409		{object}	problem.Problem
//	@Failure		422		{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/items/{id}/comments [post]
func (h handlers) create(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	id, err := httpserver.PathUUID(c, "id", "item")
	if err != nil {
		return err
	}
	req, err := httpserver.Bind[CreateCommentRequest](c)
	if err != nil {
		return err
	}
	in := Input{Kind: Kind(req.Kind), Body: req.Body}
	if in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", req.AttachmentIDs); err != nil {
		return err
	}
	v, err := h.s.Create(c.Request().Context(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ToResponse(v))
}
