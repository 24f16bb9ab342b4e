package attachments

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// DownloadHeaders are the headers a download carries wherever it is served from.
type DownloadHeaders struct {
	ContentType        string
	ContentDisposition string
	CacheControl       string
}

// Presigner is a Storage that can hand a download to the client directly: a
// short-lived URL whose response carries DownloadHeaders. Redirects says whether it
// is configured to (S3Storage streams through Duban unless told to redirect).
type Presigner interface {
	Redirects() bool
	PresignDownload(ctx context.Context, key string, h DownloadHeaders) (string, error)
}

// Headers are the download headers of an attachment.
func (a *Attachment) Headers() DownloadHeaders {
	return DownloadHeaders{ContentType: a.ContentType, ContentDisposition: ContentDisposition(a.Filename), CacheControl: "private, no-store"}
}

// DownloadURL returns where the caller may fetch an attachment directly, or "" when
// the content is streamed through Duban (Open). Visibility is checked first: an
// attachment the caller may not see is 404 here as in Open.
func (s *Service) DownloadURL(ctx context.Context, p *access.Principal, id uuid.UUID) (string, error) {
	ps, ok := s.store.(Presigner)
	if !ok || !ps.Redirects() {
		return "", nil
	}
	a, err := s.Get(ctx, p, id)
	if err != nil {
		return "", err
	}
	u, err := ps.PresignDownload(ctx, a.StorageKey, a.Headers())
	if err != nil {
		return "", fmt.Errorf("attachment %s: %w", a.ID, err)
	}
	return u, nil
}
