package items

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
)

// CreateItemRequest is the body of POST /items (a draft: the task notice).
type CreateItemRequest struct {
	Title        string `json:"title" validate:"required,max=300" example:"落实年度安全生产工作会议部署"`
	Content      string `json:"content" validate:"required,max=20000" example:"按会议要求完成所属企业安全隐患排查整治"`
	Requirements string `json:"requirements" validate:"max=20000" example:"6月底前完成排查，形成整改台账"`
	// Category: important_matter (重要事项) or document (公文, registered by the
	// supervision office).
	Category string `json:"category" validate:"required,oneof=important_matter document" enums:"important_matter,document" example:"important_matter"`
	// Source decides who issues the notice and whether the supervising leader must
	// approve (board, party_group, leader_activity, group_meeting and
	// leader_instruction skip approval);
	// documents may also use superior_instruction, subsidiary_request, emergency.
	Source      string `json:"source" validate:"required,oneof=board party_group leader_activity group_meeting special_meeting other leader_instruction superior_instruction subsidiary_request emergency" enums:"board,party_group,leader_activity,group_meeting,special_meeting,other,leader_instruction,superior_instruction,subsidiary_request,emergency" example:"group_meeting"`
	Basis       string `json:"basis,omitempty" validate:"max=200" example:"年度工作会议决议"`
	MeetingType string `json:"meeting_type,omitempty" validate:"omitempty,oneof=board party_group gm_office annual_work midyear_work monthly production_coordination special_topic" enums:"board,party_group,gm_office,annual_work,midyear_work,monthly,production_coordination,special_topic"`
	// SourceRef: meeting and date, document number (文号), the instruction's text.
	SourceRef string `json:"source_ref,omitempty" validate:"max=2000" example:"2026年1月总经理办公会纪要第3项"`
	// NoticeIssuerUnitID defaults from the source (第十四条): board → Board Office,
	// party_group → party-group office, leader_activity and group_meeting → the
	// supervision office, otherwise the lead unit.
	NoticeIssuerUnitID string `json:"notice_issuer_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	Method             string `json:"method,omitempty" validate:"omitempty,oneof=special tracking on_site joint" enums:"special,tracking,on_site,joint" example:"special"`
	Urgency            string `json:"urgency,omitempty" validate:"omitempty,oneof=normal urgent very_urgent" enums:"normal,urgent,very_urgent" example:"normal"`
	FeedbackCadence    string `json:"feedback_cadence,omitempty" validate:"omitempty,oneof=none weekly biweekly monthly quarterly milestones" enums:"none,weekly,biweekly,monthly,quarterly,milestones" example:"monthly"`
	// InitiatorUnitID defaults to the caller's unit.
	InitiatorUnitID string `json:"initiator_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// ScopeID defaults to the caller's scope; another scope only for a sub-item
	// handed down to an enterprise under the parent's scope.
	ScopeID             string   `json:"scope_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	LeadUnitID          string   `json:"lead_unit_id" validate:"required,uuid" format:"uuid"`
	CooperatingUnitIDs  []string `json:"cooperating_unit_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
	SupervisingLeaderID string   `json:"supervising_leader_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	AssistingLeaderIDs  []string `json:"assisting_leader_ids,omitempty" validate:"max=20,dive,uuid" format:"uuid"`
	Deadline            string   `json:"deadline" validate:"required,datetime=2006-01-02" format:"date" example:"2026-06-30"`
	ParentID            string   `json:"parent_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	Tags                []string `json:"tags,omitempty" validate:"max=20" example:"安全生产"`
	// The source's particulars (issue 11): the link to the OA document, a
	// document's fields (category document only) and a leader's instruction
	// (source leader_instruction only, where all three are required).
	// SourceURL: the source in the OA system, an absolute http or https address.
	SourceURL string `json:"source_url,omitempty" validate:"max=2000" format:"uri" example:"https://oa.example.com/docs/2026-12"`
	// DocNumber: the document's number (文号), searched by q and the doc_number filter.
	DocNumber string `json:"doc_number,omitempty" validate:"max=100" example:"大唐集团〔2026〕12号"`
	// DocIssuer: the issuing authority (发文机关).
	DocIssuer string `json:"doc_issuer,omitempty" validate:"max=200" example:"国务院国资委"`
	// DocReceivedOn: the date received (收文日期), not in the future.
	DocReceivedOn string `json:"doc_received_on,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date" example:"2026-03-02"`
	// DocClassification: 密级 — 非密, 内部, 秘密, 机密.
	DocClassification string `json:"doc_classification,omitempty" validate:"omitempty,oneof=non_secret internal secret confidential" enums:"non_secret,internal,secret,confidential"`
	// InstructionText: the leader's instruction (批示) as written.
	InstructionText string `json:"instruction_text,omitempty" validate:"max=5000" example:"请规划发展部牵头研究落实"`
	// InstructionLeaderID: the leader who gave it (a leader of the scope); the
	// supervising leader defaults to them.
	InstructionLeaderID string `json:"instruction_leader_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	// InstructionDate: when it was given, not in the future.
	InstructionDate string `json:"instruction_date,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date" example:"2026-03-01"`
} // @name CreateItem

// UpdateItemRequest is the body of PATCH /items/{id}: absent fields stay.
type UpdateItemRequest struct {
	Title               *string   `json:"title,omitempty" validate:"omitempty,max=300"`
	Content             *string   `json:"content,omitempty" validate:"omitempty,max=20000"`
	Requirements        *string   `json:"requirements,omitempty" validate:"omitempty,max=20000"`
	Category            *string   `json:"category,omitempty" validate:"omitempty,oneof=important_matter document" enums:"important_matter,document"`
	Source              *string   `json:"source,omitempty" validate:"omitempty,oneof=board party_group leader_activity group_meeting special_meeting other leader_instruction superior_instruction subsidiary_request emergency" enums:"board,party_group,leader_activity,group_meeting,special_meeting,other,leader_instruction,superior_instruction,subsidiary_request,emergency"`
	Basis               *string   `json:"basis,omitempty" validate:"omitempty,max=200"`
	MeetingType         *string   `json:"meeting_type,omitempty" validate:"omitempty,oneof=board party_group gm_office annual_work midyear_work monthly production_coordination special_topic"`
	SourceRef           *string   `json:"source_ref,omitempty" validate:"omitempty,max=2000"`
	NoticeIssuerUnitID  *string   `json:"notice_issuer_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	Method              *string   `json:"method,omitempty" validate:"omitempty,oneof=special tracking on_site joint"`
	Urgency             *string   `json:"urgency,omitempty" validate:"omitempty,oneof=normal urgent very_urgent"`
	FeedbackCadence     *string   `json:"feedback_cadence,omitempty" validate:"omitempty,oneof=none weekly biweekly monthly quarterly milestones"`
	InitiatorUnitID     *string   `json:"initiator_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	LeadUnitID          *string   `json:"lead_unit_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	CooperatingUnitIDs  *[]string `json:"cooperating_unit_ids,omitempty" validate:"omitempty,max=50,dive,uuid" format:"uuid"`
	SupervisingLeaderID *string   `json:"supervising_leader_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	AssistingLeaderIDs  *[]string `json:"assisting_leader_ids,omitempty" validate:"omitempty,max=20,dive,uuid" format:"uuid"`
	Deadline            *string   `json:"deadline,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date"`
	Progress            *int      `json:"progress,omitempty" validate:"omitempty,gte=0,lte=100"`
	Tags                *[]string `json:"tags,omitempty" validate:"omitempty,max=20"`
	// SourceURL, the document fields and the instruction fields as in POST
	// /items; an empty string clears one.
	SourceURL           *string `json:"source_url,omitempty" validate:"omitempty,max=2000" format:"uri"`
	DocNumber           *string `json:"doc_number,omitempty" validate:"omitempty,max=100"`
	DocIssuer           *string `json:"doc_issuer,omitempty" validate:"omitempty,max=200"`
	DocReceivedOn       *string `json:"doc_received_on,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date"`
	DocClassification   *string `json:"doc_classification,omitempty" validate:"omitempty,oneof=non_secret internal secret confidential" enums:"non_secret,internal,secret,confidential"`
	InstructionText     *string `json:"instruction_text,omitempty" validate:"omitempty,max=5000"`
	InstructionLeaderID *string `json:"instruction_leader_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	InstructionDate     *string `json:"instruction_date,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date"`
	// AttachmentIDs links files uploaded for this item (POST /attachments) to the
	// item itself: the document, the 批示件, minutes. Only files nothing links yet,
	// uploaded by the caller (or a member of a unit they head or liaise for).
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=20,dive,uuid" format:"uuid"`
	// RemoveAttachmentIDs takes files off the item itself (a wrong scan, an
	// outdated version). They stay on record: the timeline names them and who
	// sees the item may still download them, but they are no longer listed.
	RemoveAttachmentIDs []string `json:"remove_attachment_ids,omitempty" validate:"max=20,dive,uuid" format:"uuid"`
} // @name UpdateItem

