package items

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/problem"
)

// Problem codes of this package besides the common ones. Never rename one.
const (
	// CodeHasSubItems: a draft with sub-items cannot be deleted (409).
	CodeHasSubItems = "item_has_sub_items"
	// CodeConflict: the item changed while the request ran and no If-Match was sent (409).
	CodeConflict = "item_changed"
)

// AuditItemDeleted is the audit-log action of a deleted draft (its timeline goes
// with it).
const AuditItemDeleted = "item.deleted"

// Service runs supervision items.
type Service struct {
	db    *database.DB
	cal   *calendar.Service
	audit *audit.Log
	// clock is the one clock (the calendar's): timestamps and today.
	clock clock.Clock
	// warnings gives the light thresholds (UseWarnings); nil means the defaults.
	warnings WarningSource
	// feedbackDue keeps the assignments' next_feedback_due (UseFeedbackDue).
	feedbackDue FeedbackDueKeeper
	// statsKeeper keeps the statistics rollup (UseStatsKeeper).
	statsKeeper StatsKeeper
	// outbox receives the domain events of every change (UseOutbox); nil: none.
	outbox *events.Outbox
	// deleted run after an item's deletion has committed (OnDelete).
	deleted []func(ctx context.Context, itemID uuid.UUID) error
	// files links the item's own attachments (UseFiles); nil: none.
	files FileClaimer
	// exactTotalUpTo bounds the exact totals of lists (SetExactTotalLimit).
	exactTotalUpTo int
}

// NewService returns the items service. Its clock is the calendar's.
func NewService(db *database.DB, cal *calendar.Service, log *audit.Log) *Service {
	return &Service{db: db, cal: cal, audit: log, clock: cal.Clock(), exactTotalUpTo: DefaultExactTotalLimit}
}

// UseOutbox makes every change emit its domain events into o.
func (s *Service) UseOutbox(o *events.Outbox) { s.outbox = o }

// Now is the current instant (UTC, microseconds) on the service's clock: the
// follow-up packages stamp their rows with it.
func (s *Service) Now() time.Time { return s.clock.Now() }

func (s *Service) now() time.Time { return s.clock.Now() }

// today is the current day in the company time zone.
func (s *Service) today() civil.Date { return clock.Today(s.clock, s.cal.Location()) }

// Precondition is a parsed If-Match (see package etag).
type Precondition = etag.Precondition

// ItemView is an item as shown to one caller: the row, the derived fields, the
// roll-up of its sub-items and what the caller may do.
type ItemView struct {
	Item
	Derived
	ChildrenCount    int
	ChildrenProgress *int
	AllowedActions   []string
	// HasReturnedAssignment: see AwaitingReassign.
	HasReturnedAssignment bool
}

// dayOf is today with the light's boundaries (the calendar and the thresholds).
func (s *Service) dayOf(ctx context.Context) (day, error) {
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return day{}, fmt.Errorf("load calendar: %w", err)
	}
	blue, err := s.blueWorkdays(ctx)
	if err != nil {
		return day{}, err
	}
	grace, err := s.feedbackGraceWorkdays(ctx)
	if err != nil {
		return day{}, err
	}
	d := newClock(s.today(), cal, blue, grace)
	d.Loc = s.cal.Location()
	return d, nil
}

// views builds the views of loaded items (refs filled) in a few batched queries.
func (s *Service) views(ctx context.Context, p *access.Principal, items []*Item, asgs map[uuid.UUID][]Assignment) ([]ItemView, error) {
	clk, err := s.dayOf(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if asgs == nil {
		if asgs, err = s.assignmentsOf(ctx, ids...); err != nil {
			return nil, err
		}
	}
	ms, err := s.openMilestoneDates(ctx, ids...)
	if err != nil {
		return nil, err
	}
	kids, err := s.childrenOf(ctx, ids...)
	if err != nil {
		return nil, err
	}
	clears, err := s.clearsOf(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]ItemView, len(items))
	for i, it := range items {
		v := ItemView{Item: *it, Derived: clk.derive(it, ms[it.ID], feedbackDues(asgs[it.ID]), clears[it.ID]), AllowedActions: AllowedActions(p, it, asgs[it.ID])}
		v.AllowedActions = withClearWarning(p, it, v.Derived, v.AllowedActions)
		v.HasReturnedAssignment = it.State.Running() && len(AwaitingReassign(asgs[it.ID])) > 0
		if k, ok := kids[it.ID]; ok {
			v.ChildrenCount, v.ChildrenProgress = k.Count, &k.Progress
		}
		out[i] = v
	}
	return out, nil
}

