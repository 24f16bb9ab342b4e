package urges

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/changes"
	"github.com/duban/duban/internal/items"
)

// UrgeChangesResponse is a page of urges across items in change order.
type UrgeChangesResponse struct {
	Data []UrgeResponse `json:"data"`
	// HasMore: another page is ready now; otherwise poll later with next_cursor.
	HasMore bool `json:"has_more" example:"false"`
	// NextCursor: pass it as cursor for the changes after this page.
	NextCursor string `json:"next_cursor" example:"djE6MTIzOjAxOTNh..."`
} // @name UrgeChanges

// Changes pages the urges of every item p sees in change order; each row is
// read as an item's urges list reads it.
func (s *Service) Changes(ctx context.Context, p *access.Principal, f changes.Filter, q changes.Query) (*changes.ListPage[View], error) {
	vis, args := items.VisibleSQL(p)
	t := changes.Table{Name: "item_urges", Updated: "COALESCE(item_urges.acknowledged_at, item_urges.created_at)"}
	return changes.List(ctx, s.db, t, vis, args, f, q, func(ctx context.Context, id uuid.UUID) (View, error) {
		v, err := s.get(ctx, p, id)
		if err != nil {
			return View{}, err
		}
		return *v, nil
	})
}

// changes answers GET /urges.
//
//	@Summary		Urges across items, in change order (sync)
//	@Description	Every urge of the items the caller sees (as GET /items lists them), oldest change first, for integrators that keep a copy: start with no cursor (or updated_since), then pass next_cursor back; has_more says whether another page is ready now. A cursor never skips nor repeats a change, whatever commits concurrently (docs/integrations.md). An urge changes when it is acknowledged.
//	@ID				listUrgeChanges
//	@Tags			urges
//	@Produce		json
//	@Param			item_id			query		string		false	"only this item's"	format(uuid)
//	@Param			unit_id			query		string		false	"only this unit's"	format(uuid)
//	@Param			updated_since	query		string		false	"only those changed at or after this time (RFC 3339)"	format(date-time)
//	@Param			ids				query		[]string	false	"only these (at most 100), comma separated"	collectionFormat(csv)
//	@Param			cursor			query		string		false	"next_cursor of the previous page; absent or empty to start"
//	@Param			page_size		query		int			false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200				{object}	UrgeChangesResponse
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/urges [get]
func (h handlers) changes(c echo.Context) error {
	data, more, next, err := changes.Serve(c, h.s.Changes, ToResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UrgeChangesResponse{Data: data, HasMore: more, NextCursor: next})
}

// get reads one urge for p: 404 when p does not see its item.
func (s *Service) get(ctx context.Context, p *access.Principal, id uuid.UUID) (*View, error) {
	u, err := find(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.items.Load(ctx, p, u.ItemID, false); err != nil {
		return nil, err
	}
	return &View{Urge: *u, AllowedActions: AllowedActions(p, u)}, nil
}
