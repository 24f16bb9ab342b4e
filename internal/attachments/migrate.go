package attachments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/duban/duban/internal/database"
)

// MigrateOptions tune MigrateContents.
type MigrateOptions struct {
	// DeleteSource removes each file from the source once its copy is verified.
	DeleteSource bool
	// Progress, when set, is told of each file done (of total).
	Progress func(done, total int, key string, outcome string)
}

// MigrateReport counts what MigrateContents did.
type MigrateReport struct {
	Total, Copied, Present int
	// Failures names each file that was not copied, and why; the run goes on.
	Failures []string
}

// Outcomes given to MigrateOptions.Progress.
const (
	OutcomeCopied  = "copied"
	OutcomePresent = "present"
	OutcomeFailed  = "failed"
)

// MigrateContents copies the content of every attachment from src to dst (local disk
// to S3 or back). Each file's sha256 is checked twice against the one recorded at
// upload: while it is read from src (a damaged source is not copied) and by reading
// the stored copy back from dst. A file already in dst with the right checksum is
// left as it is, so the command can be run again after an interruption.
func MigrateContents(ctx context.Context, db *database.DB, src, dst Storage, opts MigrateOptions) (MigrateReport, error) {
	var rows []Attachment
	if err := db.Conn(ctx).Select("id", "storage_key", "sha256", "size").Order("id").Find(&rows).Error; err != nil {
		return MigrateReport{}, fmt.Errorf("list attachments: %w", err)
	}
	rep := MigrateReport{Total: len(rows)}
	for i, a := range rows {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		outcome, err := migrateOne(ctx, src, dst, &a)
		if err == nil && opts.DeleteSource {
			if derr := src.Delete(ctx, a.StorageKey); derr != nil {
				err = fmt.Errorf("copied, but deleting the source failed: %w", derr)
			}
		}
		switch {
		case err != nil:
			outcome = OutcomeFailed
			rep.Failures = append(rep.Failures, fmt.Sprintf("%s (%s): %v", a.ID, a.StorageKey, err))
		case outcome == OutcomePresent:
			rep.Present++
		default:
			rep.Copied++
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(rows), a.StorageKey, outcome)
		}
	}
	return rep, nil
}

func migrateOne(ctx context.Context, src, dst Storage, a *Attachment) (string, error) {
	if sum, err := storedSum(ctx, dst, a.StorageKey); err == nil && sum == a.SHA256 {
		return OutcomePresent, nil
	}
	rc, err := src.Open(ctx, a.StorageKey)
	if err != nil {
		if errors.Is(err, ErrNotStored) {
			return "", errors.New("missing at the source")
		}
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if err := dst.Put(ctx, a.StorageKey, io.TeeReader(rc, h)); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != a.SHA256 {
		_ = dst.Delete(context.WithoutCancel(ctx), a.StorageKey)
		return "", fmt.Errorf("the source is damaged: sha256 %s, recorded %s (not copied)", got, a.SHA256)
	}
	sum, err := storedSum(ctx, dst, a.StorageKey)
	if err != nil {
		return "", fmt.Errorf("read back: %w", err)
	}
	if sum != a.SHA256 {
		_ = dst.Delete(context.WithoutCancel(ctx), a.StorageKey)
		return "", fmt.Errorf("the copy reads back with sha256 %s, recorded %s (removed)", sum, a.SHA256)
	}
	return OutcomeCopied, nil
}

func storedSum(ctx context.Context, s Storage, key string) (string, error) {
	rc, err := s.Open(ctx, key)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
