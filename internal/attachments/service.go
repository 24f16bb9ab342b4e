package attachments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// Service uploads, describes and serves attachments.
type Service struct {
	db      *database.DB
	store   Storage
	items   ItemAccess
	MaxSize int64
	// filters by owner type; set while wiring, read-only once serving.
	filters map[string]OwnerFilter
	// quotas bound uploads per user and item (quota.go).
	quotas Quotas
}

// NewService returns the attachment service.
func NewService(db *database.DB, store Storage, items ItemAccess, maxSize int64) *Service {
	return &Service{db: db, store: store, items: items, MaxSize: maxSize}
}

// Upload stores one file for an item. The type is detected from the content; nothing
// is stored when the caller may not attach, the type is refused or the file is too
// large.
func (s *Service) Upload(ctx context.Context, p *access.Principal, itemID uuid.UUID, filename string, r io.Reader) (*Attachment, error) {
	if err := s.items.AttachToItem(ctx, p, itemID); err != nil {
		return nil, err
	}
	head := make([]byte, 3072)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return nil, problem.Field("file", "required", "the file is empty")
	}
	ctype, ok := Detect(head)
	if !ok {
		return nil, problem.UnsupportedMedia(
			fmt.Sprintf("files of type %s are not accepted; send PDF, Office/WPS documents, images or plain text", ctype)).
			With("detected_type", ctype)
	}
	name, err := CheckExtension(CleanFilename(filename), ctype)
	if err != nil {
		return nil, err
	}
	space, err := s.room(ctx, p.UserID, itemID)
	if err != nil {
		return nil, err
	}
	if space.bytes <= 0 {
		return nil, space.err()
	}
	a := &Attachment{
		ID: uuid.Must(uuid.NewV7()), ItemID: itemID, Filename: name,
		ContentType: ctype, UploadedBy: p.UserID, CreatedAt: s.now(),
	}
	a.StorageKey = path.Join(a.CreatedAt.Format("2006/01"), a.ID.String())
	h := sha256.New()
	counter := &countingReader{r: io.MultiReader(bytes.NewReader(head), r), limit: space.bytes}
	if err := s.store.Put(ctx, a.StorageKey, io.TeeReader(counter, h)); err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, space.err()
		}
		return nil, fmt.Errorf("store upload: %w", err)
	}
	a.Size = counter.n
	a.SHA256 = hex.EncodeToString(h.Sum(nil))
	if err := s.record(ctx, a); err != nil {
		_ = s.store.Delete(context.WithoutCancel(ctx), a.StorageKey)
		return nil, err
	}
	return a, nil
}

func (s *Service) tooLarge() error {
	return problem.TooLarge(
		fmt.Sprintf("the file is larger than the limit of %d MB", s.MaxSize>>20)).With("max_bytes", s.MaxSize)
}

// Get returns an attachment the caller may see (404 otherwise): see visibility.go.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*Attachment, error) {
	var a Attachment
	if err := s.db.Conn(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, problem.NotFound("attachment")
		}
		return nil, fmt.Errorf("load attachment: %w", err)
	}
	if err := s.items.ReadItem(ctx, p, a.ItemID); err != nil {
		return nil, problem.NotFound("attachment")
	}
	seen, err := s.visible(ctx, p, a.ItemID, []Attachment{a})
	if err != nil {
		return nil, err
	}
	if len(seen) == 0 {
		return nil, problem.NotFound("attachment")
	}
	return &a, nil
}

// Open returns the content of an attachment the caller may see.
func (s *Service) Open(ctx context.Context, p *access.Principal, id uuid.UUID) (*Attachment, io.ReadCloser, error) {
	a, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.store.Open(ctx, a.StorageKey)
	if err != nil {
		return nil, nil, fmt.Errorf("open attachment %s: %w", a.ID, err)
	}
	return a, rc, nil
}

