package org

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
)

// RootName is the name of the root unit created on an empty database.
const RootName = "集团公司"

// ErrNoRoot means there are units but none is the group: the tree is broken and an
// operator must look at it.
var ErrNoRoot = errors.New("the organisation has units but no root group unit")

// EnsureRoot returns the root unit, creating it with name when the tree is empty.
// created tells whether it did. It runs in the transaction of ctx, if any.
func EnsureRoot(ctx context.Context, db *database.DB, log *audit.Log, name string) (root *Unit, created bool, err error) {
	err = db.InTx(ctx, func(ctx context.Context) error {
		if err := lockStructure(ctx, db); err != nil {
			return err
		}
		if root, err = Root(ctx, db); err != nil || root != nil {
			return err
		}
		var n int64
		if err := db.Conn(ctx).Model(&Unit{}).Count(&n).Error; err != nil {
			return fmt.Errorf("count org units: %w", err)
		}
		if n > 0 {
			return ErrNoRoot
		}
		now := log.Now()
		id := uuid.Must(uuid.NewV7())
		root = &Unit{ID: id, ScopeID: id, Name: name, Kind: KindGroup, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := db.Conn(ctx).Create(root).Error; err != nil {
			return fmt.Errorf("create root unit: %w", err)
		}
		created = true
		if log == nil {
			return nil
		}
		return log.Record(ctx, nil, audit.UnitCreated, "org_unit", id.String(), map[string]any{"name": name, "kind": KindGroup, "bootstrap": true})
	})
	return root, created, err
}

// ReleaseUser ends the user's posts as head or liaison where they no longer fit:
// everywhere when unit is nil (the user was deactivated), else of every unit whose
// subtree does not hold unit (the user moved). It returns the units released and
// bumps their versions. The users package calls it in its update's transaction.
func ReleaseUser(ctx context.Context, db *database.DB, user uuid.UUID, unit *uuid.UUID) ([]uuid.UUID, error) {
	conn := db.Conn(ctx)
	var headed, liaised []uuid.UUID
	if err := conn.Model(&Unit{}).Where("head_user_id = ?", user).Pluck("id", &headed).Error; err != nil {
		return nil, fmt.Errorf("load headed units: %w", err)
	}
	if err := conn.Model(&Liaison{}).Where("user_id = ?", user).Pluck("org_unit_id", &liaised).Error; err != nil {
		return nil, fmt.Errorf("load liaison units: %w", err)
	}
	keeps := func(u uuid.UUID) (bool, error) {
		if unit == nil {
			return false, nil
		}
		sub, err := Subtree(ctx, db, u)
		return slices.Contains(sub, *unit), err
	}
	var released []uuid.UUID
	for _, u := range headed {
		keep, err := keeps(u)
		if err != nil {
			return nil, err
		}
		if keep {
			continue
		}
		if err := conn.Model(&Unit{}).Where("id = ?", u).
			Updates(map[string]any{"head_user_id": nil, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return nil, fmt.Errorf("release head: %w", err)
		}
		released = append(released, u)
	}
	for _, u := range liaised {
		keep, err := keeps(u)
		if err != nil {
			return nil, err
		}
		if keep {
			continue
		}
		if err := conn.Where("org_unit_id = ? AND user_id = ?", u, user).Delete(&Liaison{}).Error; err != nil {
			return nil, fmt.Errorf("release liaison: %w", err)
		}
		if !slices.Contains(released, u) {
			if err := conn.Model(&Unit{}).Where("id = ?", u).Update("version", gorm.Expr("version + 1")).Error; err != nil {
				return nil, fmt.Errorf("bump unit version: %w", err)
			}
			released = append(released, u)
		}
	}
	return released, nil
}
