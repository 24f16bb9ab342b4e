package methods

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Who does what (a caller who cannot see the item gets 404 for everything):
//   - read: everyone who sees the item (the joint team's people included);
//   - joint team: the supervision office of the item's scope adds and removes
//     departments (items.DecideMethod without leaders);
//   - visits and coordination meetings: the supervision office and the leaders of
//     the item's scope record them (items.DecideMethod with leaders);
//   - a decision becomes a milestone for whoever may record meetings and may
//     manage the item's milestones (items' manage_milestones), and is linked to a
//     sub-item of the item by whoever may record meetings.
//
// Read-only credentials, admins and auditors change nothing (403); from submission
// until the item is archived or cancelled (409 otherwise).

// Service records the supervision methods.
type Service struct {
	db    *database.DB
	items *items.Service
	files Files
}

// NewService returns the methods service.
func NewService(db *database.DB, it *items.Service, files Files) *Service {
	return &Service{db: db, items: it, files: files}
}

// Overview is everything the methods tab shows of an item.
type Overview struct {
	JointUnits    []items.JointUnit
	Visits        []VisitView
	Coordinations []CoordinationView
	// AllowedActions: manage_joint_units, record_visit, record_coordination.
	AllowedActions []string
}

// Get returns the item's joint team, visits and coordination meetings, newest
// records first.
func (s *Service) Get(ctx context.Context, p *access.Principal, itemID uuid.UUID) (*Overview, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	out := &Overview{Visits: []VisitView{}, Coordinations: []CoordinationView{}}
	if out.JointUnits, err = s.items.JointUnits(ctx, itemID); err != nil {
		return nil, err
	}
	var visits []Visit
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("visited_on DESC, created_at DESC").Find(&visits).Error; err != nil {
		return nil, fmt.Errorf("load visits: %w", err)
	}
	if out.Visits, err = s.visitViews(ctx, visits); err != nil {
		return nil, err
	}
	var meetings []Coordination
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("held_on DESC, created_at DESC").Find(&meetings).Error; err != nil {
		return nil, fmt.Errorf("load coordination meetings: %w", err)
	}
	if out.Coordinations, err = s.coordinationViews(ctx, p, it, asgs, meetings); err != nil {
		return nil, err
	}
	out.AllowedActions = access.Actions(map[string]bool{
		ActManageTeam:         items.DecideMethod(p, it, false) == nil,
		ActRecordVisit:        items.DecideMethod(p, it, true) == nil,
		ActRecordCoordination: items.DecideMethod(p, it, true) == nil,
	})
	return out, nil
}

// SetJointUnit adds or removes a department of the item's joint supervision team
// and returns the team.
func (s *Service) SetJointUnit(ctx context.Context, p *access.Principal, itemID, unitID uuid.UUID, add bool) ([]items.JointUnit, error) {
	if _, _, err := s.items.SetJointUnit(ctx, p, itemID, unitID, add); err != nil {
		return nil, err
	}
	return s.items.JointUnits(ctx, itemID)
}

type fieldErrs []problem.FieldError

func (e *fieldErrs) add(field, rule, msg string) {
	*e = append(*e, problem.FieldError{Field: field, Rule: rule, Message: msg})
}

func (e fieldErrs) err() error {
	if len(e) == 0 {
		return nil
	}
	return problem.Invalid(e...)
}

func text(e *fieldErrs, field, v string, required bool, limit int) {
	switch {
	case v == "" && required:
		e.add(field, "required", "is required")
	case utf8.RuneCountInString(v) > limit:
		e.add(field, "max", fmt.Sprintf("must be at most %d characters", limit))
	}
}

func date(e *fieldErrs, field string, d, today civil.Date) {
	switch {
	case d.IsZero():
		e.add(field, "required", "is required")
	case d.After(today):
		e.add(field, "not_future", "must not be in the future")
	}
}

func people(e *fieldErrs, field string, ids []uuid.UUID, required bool) {
	switch {
	case len(ids) == 0 && required:
		e.add(field, "required", "name at least one")
	case len(ids) > maxPeople:
		e.add(field, "max", fmt.Sprintf("at most %d", maxPeople))
	}
	for i, id := range ids {
		if slices.Index(ids, id) != i {
			e.add(field, "unique", "names "+id.String()+" twice")
		}
	}
}

// checkUsers adds an error for each id that is not an active user.
func (s *Service) checkUsers(ctx context.Context, e *fieldErrs, field string, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	var found []uuid.UUID
	if err := s.db.Conn(ctx).Table("users").Where("id IN ? AND active = ?", ids, true).Pluck("id", &found).Error; err != nil {
		return fmt.Errorf("load users: %w", err)
	}
	for i, id := range ids {
		if !slices.Contains(found, id) {
			e.add(fmt.Sprintf("%s[%d]", field, i), "exists", "no such active user: "+id.String())
		}
	}
	return nil
}

