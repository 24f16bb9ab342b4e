package comments

import (
	"context"
	"fmt"
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

// Service writes and lists comments.
type Service struct {
	db    *database.DB
	items *items.Service
	files *attachments.Service
}

// NewService returns the comments service.
func NewService(db *database.DB, itemsSvc *items.Service, files *attachments.Service) *Service {
	return &Service{db: db, items: itemsSvc, files: files}
}

// View is a comment with its files.
type View struct {
	Comment
	Attachments []attachments.Attachment
}

// Input is a new comment.
type Input struct {
	Kind          Kind
	Body          string
	AttachmentIDs []uuid.UUID
}

// Create writes a comment, claims its files and appends it to the item's timeline
// (event named after the kind, the text as the event's comment), in one
// transaction.
func (s *Service) Create(ctx context.Context, p *access.Principal, itemID uuid.UUID, in Input) (*View, error) {
	var out *View
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		it, asgs, err := s.items.Load(ctx, p, itemID, true)
		if err != nil {
			return err
		}
		if !in.Kind.Valid() {
			return problem.Field("kind", "oneof", "must be one of: instruction, comment, coordination")
		}
		if err := decide(p, it, in.Kind); err != nil {
			return err
		}
		body := strings.TrimSpace(in.Body)
		switch {
		case body == "":
			return problem.Field("body", "required", "is required")
		case utf8.RuneCountInString(body) > MaxBody:
			return problem.Field("body", "max", fmt.Sprintf("must be at most %d characters", MaxBody))
		}
		c := &Comment{ID: newID(), ItemID: it.ID, Kind: in.Kind, Body: body, AuthorID: p.UserID, CreatedAt: s.items.Now()}
		if err := insert(ctx, s.db, c); err != nil {
			return err
		}
		if err := s.files.Claim(ctx, "attachment_ids", in.AttachmentIDs, it.ID, OwnerType, c.ID); err != nil {
			return err
		}
		changes := map[string]any{"comment_id": c.ID.String(), "kind": string(c.Kind)}
		if len(in.AttachmentIDs) > 0 {
			changes["attachments"] = len(in.AttachmentIDs)
		}
		ce := events.CommentEvent{CommentID: c.ID, CommentKind: string(c.Kind), Body: c.Body}
		var ev events.ItemEvent = &events.CommentAdded{CommentEvent: ce}
		if c.Kind == KindInstruction {
			ev = &events.InstructionAdded{CommentEvent: ce}
		}
		if err := s.items.Note(ctx, p, it, asgs, items.Note{Action: string(c.Kind), Changes: changes, Comment: c.Body, Event: ev}); err != nil {
			return err
		}
		vs, err := s.views(ctx, []Comment{*c})
		if err != nil {
			return err
		}
		out = &vs[0]
		return nil
	})
	return out, err
}

// Filter narrows an item's comments.
type Filter struct {
	Kinds []Kind
	Page  items.Page
}

// Page is a page of comments and the kinds the caller may write now.
type Page struct {
	Views        []View
	Total        int64
	AllowedKinds []string
}

// List returns the item's comments, oldest first, to everyone who sees the item.
func (s *Service) List(ctx context.Context, p *access.Principal, itemID uuid.UUID, f Filter) (*Page, error) {
	it, _, err := s.items.Load(ctx, p, itemID, false)
	if err != nil {
		return nil, err
	}
	rows, total, err := list(ctx, s.db, itemID, f.Kinds, f.Page.Offset(), f.Page.Size)
	if err != nil {
		return nil, err
	}
	vs, err := s.views(ctx, rows)
	if err != nil {
		return nil, err
	}
	return &Page{Views: vs, Total: total, AllowedKinds: AllowedKinds(p, it)}, nil
}

func (s *Service) views(ctx context.Context, rows []Comment) ([]View, error) {
	ids := make([]uuid.UUID, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	files, err := s.files.ListFor(ctx, OwnerType, ids)
	if err != nil {
		return nil, fmt.Errorf("load comment attachments: %w", err)
	}
	byOwner := map[uuid.UUID][]attachments.Attachment{}
	for _, a := range files {
		if a.OwnerID != nil {
			byOwner[*a.OwnerID] = append(byOwner[*a.OwnerID], a)
		}
	}
	out := make([]View, len(rows))
	for i := range rows {
		out[i] = View{Comment: rows[i], Attachments: byOwner[rows[i].ID]}
	}
	return out, nil
}