// ActionRequest is the optional body of a state action; reject and cancel require
// the comment (the reason).
type ActionRequest struct {
	Comment string `json:"comment,omitempty" validate:"max=5000" example:"请补充工作目标"`
} // @name ItemAction

// AssignmentRequest names one unit of an issue or a reassignment.
type AssignmentRequest struct {
	UnitID            string `json:"unit_id" validate:"required,uuid" format:"uuid"`
	Role              string `json:"role" validate:"required,oneof=lead cooperating" enums:"lead,cooperating" example:"lead"`
	ResponsibleUserID string `json:"responsible_user_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
} // @name AssignmentRequest

// IssueRequest is the body of POST /items/{id}/issue; no assignments means the
// item's lead and cooperating units.
type IssueRequest struct {
	Assignments []AssignmentRequest `json:"assignments,omitempty" validate:"max=50,dive"`
	Comment     string              `json:"comment,omitempty" validate:"max=5000"`
} // @name IssueItem

// AddAssignmentRequest is the body of POST /items/{id}/assignments (reassign).
type AddAssignmentRequest struct {
	UnitID            string `json:"unit_id" validate:"required,uuid" format:"uuid"`
	Role              string `json:"role" validate:"required,oneof=lead cooperating" enums:"lead,cooperating" example:"lead"`
	ResponsibleUserID string `json:"responsible_user_id,omitempty" validate:"omitempty,uuid" format:"uuid"`
	Comment           string `json:"comment,omitempty" validate:"max=5000"`
} // @name NewAssignment

// UpdateAssignmentRequest is the body of PATCH /assignments/{id}.
type UpdateAssignmentRequest struct {
	ResponsibleUserID string `json:"responsible_user_id" validate:"required,uuid" format:"uuid"`
} // @name UpdateAssignment

// ReturnAssignmentRequest is the body of POST /assignments/{id}/return.
type ReturnAssignmentRequest struct {
	Reason string `json:"reason" validate:"required,max=5000" example:"该事项属于安全环保部职责"`
} // @name ReturnAssignment

// CreateMilestoneRequest is the body of POST /items/{id}/milestones.
type CreateMilestoneRequest struct {
	Title   string `json:"title" validate:"required,max=300" example:"完成隐患排查"`
	DueDate string `json:"due_date" validate:"required,datetime=2006-01-02" format:"date" example:"2026-04-30"`
	Sort    *int   `json:"sort,omitempty"`
} // @name NewMilestone

// UpdateMilestoneRequest is the body of PATCH /milestones/{id}: absent fields stay.
type UpdateMilestoneRequest struct {
	Title   *string `json:"title,omitempty" validate:"omitempty,max=300"`
	DueDate *string `json:"due_date,omitempty" validate:"omitempty,datetime=2006-01-02" format:"date"`
	Done    *bool   `json:"done,omitempty"`
	Sort    *int    `json:"sort,omitempty"`
} // @name UpdateMilestone

// ItemResponse is a supervision item as read.
type ItemResponse struct {
	ID           uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	Code         *string   `json:"code" example:"DB-2026-0001"`
	Title        string    `json:"title"`
	Content      string    `json:"content"`
	Requirements string    `json:"requirements"`
	Category     Category  `json:"category" swaggertype:"string" enums:"important_matter,document"`
	Source       Source    `json:"source" swaggertype:"string"`
	Basis        string    `json:"basis"`
	MeetingType  string    `json:"meeting_type"`
	SourceRef    string    `json:"source_ref"`
	// SourceURL: the source in the OA system ("" when none).
	SourceURL string `json:"source_url" example:"https://oa.example.com/docs/2026-12"`
	// Document fields (category document): 文号, 发文机关, 收文日期, 密级.
	DocNumber         string     `json:"doc_number" example:"大唐集团〔2026〕12号"`
	DocIssuer         string     `json:"doc_issuer"`
	DocReceivedOn     civil.Date `json:"doc_received_on" swaggertype:"string" format:"date" extensions:"x-nullable"`
	DocClassification string     `json:"doc_classification" enums:",non_secret,internal,secret,confidential"`
	// Instruction fields (source leader_instruction): text, leader, date.
	InstructionText     string      `json:"instruction_text"`
	InstructionLeaderID *uuid.UUID  `json:"instruction_leader_id" swaggertype:"string" format:"uuid"`
	InstructionDate     civil.Date  `json:"instruction_date" swaggertype:"string" format:"date" extensions:"x-nullable"`
	NoticeIssuerUnitID  *uuid.UUID  `json:"notice_issuer_unit_id" swaggertype:"string" format:"uuid"`
	Method              string      `json:"method"`
	Urgency             string      `json:"urgency"`
	FeedbackCadence     string      `json:"feedback_cadence"`
	ScopeID             uuid.UUID   `json:"scope_id" swaggertype:"string" format:"uuid"`
	ParentID            *uuid.UUID  `json:"parent_id" swaggertype:"string" format:"uuid"`
	InitiatorUnitID     uuid.UUID   `json:"initiator_unit_id" swaggertype:"string" format:"uuid"`
	InitiatorUserID     uuid.UUID   `json:"initiator_user_id" swaggertype:"string" format:"uuid"`
	SupervisingLeaderID *uuid.UUID  `json:"supervising_leader_id" swaggertype:"string" format:"uuid"`
	AssistingLeaderIDs  []uuid.UUID `json:"assisting_leader_ids" swaggertype:"array,string" format:"uuid"`
	LeadUnitID          *uuid.UUID  `json:"lead_unit_id" swaggertype:"string" format:"uuid"`
	CooperatingUnitIDs  []uuid.UUID `json:"cooperating_unit_ids" swaggertype:"array,string" format:"uuid"`
	Deadline            civil.Date  `json:"deadline" swaggertype:"string" format:"date" example:"2026-06-30"`
	// OriginalDeadline is fixed at issue and never changes; assessment measures
	// against it; null until the item is issued.
	OriginalDeadline civil.Date `json:"original_deadline" swaggertype:"string" format:"date" example:"2026-06-30" extensions:"x-nullable"`
	Progress         int        `json:"progress" example:"40"`
	// WasOverdue: the item ran past its deadline before a new one was set (§14(d)
	// assesses it against the original deadline); a stored fact no later deadline
	// clears. OverdueWorkdays: the working days past the original deadline then.
	WasOverdue      bool `json:"was_overdue"`
	OverdueWorkdays int  `json:"overdue_workdays" example:"4"`
	// HasReturnedAssignment: a unit returned its assignment (退回) and the
	// supervision office has not assigned anyone since; shown until it reassigns.
	HasReturnedAssignment bool `json:"has_returned_assignment"`
	// ChildrenProgress is the average progress of the sub-items (cancelled ones
	// left out); null without sub-items.
	ChildrenProgress *int     `json:"children_progress" example:"55"`
	ChildrenCount    int      `json:"children_count" example:"2"`
	Tags             []string `json:"tags"`
	State            State    `json:"state" swaggertype:"string" enums:"draft,pending_approval,approved,issued,in_progress,suspended,completion_requested,closed,archived,cancelled"`
	Verified         bool     `json:"verified"`
	ReopenedCount    int      `json:"reopened_count"`
	Flagged          bool     `json:"flagged"`
	CancelReason     string   `json:"cancel_reason"`
	SuspendReason    string   `json:"suspend_reason"`
	// Overdue, Light and DaysRemaining are derived on every read.
	Overdue       bool   `json:"overdue"`
	Light         string `json:"light" enums:"red,yellow,blue,green,none"`
	DaysRemaining *int   `json:"days_remaining" example:"12"`
	// WarningCleared: the supervision office cleared the item's warning light (摘牌)
	// and the clearing holds, so light shows green; it shows again once the
	// underlying light gets worse than warning_cleared_light or the deadline moves.
	WarningCleared bool `json:"warning_cleared"`
	// WarningClearedLight is the light that was cleared (blue, yellow or red).
	WarningClearedLight *string    `json:"warning_cleared_light" enums:"blue,yellow,red"`
	WarningClearReason  *string    `json:"warning_clear_reason" example:"受上级政策调整影响，属客观原因"`
	WarningClearedBy    *uuid.UUID `json:"warning_cleared_by" swaggertype:"string" format:"uuid"`
	WarningClearedAt    *time.Time `json:"warning_cleared_at"`
	// AllowedActions lists what the caller may do now (update, delete, submit,
	// approve, reject, issue, accept, return, reassign, suspend, resume, cancel,
	// archive, manage_milestones, add_sub_item, clear_warning, ...).
	// EditableFields lists the fields PATCH /items/{id} accepts from the caller
	// now (empty without the update action): the form offers only these.
	EditableFields []string   `json:"editable_fields" example:"title,content"`
	AllowedActions []string   `json:"allowed_actions" enums:"update,delete,submit,approve,reject,issue,accept,return,reassign,suspend,resume,cancel,archive,request_completion,approve_completion,reject_completion,verify,manage_milestones,add_sub_item,move_deadline,set_progress,clear_warning"`
	Version        int        `json:"version" example:"3"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	ApprovedAt     *time.Time `json:"approved_at"`
	IssuedAt       *time.Time `json:"issued_at"`
	AcceptedAt     *time.Time `json:"accepted_at"`
	ClosedAt       *time.Time `json:"closed_at"`
	ArchivedAt     *time.Time `json:"archived_at"`
	CancelledAt    *time.Time `json:"cancelled_at"`
} // @name Item

