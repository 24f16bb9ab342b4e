package items

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// ItemPatch changes some fields of an item; nil leaves a field as it is.
//
// What may change depends on the state: category, source, supervising leader and
// initiator unit only in a draft; lead unit, cooperating units and deadline until
// the item is issued (afterwards through assignments and the deadline endpoint);
// everything else while the update action is allowed at all. Sending a field's
// current value is never an error.
type ItemPatch struct {
	Title, Content, Requirements, Basis, MeetingType, SourceRef *string
	Category                                                    *Category
	Source                                                      *Source
	NoticeIssuerUnitID, InitiatorUnitID                         *uuid.UUID
	LeadUnitID, SupervisingLeaderID                             *uuid.UUID
	Method, Urgency, FeedbackCadence                            *string
	CooperatingUnitIDs, AssistingLeaderIDs                      *[]uuid.UUID
	Deadline                                                    *civil.Date
	Progress                                                    *int
	Tags                                                        *[]string
	ReferencePatch
	// AttachmentIDs links uploaded files of the item to the item itself;
	// RemoveAttachmentIDs takes files off it.
	AttachmentIDs       []uuid.UUID
	RemoveAttachmentIDs []uuid.UUID
}

// Update edits an item.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, in ItemPatch, pc Precondition) (*ItemView, error) {
	today := s.today()
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActUpdate, factsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		return s.applyPatch(ctx, p, it, asgs, in, today)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

