package feedback

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

// Filter narrows an item's feedback list.
type Filter struct {
	UnitID *uuid.UUID
	States []State
	Page   items.Page
}

// Page is a page of an item's feedback with every assigned unit's due date.
type Page struct {
	Views []View
	Total int64
	Due   []Due
	// AllowedActions: create, when the caller may write a new feedback.
	AllowedActions []string
}

// List returns the item's feedback the caller sees, newest first, and when each
// unit with a live assignment (only filter.UnitID's, when given) reports next.
func (s *Service) List(ctx context.Context, p *access.Principal, itemID uuid.UUID, f Filter) (*Page, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	rows, total, err := list(ctx, s.db, listQuery{ItemID: itemID, DraftUnits: draftUnits(p, asgs), UnitID: f.UnitID,
		States: f.States, Offset: f.Page.Offset(), Limit: f.Page.Size})
	if err != nil {
		return nil, err
	}
	views, err := s.views(ctx, p, it, asgs, rows)
	if err != nil {
		return nil, err
	}
	due, err := s.dues(ctx, p, it, asgs, f.UnitID)
	if err != nil {
		return nil, err
	}
	return &Page{Views: views, Total: total, Due: due, AllowedActions: ListActions(p, it, asgs)}, nil
}

// dues computes the due date of every unit with a live assignment, lead first.
func (s *Service) dues(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, only *uuid.UUID) ([]Due, error) {
	live := make([]items.Assignment, 0, len(asgs))
	for _, a := range asgs {
		if a.Live() && (only == nil || a.UnitID == *only) {
			live = append(live, a)
		}
	}
	slices.SortStableFunc(live, func(a, b items.Assignment) int {
		if (a.Role == items.RoleLead) != (b.Role == items.RoleLead) {
			if a.Role == items.RoleLead {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	out := make([]Due, 0, len(live))
	if len(live) == 0 {
		return out, nil
	}
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	facts, err := reports(ctx, s.db, it.ID)
	if err != nil {
		return nil, err
	}
	var ms []items.Milestone
	if it.FeedbackCadence == "milestones" {
		if ms, _, err = s.items.ListMilestones(ctx, p, it.ID); err != nil {
			return nil, err
		}
	}
	today := s.items.Today()
	for _, a := range live {
		in := dueInput{Item: it, Assignment: a, Reported: facts.Reported[a.UnitID], Milestones: ms,
			Cal: cal, Loc: s.cal.Location(), Today: today}
		if t, ok := facts.Last[a.UnitID]; ok {
			in.LastReport = &t
		}
		out = append(out, dueOf(in))
	}
	return out, nil
}

// Template is a new feedback prefilled from the unit's previous one (copy-forward:
// nothing is typed twice). It is not stored; the client edits it and POSTs it.
type Template struct {
	UnitID uuid.UUID
	// BasedOnID is the feedback the text comes from (the unit's newest submitted or
	// accepted one); nil before the unit's first report.
	BasedOnID *uuid.UUID
	// OpenFeedbackID is the unit's feedback already in the works (draft or
	// returned), which the unit should edit instead of starting another.
	OpenFeedbackID      *uuid.UUID
	Progress            int
	Content             string
	Problems, NextSteps string
	MilestoneID         *uuid.UUID
	NextDue             *civil.Date
	Overdue             bool
	LastReportedAt      *time.Time
}

// Template prefills the unit's next feedback. Only the people of an assigned unit
// ask for it (403 otherwise); unitID may be nil as for Create.
func (s *Service) Template(ctx context.Context, p *access.Principal, itemID uuid.UUID, unitID *uuid.UUID) (*Template, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	unit, err := pickUnit(p, asgs, unitID)
	if err != nil {
		return nil, err
	}
	t := &Template{UnitID: unit}
	if open, err := openOf(ctx, s.db, it.ID, unit); err != nil {
		return nil, err
	} else if open != nil {
		t.OpenFeedbackID = &open.ID
	}
	prev, err := lastReported(ctx, s.db, it.ID, unit, false)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		t.BasedOnID, t.Progress, t.Content, t.Problems, t.NextSteps = &prev.ID, prev.Progress, prev.Content, prev.Problems, prev.NextSteps
		t.MilestoneID = prev.MilestoneID
	} else if it.LeadUnitID != nil && *it.LeadUnitID == unit {
		t.Progress = it.Progress
	}
	ms, _, err := s.items.ListMilestones(ctx, p, it.ID)
	if err != nil {
		return nil, err
	}
	facts, err := reports(ctx, s.db, it.ID)
	if err != nil {
		return nil, err
	}
	t.MilestoneID = suggestMilestone(t.MilestoneID, ms, facts.Reported[unit], it.FeedbackCadence == "milestones")
	due, err := s.dues(ctx, p, it, asgs, &unit)
	if err != nil {
		return nil, err
	}
	if len(due) == 1 {
		t.NextDue, t.Overdue, t.LastReportedAt = due[0].NextDue, due[0].Overdue, due[0].LastReportedAt
	}
	return t, nil
}

// suggestMilestone proposes the milestone of the next report. By the milestones
// cadence it is the one the report is due for: the earliest not done that the unit
// has not reported on. Otherwise the previous report's milestone stays while it is
// not done, else the earliest not done. nil when there is none.
func suggestMilestone(prev *uuid.UUID, ms []items.Milestone, reported map[uuid.UUID]bool, byMilestone bool) *uuid.UUID {
	var next *items.Milestone
	for i := range ms {
		m := &ms[i]
		if m.Done || (byMilestone && reported[m.ID]) {
			continue
		}
		if !byMilestone && prev != nil && m.ID == *prev {
			return prev
		}
		if next == nil || m.DueDate.Before(next.DueDate) {
			next = m
		}
	}
	if next == nil {
		return nil
	}
	return &next.ID
}
