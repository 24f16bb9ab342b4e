package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0140SupervisionMethods adds the other supervision methods of §13 (issue 11,
// point 12):
//   - item_joint_units (联合督办): the departments named as an item's supervision
//     team. They see the item (item_visibility names them, kept by package items)
//     and may urge it.
//   - item_visits and item_visit_people (现场督办): a visit on the item, who went,
//     where, when, the leader who authorised it and the findings; photos and files
//     are attachments owned by the visit (owner_type visit).
//   - item_coordinations, item_coordination_attendees and
//     item_coordination_decisions (组织协调): a coordination meeting with its
//     attendees (people or units), minutes (files owned by the meeting) and its
//     decisions, each of which may become a sub-item or a milestone (the link is
//     kept on the decision).
//
// Calendar dates are varchar(10) YYYY-MM-DD like the items' (m0003).
func m0140SupervisionMethods() *gormigrate.Migration {
	type JointUnit struct {
		ItemID  uuid.UUID `gorm:"type:uuid;primaryKey"`
		UnitID  uuid.UUID `gorm:"type:uuid;primaryKey;index:idx_item_joint_units_unit"`
		AddedBy uuid.UUID `gorm:"type:uuid;not null"`
		AddedAt time.Time `gorm:"not null"`
	}
	type Visit struct {
		ID           uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID       uuid.UUID `gorm:"type:uuid;not null;index:idx_item_visits_item"`
		VisitedOn    string    `gorm:"size:10;not null"`
		Place        string    `gorm:"size:300;not null"`
		AuthorisedBy uuid.UUID `gorm:"type:uuid;not null"`
		Findings     string    `gorm:"type:text;not null"`
		CreatedBy    uuid.UUID `gorm:"type:uuid;not null"`
		CreatedAt    time.Time `gorm:"not null"`
	}
	type VisitPerson struct {
		VisitID uuid.UUID `gorm:"type:uuid;primaryKey"`
		UserID  uuid.UUID `gorm:"type:uuid;primaryKey"`
		Sort    int       `gorm:"not null;default:0"`
	}
	type Coordination struct {
		ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID    uuid.UUID `gorm:"type:uuid;not null;index:idx_item_coordinations_item"`
		HeldOn    string    `gorm:"size:10;not null"`
		Place     string    `gorm:"size:300;not null"`
		Minutes   string    `gorm:"type:text;not null"`
		CreatedBy uuid.UUID `gorm:"type:uuid;not null"`
		CreatedAt time.Time `gorm:"not null"`
	}
	type CoordinationAttendee struct {
		CoordinationID uuid.UUID `gorm:"type:uuid;primaryKey"`
		// SubjectID is a user or an org unit; Kind says which.
		SubjectID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Kind      string    `gorm:"size:10;not null"`
		Sort      int       `gorm:"not null;default:0"`
	}
	type CoordinationDecision struct {
		ID             uuid.UUID  `gorm:"type:uuid;primaryKey"`
		CoordinationID uuid.UUID  `gorm:"type:uuid;not null;index:idx_item_coordination_decisions_meeting"`
		ItemID         uuid.UUID  `gorm:"type:uuid;not null"`
		Sort           int        `gorm:"not null;default:0"`
		Text           string     `gorm:"size:2000;not null"`
		SubItemID      *uuid.UUID `gorm:"type:uuid"`
		MilestoneID    *uuid.UUID `gorm:"type:uuid"`
	}
	tables := []struct {
		name string
		m    any
	}{
		{"item_joint_units", &JointUnit{}}, {"item_visits", &Visit{}}, {"item_visit_people", &VisitPerson{}},
		{"item_coordinations", &Coordination{}}, {"item_coordination_attendees", &CoordinationAttendee{}},
		{"item_coordination_decisions", &CoordinationDecision{}},
	}
	return &gormigrate.Migration{
		ID: "0140_supervision_methods",
		Migrate: func(tx *gorm.DB) error {
			for _, t := range tables {
				if err := tx.Table(t.name).Migrator().CreateTable(t.m); err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(tables) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(tables[i].name); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
