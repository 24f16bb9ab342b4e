package urges

import (
	"time"

	"github.com/google/uuid"
)

// CreateUrgeRequest is the body of POST /items/{id}/urges.
type CreateUrgeRequest struct {
	// UnitID is the unit urged; it defaults to the item's lead unit and must hold a
	// live assignment on the item.
	UnitID  string `json:"unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	Message string `json:"message" validate:"required,max=2000" example:"该事项距办结时限不足5个工作日，请抓紧办理并及时反馈进展。"`
} // @name NewUrge

// UrgeResponse is an urge as read.
type UrgeResponse struct {
	ID     uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	ItemID uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	UnitID uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	// Kind: manual (the supervision office) or auto (a reminder).
	Kind    string `json:"kind" enums:"manual,auto"`
	Message string `json:"message"`
	// CreatedBy is null for automatic urges.
	CreatedBy      *uuid.UUID `json:"created_by" swaggertype:"string" format:"uuid"`
	CreatedAt      time.Time  `json:"created_at"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	AcknowledgedBy *uuid.UUID `json:"acknowledged_by" swaggertype:"string" format:"uuid"`
	// AllowedActions: acknowledge.
	AllowedActions []string `json:"allowed_actions"`
	Version        int      `json:"version"`
} // @name Urge

// UrgeCountResponse is how often a unit was urged on the item.
type UrgeCountResponse struct {
	UnitID         uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	Total          int       `json:"total" example:"3"`
	Unacknowledged int       `json:"unacknowledged" example:"1"`
} // @name UrgeCount

// UrgeListResponse is a page of an item's urges with the counts per unit.
type UrgeListResponse struct {
	Data     []UrgeResponse      `json:"data"`
	Total    int64               `json:"total"`
	Page     int                 `json:"page"`
	PageSize int                 `json:"page_size"`
	Counts   []UrgeCountResponse `json:"counts"`
	// AllowedActions: create, when the caller may urge on the item now.
	AllowedActions []string `json:"allowed_actions" example:"create"`
} // @name UrgeList

// ToResponse renders an urge view.
func ToResponse(v *View) UrgeResponse {
	actions := v.AllowedActions
	if actions == nil {
		actions = []string{}
	}
	u := &v.Urge
	return UrgeResponse{ID: u.ID, ItemID: u.ItemID, UnitID: u.UnitID, Kind: string(u.Kind), Message: u.Message,
		CreatedBy: u.CreatedBy, CreatedAt: u.CreatedAt.UTC(), AcknowledgedAt: u.AcknowledgedAt, AcknowledgedBy: u.AcknowledgedBy,
		AllowedActions: actions, Version: u.Version}
}

// ToCountResponse renders a unit's count.
func ToCountResponse(c Count) UrgeCountResponse {
	return UrgeCountResponse{UnitID: c.UnitID, Total: c.Total, Unacknowledged: c.Unacknowledged}
}
