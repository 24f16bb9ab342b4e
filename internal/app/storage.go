package app

import (
	"context"
	"path/filepath"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/config"
)

// NewStorage returns where attachment contents live: the data directory's files/
// (DUBAN_STORAGE=local, the default) or the configured S3 bucket.
func NewStorage(ctx context.Context, cfg config.Config) (attachments.Storage, error) {
	if cfg.Storage.Kind == config.StorageS3 {
		return NewS3Storage(ctx, cfg)
	}
	return LocalStorage(cfg), nil
}

// LocalStorage is the data directory's files/.
func LocalStorage(cfg config.Config) attachments.LocalStorage {
	return attachments.LocalStorage{Dir: filepath.Join(cfg.DataDir, "files")}
}

// NewS3Storage connects to the configured bucket, whatever DUBAN_STORAGE says
// (`duban storage migrate` uses both).
func NewS3Storage(ctx context.Context, cfg config.Config) (*attachments.S3Storage, error) {
	s := cfg.Storage
	return attachments.NewS3Storage(ctx, attachments.S3Options{
		Endpoint: s.S3Endpoint, Bucket: s.S3Bucket, Region: s.S3Region,
		AccessKeyID: s.S3AccessKeyID, SecretAccessKey: s.S3SecretAccessKey,
		Prefix: s.S3Prefix, PathStyle: s.S3PathStyle,
		Redirect: s.S3Download == config.S3DownloadRedirect, PresignTTL: s.S3PresignTTL,
	})
}
