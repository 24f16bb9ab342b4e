package urges

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Service sends, lists and acknowledges urges.
type Service struct {
	db    *database.DB
	items *items.Service
}

// NewService returns the urges service.
func NewService(db *database.DB, itemsSvc *items.Service) *Service {
	return &Service{db: db, items: itemsSvc}
}

// View is an urge as shown to one caller.
type View struct {
	Urge
	AllowedActions []string
}

// Send urges a unit on an item and records it on the item's timeline, in one
// transaction. actor is the supervision office's user, or nil for the system (a
// reminder job, kind auto), which may urge on any item. unitID uuid.Nil means the
// item's lead unit; the unit must hold a live assignment (422 on unit_id).
func (s *Service) Send(ctx context.Context, actor *access.Principal, itemID, unitID uuid.UUID, message string, kind Kind) (*View, error) {
	return s.send(ctx, actor, itemID, unitID, message, kind, nil)
}

// Auto is an automatic reminder (internal/reminders) sent as an urge of kind auto.
type Auto struct {
	// Reminder is the reminder's kind and Day the company-calendar day it is for:
	// one urge per item × unit × reminder × day, whatever the retries.
	Reminder string
	Day      string
	// Recipients are told beyond the urged unit (events.UrgeRef.Recipients).
	Recipients []uuid.UUID
	// Deciding lets the reminder be sent while the item waits for the decision
	// on its completion request: the reminder presses the decider, not the unit.
	Deciding bool
}

// SendAuto sends an automatic reminder as the system: the same path as Send with
// a nil actor (timeline, event, notifications), kind auto. It returns nil, nil
// when the reminder of that item, unit, kind and day exists already.
func (s *Service) SendAuto(ctx context.Context, itemID, unitID uuid.UUID, message string, a Auto) (*View, error) {
	if a.Reminder == "" || a.Day == "" {
		return nil, fmt.Errorf("urges: an automatic reminder needs its kind and day")
	}
	return s.send(ctx, nil, itemID, unitID, message, KindAuto, &a)
}

func (s *Service) send(ctx context.Context, actor *access.Principal, itemID, unitID uuid.UUID, message string, kind Kind, auto *Auto) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var (
			it   *items.Item
			asgs []items.Assignment
			err  error
		)
		if actor == nil {
			it, asgs, err = s.loadAsSystem(ctx, itemID)
		} else {
			it, asgs, err = s.items.Load(ctx, actor, itemID, true)
		}
		if err != nil {
			return err
		}
		if auto == nil || !auto.Deciding || it.State != items.StateCompletionRequested {
			if err := decideUrge(actor, it); err != nil {
				return err
			}
		}
		if unitID == uuid.Nil {
			if it.LeadUnitID == nil {
				return problem.Field("unit_id", "required", "the item has no lead unit; name the unit to urge")
			}
			unitID = *it.LeadUnitID
		}
		if err := check(asgs, unitID, message, kind); err != nil {
			return err
		}
		u := &Urge{ID: newID(), ItemID: it.ID, UnitID: unitID, Kind: kind, Message: strings.TrimSpace(message),
			CreatedAt: s.items.Now(), Version: 1}
		if actor != nil {
			u.CreatedBy = &actor.UserID
		}
		var recipients []uuid.UUID
		if auto != nil {
			u.Reminder, u.ReminderDay, recipients = &auto.Reminder, &auto.Day, auto.Recipients
			fresh, err := insertOnce(ctx, s.db, u)
			if err != nil || !fresh {
				return err // sent already: nothing else to write
			}
		} else if err := insert(ctx, s.db, u); err != nil {
			return err
		}
		changes := map[string]any{"urge_id": u.ID.String(), "unit_id": u.UnitID.String(), "kind": string(u.Kind)}
		ref := urgeRef(u)
		if u.Reminder != nil {
			changes["reminder"] = *u.Reminder
			ref.Recipients = recipients
		}
		if err := s.items.Note(ctx, actor, it, asgs, items.Note{Action: EvUrge, Changes: changes, Comment: u.Message,
			Event: &events.UrgeSent{UrgeEvent: events.UrgeEvent{Urge: ref}}}); err != nil {
			return err
		}
		out = &View{Urge: *u, AllowedActions: AllowedActions(actor, u)}
		return nil
	})
	return out, err
}

