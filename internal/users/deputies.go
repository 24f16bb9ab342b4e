package users

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
)

// maxDeputyWindows bounds the delegations loaded with a principal: the newest
// ends first, so the running and future ones are always among them.
const maxDeputyWindows = 20

// loadDeputyWindows reads the delegations (代理, package delegation) naming user as
// deputy that were not ended early, with what each principal may do: the leader
// role and the units they head. Whether one runs now is the request's question
// (access.ApplyDeputyships): principals are cached across requests.
func loadDeputyWindows(ctx context.Context, db *database.DB, user uuid.UUID) ([]access.Deputyship, error) {
	conn := db.Conn(ctx)
	var rows []struct {
		ID          uuid.UUID `gorm:"type:uuid"`
		PrincipalID uuid.UUID `gorm:"type:uuid"`
		DisplayName string
		StartsAt    time.Time
		EndsAt      time.Time
	}
	err := conn.Table("delegations d").Select("d.id, d.principal_id, u.display_name, d.starts_at, d.ends_at").
		Joins("JOIN users u ON u.id = d.principal_id AND u.active = ?", true).
		Where("d.deputy_id = ? AND d.ended_at IS NULL", user).
		Order("d.ends_at DESC").Limit(maxDeputyWindows).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load delegations: %w", err)
	}
	out := make([]access.Deputyship, 0, len(rows))
	for _, r := range rows {
		var roles []string
		if err := conn.Table("user_roles").Where("user_id = ?", r.PrincipalID).Pluck("role", &roles).Error; err != nil {
			return nil, fmt.Errorf("load roles of principal: %w", err)
		}
		var heads []uuid.UUID
		if err := conn.Table("org_units").Where("head_user_id = ?", r.PrincipalID).Pluck("id", &heads).Error; err != nil {
			return nil, fmt.Errorf("load units of principal: %w", err)
		}
		out = append(out, access.Deputyship{
			DelegationID: r.ID, PrincipalID: r.PrincipalID, PrincipalName: r.DisplayName,
			Leader: slices.Contains(roles, string(access.RoleLeader)), HeadOf: heads,
			StartsAt: r.StartsAt, EndsAt: r.EndsAt,
		})
	}
	return out, nil
}
