package attachments

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// Files that nothing needs any more: uploads that no record linked within
// UnlinkedTTL (a form abandoned half-way), and the files of items that were
// deleted (drafts). Their contents are removed from storage first, then their
// rows, so that a crash in between leaves a row whose file is gone (cleaned on the
// next run), never a file that nothing points to.

const purgeBatch = 200

// PurgeUnlinked deletes the uploads no record links to that are older than the
// quotas' UnlinkedTTL, and the files of items that no longer exist. It returns how
// many files it deleted. A periodic job should call it (hourly).
func (s *Service) PurgeUnlinked(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.quotas.UnlinkedTTL)
	if s.quotas.UnlinkedTTL <= 0 {
		cutoff = s.now().Add(-QuotaWindow)
	}
	total := 0
	for {
		var rows []Attachment
		err := s.db.Conn(ctx).
			Where("(owner_type = '' AND created_at < ?) OR item_id NOT IN (SELECT id FROM items)", cutoff).
			Order("created_at").Limit(purgeBatch).Find(&rows).Error
		if err != nil {
			return total, fmt.Errorf("find unlinked attachments: %w", err)
		}
		n, err := s.remove(ctx, rows)
		total += n
		if err != nil || len(rows) < purgeBatch {
			return total, err
		}
	}
}

// DropItem deletes every file of an item that was deleted; the items service
// calls it once the deletion has committed (items.Service.OnDelete).
func (s *Service) DropItem(ctx context.Context, itemID uuid.UUID) error {
	var rows []Attachment
	if err := s.db.Conn(ctx).Where("item_id = ?", itemID).Find(&rows).Error; err != nil {
		return fmt.Errorf("find the deleted item's attachments: %w", err)
	}
	_, err := s.remove(ctx, rows)
	return err
}

// remove deletes the contents, then the rows, of files.
func (s *Service) remove(ctx context.Context, rows []Attachment) (int, error) {
	var errs []error
	done := 0
	for _, a := range rows {
		if err := s.store.Delete(ctx, a.StorageKey); err != nil && !errors.Is(err, ErrNotStored) {
			errs = append(errs, fmt.Errorf("delete %s: %w", a.StorageKey, err))
			continue
		}
		if err := s.db.Conn(ctx).Where("id = ?", a.ID).Delete(&Attachment{}).Error; err != nil {
			errs = append(errs, fmt.Errorf("delete attachment %s: %w", a.ID, err))
			continue
		}
		done++
	}
	return done, errors.Join(errs...)
}

// mayLink says which of the unclaimed files the acting user may link: their own
// uploads, and those of a member of a unit they head or liaise for (a liaison
// files the feedback a colleague prepared). Without a principal in ctx (the demo
// seed, internal callers) the service acts for the system and may link any.
func (s *Service) mayLink(ctx context.Context, files []Attachment) (map[uuid.UUID]bool, error) {
	p := access.FromContext(ctx)
	may := make(map[uuid.UUID]bool, len(files))
	var others []uuid.UUID
	for _, a := range files {
		if p == nil || a.UploadedBy == p.UserID {
			may[a.ID] = true
		} else {
			others = append(others, a.UploadedBy)
		}
	}
	if len(others) == 0 || (len(p.HeadOf) == 0 && len(p.LiaisonOf) == 0) {
		return may, nil
	}
	var uploaders []struct {
		ID        uuid.UUID
		OrgUnitID uuid.UUID
	}
	if err := s.db.Conn(ctx).Table("users").Select("id, org_unit_id").Where("id IN ?", others).Find(&uploaders).Error; err != nil {
		return nil, fmt.Errorf("load uploaders: %w", err)
	}
	unitOf := make(map[uuid.UUID]uuid.UUID, len(uploaders))
	for _, u := range uploaders {
		unitOf[u.ID] = u.OrgUnitID
	}
	for _, a := range files {
		if unit, ok := unitOf[a.UploadedBy]; ok && p.IsHeadOrLiaison(unit) {
			may[a.ID] = true
		}
	}
	return may, nil
}
