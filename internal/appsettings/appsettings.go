// Package appsettings holds the key/value rows of app_settings (migration 0001)
// that the settings of several packages live in: the warning thresholds, each
// scope's reminder rules, assessment rules and office contact.
//
// Every one of them is changed the same way: read the stored text, check the
// client's version, then write the new text only if the stored text is still
// the one read (compare and swap). A concurrent change makes the swap fail with
// ErrChanged, which each caller answers with its own 412.
package appsettings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
)

// ErrChanged: the row is no longer the one read (another change came first).
var ErrChanged = errors.New("app setting changed since it was read")

// Row is one setting.
type Row struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

// TableName maps Row onto app_settings.
func (Row) TableName() string { return "app_settings" }

// Read returns the stored text of key, "" when it was never set.
func Read(ctx context.Context, db *database.DB, key string) (string, time.Time, error) {
	var r Row
	err := db.Conn(ctx).Where(`"key" = ?`, key).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("read setting %s: %w", key, err)
	}
	return r.Value, r.UpdatedAt, nil
}

// List returns every row whose key starts with prefix.
func List(ctx context.Context, db *database.DB, prefix string) ([]Row, error) {
	var rows []Row
	if err := db.Conn(ctx).Where(`"key" LIKE ?`, prefix+"%").Order(`"key"`).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list settings %s*: %w", prefix, err)
	}
	return rows, nil
}

// Swap stores next under key if the stored text is still old ("" meaning the
// row does not exist yet); otherwise it returns ErrChanged.
func Swap(ctx context.Context, db *database.DB, key, old, next string, at time.Time) error {
	conn := db.Conn(ctx)
	if old == "" {
		// First change: a concurrent first change makes this insert fail.
		if err := conn.Create(&Row{Key: key, Value: next, UpdatedAt: at}).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return ErrChanged
			}
			return fmt.Errorf("save setting %s: %w", key, err)
		}
		return nil
	}
	res := conn.Model(&Row{}).Where(`"key" = ? AND value = ?`, key, old).
		Updates(map[string]any{"value": next, "updated_at": at})
	if res.Error != nil {
		return fmt.Errorf("save setting %s: %w", key, res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrChanged
	}
	return nil
}