// visibleItem loads an item the caller may see, else 404.
func (s *Service) visibleItem(ctx context.Context, p *access.Principal, id uuid.UUID, forUpdate bool) (*Item, []Assignment, error) {
	it, err := s.loadItem(ctx, id, forUpdate)
	if err != nil {
		return nil, nil, err
	}
	asgs, err := s.assignmentsOf(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !CanSee(p, it, asgs[id]) {
		return nil, nil, problem.NotFound("item")
	}
	return it, asgs[id], nil
}

// viewOf renders an item the transaction has just changed, from memory: its
// derived fields and the caller's allowed actions as they stand after the change.
func (s *Service) viewOf(ctx context.Context, p *access.Principal, it *Item, asgs []Assignment) (*ItemView, error) {
	vs, err := s.views(ctx, p, []*Item{it}, map[uuid.UUID][]Assignment{it.ID: asgs})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// Get returns one item.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*ItemView, error) {
	it, asgs, err := s.visibleItem(ctx, p, id, false)
	if err != nil {
		return nil, err
	}
	vs, err := s.views(ctx, p, []*Item{it}, map[uuid.UUID][]Assignment{id: asgs})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// ItemInput is a new item (a draft).
type ItemInput struct {
	Title, Content, Requirements     string
	Category                         Category
	Source                           Source
	Basis, MeetingType, SourceRef    string
	NoticeIssuerUnitID               *uuid.UUID
	Method, Urgency, FeedbackCadence string
	// InitiatorUnitID defaults to the caller's unit; ScopeID to the caller's scope
	// (or the parent's, for sub-items).
	InitiatorUnitID, ScopeID *uuid.UUID
	LeadUnitID               *uuid.UUID
	CooperatingUnitIDs       []uuid.UUID
	SupervisingLeaderID      *uuid.UUID
	AssistingLeaderIDs       []uuid.UUID
	Deadline                 civil.Date
	ParentID                 *uuid.UUID
	Tags                     []string
	// Reference: document fields, the leader's instruction, the OA link.
	Reference
}

// Create registers a draft (立项建议 / task notice).
func (s *Service) Create(ctx context.Context, p *access.Principal, in ItemInput) (*ItemView, error) {
	if p == nil || !CanCreate(p) {
		return nil, problem.Forbidden("you may not create supervision items")
	}
	today := s.today()
	var id uuid.UUID
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, err := s.buildNew(ctx, p, in, today)
		if err != nil {
			return err
		}
		id = it.ID
		if err := s.db.Conn(ctx).Create(it).Error; err != nil {
			return fmt.Errorf("insert item: %w", err)
		}
		it.locked = true
		if err := s.replaceCooperating(ctx, it.ID, it.CooperatingUnitIDs); err != nil {
			return err
		}
		if err := s.replaceAssisting(ctx, it.ID, it.AssistingLeaderIDs); err != nil {
			return err
		}
		if err := s.replaceTags(ctx, it.ID, it.Tags); err != nil {
			return err
		}
		return s.record(ctx, p, it, nil, entry{Action: EvCreate, Changes: snapshot(it),
			Events: []events.ItemEvent{&events.ItemCreated{Transition: events.Transition{To: string(StateDraft)}}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, p, id)
}

// buildNew validates the input and returns the new item row.
func (s *Service) buildNew(ctx context.Context, p *access.Principal, in ItemInput, today civil.Date) (*Item, error) {
	var e fieldErrs
	if in.Method == "" {
		in.Method = "special"
	}
	if in.Urgency == "" {
		in.Urgency = "normal"
	}
	if in.FeedbackCadence == "" {
		in.FeedbackCadence = "none"
	}
	checkContent(&e, in.Title, in.Content, in.Requirements, in.Basis, in.SourceRef)
	checkEnums(&e, in.Category, in.Source, in.MeetingType, in.Method, in.Urgency, in.FeedbackCadence)
	if in.LeadUnitID == nil {
		e.add("lead_unit_id", "required", "is required")
	}
	if in.Deadline.IsZero() {
		e.add("deadline", "required", "is required")
	}
	notPast(&e, "deadline", in.Deadline, today)
	checkPeople(&e, in.LeadUnitID, in.CooperatingUnitIDs, in.SupervisingLeaderID, in.AssistingLeaderIDs)
	tags := normTags(&e, in.Tags)

	it := &Item{
		ID: newID(), Title: in.Title, Content: in.Content, Requirements: in.Requirements,
		Category: in.Category, Source: in.Source, Basis: in.Basis, MeetingType: in.MeetingType, SourceRef: in.SourceRef,
		Method: in.Method, Urgency: in.Urgency, FeedbackCadence: in.FeedbackCadence,
		InitiatorUnitID: p.UnitID, InitiatorUserID: p.UserID, SupervisingLeaderID: in.SupervisingLeaderID,
		LeadUnitID: in.LeadUnitID, Deadline: in.Deadline, State: StateDraft, Version: 1,
		CooperatingUnitIDs: orEmpty(in.CooperatingUnitIDs), AssistingLeaderIDs: orEmpty(in.AssistingLeaderIDs), Tags: tags,
	}
	in.Reference.setOn(it)
	if it.Source == SourceLeaderInstruction && it.SupervisingLeaderID == nil {
		// The leader who gave the instruction supervises it unless another is named.
		it.SupervisingLeaderID = it.InstructionLeaderID
	}
	checkReference(&e, it, today)
	it.CreatedAt = s.now()
	it.UpdatedAt = it.CreatedAt
	scope, err := s.placeItem(ctx, p, &e, it, in.ParentID, in.ScopeID)
	if err != nil {
		return nil, err
	}
	it.ScopeID = scope
	if err := s.checkDeclarer(ctx, p, &e, scope, it.Category, it.Source); err != nil {
		return nil, err
	}
	if in.InitiatorUnitID != nil && *in.InitiatorUnitID != p.UnitID {
		it.InitiatorUnitID = *in.InitiatorUnitID
		if !p.Has(access.RoleSupervisor) && !p.IsHeadOrLiaison(it.InitiatorUnitID) {
			e.add("initiator_unit_id", "own", "must be your own unit or one you head or liaise for")
		} else if err := s.checkUnits(ctx, &e, scope, map[string][]uuid.UUID{"initiator_unit_id": {it.InitiatorUnitID}}); err != nil {
			return nil, err
		}
	}
	if err := s.checkRefs(ctx, &e, scope, it.LeadUnitID, it.CooperatingUnitIDs, in.NoticeIssuerUnitID, it.SupervisingLeaderID, it.AssistingLeaderIDs); err != nil {
		return nil, err
	}
	if err := s.checkInstructionLeader(ctx, &e, scope, it.InstructionLeaderID); err != nil {
		return nil, err
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	it.NoticeIssuerUnitID = in.NoticeIssuerUnitID
	if it.NoticeIssuerUnitID == nil {
		if it.NoticeIssuerUnitID, err = s.noticeIssuer(ctx, scope, it.Source, it.LeadUnitID); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// placeItem decides the scope of a new item and checks its parent: a sub-item stays
// in its parent's scope or is handed down to an enterprise under it. It may be
// created by the parent's supervision office or lead unit, or by the supervision
// office of an enterprise that the parent names, inside that enterprise.
func (s *Service) placeItem(ctx context.Context, p *access.Principal, e *fieldErrs, it *Item, parentID, scopeID *uuid.UUID) (uuid.UUID, error) {
	if parentID == nil {
		if scopeID != nil && *scopeID != p.ScopeID {
			e.add("scope_id", "scope", "items of another scope are created only as sub-items handed down (with parent_id)")
		}
		return p.ScopeID, nil
	}
	parent, asgs, err := s.visibleItem(ctx, p, *parentID, false)
	if problem.IsNotFound(err) {
		e.add("parent_id", "exists", "no such item")
		return p.ScopeID, nil
	} else if err != nil {
		return uuid.Nil, err
	}
	if !CanAddSubItem(p, parent) {
		e.add("parent_id", "state", "sub-items cannot be added to a closed, archived or cancelled item")
	}
	it.ParentID, it.ParentScopeID = &parent.ID, &parent.ScopeID
	rel := Relations(p, parent, nil)
	decomposer := rel&(RelSupervisor|RelLead) != 0
	target := parent.ScopeID
	if scopeID != nil {
		target = *scopeID
	} else if rel&RelSupervisor == 0 {
		target = p.ScopeID
	}
	if target != parent.ScopeID {
		info, err := s.units(ctx, []uuid.UUID{target})
		if err != nil {
			return uuid.Nil, err
		}
		u, ok := info[target]
		if !ok || u.Kind != "enterprise" || u.ID != u.ScopeID || u.ParentScope == nil || *u.ParentScope != parent.ScopeID {
			e.add("scope_id", "scope", "must be the parent's scope or an enterprise directly under it")
			return target, nil
		}
	}
	if decomposer {
		// The lead unit hands down only into its own scope: an enterprise leading a
		// group item must not place a sub-item in a sibling enterprise or in the
		// group's scope and read what is reported there (issue 14, point 3). Only
		// the parent's supervision office places work into other scopes.
		if rel&RelSupervisor == 0 && target != p.ScopeID {
			e.add("scope_id", "scope", "a unit hands items down only into its own scope")
		}
		return target, nil
	}
	// An enterprise's supervision office decomposes a group item given to it.
	names := (parent.LeadUnitID != nil && *parent.LeadUnitID == target) || slices.Contains(parent.CooperatingUnitIDs, target) ||
		slices.ContainsFunc(asgs, func(a Assignment) bool { return a.UnitID == target && a.Live() })
	if target == p.ScopeID && target != parent.ScopeID && p.Has(access.RoleSupervisor) && names {
		return target, nil
	}
	return uuid.Nil, problem.Forbidden("only the supervision office or the lead unit of the parent item may add sub-items to it")
}

func checkContent(e *fieldErrs, title, content, requirements, basis, sourceRef string) {
	textLen(e, "title", title, true, 300)
	textLen(e, "content", content, true, 20000)
	textLen(e, "requirements", requirements, false, 20000)
	textLen(e, "basis", basis, false, 200)
	textLen(e, "source_ref", sourceRef, false, 2000)
}

func checkEnums(e *fieldErrs, c Category, src Source, meeting, method, urgency, cadence string) {
	oneOf(e, "category", c, Categories)
	if c == CategoryDocument {
		oneOf(e, "source", src, append(slices.Clone(MatterSources), DocumentSources...))
	} else {
		oneOf(e, "source", src, MatterSources)
	}
	if meeting != "" {
		oneOf(e, "meeting_type", meeting, MeetingTypes)
	}
	oneOf(e, "method", method, Methods)
	oneOf(e, "urgency", urgency, Urgencies)
	oneOf(e, "feedback_cadence", cadence, Cadences)
}

func checkPeople(e *fieldErrs, lead *uuid.UUID, coop []uuid.UUID, leader *uuid.UUID, assisting []uuid.UUID) {
	noDuplicates(e, "cooperating_unit_ids", coop)
	if lead != nil && slices.Contains(coop, *lead) {
		e.add("cooperating_unit_ids", "lead", "must not contain the lead unit")
	}
	noDuplicates(e, "assisting_leader_ids", assisting)
	if leader != nil && slices.Contains(assisting, *leader) {
		e.add("assisting_leader_ids", "leader", "must not contain the supervising leader")
	}
}

// checkRefs validates the units and leaders an item names against its scope.
func (s *Service) checkRefs(ctx context.Context, e *fieldErrs, scope uuid.UUID, lead *uuid.UUID, coop []uuid.UUID,
	issuer *uuid.UUID, leader *uuid.UUID, assisting []uuid.UUID) error {
	units := map[string][]uuid.UUID{"cooperating_unit_ids": coop}
	if lead != nil {
		units["lead_unit_id"] = []uuid.UUID{*lead}
	}
	if issuer != nil {
		units["notice_issuer_unit_id"] = []uuid.UUID{*issuer}
	}
	if err := s.checkUnits(ctx, e, scope, units); err != nil {
		return err
	}
	leaders := map[string][]uuid.UUID{"assisting_leader_ids": assisting}
	if leader != nil {
		leaders["supervising_leader_id"] = []uuid.UUID{*leader}
	}
	return s.checkLeaders(ctx, e, scope, leaders)
}

func orEmpty(ids []uuid.UUID) []uuid.UUID {
	if ids == nil {
		return []uuid.UUID{}
	}
	return ids
}

// snapshot is the timeline's record of a new item.
func snapshot(it *Item) map[string]any {
	m := map[string]any{
		"title": change{To: it.Title}, "category": change{To: it.Category}, "source": change{To: it.Source},
		"scope_id": change{To: it.ScopeID}, "lead_unit_id": change{To: it.LeadUnitID}, "deadline": change{To: it.Deadline},
		"cooperating_unit_ids": change{To: it.CooperatingUnitIDs}, "supervising_leader_id": change{To: it.SupervisingLeaderID},
		"urgency": change{To: it.Urgency}, "method": change{To: it.Method},
	}
	if it.ParentID != nil {
		m["parent_id"] = change{To: it.ParentID}
	}
	if it.DocNumber != "" {
		m["doc_number"] = change{To: it.DocNumber}
	}
	if it.InstructionLeaderID != nil {
		m["instruction_leader_id"] = change{To: it.InstructionLeaderID}
	}
	return m
}
