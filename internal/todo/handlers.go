package todo

import (
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// EntryResponse is one thing waiting for the caller.
type EntryResponse struct {
	ItemID uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	Code   *string   `json:"code" example:"DB-2026-0001"`
	Title  string    `json:"title" example:"落实年度安全生产工作会议部署"`
	// ItemState is the item's state.
	ItemState string     `json:"item_state" example:"in_progress"`
	Deadline  civil.Date `json:"deadline" swaggertype:"string" format:"date" example:"2026-06-30"`
	// Light is the item's warning light as on the item's read (a cleared light
	// shows green with warning_cleared).
	Light          string `json:"light" enums:"red,yellow,blue,green,none" example:"blue"`
	WarningCleared bool   `json:"warning_cleared"`
	Overdue        bool   `json:"overdue"`
	// RefID names the thing to act on, of type ref_type: an assignment (accept it,
	// or write its unit's feedback), a feedback, an urge, an extension request, a
	// completion request. Absent when the item itself is the thing (approvals,
	// verifications_due, overdue).
	RefID   *uuid.UUID `json:"ref_id,omitempty" swaggertype:"string" format:"uuid"`
	RefType string     `json:"ref_type,omitempty" enums:"assignment,feedback,urge,extension,completion_request,comment" example:"assignment"`
	// UnitID is the caller's unit concerned (assignments, feedback, urges) or the
	// requesting unit (extension and completion requests).
	UnitID *uuid.UUID `json:"unit_id,omitempty" swaggertype:"string" format:"uuid"`
	// Since is when it started waiting (submitted, assigned, urged, requested,
	// closed; for feedback_to_write the due date; for overdue the day after the
	// deadline).
	Since time.Time `json:"since"`
	// DueDate is when the feedback is due (feedback_to_write only).
	DueDate *civil.Date `json:"due_date,omitempty" swaggertype:"string" format:"date" example:"2026-03-31"`
} // @name TodoEntry

// GroupResponse is one kind of thing waiting.
type GroupResponse struct {
	Key string `json:"key" enums:"approvals,to_issue,assignments_to_accept,returned_assignments,feedback_to_write,feedback_to_submit,feedback_to_review,urges_to_acknowledge,extension_decisions,completion_decisions,verifications_due,overdue,drafts_returned,rework,instructions,feedback_returned,my_assignments" example:"approvals"`
	// Count is how many there are; items holds the first 20, oldest first.
	Count int             `json:"count" example:"3"`
	Items []EntryResponse `json:"items"`
} // @name TodoGroup

// Response is the caller's to-do list.
type Response struct {
	// Groups lists every group, in a fixed order, empty ones included.
	Groups []GroupResponse `json:"groups"`
	// Total is the sum of the counts.
	Total int `json:"total" example:"5"`
} // @name Todo

// ToResponse renders the groups.
func ToResponse(groups []Group) Response {
	out := Response{Groups: make([]GroupResponse, len(groups)), Total: Total(groups)}
	for i, g := range groups {
		gr := GroupResponse{Key: g.Key, Count: g.Count, Items: make([]EntryResponse, len(g.Entries))}
		for j, e := range g.Entries {
			v := &e.Item
			gr.Items[j] = EntryResponse{ItemID: e.ItemID, Code: v.Code, Title: v.Title, ItemState: string(v.State),
				Deadline: v.Deadline, Light: v.Light, WarningCleared: v.Clear != nil, Overdue: v.Overdue,
				RefID: e.RefID, RefType: e.RefType, UnitID: e.UnitID, Since: e.Since, DueDate: e.DueDate}
		}
		out.Groups[i] = gr
	}
	return out
}

// Mount registers the to-do route; r authenticates every request.
func Mount(r httpserver.Router, s *Service) {
	h := handlers{s: s}
	r.GET("/me/todo", h.get)
	r.GET("/todo", h.feed)
}

// PersonTodo is one person's to-do list in the organisation's feed.
type PersonTodo struct {
	UserID      uuid.UUID `json:"user_id" format:"uuid"`
	Username    string    `json:"username" example:"zhang.wei"`
	DisplayName string    `json:"display_name" example:"张伟"`
	OrgUnitID   uuid.UUID `json:"org_unit_id" format:"uuid"`
	Todo        Response  `json:"todo"`
} // @name PersonTodo

// FeedResponse is a page of the organisation's to-do feed.
type FeedResponse struct {
	Data     []PersonTodo `json:"data"`
	Total    int64        `json:"total" example:"12"`
	Page     int          `json:"page" example:"1"`
	PageSize int          `json:"page_size" example:"20"`
} // @name TodoFeed

// feed answers GET /todo.
//
//	@Summary		The organisation's to-do feed
//	@Description	For each active person of the unit (and of its sub-units with subunits=true), in display-name order, their to-do list exactly as GET /me/todo computes it for them, so that an OA system can mirror every person's 待办 without holding their tokens. Readers: admins (every unit); the supervision office's supervisors and leaders (the units of their scope); a service account (token scope todo:read) for the units under its owning unit within its scope — an account owned by an enterprise's (or the group's) own unit reads that scope, one owned by a department reads that department. Anyone else: 403. Paginated by person.
//	@ID				getTodoFeed
//	@Tags			todo
//	@Produce		json
//	@Param			unit_id		query		string	true	"the unit"	format(uuid)
//	@Param			subunits	query		bool	false	"the units under it too (those the caller may read)"
//	@Param			page		query		int		false	"page, from 1"	default(1)	minimum(1)
//	@Param			page_size	query		int		false	"people per page"	default(20)	minimum(1)	maximum(100)
//	@Success		200			{object}	FeedResponse
//	@Failure		401			{object}	problem.Problem
//	@Failure		403			{object}	problem.Problem	"forbidden, insufficient_scope"
//	@Failure		404			{object}	problem.Problem
//	@Failure		422			{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/todo [get]
func (h handlers) feed(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	pg, err := httpserver.PageParams(c)
	if err != nil {
		return err
	}
	unit, err := uuid.Parse(c.QueryParam("unit_id"))
	if err != nil {
		return problem.Field("unit_id", "uuid", "is required: the unit's id")
	}
	subunits := false
	if v := c.QueryParam("subunits"); v != "" {
		if subunits, err = strconv.ParseBool(v); err != nil {
			return problem.Field("subunits", "bool", "must be true or false")
		}
	}
	page, err := h.s.Feed(c.Request().Context(), p, unit, subunits, pg)
	if err != nil {
		return err
	}
	out := FeedResponse{Data: make([]PersonTodo, 0, len(page.People)), Total: page.Total, Page: pg.Page, PageSize: pg.Size}
	for _, person := range page.People {
		out.Data = append(out.Data, PersonTodo{UserID: person.UserID, Username: person.Username,
			DisplayName: person.DisplayName, OrgUnitID: person.OrgUnitID, Todo: ToResponse(person.Groups)})
	}
	return c.JSON(http.StatusOK, out)
}

type handlers struct{ s *Service }

// get answers GET /me/todo.
//
//	@Summary		What waits for me
//	@Description	The caller's to-do list, grouped and counted; each group shows its first 20 entries, oldest first. Groups: approvals (items pending approval where the caller is the supervising leader, or the supervision office of the scope when the item has none); to_issue (approved items of the scope, for its supervision office to issue); assignments_to_accept (pending assignments of units the caller heads or liaises for); returned_assignments (assignments a unit returned (退回) on a running item of the scope after which nobody was assigned, for its supervision office to reassign); feedback_to_write (live assignments of the caller's units, or naming them responsible, whose next feedback is due within the blue warning threshold or overdue, by the feedback cadence, without a report in the works); feedback_to_submit (draft or returned feedback of units the caller heads or liaises for that still hold a live assignment); feedback_to_review (submitted feedback on items of the scope, for its supervision office); urges_to_acknowledge (urges of units the caller heads or liaises for); feedback and urges only for those who write follow-up (members, supervisors, leaders); extension_decisions and completion_decisions (requested ones for the supervision office of the scope, forwarded ones for the supervising leader, or the supervision office when the item has none; never the caller's own); verifications_due (closed items of the scope not yet verified, for the supervision office); overdue (open overdue items the caller answers for: their units lead, cooperate or hold a live assignment, or the supervision office of the scope); drafts_returned (drafts the caller may submit that the leader rejected at 立项); rework (items in progress whose lead unit the caller heads or liaises for, whose completion was refused (退办) or that a failed verification reopened (反弹), with no completion request open); instructions (leaders' instructions (批示) on running items led by a unit the caller heads or liaises for, until the unit submits a report at or after them; ref_type comment); feedback_returned (reports the caller wrote that the office returned, while they may still edit them); my_assignments (live assignments naming the caller as responsible person (承办人) while the item runs). Only items the caller may see. Each group is the rule of the action it waits for (the same as the allowed_actions of the thing); a read-only token shows its user's list.
//	@ID				getMyTodo
//	@Tags			todo
//	@Produce		json
//	@Success		200	{object}	Response
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/me/todo [get]
func (h handlers) get(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	groups, err := h.s.For(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToResponse(groups))
}