// ItemListResponse is a page of items.
type ItemListResponse struct {
	Data  []ItemResponse `json:"data"`
	Total int64          `json:"total" example:"42"`
	// TotalIsEstimate: more items match than are counted exactly (10,000 by
	// default, PostgreSQL): total is the database's estimate. A short last page
	// gives the exact total.
	TotalIsEstimate bool `json:"total_is_estimate" example:"false"`
	Page            int  `json:"page" example:"1"`
	PageSize        int  `json:"page_size" example:"20"`
	// HasMore: another page follows (the next offset page, or next_cursor).
	HasMore bool `json:"has_more" example:"false"`
	// NextCursor continues a sync listing (cursor or updated_since given): pass it
	// as cursor to get the changes after this page; keep it to poll for later ones.
	NextCursor *string `json:"next_cursor,omitempty" example:"djE6MTIzOjAxOTNh..."`
} // @name ItemList

// AssignmentResponse is an assignment as read.
type AssignmentResponse struct {
	ID                uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	ItemID            uuid.UUID  `json:"item_id" swaggertype:"string" format:"uuid"`
	UnitID            uuid.UUID  `json:"unit_id" swaggertype:"string" format:"uuid"`
	Role              string     `json:"role" enums:"lead,cooperating"`
	ResponsibleUserID *uuid.UUID `json:"responsible_user_id" swaggertype:"string" format:"uuid"`
	State             string     `json:"state" enums:"pending,accepted,returned"`
	// Reason is the unit's reason for returning it.
	Reason         string     `json:"reason"`
	AcceptedAt     *time.Time `json:"accepted_at"`
	AcceptedBy     *uuid.UUID `json:"accepted_by" swaggertype:"string" format:"uuid"`
	ReturnedAt     *time.Time `json:"returned_at"`
	ReturnedBy     *uuid.UUID `json:"returned_by" swaggertype:"string" format:"uuid"`
	AllowedActions []string   `json:"allowed_actions" enums:"accept,return,update"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
} // @name Assignment

// AssignmentListResponse lists an item's assignments.
type AssignmentListResponse struct {
	Data  []AssignmentResponse `json:"data"`
	Total int                  `json:"total"`
} // @name AssignmentList

// MilestoneResponse is a milestone as read.
type MilestoneResponse struct {
	ID      uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	ItemID  uuid.UUID  `json:"item_id" swaggertype:"string" format:"uuid"`
	Title   string     `json:"title"`
	DueDate civil.Date `json:"due_date" swaggertype:"string" format:"date" example:"2026-04-30"`
	Done    bool       `json:"done"`
	DoneAt  *time.Time `json:"done_at"`
	DoneBy  *uuid.UUID `json:"done_by" swaggertype:"string" format:"uuid"`
	Sort    int        `json:"sort"`
	// AllowedActions: update and delete, while the caller may manage the item's
	// milestones (manage_milestones on the item).
	AllowedActions []string  `json:"allowed_actions" example:"delete,update"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
} // @name Milestone

