package org

import (
	"time"

	"github.com/google/uuid"
)

// Kind is the kind of an org unit.
type Kind string

const (
	// KindGroup is the root of the tree: the group company (集团公司). There is exactly one.
	KindGroup Kind = "group"
	// KindEnterprise is a subsidiary enterprise (系统各企业); its parent is the group, and it
	// is a supervision scope of its own.
	KindEnterprise Kind = "enterprise"
	// KindDepartment is a department of the group (总部部门) or of an enterprise.
	KindDepartment Kind = "department"
)

// Kinds lists every kind, in display order.
var Kinds = []Kind{KindGroup, KindEnterprise, KindDepartment}

// Valid reports whether k names a kind.
func (k Kind) Valid() bool { return k == KindGroup || k == KindEnterprise || k == KindDepartment }

// IsScope reports whether units of this kind are supervision scopes of their own.
func (k Kind) IsScope() bool { return k == KindGroup || k == KindEnterprise }

// Unit is a row of org_units.
type Unit struct {
	ID       uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ParentID *uuid.UUID `gorm:"type:uuid"`
	// ScopeID is the supervision scope: the unit itself for the group and an
	// enterprise, the parent's scope for a department. Derived; never set by hand.
	ScopeID             uuid.UUID `gorm:"type:uuid"`
	Name                string
	ShortName           string
	Kind                Kind
	IsSupervisionOffice bool
	HeadUserID          *uuid.UUID `gorm:"type:uuid"`
	SortOrder           int
	// Code (单位编码) is the key the org import names the unit by; nil when unset.
	Code *string
	// Source says who keeps the unit: local (by hand), import or ldap.
	Source string `gorm:"default:local"`
	// ExternalID is the directory's stable id of the unit (LDAP entryUUID).
	ExternalID *string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName pins the table.
func (Unit) TableName() string { return "org_units" }

// Liaison is a row of org_unit_liaisons: one liaison (督办联络人) of one unit.
type Liaison struct {
	OrgUnitID uuid.UUID `gorm:"type:uuid;primaryKey"`
	UserID    uuid.UUID `gorm:"type:uuid;primaryKey"`
}

// TableName pins the table.
func (Liaison) TableName() string { return "org_unit_liaisons" }

// Person names a user as org reads show them (head, liaisons).
type Person struct {
	ID          uuid.UUID `gorm:"type:uuid"`
	Username    string
	DisplayName string
}

// Detail is a unit with its head and liaisons resolved.
type Detail struct {
	Unit
	Head     *Person
	Liaisons []Person
}

// Node is a unit of the tree with its children in display order.
type Node struct {
	Detail
	Children []*Node
}
