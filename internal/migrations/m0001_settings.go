package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0001Settings creates the key/value table for settings an admin may change at run
// time (warning-light thresholds and the like); environment configuration stays in
// the config package.
func m0001Settings() *gormigrate.Migration {
	type AppSetting struct {
		Key       string `gorm:"primaryKey;size:100"`
		Value     string `gorm:"type:text;not null"`
		UpdatedAt time.Time
	}
	return &gormigrate.Migration{
		ID: "0001_settings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&AppSetting{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("app_settings")
		},
	}
}
