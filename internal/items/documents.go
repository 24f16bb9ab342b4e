package items

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/problem"
)

// Reference holds what an item's source says of it (issue 11, points 9–11): a
// document's particulars (公文, §7(二): 文号, 发文机关, 收文日期, 密级), a leader's
// instruction (§7(一) 公司领导批转、交办: its text, the leader, its date) and the
// link to the source in the OA system.
type Reference struct {
	SourceURL            string
	DocNumber, DocIssuer string
	DocReceivedOn        civil.Date
	DocClassification    string
	InstructionText      string
	InstructionLeaderID  *uuid.UUID
	InstructionDate      civil.Date
}

// ReferencePatch changes some of a Reference; nil leaves a field, an empty string,
// a zero date or uuid.Nil clears it.
type ReferencePatch struct {
	SourceURL, DocNumber, DocIssuer, DocClassification, InstructionText *string
	DocReceivedOn, InstructionDate                                      *civil.Date
	InstructionLeaderID                                                 *uuid.UUID
}

func (r Reference) setOn(it *Item) {
	it.SourceURL, it.DocNumber, it.DocIssuer, it.DocReceivedOn = strings.TrimSpace(r.SourceURL), strings.TrimSpace(r.DocNumber), r.DocIssuer, r.DocReceivedOn
	it.DocClassification, it.InstructionText, it.InstructionLeaderID, it.InstructionDate = r.DocClassification, r.InstructionText, r.InstructionLeaderID, r.InstructionDate
}

// applyTo sets the patched fields on it and records them in cols and changes.
func (r ReferencePatch) applyTo(it *Item, cols, changes map[string]any) {
	str := func(field string, dst *string, v *string) {
		if v == nil {
			return
		}
		nv := strings.TrimSpace(*v)
		if field == "instruction_text" || field == "doc_issuer" {
			nv = *v
		}
		if nv != *dst {
			changes[field] = change{From: *dst, To: nv}
			cols[field], *dst = nv, nv
		}
	}
	date := func(field string, dst *civil.Date, v *civil.Date) {
		if v != nil && *v != *dst {
			changes[field] = change{From: *dst, To: *v}
			cols[field], *dst = *v, *v
		}
	}
	str("source_url", &it.SourceURL, r.SourceURL)
	str("doc_number", &it.DocNumber, r.DocNumber)
	str("doc_issuer", &it.DocIssuer, r.DocIssuer)
	str("doc_classification", &it.DocClassification, r.DocClassification)
	str("instruction_text", &it.InstructionText, r.InstructionText)
	date("doc_received_on", &it.DocReceivedOn, r.DocReceivedOn)
	date("instruction_date", &it.InstructionDate, r.InstructionDate)
	if v := r.InstructionLeaderID; v != nil {
		var nv *uuid.UUID
		if *v != uuid.Nil {
			nv = v
		}
		if !equalPtr(nv, it.InstructionLeaderID) {
			changes["instruction_leader_id"] = change{From: it.InstructionLeaderID, To: nv}
			cols["instruction_leader_id"], it.InstructionLeaderID = nv, nv
		}
	}
}

// checkReference validates an item's reference fields against its category and
// source; today bounds the dates (a document is received, an instruction given,
// not later than today).
func checkReference(e *fieldErrs, it *Item, today civil.Date) {
	if it.SourceURL != "" {
		textLen(e, "source_url", it.SourceURL, false, 2000)
		if !httpURL(it.SourceURL) {
			e.add("source_url", "url", "must be an absolute http or https address")
		}
	}
	textLen(e, "doc_number", it.DocNumber, false, 100)
	textLen(e, "doc_issuer", it.DocIssuer, false, 200)
	if it.DocClassification != "" {
		oneOf(e, "doc_classification", it.DocClassification, Classifications)
	}
	if !it.DocReceivedOn.IsZero() && it.DocReceivedOn.After(today) {
		e.add("doc_received_on", "past", "must not be in the future")
	}
	if it.Category != CategoryDocument {
		for field, set := range map[string]bool{"doc_number": it.DocNumber != "", "doc_issuer": it.DocIssuer != "",
			"doc_received_on": !it.DocReceivedOn.IsZero(), "doc_classification": it.DocClassification != ""} {
			if set {
				e.add(field, "category", "only documents (category document) have this field")
			}
		}
	}
	textLen(e, "instruction_text", it.InstructionText, it.Source == SourceLeaderInstruction, 5000)
	if !it.InstructionDate.IsZero() && it.InstructionDate.After(today) {
		e.add("instruction_date", "past", "must not be in the future")
	}
	if it.Source == SourceLeaderInstruction {
		if it.InstructionLeaderID == nil {
			e.add("instruction_leader_id", "required", "is required for a leader's instruction")
		}
		if it.InstructionDate.IsZero() {
			e.add("instruction_date", "required", "is required for a leader's instruction")
		}
		return
	}
	for field, set := range map[string]bool{"instruction_text": it.InstructionText != "",
		"instruction_leader_id": it.InstructionLeaderID != nil, "instruction_date": !it.InstructionDate.IsZero()} {
		if set {
			e.add(field, "source", "only items of source leader_instruction have this field")
		}
	}
}

