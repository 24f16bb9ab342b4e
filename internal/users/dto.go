package users

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/problem"
)

// CreateUserRequest is the body of POST /users.
type CreateUserRequest struct {
	// Username: 3 to 64 characters of a-z, 0-9, dot, underscore and hyphen.
	Username    string `json:"username" validate:"required,max=64" example:"zhang.wei"`
	DisplayName string `json:"display_name" validate:"required,max=100" example:"张伟"`
	// Password: at least 8 characters with letters and digits, not containing the
	// username. The user must change it at the first login.
	Password  string `json:"password" validate:"required,max=128" example:"Initial-2026"`
	OrgUnitID string `json:"org_unit_id" validate:"required,uuid" format:"uuid"`
	// Roles: at least one of admin, supervisor, leader, member, auditor.
	Roles []string `json:"roles" validate:"required" enums:"admin,supervisor,leader,member,auditor" example:"member"`
	Email string   `json:"email,omitempty" validate:"max=200" example:"zhang.wei@example.com"`
	Phone string   `json:"phone,omitempty" validate:"max=50" example:"13800000000"`
	Title string   `json:"title,omitempty" validate:"max=100" example:"副主任"`
} // @name CreateUserRequest

// UpdateUserRequest is the body of PATCH /users/{id}: absent fields stay.
type UpdateUserRequest struct {
	DisplayName *string `json:"display_name,omitempty" validate:"omitempty,max=100" example:"张伟"`
	OrgUnitID   *string `json:"org_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// Roles replaces the roles (at least one).
	Roles []string `json:"roles,omitempty" enums:"admin,supervisor,leader,member,auditor" example:"member"`
	Email *string  `json:"email,omitempty" validate:"omitempty,max=200" example:"zhang.wei@example.com"`
	Phone *string  `json:"phone,omitempty" validate:"omitempty,max=50"`
	Title *string  `json:"title,omitempty" validate:"omitempty,max=100"`
	// Active false deactivates the account: it can no longer sign in, its sessions
	// end, and it stops being head or liaison of any unit.
	Active *bool `json:"active,omitempty"`
	// Password resets the password; the user must change it at the next login and
	// every session of theirs ends.
	Password *string `json:"password,omitempty" validate:"omitempty,max=128"`
	// Version, when given, must be the current version (like If-Match).
	Version *int `json:"version,omitempty" example:"3"`
	// Handover names who takes the posts of a person deactivated or moved (see
	// GET /users/{id}/holdings); absent successors take the defaults.
	Handover *HandoverRequest `json:"handover,omitempty"`
} // @name UpdateUserRequest

// UserResponse is an account as read. Fields marked "full view" are present only
// for admins and for the user themself.
type UserResponse struct {
	ID          string   `json:"id" format:"uuid"`
	Username    string   `json:"username" example:"zhang.wei"`
	DisplayName string   `json:"display_name" example:"张伟"`
	OrgUnitID   string   `json:"org_unit_id" format:"uuid"`
	OrgUnitName string   `json:"org_unit_name" example:"规划发展部"`
	Roles       []string `json:"roles" example:"member"`
	Title       string   `json:"title" example:"副主任"`
	Active      bool     `json:"active"`
	// Kind is person, or service for a service account (an integration acting
	// through API tokens).
	Kind string `json:"kind" enums:"person,service" example:"person"`
	// Email: full view only.
	Email *string `json:"email,omitempty" example:"zhang.wei@example.com"`
	// Phone: full view only.
	Phone *string `json:"phone,omitempty" example:"13800000000"`
	// MustChangePassword: full view only.
	MustChangePassword *bool `json:"must_change_password,omitempty"`
	// EmployeeNo (工号): full view only; absent when the account has none.
	EmployeeNo *string `json:"employee_no,omitempty" example:"E1001"`
	// Source says who keeps the account: local (by hand), import (the Excel
	// import), ldap (the directory), oidc (made at a first SSO login). Full view only.
	Source *string `json:"source,omitempty" enums:"local,import,ldap,oidc" example:"local"`
	// Version: full view only; the ETag of GET carries it too.
	Version *int `json:"version,omitempty" example:"1"`
	// CreatedAt: full view only.
	CreatedAt *time.Time `json:"created_at,omitempty" format:"date-time"`
	// UpdatedAt: full view only.
	UpdatedAt *time.Time `json:"updated_at,omitempty" format:"date-time"`
	// AllowedActions lists what the caller may do: update (admins).
	AllowedActions []string `json:"allowed_actions" example:"update"`
} // @name User

// UserList is a page of users.
type UserList struct {
	Data     []UserResponse `json:"data"`
	Total    int64          `json:"total" example:"42"`
	Page     int            `json:"page" example:"1"`
	PageSize int            `json:"page_size" example:"20"`
} // @name UserList

// ToUserResponse converts an account for p: the full view for admins and the user
// themself, the directory fields for everyone else.
func ToUserResponse(a *Account, p *access.Principal, v Visibility) UserResponse {
	roles := a.Roles
	if roles == nil {
		roles = []string{}
	}
	out := UserResponse{
		ID: a.ID.String(), Username: a.Username, DisplayName: a.DisplayName, OrgUnitID: a.OrgUnitID.String(),
		OrgUnitName: a.UnitName, Roles: roles, Title: a.Title, Active: a.Active, AllowedActions: Actions(p, a, v),
		Kind: a.Kind,
	}
	if out.Kind == "" {
		out.Kind = KindPerson
	}
	if FullView(p, a) {
		email, phone, must, version := a.Email, a.Phone, a.MustChangePassword, a.Version
		created, updated := a.CreatedAt, a.UpdatedAt
		out.Email, out.Phone, out.MustChangePassword, out.Version = &email, &phone, &must, &version
		out.CreatedAt, out.UpdatedAt = &created, &updated
		out.EmployeeNo = a.EmployeeNo
		source := a.Source
		if source == "" {
			source = "local"
		}
		out.Source = &source
	}
	return out
}

// ToNewUser converts a validated create request.
func ToNewUser(r CreateUserRequest) (NewUser, error) {
	unit, err := uuid.Parse(r.OrgUnitID)
	if err != nil {
		return NewUser{}, problem.Field("org_unit_id", "uuid", "must be a UUID")
	}
	return NewUser{Username: r.Username, DisplayName: r.DisplayName, Password: r.Password, OrgUnitID: unit,
		Roles: r.Roles, Email: r.Email, Phone: r.Phone, Title: r.Title}, nil
}

// ToChanges converts a validated update request; ifMatch comes from If-Match.
func ToChanges(r UpdateUserRequest, ifMatch etag.Precondition) (Changes, error) {
	ch := Changes{DisplayName: r.DisplayName, Roles: r.Roles, Email: r.Email, Phone: r.Phone, Title: r.Title,
		Active: r.Active, Password: r.Password, IfMatch: ifMatch}
	if r.Version != nil {
		switch {
		case ifMatch == nil:
			ch.IfMatch = []int{*r.Version}
		case !containsInt(ifMatch, *r.Version):
			ch.IfMatch = []int{} // header and body disagree: nothing can match
		}
	}
	succ, err := r.Handover.ToSuccessors("handover.")
	if err != nil {
		return ch, err
	}
	ch.Handover = succ
	if r.OrgUnitID != nil {
		unit, err := uuid.Parse(*r.OrgUnitID)
		if err != nil {
			return ch, problem.Field("org_unit_id", "uuid", "must be a UUID")
		}
		ch.OrgUnitID = &unit
	}
	return ch, nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
