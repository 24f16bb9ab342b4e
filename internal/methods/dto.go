package methods

import (
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// CreateVisitRequest is the body of POST /items/{id}/visits.
type CreateVisitRequest struct {
	VisitedOn string `json:"visited_on" validate:"required" format:"date" example:"2026-05-12"`
	Place     string `json:"place" validate:"required,max=300" example:"宁东项目现场"`
	// VisitorIDs are the people who went (active users).
	VisitorIDs []string `json:"visitor_ids" validate:"required,min=1,max=50,dive,uuid" format:"uuid"`
	// AuthorisedBy is the leader of the item's scope who authorised the visit.
	AuthorisedBy string `json:"authorised_by" validate:"required,uuid" format:"uuid"`
	Findings     string `json:"findings" validate:"required,max=20000" example:"现场查看施工进度，主体工程已完成约六成，土建滞后两周。"`
	// AttachmentIDs are photos and files, uploaded first with POST /attachments.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name NewVisit

// CreateCoordinationRequest is the body of POST /items/{id}/coordinations.
type CreateCoordinationRequest struct {
	HeldOn string `json:"held_on" validate:"required" format:"date" example:"2026-05-14"`
	Place  string `json:"place" validate:"required,max=300" example:"三楼第二会议室"`
	// AttendeeUserIDs and AttendeeUnitIDs: at least one person or unit.
	AttendeeUserIDs []string `json:"attendee_user_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
	AttendeeUnitIDs []string `json:"attendee_unit_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
	// Decisions are the meeting's decisions, one per entry; each may later become a
	// sub-item or a milestone.
	Decisions []string `json:"decisions" validate:"required,min=1,max=50,dive,max=2000" example:"规划部5月20日前报送调整方案"`
	Minutes   string   `json:"minutes,omitempty" validate:"max=20000" example:"会议听取了项目进展汇报，研究了资金缺口问题。"`
	// AttachmentIDs are the minutes' files, uploaded first with POST /attachments.
	AttachmentIDs []string `json:"attachment_ids,omitempty" validate:"max=50,dive,uuid" format:"uuid"`
} // @name NewCoordination

// MakeMilestoneRequest is the body of POST /coordination-decisions/{id}/milestone.
type MakeMilestoneRequest struct {
	// Title defaults to the decision's text (its first 300 characters).
	Title   string `json:"title,omitempty" validate:"max=300"`
	DueDate string `json:"due_date" validate:"required" format:"date" example:"2026-05-20"`
} // @name NewDecisionMilestone

// LinkSubItemRequest is the body of POST /coordination-decisions/{id}/sub-item.
type LinkSubItemRequest struct {
	SubItemID string `json:"sub_item_id" validate:"required,uuid" format:"uuid"`
} // @name DecisionSubItemLink

// JointUnitResponse is a department of the joint supervision team.
type JointUnitResponse struct {
	UnitID  uuid.UUID `json:"unit_id" swaggertype:"string" format:"uuid"`
	AddedBy uuid.UUID `json:"added_by" swaggertype:"string" format:"uuid"`
	AddedAt time.Time `json:"added_at"`
} // @name JointUnit

// JointTeamResponse is the item's joint supervision team.
type JointTeamResponse struct {
	Data []JointUnitResponse `json:"data"`
} // @name JointTeam

// VisitResponse is a visit record.
type VisitResponse struct {
	ID           uuid.UUID                        `json:"id" swaggertype:"string" format:"uuid"`
	ItemID       uuid.UUID                        `json:"item_id" swaggertype:"string" format:"uuid"`
	VisitedOn    civil.Date                       `json:"visited_on" swaggertype:"string" format:"date" example:"2026-05-12"`
	Place        string                           `json:"place"`
	VisitorIDs   []uuid.UUID                      `json:"visitor_ids" swaggertype:"array,string" format:"uuid"`
	AuthorisedBy uuid.UUID                        `json:"authorised_by" swaggertype:"string" format:"uuid"`
	Findings     string                           `json:"findings"`
	CreatedBy    uuid.UUID                        `json:"created_by" swaggertype:"string" format:"uuid"`
	CreatedAt    time.Time                        `json:"created_at"`
	Attachments  []attachments.AttachmentResponse `json:"attachments"`
} // @name Visit

// DecisionResponse is a decision of a coordination meeting.
type DecisionResponse struct {
	ID             uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	CoordinationID uuid.UUID `json:"coordination_id" swaggertype:"string" format:"uuid"`
	ItemID         uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	Text           string    `json:"text"`
	// SubItemID and MilestoneID: what the decision became, null until then.
	SubItemID   *uuid.UUID `json:"sub_item_id" swaggertype:"string" format:"uuid"`
	MilestoneID *uuid.UUID `json:"milestone_id" swaggertype:"string" format:"uuid"`
	// AllowedActions: make_milestone, make_sub_item.
	AllowedActions []string `json:"allowed_actions" example:"make_milestone"`
} // @name CoordinationDecision

// CoordinationResponse is a coordination meeting record.
type CoordinationResponse struct {
	ID              uuid.UUID                        `json:"id" swaggertype:"string" format:"uuid"`
	ItemID          uuid.UUID                        `json:"item_id" swaggertype:"string" format:"uuid"`
	HeldOn          civil.Date                       `json:"held_on" swaggertype:"string" format:"date" example:"2026-05-14"`
	Place           string                           `json:"place"`
	AttendeeUserIDs []uuid.UUID                      `json:"attendee_user_ids" swaggertype:"array,string" format:"uuid"`
	AttendeeUnitIDs []uuid.UUID                      `json:"attendee_unit_ids" swaggertype:"array,string" format:"uuid"`
	Decisions       []DecisionResponse               `json:"decisions"`
	Minutes         string                           `json:"minutes"`
	CreatedBy       uuid.UUID                        `json:"created_by" swaggertype:"string" format:"uuid"`
	CreatedAt       time.Time                        `json:"created_at"`
	Attachments     []attachments.AttachmentResponse `json:"attachments"`
} // @name Coordination

// MethodsResponse is everything recorded on an item by the other methods of §13.
type MethodsResponse struct {
	JointUnits    []JointUnitResponse    `json:"joint_units"`
	Visits        []VisitResponse        `json:"visits"`
	Coordinations []CoordinationResponse `json:"coordinations"`
	// AllowedActions: manage_joint_units, record_visit, record_coordination.
	AllowedActions []string `json:"allowed_actions" example:"record_visit"`
} // @name SupervisionMethods

func parseDate(field, v string) (civil.Date, error) {
	d, err := civil.Parse(v)
	if err != nil {
		return civil.Date{}, problem.Field(field, "date", "must be a date YYYY-MM-DD")
	}
	return d, nil
}

func toVisitInput(r CreateVisitRequest) (VisitInput, error) {
	in := VisitInput{Place: r.Place, Findings: r.Findings}
	var err error
	if in.VisitedOn, err = parseDate("visited_on", r.VisitedOn); err != nil {
		return in, err
	}
	if in.VisitorIDs, err = httpserver.UUIDs("visitor_ids", r.VisitorIDs); err != nil {
		return in, err
	}
	if in.AuthorisedBy, err = uuid.Parse(r.AuthorisedBy); err != nil {
		return in, problem.Field("authorised_by", "uuid", "must be a UUID")
	}
	in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", r.AttachmentIDs)
	return in, err
}

func toCoordinationInput(r CreateCoordinationRequest) (CoordinationInput, error) {
	in := CoordinationInput{Place: r.Place, Minutes: r.Minutes, Decisions: r.Decisions}
	var err error
	if in.HeldOn, err = parseDate("held_on", r.HeldOn); err != nil {
		return in, err
	}
	if in.AttendeeUserIDs, err = httpserver.UUIDs("attendee_user_ids", r.AttendeeUserIDs); err != nil {
		return in, err
	}
	if in.AttendeeUnitIDs, err = httpserver.UUIDs("attendee_unit_ids", r.AttendeeUnitIDs); err != nil {
		return in, err
	}
	in.AttachmentIDs, err = httpserver.UUIDs("attachment_ids", r.AttachmentIDs)
	return in, err
}

func files(as []attachments.Attachment) []attachments.AttachmentResponse {
	out := make([]attachments.AttachmentResponse, len(as))
	for i := range as {
		out[i] = attachments.ToResponse(&as[i])
	}
	return out
}

func toJointTeam(js []items.JointUnit) JointTeamResponse {
	out := JointTeamResponse{Data: make([]JointUnitResponse, len(js))}
	for i, j := range js {
		out.Data[i] = JointUnitResponse{UnitID: j.UnitID, AddedBy: j.AddedBy, AddedAt: j.AddedAt.UTC()}
	}
	return out
}

func toVisit(v *VisitView) VisitResponse {
	return VisitResponse{ID: v.ID, ItemID: v.ItemID, VisitedOn: v.VisitedOn, Place: v.Place, VisitorIDs: v.VisitorIDs,
		AuthorisedBy: v.AuthorisedBy, Findings: v.Findings, CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt.UTC(),
		Attachments: files(v.Attachments)}
}

func toDecision(d *DecisionView) DecisionResponse {
	actions := d.AllowedActions
	if actions == nil {
		actions = []string{}
	}
	return DecisionResponse{ID: d.ID, CoordinationID: d.CoordinationID, ItemID: d.ItemID, Text: d.Text,
		SubItemID: d.SubItemID, MilestoneID: d.MilestoneID, AllowedActions: actions}
}

func toCoordination(c *CoordinationView) CoordinationResponse {
	out := CoordinationResponse{ID: c.ID, ItemID: c.ItemID, HeldOn: c.HeldOn, Place: c.Place, AttendeeUserIDs: c.AttendeeUserIDs,
		AttendeeUnitIDs: c.AttendeeUnitIDs, Decisions: make([]DecisionResponse, len(c.Decisions)), Minutes: c.Minutes,
		CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt.UTC(), Attachments: files(c.Attachments)}
	for i := range c.Decisions {
		out.Decisions[i] = toDecision(&c.Decisions[i])
	}
	return out
}

func toMethods(o *Overview) MethodsResponse {
	out := MethodsResponse{JointUnits: toJointTeam(o.JointUnits).Data, Visits: make([]VisitResponse, len(o.Visits)),
		Coordinations: make([]CoordinationResponse, len(o.Coordinations)), AllowedActions: o.AllowedActions}
	if out.AllowedActions == nil {
		out.AllowedActions = []string{}
	}
	for i := range o.Visits {
		out.Visits[i] = toVisit(&o.Visits[i])
	}
	for i := range o.Coordinations {
		out.Coordinations[i] = toCoordination(&o.Coordinations[i])
	}
	return out
}

func uuidField(field, v string) (uuid.UUID, error) {
	id, err := uuid.Parse(v)
	if err != nil {
		return uuid.Nil, problem.Field(field, "uuid", "must be a UUID")
	}
	return id, nil
}
