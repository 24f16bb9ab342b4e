package migrations

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0004Calendar creates the working-day calendar (holidays and adjusted workdays per
// year) with the official schedules of 2026 and 2027, and the stored responses of
// idempotent POSTs.
//
// The holiday data below is frozen with the migration. Admins correct or extend it
// through PUT /api/v1/calendar/{year}; a correction that every installation needs
// goes into a new migration, never into this one.
func m0004Calendar() *gormigrate.Migration {
	type CalendarYear struct {
		Year      int        `gorm:"primaryKey;autoIncrement:false"`
		Version   int        `gorm:"not null;default:1"`
		Note      string     `gorm:"type:text;not null;default:''"`
		UpdatedBy *uuid.UUID `gorm:"type:uuid"`
		UpdatedAt time.Time  `gorm:"not null"`
	}
	type CalendarDay struct {
		// Date is YYYY-MM-DD (civil.Date's storage form).
		Date string `gorm:"size:10;primaryKey"`
		// Year is the calendar_years row the day belongs to; the calendar service
		// writes both in one transaction.
		Year int `gorm:"not null;index"`
		// Kind is holiday (a day off, whatever its weekday) or workday (a weekend day
		// worked, 调休上班).
		Kind string `gorm:"size:10;not null"`
		Name string `gorm:"size:50;not null;default:''"`
	}
	type IdempotencyKey struct {
		// ID is the sha256 of (user, key, method, path): one fixed-size primary key
		// instead of a composite over a 255-character key and a long path.
		ID          string    `gorm:"size:64;primaryKey"`
		UserID      uuid.UUID `gorm:"type:uuid;not null;index"`
		Key         string    `gorm:"size:255;not null"`
		Method      string    `gorm:"size:10;not null"`
		Path        string    `gorm:"type:text;not null"`
		State       string    `gorm:"size:20;not null"` // in_progress | done
		RequestHash string    `gorm:"size:64;not null;default:''"`
		Status      int       `gorm:"not null;default:0"`
		Headers     string    `gorm:"type:text;not null;default:'{}'"`
		Body        []byte
		LockedUntil time.Time `gorm:"not null"`
		CreatedAt   time.Time `gorm:"not null"`
		ExpiresAt   time.Time `gorm:"not null;index"`
	}

	type span struct{ from, to, kind, name string }
	type year struct {
		year  int
		note  string
		spans []span
	}
	const h, w = "holiday", "workday"
	years := []year{
		{
			// Verified against the text of 国务院办公厅关于2026年部分节假日安排的通知 of
			// 2025-11-04 as published by Xinhua (新华社) and reprinted by national media.
			year: 2026,
			note: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
			spans: []span{
				{"2026-01-01", "2026-01-03", h, "元旦"},
				{"2026-01-04", "2026-01-04", w, "元旦调休上班"},
				{"2026-02-14", "2026-02-14", w, "春节调休上班"},
				{"2026-02-15", "2026-02-23", h, "春节"},
				{"2026-02-28", "2026-02-28", w, "春节调休上班"},
				{"2026-04-04", "2026-04-06", h, "清明节"},
				{"2026-05-01", "2026-05-05", h, "劳动节"},
				{"2026-05-09", "2026-05-09", w, "劳动节调休上班"},
				{"2026-06-19", "2026-06-21", h, "端午节"},
				{"2026-09-20", "2026-09-20", w, "国庆节调休上班"},
				{"2026-09-25", "2026-09-27", h, "中秋节"},
				{"2026-10-01", "2026-10-07", h, "国庆节"},
				{"2026-10-10", "2026-10-10", w, "国庆节调休上班"},
			},
		},
		{
			// NOT verified against the primary source. The State Council's notice for
			// 2027 (usually published in early November) was not available when this
			// was written. The schedule is the one the lunar-go calendar library
			// (6tail) added as "2027年法定假日" in v1.4.7 of 2026-11-06; that library's
			// 2026 data matches the official 2026 notice exactly. Checked independently:
			// every statutory day of the rules in force since 2025 (元旦 1.1; 春节
			// 除夕 2.5 and 正月初一–初三 2.6–2.8, the lunar new year being 2027-02-06;
			// 清明 4.5; 劳动节 5.1–5.2; 端午 6.9; 中秋 9.15; 国庆 10.1–10.3) lies inside
			// a holiday span, and each span's extra weekdays off equal its statutory
			// days falling on weekends plus its weekend workdays. Check it against the
			// notice and correct it with PUT /api/v1/calendar/2027 if it differs.
			year: 2027,
			note: "暂定：未与国务院办公厅关于2027年部分节假日安排的通知原文核对，请管理员核对后更正",
			spans: []span{
				{"2027-01-01", "2027-01-03", h, "元旦"},
				{"2027-01-31", "2027-01-31", w, "春节调休上班"},
				{"2027-02-05", "2027-02-13", h, "春节"},
				{"2027-02-14", "2027-02-14", w, "春节调休上班"},
				{"2027-04-03", "2027-04-05", h, "清明节"},
				{"2027-05-01", "2027-05-05", h, "劳动节"},
				{"2027-05-08", "2027-05-08", w, "劳动节调休上班"},
				{"2027-06-09", "2027-06-09", h, "端午节"},
				{"2027-09-15", "2027-09-15", h, "中秋节"},
				{"2027-09-26", "2027-09-26", w, "国庆节调休上班"},
				{"2027-10-01", "2027-10-07", h, "国庆节"},
				{"2027-10-09", "2027-10-09", w, "国庆节调休上班"},
			},
		},
	}

	tables := []any{&CalendarYear{}, &CalendarDay{}, &IdempotencyKey{}}
	return &gormigrate.Migration{
		ID: "0004_calendar",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(tables...); err != nil {
				return err
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			for _, y := range years {
				if err := tx.Create(&CalendarYear{Year: y.year, Version: 1, Note: y.note, UpdatedAt: now}).Error; err != nil {
					return fmt.Errorf("calendar %d: %w", y.year, err)
				}
				var days []CalendarDay
				for _, s := range y.spans {
					from, err := time.Parse(time.DateOnly, s.from)
					if err != nil {
						return err
					}
					to, err := time.Parse(time.DateOnly, s.to)
					if err != nil {
						return err
					}
					for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
						days = append(days, CalendarDay{Date: d.Format(time.DateOnly), Year: y.year, Kind: s.kind, Name: s.name})
					}
				}
				if err := tx.Create(&days).Error; err != nil {
					return fmt.Errorf("calendar %d: %w", y.year, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(tables) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(tables[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
