package auth

import (
	"time"

	"github.com/google/uuid"
)

// refreshToken is a row of refresh_tokens: one link of a login session's rotation
// chain. All links of one login share FamilyID.
type refreshToken struct {
	ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
	FamilyID  uuid.UUID `gorm:"type:uuid"`
	UserID    uuid.UUID `gorm:"type:uuid"`
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	UserAgent string
	IP        string
	CreatedAt time.Time
	// SessionStartedAt is when the login that began the family happened; no link
	// of the family lives past it plus the session's maximum age.
	SessionStartedAt *time.Time
}

func (refreshToken) TableName() string { return "refresh_tokens" }

// apiToken is a row of api_tokens: a personal token for integrations.
type apiToken struct {
	ID         uuid.UUID `gorm:"type:uuid;primaryKey"`
	UserID     uuid.UUID `gorm:"type:uuid"`
	Name       string
	Prefix     string
	TokenHash  string
	Scopes     string // comma-separated
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	LastUsedIP string `gorm:"column:last_used_ip"`
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

func (apiToken) TableName() string { return "api_tokens" }

// loginThrottle is a row of login_throttles: failed logins of one key
// ("login:<name>|<address>" or "ip:<address>") in the current window.
type loginThrottle struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
	// LockCount is how many locks in a row the key has had: each lasts twice as
	// long as the one before.
	LockCount int
	UpdatedAt time.Time
}

func (loginThrottle) TableName() string { return "login_throttles" }

// Me is the current user as GET /me and the login answer show it.
type Me struct {
	ID                  uuid.UUID `json:"id" format:"uuid"`
	Username            string    `json:"username" example:"zhangwei"`
	DisplayName         string    `json:"display_name" example:"张伟"`
	OrgUnitID           uuid.UUID `json:"org_unit_id" format:"uuid"`
	OrgUnitName         string    `json:"org_unit_name" example:"办公厅"`
	ScopeID             uuid.UUID `json:"scope_id" format:"uuid"`
	Roles               []string  `json:"roles" enums:"admin,supervisor,leader,member,auditor" example:"supervisor"`
	Email               string    `json:"email" example:"zhangwei@example.com"`
	Phone               string    `json:"phone" example:"13800000000"`
	Title               string    `json:"title" example:"督办处处长"`
	MustChangePassword  bool      `json:"must_change_password"`
	IsSupervisionOffice bool      `json:"is_supervision_office"`
	// HeadOf are the units the user heads in their own right (not as a deputy).
	HeadOf    []uuid.UUID `json:"head_of"`
	LiaisonOf []uuid.UUID `json:"liaison_of"`
	// ActingFor lists the delegations (代理) under which the user acts now for others.
	ActingFor []ActingFor `json:"acting_for"`
	// TokenScopes lists the scopes when the caller uses a personal API token; absent
	// for a login session.
	TokenScopes []string `json:"token_scopes,omitempty" enums:"items:read,items:write,feedback:write,webhooks:manage,todo:read" example:"items:read"`
	// Kind is person, or service for a service account.
	Kind string `json:"kind" enums:"person,service" example:"person"`
	// MayHaveTokens tells whether the user may hold personal API tokens (every
	// active person may; the web app shows the token page by it).
	MayHaveTokens bool `json:"may_have_tokens"`
} // @name Me

// ActingFor is one running delegation naming the user as deputy.
type ActingFor struct {
	DelegationID uuid.UUID `json:"delegation_id" format:"uuid"`
	PrincipalID  uuid.UUID `json:"principal_id" format:"uuid"`
	DisplayName  string    `json:"display_name" example:"王建国"`
	EndsAt       time.Time `json:"ends_at"`
} // @name ActingFor

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Username string `json:"username" validate:"required,max=64" example:"zhangwei"`
	Password string `json:"password" validate:"required,max=256" example:"correct-horse-7"`
} // @name LoginRequest