// Release hands files owned by (ownerType, ownerID) to the owner type `to`, in the
// transaction of the change that takes them off (the item's own files: they stay
// on record under item_removed). An id the owner does not own answers 422 on field
// and nothing changes.
func (s *Service) Release(ctx context.Context, field string, ids []uuid.UUID, ownerType string, ownerID uuid.UUID, to string) error {
	var found []Attachment
	if err := s.db.Conn(ctx).Where("id IN ? AND owner_type = ? AND owner_id = ?", ids, ownerType, ownerID).Find(&found).Error; err != nil {
		return fmt.Errorf("load attachments: %w", err)
	}
	owned := make(map[uuid.UUID]bool, len(found))
	for _, a := range found {
		owned[a.ID] = true
	}
	for i, id := range ids {
		if !owned[id] {
			return problem.Field(fmt.Sprintf("%s[%d]", field, i), "owned", "the file is not one of this item's own files")
		}
	}
	res := s.db.Conn(ctx).Model(&Attachment{}).Where("id IN ? AND owner_type = ? AND owner_id = ?", ids, ownerType, ownerID).
		Update("owner_type", to)
	if res.Error != nil {
		return fmt.Errorf("release attachments: %w", res.Error)
	}
	if res.RowsAffected != int64(len(owned)) {
		return problem.Conflict(problem.CodeConflict, "an attachment was changed concurrently; retry")
	}
	return nil
}

// Claim links uploaded files to the resource that cites them (a feedback, a
// completion request, ...). Every id must name a file of the same item that nothing
// has claimed yet, uploaded by the acting user (the principal of ctx) or by a
// member of a unit they head or liaise for; otherwise a 422 on field names the bad
// id and nothing changes. Call it inside the transaction that creates the owner.
func (s *Service) Claim(ctx context.Context, field string, ids []uuid.UUID, itemID uuid.UUID, ownerType string, ownerID uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	var found []Attachment
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&found).Error; err != nil {
		return fmt.Errorf("load attachments: %w", err)
	}
	byID := make(map[uuid.UUID]Attachment, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	may, err := s.mayLink(ctx, found)
	if err != nil {
		return err
	}
	for i, id := range ids {
		a, ok := byID[id]
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !ok:
			return problem.Field(f, "exists", "no such attachment")
		case a.ItemID != itemID:
			return problem.Field(f, "same_item", "the attachment belongs to another item")
		case a.OwnerType != "":
			return problem.Field(f, "unclaimed", "the attachment is already attached elsewhere")
		case !may[a.ID]:
			return problem.Field(f, "uploader", "only the person who uploaded the file, or the head or liaison of their unit, may attach it")
		}
	}
	res := s.db.Conn(ctx).Model(&Attachment{}).Where("id IN ? AND owner_type = ''", ids).
		Updates(map[string]any{"owner_type": ownerType, "owner_id": ownerID})
	if res.Error != nil {
		return fmt.Errorf("claim attachments: %w", res.Error)
	}
	if res.RowsAffected != int64(len(byID)) {
		return problem.Conflict(problem.CodeConflict, "an attachment was claimed concurrently; retry")
	}
	return nil
}

// ListFor returns the attachments linked to an owner.
func (s *Service) ListFor(ctx context.Context, ownerType string, ownerIDs []uuid.UUID) ([]Attachment, error) {
	var out []Attachment
	if len(ownerIDs) == 0 {
		return out, nil
	}
	err := s.db.Conn(ctx).Where("owner_type = ? AND owner_id IN ?", ownerType, ownerIDs).Order("created_at").Find(&out).Error
	return out, err
}

// CleanFilename keeps the last path element of a client's filename, without control
// characters and without the invisible format characters (bidirectional overrides
// such as U+202E, which show "invoice\u202efdp.bat" as "invoicetab.pdf", zero-width
// characters), at most 200 characters; it is only ever shown, never used as a path.
func CleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for utf8.RuneCountInString(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

var errTooLarge = errors.New("upload exceeds the size limit")

type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.limit > 0 && c.n > c.limit {
		return n, errTooLarge
	}
	return n, err
}