// httpURL reports whether v is an absolute http(s) URL with a host: anything else
// (javascript:, data:, relative paths) would be unsafe or useless as a link.
func httpURL(v string) bool {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	return slices.Contains([]string{"http", "https"}, strings.ToLower(u.Scheme))
}

// checkInstructionLeader validates the instructing leader: an active leader of
// the item's scope, as the supervising leader.
func (s *Service) checkInstructionLeader(ctx context.Context, e *fieldErrs, scope uuid.UUID, id *uuid.UUID) error {
	if id == nil {
		return nil
	}
	return s.checkLeaders(ctx, e, scope, map[string][]uuid.UUID{"instruction_leader_id": {*id}})
}

// EditableFields lists the fields of PATCH /items/{id} that p may change now, by
// the rules of applyPatch: none without the update action; category, source,
// initiator unit and supervising leader (unless the item has none) only in a
// draft; lead and cooperating units and the deadline only before issue.
func EditableFields(it *Item, allowed []string) []string {
	if !slices.Contains(allowed, string(ActUpdate)) {
		return []string{}
	}
	out := []string{"title", "content", "requirements", "basis", "meeting_type", "source_ref", "source_url",
		"notice_issuer_unit_id", "method", "urgency", "feedback_cadence", "assisting_leader_ids", "progress", "tags"}
	// A draft may change its category and source, and with them these fields.
	if it.Source == SourceLeaderInstruction || it.State == StateDraft {
		out = append(out, "instruction_text", "instruction_leader_id", "instruction_date")
	}
	if it.Category == CategoryDocument || it.State == StateDraft {
		out = append(out, "doc_number", "doc_issuer", "doc_received_on", "doc_classification")
	}
	if it.State == StateDraft {
		out = append(out, "category", "source", "initiator_unit_id")
	}
	if it.State == StateDraft || it.SupervisingLeaderID == nil {
		out = append(out, "supervising_leader_id")
	}
	if !it.State.Issued() {
		out = append(out, "lead_unit_id", "cooperating_unit_ids", "deadline")
	}
	slices.Sort(out)
	return out
}

// OwnerItem is the attachments' owner type of the item's own files (the document
// itself, the 批示件, minutes), linked by PATCH /items/{id} attachment_ids.
const OwnerItem = "item"

// OwnerItemRemoved owns the files taken off the item: kept on record, not listed.
const OwnerItemRemoved = "item_removed"

// FileClaimer links uploaded files to their owner and hands them on
// (attachments.Service).
type FileClaimer interface {
	Claim(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, ownerType string, ownerID uuid.UUID) error
	Release(ctx context.Context, field string, ids []uuid.UUID, ownerType string, ownerID uuid.UUID, to string) error
}

// UseFiles lets PATCH /items/{id} link uploaded files to the item itself.
func (s *Service) UseFiles(c FileClaimer) { s.files = c }

// claimFiles links the files to the item in the patch's transaction.
func (s *Service) claimFiles(ctx context.Context, it *Item, ids []uuid.UUID, changes map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	if s.files == nil {
		return problem.Field("attachment_ids", "unsupported", "files cannot be attached here")
	}
	if err := s.files.Claim(ctx, "attachment_ids", ids, it.ID, OwnerItem, it.ID); err != nil {
		return err
	}
	changes["attachments"] = change{To: ids}
	return nil
}

// releaseFiles takes the item's own files ids off it in the patch's transaction.
func (s *Service) releaseFiles(ctx context.Context, it *Item, ids []uuid.UUID, changes map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	if s.files == nil {
		return problem.Field("remove_attachment_ids", "unsupported", "files cannot be removed here")
	}
	if err := s.files.Release(ctx, "remove_attachment_ids", ids, OwnerItem, it.ID, OwnerItemRemoved); err != nil {
		return err
	}
	changes["attachments_removed"] = change{From: ids}
	return nil
}