func (s *Service) applyPatch(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment, in ItemPatch, today civil.Date) error {
	var e fieldErrs
	old := *it
	cols := map[string]any{}
	changes := map[string]any{}
	frozen := func(field, why string) { e.add(field, "state", why) }
	const draftOnly = "can only be changed while the item is a draft"
	const beforeIssue = "cannot be changed after issue (use the assignments, or the deadline endpoint)"
	str := func(field string, dst *string, v *string) {
		if v != nil && *v != *dst {
			changes[field] = change{From: *dst, To: *v}
			cols[field] = *v
			*dst = *v
		}
	}
	ptr := func(field string, dst **uuid.UUID, v *uuid.UUID, rule string) {
		if v == nil || (*dst != nil && **dst == *v) {
			return
		}
		if rule != "" {
			frozen(field, rule)
			return
		}
		changes[field] = change{From: *dst, To: *v}
		cols[field] = *v
		*dst = v
	}
	str("title", &it.Title, in.Title)
	str("content", &it.Content, in.Content)
	str("requirements", &it.Requirements, in.Requirements)
	str("basis", &it.Basis, in.Basis)
	str("meeting_type", &it.MeetingType, in.MeetingType)
	str("source_ref", &it.SourceRef, in.SourceRef)
	str("method", &it.Method, in.Method)
	str("urgency", &it.Urgency, in.Urgency)
	str("feedback_cadence", &it.FeedbackCadence, in.FeedbackCadence)
	draft, issued := it.State == StateDraft, it.State.Issued()
	ruleIf := func(cond bool, why string) string {
		if cond {
			return why
		}
		return ""
	}
	if in.Category != nil && *in.Category != it.Category {
		if !draft {
			frozen("category", draftOnly)
		} else {
			changes["category"] = change{From: it.Category, To: *in.Category}
			cols["category"], it.Category = string(*in.Category), *in.Category
		}
	}
	if in.Source != nil && *in.Source != it.Source {
		if !draft {
			frozen("source", draftOnly)
		} else {
			changes["source"] = change{From: it.Source, To: *in.Source}
			cols["source"], it.Source = string(*in.Source), *in.Source
		}
	}
	// An item that has no supervising leader (registered before one was required)
	// may be given one in any state the office edits it in: that unsticks it.
	ptr("supervising_leader_id", &it.SupervisingLeaderID, in.SupervisingLeaderID, ruleIf(!draft && it.SupervisingLeaderID != nil, draftOnly))
	ptr("lead_unit_id", &it.LeadUnitID, in.LeadUnitID, ruleIf(issued, beforeIssue))
	ptr("notice_issuer_unit_id", &it.NoticeIssuerUnitID, in.NoticeIssuerUnitID, "")
	if in.InitiatorUnitID != nil && *in.InitiatorUnitID != it.InitiatorUnitID {
		switch {
		case !draft:
			frozen("initiator_unit_id", draftOnly)
		case !p.Has(access.RoleSupervisor) && !p.IsHeadOrLiaison(*in.InitiatorUnitID) && *in.InitiatorUnitID != p.UnitID:
			e.add("initiator_unit_id", "own", "must be your own unit or one you head or liaise for")
		default:
			changes["initiator_unit_id"] = change{From: it.InitiatorUnitID, To: *in.InitiatorUnitID}
			cols["initiator_unit_id"], it.InitiatorUnitID = *in.InitiatorUnitID, *in.InitiatorUnitID
		}
	}
	if in.Deadline != nil && *in.Deadline != it.Deadline {
		if issued {
			frozen("deadline", beforeIssue)
		} else {
			notPast(&e, "deadline", *in.Deadline, today)
			if in.Deadline.IsZero() {
				e.add("deadline", "required", "is required")
			}
			changes["deadline"] = change{From: it.Deadline, To: *in.Deadline}
			cols["deadline"], it.Deadline = *in.Deadline, *in.Deadline
		}
	}
	if in.Progress != nil && *in.Progress != it.Progress {
		if *in.Progress < 0 || *in.Progress > 100 {
			e.add("progress", "range", "must be between 0 and 100")
		}
		changes["progress"] = change{From: it.Progress, To: *in.Progress}
		cols["progress"], it.Progress = *in.Progress, *in.Progress
	}
	coopChanged := in.CooperatingUnitIDs != nil && !slices.Equal(*in.CooperatingUnitIDs, it.CooperatingUnitIDs)
	if coopChanged {
		if issued {
			frozen("cooperating_unit_ids", beforeIssue)
		} else {
			changes["cooperating_unit_ids"] = change{From: it.CooperatingUnitIDs, To: *in.CooperatingUnitIDs}
			it.CooperatingUnitIDs = orEmpty(*in.CooperatingUnitIDs)
		}
	}
	assistChanged := in.AssistingLeaderIDs != nil && !slices.Equal(*in.AssistingLeaderIDs, it.AssistingLeaderIDs)
	if assistChanged {
		changes["assisting_leader_ids"] = change{From: it.AssistingLeaderIDs, To: *in.AssistingLeaderIDs}
		it.AssistingLeaderIDs = orEmpty(*in.AssistingLeaderIDs)
	}
	var tagsChanged bool
	if in.Tags != nil {
		tags := normTags(&e, *in.Tags)
		if tagsChanged = !slices.Equal(tags, it.Tags); tagsChanged {
			changes["tags"] = change{From: it.Tags, To: tags}
			it.Tags = tags
		}
	}
	in.ReferencePatch.applyTo(it, cols, changes)
	checkReference(&e, it, today)
	checkContent(&e, it.Title, it.Content, it.Requirements, it.Basis, it.SourceRef)
	checkEnums(&e, it.Category, it.Source, it.MeetingType, it.Method, it.Urgency, it.FeedbackCadence)
	checkPeople(&e, it.LeadUnitID, it.CooperatingUnitIDs, it.SupervisingLeaderID, it.AssistingLeaderIDs)
	// Only references that changed are checked again: a unit that left the scope
	// later does not block editing the title.
	var lead, issuer, leader *uuid.UUID
	var coop, assisting []uuid.UUID
	if _, ok := cols["lead_unit_id"]; ok {
		lead = it.LeadUnitID
	}
	if _, ok := cols["notice_issuer_unit_id"]; ok {
		issuer = it.NoticeIssuerUnitID
	}
	if _, ok := cols["supervising_leader_id"]; ok {
		leader = it.SupervisingLeaderID
	}
	if coopChanged {
		coop = it.CooperatingUnitIDs
	}
	if assistChanged {
		assisting = it.AssistingLeaderIDs
	}
	if err := s.checkRefs(ctx, &e, it.ScopeID, lead, coop, issuer, leader, assisting); err != nil {
		return err
	}
	if _, ok := cols["instruction_leader_id"]; ok {
		if err := s.checkInstructionLeader(ctx, &e, it.ScopeID, it.InstructionLeaderID); err != nil {
			return err
		}
	}
	if _, ok := cols["source"]; ok {
		if err := s.checkDeclarer(ctx, p, &e, it.ScopeID, it.Category, it.Source); err != nil {
			return err
		}
	}
	if _, ok := cols["initiator_unit_id"]; ok && p.Has(access.RoleSupervisor) {
		if err := s.checkUnits(ctx, &e, it.ScopeID, map[string][]uuid.UUID{"initiator_unit_id": {it.InitiatorUnitID}}); err != nil {
			return err
		}
	}
	if err := e.err(); err != nil {
		return err
	}
	if err := s.claimFiles(ctx, it, in.AttachmentIDs, changes); err != nil {
		return err
	}
	if err := s.releaseFiles(ctx, it, in.RemoveAttachmentIDs, changes); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	if _, ok := cols["source"]; ok && in.NoticeIssuerUnitID == nil {
		// The issuer follows the source unless the caller chose one.
		issuer, err := s.noticeIssuer(ctx, it.ScopeID, it.Source, it.LeadUnitID)
		if err != nil {
			return err
		}
		if !equalPtr(issuer, old.NoticeIssuerUnitID) {
			cols["notice_issuer_unit_id"] = issuer
			changes["notice_issuer_unit_id"] = change{From: old.NoticeIssuerUnitID, To: issuer}
		}
	}
	if v, ok := cols["notice_issuer_unit_id"].(*uuid.UUID); ok {
		// The other patched fields carry their new values already; an issuer that
		// follows the source is set here.
		it.NoticeIssuerUnitID = v
	}
	if err := s.writePatch(ctx, it, cols); err != nil {
		return conflict(err)
	}
	if coopChanged {
		if err := s.replaceCooperating(ctx, it.ID, it.CooperatingUnitIDs); err != nil {
			return err
		}
	}
	if assistChanged {
		if err := s.replaceAssisting(ctx, it.ID, it.AssistingLeaderIDs); err != nil {
			return err
		}
	}
	if tagsChanged {
		if err := s.replaceTags(ctx, it.ID, it.Tags); err != nil {
			return err
		}
	}
	evs := []events.ItemEvent{&events.ItemUpdated{Changes: changes}}
	if c, ok := changes["progress"].(change); ok {
		evs = append(evs, &events.ProgressChanged{From: c.From.(int), To: c.To.(int)})
	}
	return s.record(ctx, p, it, asgs, entry{Action: string(ActUpdate), From: it.State, Changes: changes, Events: evs})
}

