package calendar

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// Kind says what a listed day is.
type Kind string

const (
	// KindHoliday is a day off, whatever its weekday (the official schedules list
	// the weekend days inside a holiday too, so that they carry the holiday's name).
	KindHoliday Kind = "holiday"
	// KindWorkday is a Saturday or Sunday that is worked (调休上班).
	KindWorkday Kind = "workday"
)

// Year range that the calendar accepts; other years are 404.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Day is one listed day of a year.
type Day struct {
	Date civil.Date `json:"date" validate:"required" swaggertype:"string" format:"date" example:"2026-02-17"`
	Kind Kind       `json:"kind" validate:"required" swaggertype:"string" enums:"holiday,workday" example:"holiday"`
	Name string     `json:"name" validate:"required" example:"春节"`
} // @name CalendarDay

// Year is one year of the calendar: its holidays and adjusted workdays, in date order.
// Days not listed follow the week: Monday to Friday work, Saturday and Sunday off.
// (The validate tags of Year and Day only mark their fields as always present in the
// API document; responses are not validated.)
type Year struct {
	Year int `json:"year" validate:"required" example:"2026"`
	// Version increases with every change; it is 0 for a year that was never
	// edited. GET returns it as the ETag too.
	Version int `json:"version" validate:"required" example:"1"`
	// Note says where the data comes from, or that it is provisional.
	Note string `json:"note" validate:"required" example:"国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"`
	Days []Day  `json:"days" validate:"required"`
} // @name CalendarYear

// YearInput replaces a year's listed days.
type YearInput struct {
	// Year, when sent, must be the year of the path.
	Year *int `json:"year,omitempty" example:"2026"`
	// Version, when sent, must be the current version (like If-Match), else 412.
	Version *int   `json:"version,omitempty" example:"1"`
	Note    string `json:"note" validate:"max=500" example:"国务院办公厅关于2026年部分节假日安排的通知"`
	// Days are the year's holidays and adjusted workdays; an empty list leaves only
	// the weekends.
	Days []DayInput `json:"days" validate:"required,max=366,dive"`
} // @name CalendarYearInput

// DayInput is one day of a YearInput.
type DayInput struct {
	Date civil.Date `json:"date" validate:"required" swaggertype:"string" format:"date" example:"2026-02-17"`
	Kind Kind       `json:"kind" validate:"required,oneof=holiday workday" swaggertype:"string" enums:"holiday,workday" example:"holiday"`
	Name string     `json:"name" validate:"max=50" example:"春节"`
} // @name CalendarDayInput

// yearRow is a row of calendar_years.
type yearRow struct {
	Year      int `gorm:"primaryKey;autoIncrement:false"`
	Version   int
	Note      string
	UpdatedBy *uuid.UUID `gorm:"type:uuid"`
	UpdatedAt time.Time
}

func (yearRow) TableName() string { return "calendar_years" }

// dayRow is a row of calendar_days.
type dayRow struct {
	Date civil.Date `gorm:"primaryKey"`
	Year int
	Kind string
	Name string
}

func (dayRow) TableName() string { return "calendar_days" }

func (r dayRow) day() Day { return Day{Date: r.Date, Kind: Kind(r.Kind), Name: r.Name} }
