// Package items is the heart of Duban: supervision items (督办事项), their lifecycle
// (statemachine.go), who may see and do what (permissions.go), the assignments to
// units (承办), milestones (节点), the hash-chained timeline (timeline.go) and the
// codes given at issue (codes.go).
//
// The service is plain Go over the database; only handlers*.go and routes.go know
// about HTTP. Every change runs in one transaction together with its timeline event.
package items

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// Category of an item (第七条): an important matter or a key document.
type Category string

const (
	CategoryImportantMatter Category = "important_matter"
	CategoryDocument        Category = "document"
)

// Categories lists every category.
var Categories = []Category{CategoryImportantMatter, CategoryDocument}

// Source is the initiation route of 第十四条; it decides who issues the task notice and
// whether the supervising leader's approval is needed.
type Source string

const (
	SourceBoard          Source = "board"           // 董事会
	SourcePartyGroup     Source = "party_group"     // 党组
	SourceLeaderActivity Source = "leader_activity" // 领导公务活动
	SourceGroupMeeting   Source = "group_meeting"   // 工作要点, 总经理办公会, 年中/月度/碰头会
	SourceSpecialMeeting Source = "special_meeting" // 专题会议
	SourceOther          Source = "other"           // 其他
	// SourceLeaderInstruction: work a company leader passed on, assigned or
	// arranged (§7(一) 公司领导批转、交办和布置的工作事项). Like a leader's official
	// activity (§14(3)) the supervision office issues its notice and the leader's
	// approval step is skipped: the instruction is the leader's decision.
	SourceLeaderInstruction Source = "leader_instruction"   // 领导批示/交办
	SourceSuperior          Source = "superior_instruction" // 上级明确指示 (documents)
	SourceSubsidiary        Source = "subsidiary_request"   // 分子公司紧急请示 (documents)
	SourceEmergency         Source = "emergency"            // 紧急、重大、突发事件 (documents)
)

// MatterSources are the sources of important matters; documents may use these and
// DocumentSources.
var (
	MatterSources   = []Source{SourceBoard, SourcePartyGroup, SourceLeaderActivity, SourceGroupMeeting, SourceSpecialMeeting, SourceOther, SourceLeaderInstruction}
	DocumentSources = []Source{SourceSuperior, SourceSubsidiary, SourceEmergency}
)

// SkipsApproval reports whether items of this source skip the supervising leader's
// approval (第十四条: "以上(1)、(2)、(3)、(4)督办事项立项可省略集团公司领导审批环节").
func (s Source) SkipsApproval() bool {
	return s == SourceBoard || s == SourcePartyGroup || s == SourceLeaderActivity || s == SourceGroupMeeting ||
		s == SourceLeaderInstruction
}

// ValidFor reports whether the source may be used with the category.
func (s Source) ValidFor(c Category) bool {
	if slices.Contains(MatterSources, s) {
		return true
	}
	return c == CategoryDocument && slices.Contains(DocumentSources, s)
}

// Meeting types for items whose source is a meeting.
var MeetingTypes = []string{"board", "party_group", "gm_office", "annual_work", "midyear_work",
	"monthly", "production_coordination", "special_topic"}

// Methods of supervision (第十三条).
var Methods = []string{"special", "tracking", "on_site", "joint"}

// Classifications (密级) of a document: 非密, 内部, 秘密, 机密.
var Classifications = []string{"non_secret", "internal", "secret", "confidential"}

// Urgencies.
var Urgencies = []string{"normal", "urgent", "very_urgent"}

// Feedback cadences.
var Cadences = []string{"none", "weekly", "biweekly", "monthly", "quarterly", "milestones"}

// Assignment roles and states.
const (
	RoleLead        = "lead"
	RoleCooperating = "cooperating"

	AssignmentPending  = "pending"
	AssignmentAccepted = "accepted"
	AssignmentReturned = "returned"
)

