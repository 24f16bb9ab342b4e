package orgsync

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/users"
)

// batch is the size of multi-row inserts (well under PostgreSQL's 65535
// parameters for the widest table).
const batch = 400

// apply writes the planned state: new units (parents first), changed units, new
// and changed people and their roles, then heads and liaisons, each change with
// its audit event. It runs in the caller's transaction.
func (e *engine) apply(ctx context.Context, db *database.DB, log *audit.Log, now time.Time, r *Report) error {
	conn := db.Conn(ctx)
	actor := (*uuid.UUID)(nil)
	if e.actor != nil && e.actor.UserID != uuid.Nil {
		id := e.actor.UserID
		actor = &id
	}
	e.scopes()
	isNewUnit := map[uuid.UUID]bool{}
	for _, id := range e.newUnits {
		isNewUnit[id] = true
	}
	// New units, parents first; heads come later (their people may be new too).
	newUnits := slices.Clone(e.newUnits)
	depth := func(id uuid.UUID) int {
		d := 0
		for u := e.units[id]; u != nil && u.ParentID != nil && d <= len(e.units); u = e.units[*u.ParentID] {
			d++
		}
		return d
	}
	slices.SortStableFunc(newUnits, func(a, b uuid.UUID) int { return depth(a) - depth(b) })
	for _, id := range newUnits {
		u := *e.units[id]
		u.HeadUserID, u.Version, u.CreatedAt, u.UpdatedAt = nil, 1, now, now
		if err := conn.Create(&u).Error; err != nil {
			return fmt.Errorf("create unit %s: %w", u.Name, err)
		}
		if err := log.Record(ctx, actor, audit.UnitCreated, "org_unit", id.String(), map[string]any{
			"name": u.Name, "kind": u.Kind, "parent_id": u.ParentID, "source": e.d.Source,
		}); err != nil {
			return err
		}
	}
	// Changed units (and scopes that follow a move or a change of kind).
	for _, id := range e.orderedUnits() {
		if isNewUnit[id] {
			continue
		}
		b, a := e.unitsBefore[id], e.units[id]
		fields := e.unitFields(id)
		structural := slices.DeleteFunc(slices.Clone(fields), func(f string) bool {
			return f == "head_user_id" || f == "liaison_user_ids"
		})
		if len(structural) == 0 && a.ScopeID == b.ScopeID {
			continue
		}
		res := conn.Model(&org.Unit{}).Where("id = ?", id).Updates(map[string]any{
			"name": a.Name, "short_name": a.ShortName, "kind": a.Kind, "parent_id": a.ParentID, "scope_id": a.ScopeID,
			"is_supervision_office": a.IsSupervisionOffice, "sort_order": a.SortOrder, "code": a.Code,
			"source": a.Source, "external_id": a.ExternalID, "version": gorm.Expr("version + 1"), "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("update unit %s: %w", a.Name, res.Error)
		}
		if len(structural) > 0 {
			if err := log.Record(ctx, actor, audit.UnitUpdated, "org_unit", id.String(),
				map[string]any{"changed": structural, "source": e.d.Source}); err != nil {
				return err
			}
		}
	}
	if err := e.applyUsers(ctx, db, log, actor, now); err != nil {
		return err
	}
	// Heads and liaisons.
	for _, id := range e.orderedUnits() {
		b, a := e.unitsBefore[id], e.units[id]
		headChanged := !sameParent(a.HeadUserID, b.HeadUserID)
		liaisonsChanged := !sameSet(e.liaisons[id], e.liaisonsBefore[id])
		if !headChanged && !liaisonsChanged {
			continue
		}
		updates := map[string]any{"updated_at": now}
		if !isNewUnit[id] || headChanged {
			updates["head_user_id"] = a.HeadUserID
		}
		if !isNewUnit[id] {
			updates["version"] = gorm.Expr("version + 1")
		}
		if err := conn.Model(&org.Unit{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return fmt.Errorf("set the head of %s: %w", a.Name, err)
		}
		if liaisonsChanged {
			if err := conn.Where("org_unit_id = ?", id).Delete(&org.Liaison{}).Error; err != nil {
				return fmt.Errorf("clear liaisons: %w", err)
			}
			for _, l := range e.liaisons[id] {
				if err := conn.Create(&org.Liaison{OrgUnitID: id, UserID: l}).Error; err != nil {
					return fmt.Errorf("add liaison: %w", err)
				}
			}
		}
		var changed []string
		if headChanged {
			changed = append(changed, "head_user_id")
		}
		if liaisonsChanged {
			changed = append(changed, "liaison_user_ids")
		}
		if err := log.Record(ctx, actor, audit.UnitUpdated, "org_unit", id.String(),
			map[string]any{"changed": changed, "source": e.d.Source}); err != nil {
			return err
		}
	}
	return nil
}

// applyUsers writes new and changed people and their roles; deactivated people's
// sessions end.
func (e *engine) applyUsers(ctx context.Context, db *database.DB, log *audit.Log, actor *uuid.UUID, now time.Time) error {
	conn := db.Conn(ctx)
	rows := make([]users.User, 0, len(e.newUsers))
	var roles []users.UserRole
	for _, id := range e.newUsers {
		u := *e.users[id]
		u.Version, u.CreatedAt, u.UpdatedAt = 1, now, now
		rows = append(rows, u)
		for _, r := range e.roles[id] {
			roles = append(roles, users.UserRole{UserID: id, Role: r})
		}
	}
	if len(rows) > 0 {
		if err := conn.CreateInBatches(rows, batch).Error; err != nil {
			return fmt.Errorf("create users: %w", err)
		}
	}
	if len(roles) > 0 {
		if err := conn.CreateInBatches(roles, batch).Error; err != nil {
			return fmt.Errorf("add roles: %w", err)
		}
	}
	for _, u := range rows {
		if err := log.Record(ctx, actor, audit.UserCreated, "user", u.ID.String(), map[string]any{
			"username": u.Username, "roles": e.roles[u.ID], "org_unit_id": u.OrgUnitID, "source": e.d.Source,
		}); err != nil {
			return err
		}
	}
	isNew := map[uuid.UUID]bool{}
	for _, id := range e.newUsers {
		isNew[id] = true
	}
	for _, id := range e.orderedUsers() {
		if isNew[id] {
			continue
		}
		fields := e.userFields(id)
		if len(fields) == 0 {
			continue
		}
		a, b := e.users[id], e.usersBefore[id]
		if err := conn.Model(&users.User{}).Where("id = ?", id).Updates(map[string]any{
			"username": a.Username, "display_name": a.DisplayName, "employee_no": a.EmployeeNo, "org_unit_id": a.OrgUnitID,
			"email": a.Email, "phone": a.Phone, "title": a.Title, "active": a.Active, "external_id": a.ExternalID,
			"source": a.Source, "version": gorm.Expr("version + 1"), "updated_at": now,
		}).Error; err != nil {
			return fmt.Errorf("update user %s: %w", a.Username, err)
		}
		rolesChanged := !slices.Equal(e.roles[id], e.rolesBefore[id])
		if rolesChanged {
			if err := conn.Where("user_id = ?", id).Delete(&users.UserRole{}).Error; err != nil {
				return fmt.Errorf("clear roles: %w", err)
			}
			for _, r := range e.roles[id] {
				if err := conn.Create(&users.UserRole{UserID: id, Role: r}).Error; err != nil {
					return fmt.Errorf("add role: %w", err)
				}
			}
		}
		if b.Active && !a.Active {
			if err := conn.Table("refresh_tokens").Where("user_id = ? AND revoked_at IS NULL", id).
				Update("revoked_at", now).Error; err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		other := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == "roles" })
		if len(other) > 0 {
			if err := log.Record(ctx, actor, audit.UserUpdated, "user", id.String(),
				map[string]any{"changed": other, "source": e.d.Source}); err != nil {
				return err
			}
		}
		if rolesChanged {
			if err := log.Record(ctx, actor, audit.UserRolesChanged, "user", id.String(),
				map[string]any{"before": e.rolesBefore[id], "after": e.roles[id], "source": e.d.Source}); err != nil {
				return err
			}
		}
	}
	return nil
}
