package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0015Reminders records automatic reminders (催办催报, internal/reminders) on the
// urges they are: item_urges.reminder names the reminder's kind (deadline_approaching,
// overdue, …; NULL for a manual urge) and reminder_day the company-calendar day it
// is for (YYYY-MM-DD). The partial unique index is the guarantee "one reminder per
// item × unit × kind × day" whatever the number of processes, sweeps or retries:
// the urge is inserted ON CONFLICT DO NOTHING against it.
//
// The sweep finds the items due for a reminder by ranges of deadlines among the
// open items: idx_items_state_deadline serves those range scans.
func m0015Reminders() *gormigrate.Migration {
	type ItemUrge struct {
		Reminder    *string `gorm:"size:40"`
		ReminderDay *string `gorm:"size:10"`
	}
	return &gormigrate.Migration{
		ID: "0015_reminders",
		Migrate: func(tx *gorm.DB) error {
			m := tx.Table("item_urges").Migrator()
			for _, col := range []string{"Reminder", "ReminderDay"} {
				if err := m.AddColumn(&ItemUrge{}, col); err != nil {
					return err
				}
			}
			for _, q := range []string{
				`CREATE UNIQUE INDEX ux_item_urges_reminder ON item_urges (item_id, unit_id, reminder, reminder_day) WHERE reminder IS NOT NULL`,
				`CREATE INDEX idx_items_state_deadline ON items (state, deadline)`,
			} {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, q := range []string{`DROP INDEX IF EXISTS idx_items_state_deadline`, `DROP INDEX IF EXISTS ux_item_urges_reminder`} {
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			m := tx.Table("item_urges").Migrator()
			for _, col := range []string{"ReminderDay", "Reminder"} {
				if err := m.DropColumn(&ItemUrge{}, col); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
