package apitest

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/users"
)

// TestPassword is the password of every fixture user.
const TestPassword = "Duban-test-2026"

var testPasswordHash = func() string {
	h, err := users.HashPasswordWith(TestPassword, users.TestHashCost)
	if err != nil {
		panic(err)
	}
	return h
}()

// unitRow mirrors org_units for fixtures, written straight to the database so that
// tests of one package do not depend on another package's API.
type unitRow struct {
	ID                  uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ParentID            *uuid.UUID `gorm:"type:uuid"`
	ScopeID             uuid.UUID  `gorm:"type:uuid"`
	Name                string
	ShortName           string
	Kind                string
	IsSupervisionOffice bool
	HeadUserID          *uuid.UUID `gorm:"type:uuid"`
	SortOrder           int
	Version             int
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (unitRow) TableName() string { return "org_units" }

// Unit inserts an org unit. kind is group, enterprise or department; the scope is the
// unit itself for a group or enterprise, else the parent's scope.
func (e *Env) Unit(name, kind string, parent *uuid.UUID, supervisionOffice bool) uuid.UUID {
	e.T.Helper()
	id := uuid.Must(uuid.NewV7())
	scope := id
	if kind == "department" && parent != nil {
		var p unitRow
		if err := e.DB.Gorm().Where("id = ?", *parent).Take(&p).Error; err != nil {
			e.T.Fatalf("parent unit: %v", err)
		}
		scope = p.ScopeID
	}
	now := time.Now().UTC()
	row := unitRow{ID: id, ParentID: parent, ScopeID: scope, Name: name, Kind: kind,
		IsSupervisionOffice: supervisionOffice, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := e.DB.Gorm().Create(&row).Error; err != nil {
		e.T.Fatalf("insert unit %s: %v", name, err)
	}
	return id
}

// User inserts an active user with TestPassword and the given roles.
func (e *Env) User(username string, unit uuid.UUID, roles ...access.Role) uuid.UUID {
	e.T.Helper()
	now := time.Now().UTC()
	u := users.User{ID: uuid.Must(uuid.NewV7()), Username: username, DisplayName: username,
		PasswordHash: testPasswordHash, OrgUnitID: unit, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := e.DB.Gorm().Create(&u).Error; err != nil {
		e.T.Fatalf("insert user %s: %v", username, err)
	}
	for _, r := range roles {
		if err := e.DB.Gorm().Create(&users.UserRole{UserID: u.ID, Role: string(r)}).Error; err != nil {
			e.T.Fatalf("insert role: %v", err)
		}
	}
	return u.ID
}

// SetHead makes user the head of unit.
func (e *Env) SetHead(unit, user uuid.UUID) {
	e.T.Helper()
	defer e.PeopleChanged()
	if err := e.DB.Gorm().Table("org_units").Where("id = ?", unit).Update("head_user_id", user).Error; err != nil {
		e.T.Fatalf("set head: %v", err)
	}
}

// AddLiaison makes user a liaison of unit.
func (e *Env) AddLiaison(unit, user uuid.UUID) {
	e.T.Helper()
	defer e.PeopleChanged()
	if err := e.DB.Gorm().Table("org_unit_liaisons").Create(map[string]any{"org_unit_id": unit, "user_id": user}).Error; err != nil {
		e.T.Fatalf("add liaison: %v", err)
	}
}

// Principal loads the principal of a fixture user, for service-level tests.
func (e *Env) Principal(user uuid.UUID) *access.Principal {
	e.T.Helper()
	p, err := users.LoadPrincipal(context.Background(), e.DB, user)
	if err != nil {
		e.T.Fatalf("load principal: %v", err)
	}
	return p
}

// Login logs username in with TestPassword and returns the access token.
func (e *Env) Login(username string) string {
	e.T.Helper()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	e.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": TestPassword}).Expect(200).JSON(&out)
	if out.AccessToken == "" {
		e.T.Fatalf("login %s: no access token", username)
	}
	return out.AccessToken
}

// PeopleChanged tells the application that people or units were edited straight
// in the database (its cached principals are dropped, as a change through the
// services would).
func (e *Env) PeopleChanged() { e.App.Auth.ClearPrincipals() }
