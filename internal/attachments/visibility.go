package attachments

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// Who sees a file. Seeing the item is necessary but not always enough, because a
// file is only as visible as the record that cites it:
//   - an unclaimed file (uploaded, not yet linked by any record) is a form's work in
//     progress: only its uploader sees it. Nobody else has a reason to, and a
//     draft's files must not leak to other units before the record does.
//   - a claimed file follows its owner. Owner packages whose records are not seen
//     by everyone who sees the item register an OwnerFilter (feedback: drafts only
//     for their unit); owner types without one (completion requests,
//     verifications, comments) are seen by everyone who sees the item.
//
// Everything the caller may not see answers 404, like an invisible item.

// OwnerFilter answers which of an owner type's records on an item p may see. It is
// only called for an item p sees; ids absent from the map (or false) are hidden.
type OwnerFilter func(ctx context.Context, p *access.Principal, itemID uuid.UUID, ownerIDs []uuid.UUID) (map[uuid.UUID]bool, error)

// UseOwnerFilter makes files claimed by ownerType visible only where f says so.
// Owner services call it while the application is wired, before serving.
func (s *Service) UseOwnerFilter(ownerType string, f OwnerFilter) {
	if s.filters == nil {
		s.filters = map[string]OwnerFilter{}
	}
	s.filters[ownerType] = f
}

// visible keeps the files of one item (that p sees) which p may see, in order.
func (s *Service) visible(ctx context.Context, p *access.Principal, itemID uuid.UUID, files []Attachment) ([]Attachment, error) {
	byType := map[string][]uuid.UUID{}
	for _, a := range files {
		if a.OwnerID != nil && s.filters[a.OwnerType] != nil {
			byType[a.OwnerType] = append(byType[a.OwnerType], *a.OwnerID)
		}
	}
	allowed := map[string]map[uuid.UUID]bool{}
	for typ, ids := range byType {
		ok, err := s.filters[typ](ctx, p, itemID, ids)
		if err != nil {
			return nil, fmt.Errorf("check %s visibility: %w", typ, err)
		}
		allowed[typ] = ok
	}
	out := make([]Attachment, 0, len(files))
	for _, a := range files {
		switch {
		case a.OwnerType == "" || a.OwnerID == nil:
			if p == nil || a.UploadedBy != p.UserID {
				continue
			}
		case s.filters[a.OwnerType] != nil:
			if !allowed[a.OwnerType][*a.OwnerID] {
				continue
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// removedItemFile is items.OwnerItemRemoved (this package does not import items).
const removedItemFile = "item_removed"

// ListItem returns the files linked to an item's records that p may see, oldest
// first; files not yet linked are left out (they belong to an unsent form).
func (s *Service) ListItem(ctx context.Context, p *access.Principal, itemID uuid.UUID) ([]Attachment, error) {
	if err := s.items.ReadItem(ctx, p, itemID); err != nil {
		return nil, err
	}
	var rows []Attachment
	// Files taken off the item (item_removed) stay downloadable from its timeline
	// but are no longer its files.
	err := s.db.Conn(ctx).Where("item_id = ? AND owner_type NOT IN ?", itemID, []string{"", removedItemFile}).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list item attachments: %w", err)
	}
	return s.visible(ctx, p, itemID, rows)
}
