package users

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
)

// Account is a user with their roles and the name and scope of their unit.
type Account struct {
	User
	Roles    []string
	UnitName string
	ScopeID  uuid.UUID
}

// accountRow is a users row joined with its unit.
type accountRow struct {
	User        `gorm:"embedded"`
	UnitName    string
	UnitScopeID uuid.UUID `gorm:"type:uuid"`
}

// adminLock is the PostgreSQL advisory lock key that serialises changes to who is an
// active admin, so two admins demoting each other at once cannot leave none.
const adminLock = 0x75736572 // "user"

func lockAdmins(ctx context.Context, db *database.DB) error {
	if db.Dialect() != database.Postgres {
		return nil
	}
	if err := db.Conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", adminLock).Error; err != nil {
		return fmt.Errorf("lock admins: %w", err)
	}
	return nil
}

func accountQuery(ctx context.Context, db *database.DB) *gorm.DB {
	return db.Conn(ctx).Table("users").
		Select("users.*, org_units.name AS unit_name, org_units.scope_id AS unit_scope_id").
		Joins("JOIN org_units ON org_units.id = users.org_unit_id").Where("users.is_system = ?", false)
}

// getAccount loads one account; an absent one is a 404 problem.
func getAccount(ctx context.Context, db *database.DB, id uuid.UUID) (*Account, error) {
	var rows []accountRow
	if err := accountQuery(ctx, db).Where("users.id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	if len(rows) == 0 {
		return nil, problem.NotFound("user")
	}
	accts, err := withRoles(ctx, db, rows)
	if err != nil {
		return nil, err
	}
	return &accts[0], nil
}

// withRoles attaches the roles of every row with one query.
func withRoles(ctx context.Context, db *database.DB, rows []accountRow) ([]Account, error) {
	out := make([]Account, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var links []UserRole
	if err := db.Conn(ctx).Where("user_id IN ?", ids).Order("role").Find(&links).Error; err != nil {
		return nil, fmt.Errorf("load roles: %w", err)
	}
	roles := map[uuid.UUID][]string{}
	for _, l := range links {
		roles[l.UserID] = append(roles[l.UserID], l.Role)
	}
	for i, r := range rows {
		out[i] = Account{User: r.User, Roles: sortRoles(roles[r.ID]), UnitName: r.UnitName, ScopeID: r.UnitScopeID}
	}
	return out, nil
}

// ListFilter narrows the user list. Zero fields do not filter.
type ListFilter struct {
	OrgUnitID *uuid.UUID
	Role      string
	// Q matches username, display name or employee number, case-insensitively.
	Q      string
	Active *bool
	// Subtree widens OrgUnitID to the units under it.
	Subtree bool
}

// Page is a 1-based page of a list.
type Page = database.Page

// userSorts maps the keys accepted by `sort` to columns.
var userSorts = map[string]string{
	"username": "users.username", "display_name": "users.display_name",
	"created_at": "users.created_at", "updated_at": "users.updated_at",
}

func orderBy(raw string) (string, error) {
	var parts []string
	for key := range strings.SplitSeq(raw, ",") {
		key = strings.TrimSpace(key)
		if key == "" {
			continue
		}
		dir := "ASC"
		if rest, ok := strings.CutPrefix(key, "-"); ok {
			key, dir = rest, "DESC"
		}
		col, ok := userSorts[key]
		if !ok {
			return "", problem.Field("sort", "oneof", "unknown sort key "+key+"; use username, display_name, created_at or updated_at, with - for descending")
		}
		parts = append(parts, col+" "+dir)
	}
	parts = append(parts, "users.display_name ASC", "users.username ASC")
	return strings.Join(parts, ", "), nil
}

// listAccounts returns one page of the accounts visible under v and matching f.
func listAccounts(ctx context.Context, db *database.DB, v Visibility, f ListFilter, order string, page Page) ([]Account, int64, error) {
	where := func(q *gorm.DB) *gorm.DB {
		q = v.apply(q)
		switch {
		case f.OrgUnitID != nil && f.Subtree:
			q = q.Where("users.org_unit_id IN ("+org.SubtreeSQL+")", *f.OrgUnitID)
		case f.OrgUnitID != nil:
			q = q.Where("users.org_unit_id = ?", *f.OrgUnitID)
		}
		if f.Role != "" {
			q = q.Where("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)", f.Role)
		}
		if f.Active != nil {
			q = q.Where("users.active = ?", *f.Active)
		}
		if s := strings.TrimSpace(f.Q); s != "" {
			p := database.LikePattern(s)
			q = q.Where(`(LOWER(users.username) LIKE ? ESCAPE '\' OR LOWER(users.display_name) LIKE ? ESCAPE '\' OR LOWER(COALESCE(users.employee_no, '')) LIKE ? ESCAPE '\')`, p, p, p)
		}
		return q
	}
	var total int64
	if err := where(db.Conn(ctx).Table("users")).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	var rows []accountRow
	if err := where(accountQuery(ctx, db)).Order(order).Offset(page.Offset()).Limit(page.Size).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	accts, err := withRoles(ctx, db, rows)
	return accts, total, err
}

// rootScope returns the scope of the root group unit (uuid.Nil when there is none).
func rootScope(ctx context.Context, db *database.DB) (uuid.UUID, error) {
	var ids []uuid.UUID
	if err := db.Conn(ctx).Table("org_units").Where("parent_id IS NULL AND kind = ?", "group").
		Order("created_at").Limit(1).Pluck("scope_id", &ids).Error; err != nil {
		return uuid.Nil, fmt.Errorf("load root unit: %w", err)
	}
	if len(ids) == 0 {
		return uuid.Nil, nil
	}
	return ids[0], nil
}

func unitExists(ctx context.Context, db *database.DB, id uuid.UUID) (bool, error) {
	var n int64
	if err := db.Conn(ctx).Table("org_units").Where("id = ?", id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check org unit: %w", err)
	}
	return n > 0, nil
}

func usernameTaken(ctx context.Context, db *database.DB, username string) (bool, error) {
	var n int64
	if err := db.Conn(ctx).Model(&User{}).Where("username = ?", username).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check username: %w", err)
	}
	return n > 0, nil
}

