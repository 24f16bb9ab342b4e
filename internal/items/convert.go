package items

import (
	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/problem"
)

// Converters from validated requests to the service's inputs.

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func parseOptID(field, s string) (*uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil, problem.Field(field, "uuid", "must be a UUID")
	}
	return &id, nil
}

func parseDate(field, s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, nil
	}
	d, err := civil.Parse(s)
	if err != nil {
		return d, problem.Field(field, "datetime", "must be a date in the form YYYY-MM-DD")
	}
	return d, nil
}

// ToItemInput converts a validated create request.
func ToItemInput(r CreateItemRequest) (ItemInput, error) {
	in := ItemInput{Title: r.Title, Content: r.Content, Requirements: r.Requirements, Category: Category(r.Category),
		Source: Source(r.Source), Basis: r.Basis, MeetingType: r.MeetingType, SourceRef: r.SourceRef, Method: r.Method,
		Urgency: r.Urgency, FeedbackCadence: r.FeedbackCadence, Tags: r.Tags}
	var err error
	for _, f := range []struct {
		name string
		src  string
		dst  **uuid.UUID
	}{
		{"notice_issuer_unit_id", r.NoticeIssuerUnitID, &in.NoticeIssuerUnitID}, {"initiator_unit_id", r.InitiatorUnitID, &in.InitiatorUnitID},
		{"scope_id", r.ScopeID, &in.ScopeID}, {"lead_unit_id", r.LeadUnitID, &in.LeadUnitID},
		{"supervising_leader_id", r.SupervisingLeaderID, &in.SupervisingLeaderID}, {"parent_id", r.ParentID, &in.ParentID},
	} {
		if *f.dst, err = parseOptID(f.name, f.src); err != nil {
			return in, err
		}
	}
	if in.CooperatingUnitIDs, err = httpserver.UUIDs("cooperating_unit_ids", r.CooperatingUnitIDs); err != nil {
		return in, err
	}
	if in.AssistingLeaderIDs, err = httpserver.UUIDs("assisting_leader_ids", r.AssistingLeaderIDs); err != nil {
		return in, err
	}
	if in.Deadline, err = parseDate("deadline", r.Deadline); err != nil {
		return in, err
	}
	in.Reference, err = toReference(r)
	return in, err
}

func toReference(r CreateItemRequest) (Reference, error) {
	out := Reference{SourceURL: r.SourceURL, DocNumber: r.DocNumber, DocIssuer: r.DocIssuer,
		DocClassification: r.DocClassification, InstructionText: r.InstructionText}
	var err error
	if out.DocReceivedOn, err = parseDate("doc_received_on", r.DocReceivedOn); err != nil {
		return out, err
	}
	if out.InstructionDate, err = parseDate("instruction_date", r.InstructionDate); err != nil {
		return out, err
	}
	out.InstructionLeaderID, err = parseOptID("instruction_leader_id", r.InstructionLeaderID)
	return out, err
}

func toReferencePatch(r UpdateItemRequest) (ReferencePatch, error) {
	out := ReferencePatch{SourceURL: r.SourceURL, DocNumber: r.DocNumber, DocIssuer: r.DocIssuer,
		DocClassification: r.DocClassification, InstructionText: r.InstructionText}
	for _, f := range []struct {
		name string
		src  *string
		dst  **civil.Date
	}{{"doc_received_on", r.DocReceivedOn, &out.DocReceivedOn}, {"instruction_date", r.InstructionDate, &out.InstructionDate}} {
		if f.src != nil {
			d, err := parseDate(f.name, *f.src)
			if err != nil {
				return out, err
			}
			*f.dst = &d
		}
	}
	if r.InstructionLeaderID != nil {
		id := uuid.Nil
		if *r.InstructionLeaderID != "" {
			p, err := parseOptID("instruction_leader_id", *r.InstructionLeaderID)
			if err != nil {
				return out, err
			}
			id = *p
		}
		out.InstructionLeaderID = &id
	}
	return out, nil
}

// ToItemPatch converts a validated update request.
func ToItemPatch(r UpdateItemRequest) (ItemPatch, error) {
	in := ItemPatch{Title: r.Title, Content: r.Content, Requirements: r.Requirements, Basis: r.Basis, MeetingType: r.MeetingType,
		SourceRef: r.SourceRef, Method: r.Method, Urgency: r.Urgency, FeedbackCadence: r.FeedbackCadence, Progress: r.Progress, Tags: r.Tags}
	if r.Category != nil {
		c := Category(*r.Category)
		in.Category = &c
	}
	if r.Source != nil {
		s := Source(*r.Source)
		in.Source = &s
	}
	var err error
	for _, f := range []struct {
		name string
		src  *string
		dst  **uuid.UUID
	}{
		{"notice_issuer_unit_id", r.NoticeIssuerUnitID, &in.NoticeIssuerUnitID}, {"initiator_unit_id", r.InitiatorUnitID, &in.InitiatorUnitID},
		{"lead_unit_id", r.LeadUnitID, &in.LeadUnitID}, {"supervising_leader_id", r.SupervisingLeaderID, &in.SupervisingLeaderID},
	} {
		if f.src != nil {
			if *f.dst, err = parseOptID(f.name, *f.src); err != nil {
				return in, err
			}
		}
	}
	for _, f := range []struct {
		name string
		src  *[]string
		dst  **[]uuid.UUID
	}{
		{"cooperating_unit_ids", r.CooperatingUnitIDs, &in.CooperatingUnitIDs}, {"assisting_leader_ids", r.AssistingLeaderIDs, &in.AssistingLeaderIDs},
	} {
		if f.src != nil {
			ids, err := httpserver.UUIDs(f.name, *f.src)
			if err != nil {
				return in, err
			}
			*f.dst = &ids
		}
	}
	if r.Deadline != nil {
		d, err := parseDate("deadline", *r.Deadline)
		if err != nil {
			return in, err
		}
		in.Deadline = &d
	}
	var err2 error
	if in.ReferencePatch, err2 = toReferencePatch(r); err2 != nil {
		return in, err2
	}
	if in.AttachmentIDs, err2 = httpserver.UUIDs("attachment_ids", r.AttachmentIDs); err2 != nil {
		return in, err2
	}
	in.RemoveAttachmentIDs, err2 = httpserver.UUIDs("remove_attachment_ids", r.RemoveAttachmentIDs)
	return in, err2
}

// ToAssignmentInputs converts the assignments of an issue request.
func ToAssignmentInputs(rs []AssignmentRequest) ([]AssignmentInput, error) {
	out := make([]AssignmentInput, 0, len(rs))
	for _, r := range rs {
		a, err := toAssignmentInput(r.UnitID, r.Role, r.ResponsibleUserID)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func toAssignmentInput(unit, role, responsible string) (AssignmentInput, error) {
	a := AssignmentInput{Role: role}
	id, err := parseOptID("unit_id", unit)
	if err != nil || id == nil {
		return a, problem.Field("unit_id", "uuid", "must be a UUID")
	}
	a.UnitID = *id
	a.ResponsibleUserID, err = parseOptID("responsible_user_id", responsible)
	return a, err
}