// Item is a row of items.
type Item struct {
	ID            uuid.UUID  `gorm:"type:uuid;primaryKey"`
	Code          *string    `gorm:"size:60"`
	ScopeID       uuid.UUID  `gorm:"type:uuid"`
	ParentID      *uuid.UUID `gorm:"type:uuid"`
	ParentScopeID *uuid.UUID `gorm:"type:uuid"`
	Title         string
	Content       string
	Requirements  string
	Category      Category
	Source        Source
	Basis         string
	MeetingType   string
	SourceRef     string
	// SourceURL links the source in the OA system (http or https only).
	SourceURL string `gorm:"column:source_url"`
	// Document fields (公文, §7(二)), only on category document: 文号, 发文机关,
	// 收文日期, 密级. Urgency (紧急程度) is the item's own.
	DocNumber         string
	DocIssuer         string
	DocReceivedOn     civil.Date
	DocClassification string
	// Instruction fields of source leader_instruction (§7(一) 公司领导批转、交办):
	// the instruction's text, the leader who gave it and its date.
	InstructionText     string
	InstructionLeaderID *uuid.UUID `gorm:"type:uuid"`
	InstructionDate     civil.Date
	NoticeIssuerUnitID  *uuid.UUID `gorm:"type:uuid"`
	Method              string
	Urgency             string
	FeedbackCadence     string
	InitiatorUnitID     uuid.UUID  `gorm:"type:uuid"`
	InitiatorUserID     uuid.UUID  `gorm:"type:uuid"`
	SupervisingLeaderID *uuid.UUID `gorm:"type:uuid"`
	LeadUnitID          *uuid.UUID `gorm:"type:uuid"`
	Deadline            civil.Date
	OriginalDeadline    civil.Date
	Progress            int
	State               State
	Verified            bool
	ReopenedCount       int
	Flagged             bool
	// WasOverdue: the item ran past its deadline before a later deadline was
	// set (§14(d): it is still assessed against the original one);
	// OverdueWorkdays the working days past the original deadline then (the
	// largest, when it happened more than once). Never cleared.
	WasOverdue      bool
	OverdueWorkdays int
	CancelReason    string
	SuspendReason   string
	EventSeq        int
	LastEventHash   string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     *time.Time
	ApprovedAt      *time.Time
	IssuedAt        *time.Time
	AcceptedAt      *time.Time
	ClosedAt        *time.Time
	ArchivedAt      *time.Time
	CancelledAt     *time.Time

	// Loaded from the join tables, never saved with the row.
	CooperatingUnitIDs []uuid.UUID `gorm:"-"`
	AssistingLeaderIDs []uuid.UUID `gorm:"-"`
	Tags               []string    `gorm:"-"`
	// JointUnitIDs are the departments of the item's joint supervision team (联合督办,
	// joint.go): they see the item and may urge it.
	JointUnitIDs []uuid.UUID `gorm:"-"`
	// locked: the row was read under this transaction's lock (or just
	// inserted), so its chain head is current.
	locked bool
}

// TableName pins the table.
func (Item) TableName() string { return "items" }

// Assignment is a row of item_assignments: one unit's part in an item.
type Assignment struct {
	ID                uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID            uuid.UUID  `gorm:"type:uuid"`
	UnitID            uuid.UUID  `gorm:"type:uuid"`
	Role              string     //
	ResponsibleUserID *uuid.UUID `gorm:"type:uuid"`
	State             string
	Reason            string
	AcceptedAt        *time.Time
	AcceptedBy        *uuid.UUID `gorm:"type:uuid"`
	ReturnedAt        *time.Time
	ReturnedBy        *uuid.UUID `gorm:"type:uuid"`
	// ReassignedAt: the supervision office assigned a unit after this assignment
	// was returned (AddAssignment); nil while a returned one waits for it.
	ReassignedAt *time.Time
	CreatedBy    uuid.UUID `gorm:"type:uuid"`
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// NextFeedbackDue is when the unit's next feedback is due by the item's
	// cadence, kept by the feedback package (FeedbackDueKeeper) whenever the item's
	// timeline moves; nil when nothing is due (cadence none, no milestone left) or
	// not yet computed. Stored without the deadline clamp and whatever the item's
	// state: readers apply both (see derive.go).
	NextFeedbackDue *civil.Date
}

// TableName pins the table.
func (Assignment) TableName() string { return "item_assignments" }

// Live reports whether the assignment still counts (it was not returned).
func (a *Assignment) Live() bool { return a.State != AssignmentReturned }

// Milestone is a row of item_milestones (节点).
type Milestone struct {
	ID        uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID    uuid.UUID `gorm:"type:uuid"`
	Title     string
	DueDate   civil.Date
	Done      bool
	DoneAt    *time.Time
	DoneBy    *uuid.UUID `gorm:"type:uuid"`
	Sort      int
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName pins the table.
func (Milestone) TableName() string { return "item_milestones" }

// Event is a row of item_events: one entry of an item's hash-chained timeline.
type Event struct {
	ID          uuid.UUID  `gorm:"type:uuid;primaryKey"`
	ItemID      uuid.UUID  `gorm:"type:uuid"`
	Seq         int        //
	At          time.Time  //
	ActorID     *uuid.UUID `gorm:"type:uuid"`
	Action      string
	StateBefore string
	StateAfter  string
	Changes     string
	Comment     string
	PrevHash    string
	Hash        string
}

// TableName pins the table.
func (Event) TableName() string { return "item_events" }

type cooperatingUnit struct {
	ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
	UnitID uuid.UUID `gorm:"type:uuid;primaryKey"`
	Sort   int
}

func (cooperatingUnit) TableName() string { return "item_cooperating_units" }

type assistingLeader struct {
	ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
	UserID uuid.UUID `gorm:"type:uuid;primaryKey"`
	Sort   int
}

func (assistingLeader) TableName() string { return "item_assisting_leaders" }

type itemTag struct {
	ItemID uuid.UUID `gorm:"type:uuid;primaryKey"`
	Tag    string    `gorm:"primaryKey"`
}

func (itemTag) TableName() string { return "item_tags" }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