func check(asgs []items.Assignment, unitID uuid.UUID, message string, kind Kind) error {
	var errs []problem.FieldError
	if items.LiveAssignment(asgs, unitID) == nil {
		errs = append(errs, problem.FieldError{Field: "unit_id", Rule: "assigned", Message: "the unit has no live assignment on this item"})
	}
	switch m := strings.TrimSpace(message); {
	case m == "":
		errs = append(errs, problem.FieldError{Field: "message", Rule: "required", Message: "is required"})
	case utf8.RuneCountInString(m) > MaxMessage:
		errs = append(errs, problem.FieldError{Field: "message", Rule: "max", Message: fmt.Sprintf("must be at most %d characters", MaxMessage)})
	}
	if !kind.Valid() {
		errs = append(errs, problem.FieldError{Field: "kind", Rule: "oneof", Message: "must be manual or auto"})
	}
	if len(errs) > 0 {
		return problem.Invalid(errs...)
	}
	return nil
}

// loadAsSystem loads and locks an item for the system, which acts as the
// supervision office of the item's own scope.
func (s *Service) loadAsSystem(ctx context.Context, itemID uuid.UUID) (*items.Item, []items.Assignment, error) {
	var row struct{ ScopeID uuid.UUID }
	err := s.db.Conn(ctx).Model(&items.Item{}).Select("scope_id").Where("id = ?", itemID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, problem.NotFound("item")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load item scope: %w", err)
	}
	system := &access.Principal{Username: "system", Roles: []access.Role{access.RoleSupervisor}, ScopeID: row.ScopeID}
	return s.items.Load(ctx, system, itemID, true)
}

// Filter narrows an item's urges.
type Filter struct {
	UnitID *uuid.UUID
	Page   items.Page
}

// Page is a page of urges with the counts per unit.
type Page struct {
	Views  []View
	Total  int64
	Counts []Count
	// AllowedActions: create, when the caller may urge on the item now.
	AllowedActions []string
}

// List returns the item's urges, newest first, and how often each unit was urged:
// every unit with a live assignment (lead first) and any other unit ever urged.
func (s *Service) List(ctx context.Context, p *access.Principal, itemID uuid.UUID, f Filter) (*Page, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	rows, total, err := list(ctx, s.db, itemID, f.UnitID, f.Page.Offset(), f.Page.Size)
	if err != nil {
		return nil, err
	}
	byUnit, err := counts(ctx, s.db, itemID)
	if err != nil {
		return nil, err
	}
	out := &Page{Views: make([]View, len(rows)), Total: total, Counts: []Count{},
		AllowedActions: access.Actions(map[string]bool{"create": decideUrge(p, it) == nil})}
	for i := range rows {
		out.Views[i] = View{Urge: rows[i], AllowedActions: AllowedActions(p, &rows[i])}
	}
	var units []uuid.UUID
	slices.SortStableFunc(asgs, func(a, b items.Assignment) int {
		if (a.Role == items.RoleLead) != (b.Role == items.RoleLead) {
			if a.Role == items.RoleLead {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	for _, a := range asgs {
		if (a.Live() || byUnit[a.UnitID].Total > 0) && !slices.Contains(units, a.UnitID) {
			units = append(units, a.UnitID)
		}
	}
	for u := range byUnit {
		if !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	for _, u := range units {
		if f.UnitID != nil && u != *f.UnitID {
			continue
		}
		c := byUnit[u]
		c.UnitID = u
		out.Counts = append(out.Counts, c)
	}
	return out, nil
}

// Acknowledge records that the urged unit has taken note.
func (s *Service) Acknowledge(ctx context.Context, p *access.Principal, id uuid.UUID, pc items.Precondition) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		u, err := find(ctx, s.db, id)
		if err != nil {
			return err
		}
		it, asgs, err := s.items.Load(ctx, p, u.ItemID, true)
		if err != nil {
			if problem.IsNotFound(err) {
				return problem.NotFound("urge")
			}
			return err
		}
		if u, err = find(ctx, s.db, id); err != nil { // again, under the item's lock
			return err
		}
		if err := pc.Check(u.Version); err != nil {
			return err
		}
		if err := decideAcknowledge(p, u); err != nil {
			return err
		}
		if err := acknowledge(ctx, s.db, u, p.UserID, s.items.Now()); err != nil {
			return err
		}
		changes := map[string]any{"urge_id": u.ID.String(), "unit_id": u.UnitID.String()}
		if err := s.items.Note(ctx, p, it, asgs, items.Note{Action: EvAcknowledged, Changes: changes,
			Event: &events.UrgeAcknowledged{UrgeEvent: events.UrgeEvent{Urge: urgeRef(u)}}}); err != nil {
			return err
		}
		out = &View{Urge: *u, AllowedActions: AllowedActions(p, u)}
		return nil
	})
	return out, err
}

// urgeRef names an urge in its events.
func urgeRef(u *Urge) events.UrgeRef {
	r := events.UrgeRef{ID: u.ID, UnitID: u.UnitID, Kind: string(u.Kind), Message: u.Message}
	if u.Reminder != nil {
		r.Reminder = *u.Reminder
	}
	return r
}
