package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0031RateLimits creates rate_limits: the general rate limit's counters, one row
// per key ("user:<id>", "addr:<address>") with the start of its current window
// (unix seconds) and the requests counted in it. Only PostgreSQL uses it (several
// processes share the counts); the embedded database's single process counts in
// memory, but the table exists on both so that the schema is the same.
func m0031RateLimits() *gormigrate.Migration {
	type RateLimit struct {
		Key         string `gorm:"size:200;primaryKey"`
		WindowStart int64  `gorm:"not null;index"`
		Hits        int    `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0031_rate_limits",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&RateLimit{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("rate_limits") },
	}
}