func equalPtr(a, b *uuid.UUID) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// conflict turns errStale into a 409 (the row lock makes it rare: it means the
// item changed between the read and the write without an If-Match).
func conflict(err error) error {
	if errors.Is(err, errStale) {
		return problem.Conflict(CodeConflict, "the item changed while the request ran; reload it and retry")
	}
	return err
}

// Delete removes a draft with its timeline; the audit log keeps the deletion.
func (s *Service) Delete(ctx context.Context, p *access.Principal, id uuid.UUID, pc Precondition) error {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.visibleItem(ctx, p, id, true)
		if err != nil {
			return err
		}
		if _, err := Decide(p, it, asgs, ActDelete, factsOf(it)); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		var kids int64
		if err := s.db.Conn(ctx).Table("items").Where("parent_id = ?", id).Count(&kids).Error; err != nil {
			return fmt.Errorf("count sub-items: %w", err)
		}
		if kids > 0 {
			return problem.Conflict(CodeHasSubItems, fmt.Sprintf("the draft has %d sub-items; delete them first", kids))
		}
		tomb, err := s.tombstone(ctx, id)
		if err != nil {
			return err
		}
		res := s.db.Conn(ctx).Where("id = ? AND version = ?", id, it.Version).Delete(&Item{})
		if res.Error == nil && res.RowsAffected == 1 && s.outbox != nil {
			ev := &events.ItemDeleted{Transition: events.Transition{From: string(it.State)}}
			ev.Item = refOf(it, asgs)
			if err := s.outbox.Emit(ctx, actorOf(p), ev); err != nil {
				return err
			}
		}
		if res.Error != nil {
			return fmt.Errorf("delete item: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return conflict(errStale)
		}
		if s.audit == nil {
			return nil
		}
		return s.audit.Record(ctx, &p.UserID, AuditItemDeleted, "item", id.String(), map[string]any{
			"title": it.Title, "scope_id": it.ScopeID, "events": it.EventSeq, "timeline": tomb,
		})
	})
	if err == nil {
		s.afterDelete(ctx, id)
	}
	return err
}
