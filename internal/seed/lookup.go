package seed

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/users"
)

// lookup finds the demo in a database that has more than the root: every demo unit
// (by parent and name) and every demo user must be there, else it is ErrNotEmpty.
func lookup(ctx context.Context, db *database.DB) (*Result, error) {
	root, err := org.Root(ctx, db)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, ErrNotEmpty
	}
	res := &Result{AlreadySeeded: true, Units: map[string]uuid.UUID{"group": root.ID}, Users: map[string]uuid.UUID{}}
	for _, u := range demoUnits {
		var ids []uuid.UUID
		if err := db.Conn(ctx).Model(&org.Unit{}).Where("parent_id = ? AND name = ?", res.Units[u.parent], u.name).
			Pluck("id", &ids).Error; err != nil {
			return nil, fmt.Errorf("find demo unit: %w", err)
		}
		if len(ids) != 1 {
			return nil, ErrNotEmpty
		}
		res.Units[u.key] = ids[0]
	}
	var admin adminAccount
	for _, name := range append([]string{users.BootstrapUsername}, usernames()...) {
		var u users.User
		if err := db.Conn(ctx).Where("username = ?", name).Limit(1).Find(&u).Error; err != nil {
			return nil, fmt.Errorf("find demo user: %w", err)
		}
		if u.ID == uuid.Nil {
			return nil, ErrNotEmpty
		}
		res.Users[name] = u.ID
		if name == users.BootstrapUsername {
			ok, _ := users.VerifyPassword(u.PasswordHash, DemoPassword)
			admin = adminAccount{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, created: ok}
		}
	}
	res.Accounts = describe(root.Name, admin)
	return res, nil
}

// describe lists the demo logins with their units and posts.
func describe(rootName string, admin adminAccount) []Account {
	names := map[string]string{"group": rootName}
	short := map[string]string{}
	for _, u := range demoUnits {
		names[u.key], short[u.key] = u.name, u.short
		if u.kind == org.KindDepartment && u.parent != "group" {
			names[u.key] = short[u.parent] + "/" + u.name
		}
	}
	adminPassword := DemoPassword
	if !admin.created {
		adminPassword = "(unchanged: the bootstrap password)"
	}
	out := []Account{{Username: admin.Username, Password: adminPassword, DisplayName: admin.DisplayName,
		Roles: []string{"admin"}, Unit: rootName}}
	for _, u := range demoUsers {
		var posts []string
		for _, k := range u.headOf {
			posts = append(posts, "head of "+names[k])
		}
		for _, k := range u.liaisonOf {
			posts = append(posts, "liaison of "+names[k])
		}
		out = append(out, Account{Username: u.username, Password: DemoPassword, DisplayName: u.display,
			Roles: u.roles, Unit: names[u.unit], Posts: strings.Join(posts, "; ")})
	}
	return out
}

func unitKeys() []string {
	out := make([]string, len(demoUnits))
	for i, u := range demoUnits {
		out[i] = u.key
	}
	return out
}

func usernames() []string {
	out := make([]string, len(demoUsers))
	for i, u := range demoUsers {
		out[i] = u.username
	}
	return out
}
