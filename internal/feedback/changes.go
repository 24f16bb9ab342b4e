package feedback

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/changes"
	"github.com/duban/duban/internal/items"
)

// FeedbackChangesResponse is a page of feedback across items in change order.
type FeedbackChangesResponse struct {
	Data []FeedbackResponse `json:"data"`
	// HasMore: another page is ready now; otherwise poll later with next_cursor.
	HasMore bool `json:"has_more" example:"false"`
	// NextCursor: pass it as cursor for the changes after this page.
	NextCursor string `json:"next_cursor" example:"djE6MTIzOjAxOTNh..."`
} // @name FeedbackChanges

// Changes pages the feedback of every item p sees in change order; each row is
// read as GET /feedback/{id} reads it (drafts only for their unit's people).
func (s *Service) Changes(ctx context.Context, p *access.Principal, f changes.Filter, q changes.Query) (*changes.ListPage[View], error) {
	vis, args := items.VisibleSQL(p)
	t := changes.Table{Name: "item_feedback", Updated: "item_feedback.updated_at"}
	return changes.List(ctx, s.db, t, vis, args, f, q, func(ctx context.Context, id uuid.UUID) (View, error) {
		v, err := s.Get(ctx, p, id)
		if err != nil {
			return View{}, err
		}
		return *v, nil
	})
}

// changes answers GET /feedback.
//
//	@Summary		Feedback across items, in change order (sync)
//	@Description	Every feedback of the items the caller sees (as GET /items lists them; drafts only for the people of their unit), oldest change first, for integrators that keep a copy: start with no cursor (or updated_since), then pass next_cursor back; has_more says whether another page is ready now. A cursor never skips nor repeats a change, whatever commits concurrently (docs/integrations.md). A page may hold fewer rows than page_size when rows it passed are not the caller's to read.
//	@ID				listFeedbackChanges
//	@Tags			feedback
//	@Produce		json
//	@Param			item_id			query		string		false	"only this item's"	format(uuid)
//	@Param			unit_id			query		string		false	"only this unit's"	format(uuid)
//	@Param			updated_since	query		string		false	"only feedback changed at or after this time (RFC 3339)"	format(date-time)
//	@Param			ids				query		[]string	false	"only these (at most 100), comma separated"	collectionFormat(csv)
//	@Param			cursor			query		string		false	"next_cursor of the previous page; absent or empty to start"
//	@Param			page_size		query		int			false	"page size"	default(20)	minimum(1)	maximum(100)
//	@Success		200				{object}	FeedbackChangesResponse
//	@Failure		401				{object}	problem.Problem
//	@Failure		422				{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/feedback [get]
func (h handlers) changes(c echo.Context) error {
	data, more, next, err := changes.Serve(c, h.s.Changes, ToResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, FeedbackChangesResponse{Data: data, HasMore: more, NextCursor: next})
}
