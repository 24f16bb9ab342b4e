package comments

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/database"
)

func insert(ctx context.Context, db *database.DB, c *Comment) error {
	if err := db.Conn(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("insert comment: %w", err)
	}
	return nil
}

// list is a page of an item's comments, oldest first (they read as a thread).
func list(ctx context.Context, db *database.DB, itemID uuid.UUID, kinds []Kind, offset, limit int) ([]Comment, int64, error) {
	q := db.Conn(ctx).Model(&Comment{}).Where("item_id = ?", itemID)
	if len(kinds) > 0 {
		q = q.Where("kind IN ?", kinds)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count comments: %w", err)
	}
	var out []Comment
	if err := q.Order("created_at, id").Offset(offset).Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("list comments: %w", err)
	}
	return out, total, nil
}
