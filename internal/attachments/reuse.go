package attachments

import (
	"context"
	"fmt"
	"path"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/problem"
)

// Reuse lets a record cite files already sent with another record of the same item
// (a completion request naming the reports' files, issue 11 §14 减负) without
// uploading them again. Each id must name a file of the item claimed by a record of
// fromOwnerType that the acting user (the principal of ctx) sees; the file is copied
// (content under a key of its own: every row owns its content, which the cleanup
// relies on) as a new row owned by ownerType/ownerID. It returns the new rows' ids
// in order; a bad id is a 422 on field[i] and nothing changes in the database (a
// copied content whose transaction then fails is left for the storage, unreferenced).
// Call it inside the owner's transaction.
func (s *Service) Reuse(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, fromOwnerType, ownerType string, ownerID uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []Attachment
	if err := s.db.Conn(ctx).Where("id IN ? AND item_id = ? AND owner_type = ?", ids, itemID, fromOwnerType).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("load reused attachments: %w", err)
	}
	p := access.FromContext(ctx)
	seen := found
	if p != nil {
		var err error
		if seen, err = s.visible(ctx, p, itemID, found); err != nil {
			return nil, err
		}
	}
	byID := make(map[uuid.UUID]Attachment, len(seen))
	for _, a := range seen {
		byID[a.ID] = a
	}
	at := s.now()
	out := make([]uuid.UUID, len(ids))
	for i, id := range ids {
		a, ok := byID[id]
		if !ok {
			return nil, problem.Field(fmt.Sprintf("%s[%d]", field, i), "reusable", "must name a file already sent with this item's "+fromOwnerType)
		}
		copied := a
		copied.ID = uuid.Must(uuid.NewV7())
		copied.OwnerType = ownerType
		copied.OwnerID = &ownerID
		copied.CreatedAt = at
		copied.StorageKey = path.Join(at.Format("2006/01"), copied.ID.String())
		if err := s.copyContent(ctx, a.StorageKey, copied.StorageKey); err != nil {
			return nil, err
		}
		if err := s.db.Conn(ctx).Create(&copied).Error; err != nil {
			return nil, fmt.Errorf("copy attachment %s: %w", id, err)
		}
		out[i] = copied.ID
	}
	return out, nil
}

func (s *Service) copyContent(ctx context.Context, from, to string) error {
	rc, err := s.store.Open(ctx, from)
	if err != nil {
		return fmt.Errorf("open %s to copy: %w", from, err)
	}
	defer rc.Close()
	if err := s.store.Put(ctx, to, rc); err != nil {
		return fmt.Errorf("copy %s to %s: %w", from, to, err)
	}
	return nil
}
