package verification

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// Service records verifications.
type Service struct {
	db    *database.DB
	items *items.Service
	files Files
}

// NewService returns the verification service.
func NewService(db *database.DB, it *items.Service, files Files) *Service {
	return &Service{db: db, items: it, files: files}
}

// Input is a new verification.
type Input struct {
	Method, Findings, Result string
	// AttachmentIDs are evidence files, uploaded first.
	AttachmentIDs []uuid.UUID
}

// View is a verification with its evidence files.
type View struct {
	Verification
	Attachments []attachments.Attachment
}

// List is an item's verifications with what the caller may do on the item.
type List struct {
	Data           []View
	AllowedActions []string
}

const maxFindings = 20000

// ListFor returns the item's verifications, newest first.
func (s *Service) ListFor(ctx context.Context, p *access.Principal, itemID uuid.UUID) (*List, error) {
	it, asgs, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	var rows []Verification
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load verifications: %w", err)
	}
	vs, err := s.views(ctx, rows)
	if err != nil {
		return nil, err
	}
	return &List{Data: vs, AllowedActions: itemActions(p, it, asgs)}, nil
}

func (s *Service) views(ctx context.Context, rows []Verification) ([]View, error) {
	out := make([]View, len(rows))
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	files, err := s.files.ListFor(ctx, OwnerType, ids)
	if err != nil {
		return nil, fmt.Errorf("load verification files: %w", err)
	}
	for i := range rows {
		out[i] = View{Verification: rows[i], Attachments: []attachments.Attachment{}}
		for _, f := range files {
			if f.OwnerID != nil && *f.OwnerID == rows[i].ID {
				out[i].Attachments = append(out[i].Attachments, f)
			}
		}
	}
	return out, nil
}

func checkInput(in Input) error {
	var e []problem.FieldError
	add := func(field, rule, msg string) {
		e = append(e, problem.FieldError{Field: field, Rule: rule, Message: msg})
	}
	if !slices.Contains(Methods, in.Method) {
		add("method", "oneof", "must be one of: "+strings.Join(Methods, ", "))
	}
	switch {
	case in.Findings == "":
		add("findings", "required", "is required")
	case utf8.RuneCountInString(in.Findings) > maxFindings:
		add("findings", "max", fmt.Sprintf("must be at most %d characters", maxFindings))
	}
	if !slices.Contains(Results, in.Result) {
		add("result", "oneof", "must be one of: "+strings.Join(Results, ", "))
	}
	if len(e) > 0 {
		return problem.Invalid(e...)
	}
	return nil
}

// Create records a verification of a closed or archived item. passed marks the item
// verified (its state stays); failed reopens it (反弹).
func (s *Service) Create(ctx context.Context, p *access.Principal, itemID uuid.UUID, in Input, pc items.Precondition) (*View, error) {
	in.Findings = strings.TrimSpace(in.Findings)
	failed := in.Result == ResultFailed
	var v *Verification
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if _, err := decide(p, it, asgs, failed); err != nil {
			return err
		}
		if err := pc.Check(it.Version); err != nil {
			return err
		}
		if err := checkInput(in); err != nil {
			return err
		}
		v = &Verification{ID: newID(), ItemID: itemID, Method: in.Method, Findings: in.Findings, Result: in.Result,
			StateBefore: string(it.State), VerifiedBy: p.UserID, CreatedAt: s.items.Now()}
		if err := s.db.Conn(ctx).Create(v).Error; err != nil {
			return fmt.Errorf("insert verification: %w", err)
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, itemID, OwnerType, v.ID); err != nil {
			return err
		}
		changes := map[string]any{
			"verification_id": map[string]any{"to": v.ID},
			"result":          map[string]any{"to": in.Result},
			"method":          map[string]any{"to": in.Method},
			"verified":        map[string]any{"from": it.Verified, "to": !failed},
		}
		ve := events.VerificationEvent{VerificationID: v.ID, Method: in.Method, Findings: in.Findings}
		var ev events.ItemEvent = &events.VerificationPassed{VerificationEvent: ve}
		if failed {
			ev = &events.VerificationFailed{VerificationEvent: ve}
			changes["reopened_count"] = map[string]any{"from": it.ReopenedCount, "to": it.ReopenedCount + 1}
			changes["flagged"] = map[string]any{"from": it.Flagged, "to": true}
		}
		return s.items.Verify(ctx, p, it, asgs, failed, items.Note{Changes: changes, Comment: in.Findings, Event: ev})
	})
	if err != nil {
		return nil, err
	}
	vs, err := s.views(ctx, []Verification{*v})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}
