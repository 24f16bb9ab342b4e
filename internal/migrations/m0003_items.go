package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"
)

// m0003Items creates supervision items and what hangs off them (assignments,
// milestones, the hash-chained timeline, code sequences).
//
// Calendar dates (deadline, original_deadline, due_date) are varchar(10) YYYY-MM-DD,
// civil.Date's storage form, which compares and sorts correctly as text on both
// engines.
func m0003Items() *gormigrate.Migration {
	type OrgUnit struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type User struct {
		ID uuid.UUID `gorm:"type:uuid;primaryKey"`
	}
	type Item struct {
		ID       uuid.UUID  `gorm:"type:uuid;primaryKey;index:idx_items_created_id,priority:2"`
		Code     *string    `gorm:"size:60;uniqueIndex:ux_items_scope_code,priority:2"`
		ScopeID  uuid.UUID  `gorm:"type:uuid;not null;uniqueIndex:ux_items_scope_code,priority:1;index:idx_items_scope_created,priority:1;index:idx_items_scope_state,priority:1"`
		Scope    *OrgUnit   `gorm:"foreignKey:ScopeID;constraint:OnDelete:RESTRICT"`
		ParentID *uuid.UUID `gorm:"type:uuid;index"`
		Parent   *Item      `gorm:"foreignKey:ParentID;constraint:OnDelete:RESTRICT"`
		// ParentScopeID is the scope of the parent item, so that the supervisors of a
		// group see the sub-items handed down to an enterprise.
		ParentScopeID *uuid.UUID `gorm:"type:uuid;index"`

		Title              string     `gorm:"size:300;not null"`
		Content            string     `gorm:"type:text;not null"`
		Requirements       string     `gorm:"type:text;not null;default:''"`
		Category           string     `gorm:"size:30;not null"`
		Source             string     `gorm:"size:30;not null"`
		Basis              string     `gorm:"size:200;not null;default:''"`
		MeetingType        string     `gorm:"size:30;not null;default:''"`
		SourceRef          string     `gorm:"type:text;not null;default:''"`
		NoticeIssuerUnitID *uuid.UUID `gorm:"type:uuid"`
		NoticeIssuerUnit   *OrgUnit   `gorm:"foreignKey:NoticeIssuerUnitID;constraint:OnDelete:RESTRICT"`
		Method             string     `gorm:"size:20;not null"`
		Urgency            string     `gorm:"size:20;not null"`
		FeedbackCadence    string     `gorm:"size:20;not null"`

		InitiatorUnitID     uuid.UUID  `gorm:"type:uuid;not null;index"`
		InitiatorUnit       *OrgUnit   `gorm:"foreignKey:InitiatorUnitID;constraint:OnDelete:RESTRICT"`
		InitiatorUserID     uuid.UUID  `gorm:"type:uuid;not null;index"`
		InitiatorUser       *User      `gorm:"foreignKey:InitiatorUserID;constraint:OnDelete:RESTRICT"`
		SupervisingLeaderID *uuid.UUID `gorm:"type:uuid;index"`
		SupervisingLeader   *User      `gorm:"foreignKey:SupervisingLeaderID;constraint:OnDelete:RESTRICT"`
		LeadUnitID          *uuid.UUID `gorm:"type:uuid;index"`
		LeadUnit            *OrgUnit   `gorm:"foreignKey:LeadUnitID;constraint:OnDelete:RESTRICT"`

		Deadline         *string `gorm:"size:10;index"`
		OriginalDeadline *string `gorm:"size:10"`
		Progress         int     `gorm:"not null;default:0"`

		State         string `gorm:"size:30;not null;index:idx_items_scope_state,priority:2"`
		Verified      bool   `gorm:"not null;default:false"`
		ReopenedCount int    `gorm:"not null;default:0"`
		Flagged       bool   `gorm:"not null;default:false"`
		CancelReason  string `gorm:"type:text;not null;default:''"`
		SuspendReason string `gorm:"type:text;not null;default:''"`

		// EventSeq and LastEventHash are the head of the item's hash chain.
		EventSeq      int    `gorm:"not null;default:0"`
		LastEventHash string `gorm:"size:64;not null;default:''"`

		Version     int       `gorm:"not null;default:1"`
		CreatedAt   time.Time `gorm:"not null;index:idx_items_scope_created,priority:2;index:idx_items_created_id,priority:1"`
		UpdatedAt   time.Time `gorm:"not null"`
		SubmittedAt *time.Time
		ApprovedAt  *time.Time
		IssuedAt    *time.Time
		AcceptedAt  *time.Time
		ClosedAt    *time.Time
		ArchivedAt  *time.Time
		CancelledAt *time.Time
	}
	type ItemCooperatingUnit struct {
		ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		UnitID uuid.UUID `gorm:"type:uuid;primaryKey;index"`
		Unit   *OrgUnit  `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		Sort   int       `gorm:"not null;default:0"`
	}
	type ItemAssistingLeader struct {
		ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		UserID uuid.UUID `gorm:"type:uuid;primaryKey;index"`
		User   *User     `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
		Sort   int       `gorm:"not null;default:0"`
	}
	type ItemTag struct {
		ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		Tag    string    `gorm:"size:50;primaryKey;index"`
	}
	type ItemAssignment struct {
		ID                uuid.UUID  `gorm:"type:uuid;primaryKey"`
		ItemID            uuid.UUID  `gorm:"type:uuid;not null;index"`
		Item              *Item      `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		UnitID            uuid.UUID  `gorm:"type:uuid;not null;index"`
		Unit              *OrgUnit   `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
		Role              string     `gorm:"size:20;not null"`
		ResponsibleUserID *uuid.UUID `gorm:"type:uuid;index"`
		ResponsibleUser   *User      `gorm:"foreignKey:ResponsibleUserID;constraint:OnDelete:RESTRICT"`
		State             string     `gorm:"size:20;not null"`
		Reason            string     `gorm:"type:text;not null;default:''"`
		AcceptedAt        *time.Time
		AcceptedBy        *uuid.UUID `gorm:"type:uuid"`
		ReturnedAt        *time.Time
		ReturnedBy        *uuid.UUID `gorm:"type:uuid"`
		CreatedBy         uuid.UUID  `gorm:"type:uuid;not null"`
		Version           int        `gorm:"not null;default:1"`
		CreatedAt         time.Time  `gorm:"not null"`
		UpdatedAt         time.Time  `gorm:"not null"`
	}
	type ItemMilestone struct {
		ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID    uuid.UUID `gorm:"type:uuid;not null;index"`
		Item      *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		Title     string    `gorm:"size:300;not null"`
		DueDate   string    `gorm:"size:10;not null"`
		Done      bool      `gorm:"not null;default:false"`
		DoneAt    *time.Time
		DoneBy    *uuid.UUID `gorm:"type:uuid"`
		Sort      int        `gorm:"not null;default:0"`
		Version   int        `gorm:"not null;default:1"`
		CreatedAt time.Time  `gorm:"not null"`
		UpdatedAt time.Time  `gorm:"not null"`
	}
	type ItemEvent struct {
		ID     uuid.UUID `gorm:"type:uuid;primaryKey"`
		ItemID uuid.UUID `gorm:"type:uuid;not null;uniqueIndex:ux_item_events_seq,priority:1"`
		Item   *Item     `gorm:"foreignKey:ItemID;constraint:OnDelete:CASCADE"`
		Seq    int       `gorm:"not null;uniqueIndex:ux_item_events_seq,priority:2"`
		At     time.Time `gorm:"not null"`
		// ActorID has no foreign key: the timeline is an audit trail and must outlive
		// any later change to users.
		ActorID     *uuid.UUID `gorm:"type:uuid;index"`
		Action      string     `gorm:"size:40;not null"`
		StateBefore string     `gorm:"size:30;not null;default:''"`
		StateAfter  string     `gorm:"size:30;not null;default:''"`
		Changes     string     `gorm:"type:text;not null;default:'{}'"`
		Comment     string     `gorm:"type:text;not null;default:''"`
		PrevHash    string     `gorm:"size:64;not null;default:''"`
		Hash        string     `gorm:"size:64;not null"`
	}
	type ItemCodeSequence struct {
		ScopeID uuid.UUID `gorm:"type:uuid;primaryKey"`
		Year    int       `gorm:"primaryKey;autoIncrement:false"`
		// LastNumber is the number of the last code given out (0 before the first).
		LastNumber int `gorm:"not null;default:0"`
	}
	tables := []any{&Item{}, &ItemCooperatingUnit{}, &ItemAssistingLeader{}, &ItemTag{},
		&ItemAssignment{}, &ItemMilestone{}, &ItemEvent{}, &ItemCodeSequence{}}
	// Partial unique indexes (both engines support them): a unit holds at most one
	// live (not returned) assignment per item, and an item at most one live lead.
	indexes := []string{
		`CREATE UNIQUE INDEX ux_item_assignments_live ON item_assignments (item_id, unit_id) WHERE state <> 'returned'`,
		`CREATE UNIQUE INDEX ux_item_assignments_one_lead ON item_assignments (item_id) WHERE role = 'lead' AND state <> 'returned'`,
	}
	return &gormigrate.Migration{
		ID: "0003_items",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(tables...); err != nil {
				return err
			}
			for _, s := range indexes {
				if err := tx.Exec(s).Error; err != nil {
					return err
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