// MilestoneListResponse lists an item's milestones.
type MilestoneListResponse struct {
	Data  []MilestoneResponse `json:"data"`
	Total int                 `json:"total"`
} // @name MilestoneList

// EventResponse is one entry of an item's timeline.
type EventResponse struct {
	ID          uuid.UUID  `json:"id" swaggertype:"string" format:"uuid"`
	ItemID      uuid.UUID  `json:"item_id" swaggertype:"string" format:"uuid"`
	Seq         int        `json:"seq" example:"1"`
	At          time.Time  `json:"at"`
	ActorID     *uuid.UUID `json:"actor_id" swaggertype:"string" format:"uuid"`
	Action      string     `json:"action" example:"submit"`
	StateBefore string     `json:"state_before" example:"draft"`
	StateAfter  string     `json:"state_after" example:"pending_approval"`
	// Changes maps each changed field to {from, to}.
	Changes json.RawMessage `json:"changes" swaggertype:"object"`
	Comment string          `json:"comment"`
	// PrevHash and Hash chain the timeline: hash = sha256(prev_hash "\n" canonical
	// event), so an edited or removed event shows.
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
} // @name ItemEvent

// EventListResponse is a page of an item's timeline.
type EventListResponse struct {
	Data     []EventResponse `json:"data"`
	Total    int64           `json:"total"`
	Page     int             `json:"page"`
	PageSize int             `json:"page_size"`
} // @name ItemEventList

