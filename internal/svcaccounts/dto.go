package svcaccounts

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/audit"
)

// CreateRequest is the body of POST /service-accounts.
type CreateRequest struct {
	// Username names the account in lists and the audit log: 3 to 64 characters
	// of a-z, 0-9, dot, underscore and hyphen.
	Username    string `json:"username" validate:"required,max=64" example:"oa-bot"`
	DisplayName string `json:"display_name" validate:"required,max=100" example:"OA 系统"`
	// OrgUnitID is the owning unit: a department, or the group's or an
	// enterprise's own unit to own it for that whole supervision scope.
	OrgUnitID   string `json:"org_unit_id" validate:"required,uuid" format:"uuid"`
	Description string `json:"description,omitempty" validate:"max=100" example:"OA 待办同步"`
	// Role is what a person of the unit would hold: member (the default),
	// supervisor, leader or auditor; never admin.
	Role string `json:"role,omitempty" validate:"omitempty,oneof=member supervisor leader auditor" enums:"member,supervisor,leader,auditor" example:"member"`
} // @name CreateServiceAccountRequest

// UpdateRequest is the body of PATCH /service-accounts/{id}: absent fields stay.
type UpdateRequest struct {
	DisplayName *string `json:"display_name,omitempty" validate:"omitempty,max=100" example:"OA 系统"`
	Description *string `json:"description,omitempty" validate:"omitempty,max=100"`
	// Active false disables the account: its tokens answer 401 from the next
	// request on, in every process.
	Active *bool `json:"active,omitempty"`
} // @name UpdateServiceAccountRequest

// Account is a service account as admins read it.
type Account struct {
	ID          uuid.UUID `json:"id" format:"uuid"`
	Username    string    `json:"username" example:"oa-bot"`
	DisplayName string    `json:"display_name" example:"OA 系统"`
	Kind        string    `json:"kind" enums:"service" example:"service"`
	OrgUnitID   uuid.UUID `json:"org_unit_id" format:"uuid"`
	OrgUnitName string    `json:"org_unit_name" example:"规划发展部"`
	// Owner is unit when a department owns the account, scope when the group's or
	// an enterprise's own unit does (the account then speaks for that scope).
	Owner       string   `json:"owner" enums:"unit,scope" example:"unit"`
	Description string   `json:"description" example:"OA 待办同步"`
	Roles       []string `json:"roles" example:"member"`
	Active      bool     `json:"active"`
	// Tokens counts the account's tokens not revoked.
	Tokens     int64      `json:"tokens" example:"1"`
	LastUsedAt *time.Time `json:"last_used_at" format:"date-time" extensions:"x-nullable"`
	CreatedAt  time.Time  `json:"created_at"`
} // @name ServiceAccount

// List is a page of service accounts.
type List struct {
	Data     []Account `json:"data"`
	Total    int64     `json:"total" example:"1"`
	Page     int       `json:"page" example:"1"`
	PageSize int       `json:"page_size" example:"20"`
} // @name ServiceAccountList

// Activity is one entry of the audit log a service account is the actor of.
type Activity struct {
	ID         uuid.UUID      `json:"id" format:"uuid"`
	At         time.Time      `json:"at"`
	Action     string         `json:"action" example:"service_account.request"`
	TargetType string         `json:"target_type" example:"route"`
	TargetID   string         `json:"target_id" example:"POST /api/v1/items/{id}/feedback"`
	IP         string         `json:"ip" example:"10.20.1.7"`
	Details    map[string]any `json:"details"`
} // @name ServiceAccountActivity

// ActivityList is a page of a service account's activity.
type ActivityList struct {
	Data     []Activity `json:"data"`
	Total    int64      `json:"total" example:"1"`
	Page     int        `json:"page" example:"1"`
	PageSize int        `json:"page_size" example:"20"`
} // @name ServiceAccountActivityList

func (a account) view() Account {
	owner := "unit"
	if a.UnitKind != "department" {
		owner = "scope"
	}
	return Account{
		ID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Kind: "service", OrgUnitID: a.OrgUnitID,
		OrgUnitName: a.UnitName, Owner: owner, Description: a.Title, Roles: append([]string{}, a.Roles...), Active: a.Active,
		Tokens: a.TokenCount, LastUsedAt: a.LastUsedAt, CreatedAt: a.CreatedAt,
	}
}

func toActivity(e audit.Event) Activity {
	d := map[string]any{}
	_ = json.Unmarshal([]byte(e.Details), &d)
	return Activity{ID: e.ID, At: e.At, Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, IP: e.IP, Details: d}
}
