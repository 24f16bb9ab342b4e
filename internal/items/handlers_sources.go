package items

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/httpserver"
)

// SourceRouteResponse is the route of one source (第十四条) in the caller's scope.
type SourceRouteResponse struct {
	Category string `json:"category" enums:"important_matter,document" example:"important_matter"`
	Source   string `json:"source" example:"board"`
	// NeedsApproval: submitting goes to pending_approval, and the supervising leader
	// (required then) approves; otherwise it goes straight to approved.
	NeedsApproval bool `json:"needs_approval"`
	// IssuerIsLeadUnit: the task notice comes from the item's lead unit; otherwise
	// from issuer_unit_id (董事会办公室, the party-group office or the supervision office).
	IssuerIsLeadUnit bool       `json:"issuer_is_lead_unit"`
	IssuerUnitID     *uuid.UUID `json:"issuer_unit_id" swaggertype:"string" format:"uuid"`
	// OfficeSubmits: only the supervision office submits (documents); otherwise the
	// initiator or the office.
	OfficeSubmits bool `json:"office_submits"`
} // @name SourceRoute

// SourceRouteList is the body of GET /item-sources.
type SourceRouteList struct {
	Data []SourceRouteResponse `json:"data"`
} // @name SourceRouteList

func toSourceRouteResponse(r SourceRoute) SourceRouteResponse {
	return SourceRouteResponse{Category: string(r.Category), Source: string(r.Source), NeedsApproval: r.NeedsApproval,
		IssuerIsLeadUnit: r.IssuerIsLeadUnit, IssuerUnitID: r.IssuerUnitID, OfficeSubmits: r.OfficeSubmits}
}

// sourceRoutes answers GET /item-sources.
//
//	@Summary		Initiation routes by source (第十四条)
//	@Description	For every category and source an item may have: whether the supervising leader must approve it, who issues the task notice (a unit of the caller's scope, or the item's lead unit) and whether only the supervision office may submit it. The item form shows this while an item is registered; Create applies the same rules (notice_issuer_unit_id defaults to the issuer given here).
//	@ID				listItemSources
//	@Tags			items
//	@Produce		json
//	@Success		200	{object}	SourceRouteList
//	@Failure		401	{object}	problem.Problem
//	@Security		BearerAuth
//	@Router			/item-sources [get]
func (h handlers) sourceRoutes(c echo.Context) error {
	p, err := httpserver.Principal(c)
	if err != nil {
		return err
	}
	routes, err := h.s.SourceRoutes(c.Request().Context(), p)
	if err != nil {
		return err
	}
	out := SourceRouteList{Data: make([]SourceRouteResponse, 0, len(routes))}
	for _, r := range routes {
		out.Data = append(out.Data, toSourceRouteResponse(r))
	}
	return c.JSON(http.StatusOK, out)
}
