// Package orgsync keeps Duban's organisation (units, people, heads, liaisons,
// roles) in step with an outside source of truth: an Excel workbook an admin
// uploads (POST /org/import) or the company's LDAP directory (`duban org sync`,
// and the periodic job once there is a queue).
//
// Both sources are read into the same desired state, and one engine compares it
// with the database and applies exactly the differences, in one transaction, and
// reports them: re-applying the same source changes nothing. People are never
// deleted: those the source no longer lists are deactivated (always for the
// directory; for the workbook with deactivate_missing). Units are never deleted
// either.
//
// Imported people get no local password: they sign in by single sign-on, or an
// admin sets a password for them (PATCH /users/{id}), which they must change at
// their first login.
package orgsync

import (
	"github.com/duban/duban/internal/org"
)

// Sources of a desired state, stored in users.source and org_units.source.
const (
	SourceImport = "import"
	SourceLDAP   = "ldap"
)

// UnitSpec is a unit as the source wants it.
type UnitSpec struct {
	// Key names the unit in the source: its code (import) or its DN (directory).
	Key string
	// ParentKey is the parent's key; empty for the root group.
	ParentKey string
	Name      string
	ShortName string
	Kind      org.Kind
	// IsSupervisionOffice and SortOrder: nil leaves the current value.
	IsSupervisionOffice *bool
	SortOrder           *int
	// HeadKey names the head by employee number: nil leaves, "" clears.
	HeadKey *string
	// LiaisonKeys name the liaisons by employee number: nil leaves them.
	LiaisonKeys []string
	ExternalID  string
	// Row is the source row (1-based, the sheet's row number) for errors.
	Row int
}

// UserSpec is a person as the source wants them.
type UserSpec struct {
	// Key names the person in the source: employee number (import), the entry's
	// id (directory).
	Key         string
	EmployeeNo  string
	Username    string
	DisplayName string
	UnitKey     string
	// Roles replace the managed roles; nil leaves the roles as they are.
	Roles []string
	// Managed are the roles the source decides; nil means all of them.
	Managed []string
	// Email, Phone, Title: nil leaves the current value.
	Email, Phone, Title *string
	Active              bool
	ExternalID          string
	Row                 int
}

// Desired is the organisation as a source holds it.
type Desired struct {
	Source string
	Units  []UnitSpec
	Users  []UserSpec
	// DeactivateMissing deactivates people this source keeps whom it no longer
	// lists.
	DeactivateMissing bool
	// MatchField is how a person not yet known by the source is found among the
	// existing accounts (username, employee_no or email); empty: employee_no, then
	// username.
	MatchField string
	// Protected are usernames the source never deactivates nor adopts (the
	// break-glass admin).
	Protected []string
	// Columns are the column letters of the workbook's fields, by sheet, for
	// errors (import only).
	Columns map[string]map[string]string
}

// Sheets name where an error is: the workbook's 单位 and 人员 sheets, or for the
// directory its units and people (row: the entry's position in what was read).
const (
	SheetUnits = "units"
	SheetUsers = "users"
)

// RowError is one problem of the source, by row and column.
type RowError struct {
	// Sheet is units or users (the workbook's 单位 and 人员 sheets).
	Sheet string `json:"sheet" enums:"units,users" example:"users"`
	// Row is the sheet's row number as Excel shows it (the header is row 1); 0 for a
	// problem of the whole sheet.
	Row int `json:"row" example:"12"`
	// Column is the column letter (A, B, ...), empty when the whole row is meant.
	Column string `json:"column,omitempty" example:"F"`
	// Field is the column's field name (code, name, employee_no, email, ...).
	Field string `json:"field,omitempty" example:"email"`
	// Value is the cell's content.
	Value   string `json:"value,omitempty" example:"zhang@"`
	Message string `json:"message" example:"must be an email address"`
	// Rule is the machine name of the rule (required, unique, exists, ...).
	Rule string `json:"rule" example:"email"`
} // @name OrgImportError

// Change is one difference applied (or, in a dry run, to apply).
type Change struct {
	// Entity is unit or user.
	Entity string `json:"entity" enums:"unit,user" example:"user"`
	// Action is create, update, deactivate or reactivate.
	Action string `json:"action" enums:"create,update,deactivate,reactivate" example:"update"`
	// Key is the unit code or employee number (the directory's DN or id).
	Key  string `json:"key" example:"E1001"`
	Name string `json:"name" example:"张伟"`
	// Fields are the changed fields of an update.
	Fields []string `json:"fields,omitempty" example:"org_unit_id,roles"`
	Row    int      `json:"row,omitempty" example:"12"`
} // @name OrgImportChange

// Counts sums up the changes of one kind of entity.
type Counts struct {
	Created     int `json:"created"`
	Updated     int `json:"updated"`
	Unchanged   int `json:"unchanged"`
	Deactivated int `json:"deactivated"`
	Reactivated int `json:"reactivated"`
} // @name OrgImportCounts

// Report is the outcome of an import or a sync.
type Report struct {
	// DryRun: nothing was written.
	DryRun bool `json:"dry_run"`
	// Applied: the changes were written (false for a dry run and when errors
	// stopped everything).
	Applied bool `json:"applied"`
	// Errors stop an import (all or nothing). A directory sync skips the entries
	// at fault and lists them here.
	Errors  []RowError `json:"errors"`
	Units   Counts     `json:"units"`
	Users   Counts     `json:"users"`
	Changes []Change   `json:"changes"`
	// Warnings are noted without stopping anything.
	Warnings []string `json:"warnings"`
} // @name OrgImportReport

// Changed reports whether anything differed.
func (r *Report) Changed() bool { return len(r.Changes) > 0 }