// otherActiveAdmins counts active admins other than user.
func otherActiveAdmins(ctx context.Context, db *database.DB, user uuid.UUID) (int64, error) {
	var n int64
	err := db.Conn(ctx).Table("users").
		Where("users.active = ? AND users.id <> ?", true, user).
		Where("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)", "admin").
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func replaceRoles(ctx context.Context, db *database.DB, user uuid.UUID, roles []string) error {
	conn := db.Conn(ctx)
	if err := conn.Where("user_id = ?", user).Delete(&UserRole{}).Error; err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	for _, r := range roles {
		if err := conn.Create(&UserRole{UserID: user, Role: r}).Error; err != nil {
			return fmt.Errorf("add role: %w", err)
		}
	}
	return nil
}

// revokeSessions ends every login session (refresh token) and revokes every
// personal API token of the user: after a password reset or a deactivation no
// credential issued before may work again, even once the account is active again.
// It returns how many API tokens it revoked.
func revokeSessions(ctx context.Context, db *database.DB, user uuid.UUID, now time.Time) (int64, error) {
	err := db.Conn(ctx).Table("refresh_tokens").Where("user_id = ? AND revoked_at IS NULL", user).
		Update("revoked_at", now).Error
	if err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	res := db.Conn(ctx).Table("api_tokens").Where("user_id = ? AND revoked_at IS NULL", user).Update("revoked_at", now)
	if res.Error != nil {
		return 0, fmt.Errorf("revoke API tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// findByUsername returns the user, or nil.
func findByUsername(ctx context.Context, db *database.DB, username string) (*User, error) {
	var u User
	err := db.Conn(ctx).Where("username = ?", username).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	return &u, nil
}