// ToItemResponse renders an item view.
func ToItemResponse(v *ItemView) ItemResponse {
	it := &v.Item
	r := ItemResponse{
		ID: it.ID, Code: it.Code, Title: it.Title, Content: it.Content, Requirements: it.Requirements,
		Category: it.Category, Source: it.Source, Basis: it.Basis, MeetingType: it.MeetingType, SourceRef: it.SourceRef,
		NoticeIssuerUnitID: it.NoticeIssuerUnitID, Method: it.Method, Urgency: it.Urgency, FeedbackCadence: it.FeedbackCadence,
		ScopeID: it.ScopeID, ParentID: it.ParentID, InitiatorUnitID: it.InitiatorUnitID, InitiatorUserID: it.InitiatorUserID,
		SupervisingLeaderID: it.SupervisingLeaderID, AssistingLeaderIDs: orEmpty(it.AssistingLeaderIDs), LeadUnitID: it.LeadUnitID,
		CooperatingUnitIDs: orEmpty(it.CooperatingUnitIDs), Deadline: it.Deadline, OriginalDeadline: it.OriginalDeadline,
		Progress: it.Progress, WasOverdue: it.WasOverdue, OverdueWorkdays: it.OverdueWorkdays,
		HasReturnedAssignment: v.HasReturnedAssignment, ChildrenProgress: v.ChildrenProgress, ChildrenCount: v.ChildrenCount, Tags: nonNil(it.Tags),
		State: it.State, Verified: it.Verified, ReopenedCount: it.ReopenedCount, Flagged: it.Flagged,
		CancelReason: it.CancelReason, SuspendReason: it.SuspendReason,
		Overdue: v.Overdue, Light: v.Light, DaysRemaining: v.DaysRemaining, AllowedActions: nonNil(v.AllowedActions),
		EditableFields: EditableFields(it, v.AllowedActions),
		SourceURL:      it.SourceURL, DocNumber: it.DocNumber, DocIssuer: it.DocIssuer, DocReceivedOn: it.DocReceivedOn,
		DocClassification: it.DocClassification, InstructionText: it.InstructionText, InstructionLeaderID: it.InstructionLeaderID,
		InstructionDate: it.InstructionDate,
		Version:         it.Version, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, SubmittedAt: it.SubmittedAt,
		ApprovedAt: it.ApprovedAt, IssuedAt: it.IssuedAt, AcceptedAt: it.AcceptedAt, ClosedAt: it.ClosedAt,
		ArchivedAt: it.ArchivedAt, CancelledAt: it.CancelledAt,
	}
	if c := v.Clear; c != nil {
		at := c.ClearedAt.UTC()
		r.WarningCleared, r.WarningClearedLight, r.WarningClearReason = true, &c.ClearedLight, &c.Reason
		r.WarningClearedBy, r.WarningClearedAt = &c.ClearedBy, &at
	}
	return r
}