// TokenPair is the answer of login and refresh.
type TokenPair struct {
	AccessToken string `json:"access_token" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."`
	// RefreshToken is absent when the request came from a browser page (it sent
	// X-Requested-With): the browser holds it only in the HttpOnly cookie, out of
	// reach of the page's scripts. API clients get it here.
	RefreshToken string `json:"refresh_token,omitempty" example:"Q2hhbmdlIG1lIHRvIGEgcmFuZG9tIHN0cmluZw"`
	TokenType    string `json:"token_type" example:"Bearer"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int `json:"expires_in" example:"900"`
	User      Me  `json:"user"`
} // @name TokenPair

// RefreshRequest is the body of POST /auth/refresh and /auth/logout. Browsers send
// none and rely on the session cookie.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token,omitempty" validate:"omitempty,max=200"`
} // @name RefreshRequest

// ChangePasswordRequest is the body of PUT /me/password.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"current_password" validate:"required,max=256"`
	NewPassword     string `json:"new_password" validate:"required,max=256"`
	// KeepAPITokens keeps the personal API tokens working; by default a password
	// change revokes them, like the other sessions.
	KeepAPITokens bool `json:"keep_api_tokens,omitempty"`
} // @name ChangePasswordRequest

// CreateAPITokenRequest is the body of POST /me/tokens.
type CreateAPITokenRequest struct {
	Name string `json:"name" validate:"required,max=100" example:"OA integration"`
	// Scopes: fine scopes (items:read, items:write, feedback:write,
	// webhooks:manage, todo:read) or the aliases read (items:read, todo:read) and
	// write (all five).
	Scopes []string `json:"scopes" validate:"required,min=1,max=7,unique,dive,oneof=read write items:read items:write feedback:write webhooks:manage todo:read" enums:"items:read,items:write,feedback:write,webhooks:manage,todo:read,read,write" example:"items:read"`
	// ExpiresAt is optional; without it the token lives as long as the deployment's
	// maximum (DUBAN_API_TOKEN_MAX_TTL), or forever when there is none.
	ExpiresAt *time.Time `json:"expires_at,omitempty" format:"date-time" example:"2027-01-01T00:00:00+08:00"`
} // @name CreateAPITokenRequest

// APIToken is a personal API token as listed: never with its secret.
type APIToken struct {
	ID         uuid.UUID  `json:"id" format:"uuid"`
	Name       string     `json:"name" example:"OA integration"`
	Prefix     string     `json:"prefix" example:"dbn_3xQa"`
	Scopes     []string   `json:"scopes" enums:"items:read,items:write,feedback:write,webhooks:manage,todo:read" example:"items:read"`
	ExpiresAt  *time.Time `json:"expires_at" format:"date-time" extensions:"x-nullable"`
	LastUsedAt *time.Time `json:"last_used_at" format:"date-time" extensions:"x-nullable"`
	// LastUsedIP is the client address of the last use (recorded with
	// last_used_at, at most once a minute).
	LastUsedIP string    `json:"last_used_ip" example:"10.20.1.7"`
	CreatedAt  time.Time `json:"created_at" format:"date-time"`
	// RevokedAt is set on revoked tokens (only the admins' list shows them).
	RevokedAt *time.Time `json:"revoked_at,omitempty" format:"date-time"`
	// Owner is the principal the token acts as (the admins' list only).
	Owner *TokenOwner `json:"owner,omitempty"`
} // @name APIToken

// TokenOwner is the principal of a token in the admins' list.
type TokenOwner struct {
	ID          uuid.UUID `json:"id" format:"uuid"`
	Username    string    `json:"username" example:"oa-bot"`
	DisplayName string    `json:"display_name" example:"OA 系统"`
	Kind        string    `json:"kind" enums:"person,service" example:"service"`
	OrgUnitID   uuid.UUID `json:"org_unit_id" format:"uuid"`
} // @name TokenOwner

// CreatedAPIToken is the answer of POST /me/tokens: the only time the secret is shown.
type CreatedAPIToken struct {
	APIToken
	// Token is the secret; send it as "Authorization: Bearer <token>". It cannot be
	// shown again.
	Token string `json:"token" example:"dbn_3xQa9f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9"`
} // @name CreatedAPIToken

// APITokenList is a page of the caller's active API tokens.
type APITokenList struct {
	Data     []APIToken `json:"data"`
	Total    int64      `json:"total" example:"1"`
	Page     int        `json:"page" example:"1"`
	PageSize int        `json:"page_size" example:"20"`
} // @name APITokenList