// VisitInput is a new visit record.
type VisitInput struct {
	VisitedOn    civil.Date
	Place        string
	VisitorIDs   []uuid.UUID
	AuthorisedBy uuid.UUID
	Findings     string
	// AttachmentIDs are photos and files, uploaded first.
	AttachmentIDs []uuid.UUID
}

// RecordVisit records a visit on site (现场督办).
func (s *Service) RecordVisit(ctx context.Context, p *access.Principal, itemID uuid.UUID, in VisitInput) (*VisitView, error) {
	in.Place, in.Findings = strings.TrimSpace(in.Place), strings.TrimSpace(in.Findings)
	var v *Visit
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if err := items.DecideMethod(p, it, true); err != nil {
			return err
		}
		var e fieldErrs
		date(&e, "visited_on", in.VisitedOn, s.items.Today())
		text(&e, "place", in.Place, true, maxPlace)
		text(&e, "findings", in.Findings, true, maxText)
		people(&e, "visitor_ids", in.VisitorIDs, true)
		if err := s.checkUsers(ctx, &e, "visitor_ids", in.VisitorIDs); err != nil {
			return err
		}
		if in.AuthorisedBy == uuid.Nil {
			e.add("authorised_by", "required", "is required")
		} else if err := s.items.CheckUnitsAndLeaders(ctx, it.ScopeID, nil, map[string][]uuid.UUID{"authorised_by": {in.AuthorisedBy}}); err != nil {
			var pr *problem.Problem
			if !errors.As(err, &pr) {
				return err
			}
			e = append(e, pr.Errors...)
		}
		if err := e.err(); err != nil {
			return err
		}
		v = &Visit{ID: newID(), ItemID: itemID, VisitedOn: in.VisitedOn, Place: in.Place, AuthorisedBy: in.AuthorisedBy,
			Findings: in.Findings, CreatedBy: p.UserID, CreatedAt: s.items.Now()}
		if err := s.db.Conn(ctx).Create(v).Error; err != nil {
			return fmt.Errorf("insert visit: %w", err)
		}
		for i, u := range in.VisitorIDs {
			if err := s.db.Conn(ctx).Create(&visitPerson{VisitID: v.ID, UserID: u, Sort: i}).Error; err != nil {
				return fmt.Errorf("insert visitor: %w", err)
			}
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, itemID, OwnerVisit, v.ID); err != nil {
			return err
		}
		changes := map[string]any{"visit_id": map[string]any{"to": v.ID}, "visited_on": map[string]any{"to": v.VisitedOn},
			"place": map[string]any{"to": v.Place}, "authorised_by": map[string]any{"to": v.AuthorisedBy},
			"visitor_ids": map[string]any{"to": in.VisitorIDs}}
		return s.items.Note(ctx, p, it, asgs, items.Note{Action: EvVisit, Changes: changes, Comment: v.Findings,
			Event: &events.VisitRecorded{VisitEvent: events.VisitEvent{VisitID: v.ID, VisitedOn: v.VisitedOn.String(),
				Place: v.Place, AuthorisedBy: v.AuthorisedBy, VisitorIDs: in.VisitorIDs}}})
	})
	if err != nil {
		return nil, err
	}
	vs, err := s.visitViews(ctx, []Visit{*v})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

func (s *Service) visitViews(ctx context.Context, rows []Visit) ([]VisitView, error) {
	out := make([]VisitView, len(rows))
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var ppl []visitPerson
	if err := s.db.Conn(ctx).Where("visit_id IN ?", ids).Order("sort").Find(&ppl).Error; err != nil {
		return nil, fmt.Errorf("load visitors: %w", err)
	}
	files, err := s.files.ListFor(ctx, OwnerVisit, ids)
	if err != nil {
		return nil, fmt.Errorf("load visit files: %w", err)
	}
	for i := range rows {
		out[i] = VisitView{Visit: rows[i], VisitorIDs: []uuid.UUID{}, Attachments: ownedBy(files, rows[i].ID)}
		for _, pp := range ppl {
			if pp.VisitID == rows[i].ID {
				out[i].VisitorIDs = append(out[i].VisitorIDs, pp.UserID)
			}
		}
	}
	return out, nil
}

func ownedBy(files []attachments.Attachment, owner uuid.UUID) []attachments.Attachment {
	out := []attachments.Attachment{}
	for _, f := range files {
		if f.OwnerID != nil && *f.OwnerID == owner {
			out = append(out, f)
		}
	}
	return out
}