// ToItemListResponse renders a page of items.
func ToItemListResponse(pg *ItemPage) ItemListResponse {
	out := ItemListResponse{Data: make([]ItemResponse, len(pg.Items)), Total: pg.Total, TotalIsEstimate: pg.TotalIsEstimate,
		Page: pg.Page.Page, PageSize: pg.Page.Size, HasMore: int64(pg.Page.Offset()+len(pg.Items)) < pg.Total}
	for i := range pg.Items {
		out.Data[i] = ToItemResponse(&pg.Items[i])
	}
	return out
}

// ToItemChangesResponse renders a page of items in change order: total counts the
// page, which is page 1 of its size.
func ToItemChangesResponse(pg *ChangePage, size int) ItemListResponse {
	next := pg.Next.String()
	out := ItemListResponse{Data: make([]ItemResponse, len(pg.Items)), Total: int64(len(pg.Items)), Page: 1,
		PageSize: size, HasMore: pg.HasMore, NextCursor: &next}
	for i := range pg.Items {
		out.Data[i] = ToItemResponse(&pg.Items[i])
	}
	return out
}

// ToAssignmentResponse renders an assignment view.
func ToAssignmentResponse(v *AssignmentView) AssignmentResponse {
	a := &v.Assignment
	return AssignmentResponse{ID: a.ID, ItemID: a.ItemID, UnitID: a.UnitID, Role: a.Role, ResponsibleUserID: a.ResponsibleUserID,
		State: a.State, Reason: a.Reason, AcceptedAt: a.AcceptedAt, AcceptedBy: a.AcceptedBy, ReturnedAt: a.ReturnedAt,
		ReturnedBy: a.ReturnedBy, AllowedActions: nonNil(v.AllowedActions), Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// ToMilestoneResponse renders a milestone.
func ToMilestoneResponse(m *Milestone, actions []string) MilestoneResponse {
	return MilestoneResponse{ID: m.ID, ItemID: m.ItemID, Title: m.Title, DueDate: m.DueDate, Done: m.Done, DoneAt: m.DoneAt,
		DoneBy: m.DoneBy, Sort: m.Sort, AllowedActions: nonNil(actions), Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// ToEventResponse renders a timeline event.
func ToEventResponse(e *Event) EventResponse {
	changes := json.RawMessage(e.Changes)
	if !json.Valid(changes) {
		changes = json.RawMessage("{}")
	}
	return EventResponse{ID: e.ID, ItemID: e.ItemID, Seq: e.Seq, At: e.At.UTC(), ActorID: e.ActorID, Action: e.Action,
		StateBefore: e.StateBefore, StateAfter: e.StateAfter, Changes: changes, Comment: e.Comment, PrevHash: e.PrevHash, Hash: e.Hash}
}
