package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Storage backends for attachments.
const (
	StorageLocal = "local"
	StorageS3    = "s3"
)

// Download modes of the S3 backend.
const (
	// S3DownloadStream sends the file through Duban (the default): the response
	// carries all of Duban's headers and the bucket needs no public endpoint.
	S3DownloadStream = "stream"
	// S3DownloadRedirect answers 302 to a short-lived presigned URL of the bucket.
	S3DownloadRedirect = "redirect"
)

// StorageConfig says where attachment contents are kept: the local data directory
// (the default) or a bucket of an S3-compatible object store. The S3 settings are
// also what `duban storage migrate` copies to and from.
type StorageConfig struct {
	// Kind is local or s3.
	Kind string `env:"DUBAN_STORAGE" envDefault:"local"`
	// S3Endpoint is the object store's URL, e.g. https://s3.cn-north-1.amazonaws.com.cn
	// or http://minio:9000; the scheme decides TLS.
	S3Endpoint string `env:"DUBAN_S3_ENDPOINT"`
	S3Bucket   string `env:"DUBAN_S3_BUCKET"`
	S3Region   string `env:"DUBAN_S3_REGION" envDefault:"us-east-1"`
	// S3AccessKeyID and S3SecretAccessKey are the credentials; both empty means the
	// standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables of the process.
	S3AccessKeyID     string `env:"DUBAN_S3_ACCESS_KEY_ID"`
	S3SecretAccessKey string `env:"DUBAN_S3_SECRET_ACCESS_KEY"`
	// S3Prefix is put before every object key (e.g. "duban/"), to share a bucket.
	S3Prefix string `env:"DUBAN_S3_PREFIX"`
	// S3PathStyle addresses the bucket in the path (http://host/bucket/key), as
	// MinIO and most self-hosted stores want; false uses bucket.host when the
	// endpoint supports it.
	S3PathStyle bool `env:"DUBAN_S3_PATH_STYLE" envDefault:"true"`
	// S3Download is stream or redirect.
	S3Download string `env:"DUBAN_S3_DOWNLOAD" envDefault:"stream"`
	// S3PresignTTL is how long a redirect's presigned URL stays valid.
	S3PresignTTL time.Duration `env:"DUBAN_S3_PRESIGN_TTL" envDefault:"5m"`
}

// S3Configured reports whether the S3 settings name a bucket (they may be set
// without DUBAN_STORAGE=s3, for `duban storage migrate`).
func (s StorageConfig) S3Configured() bool { return s.S3Endpoint != "" && s.S3Bucket != "" }

func (s *StorageConfig) validate() []error {
	var errs []error
	switch s.Kind {
	case StorageLocal:
	case StorageS3:
		if s.S3Endpoint == "" || s.S3Bucket == "" {
			errs = append(errs, errors.New("DUBAN_STORAGE=s3 needs DUBAN_S3_ENDPOINT and DUBAN_S3_BUCKET"))
		}
	default:
		errs = append(errs, fmt.Errorf("DUBAN_STORAGE %q must be local or s3", s.Kind))
	}
	if s.S3Endpoint != "" {
		if u, err := url.Parse(s.S3Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			strings.Trim(u.Path, "/") != "" {
			errs = append(errs, fmt.Errorf("DUBAN_S3_ENDPOINT %q must be a URL like https://s3.example.com or http://minio:9000 (no path)", s.S3Endpoint))
		}
	}
	if (s.S3AccessKeyID == "") != (s.S3SecretAccessKey == "") {
		errs = append(errs, errors.New("DUBAN_S3_ACCESS_KEY_ID and DUBAN_S3_SECRET_ACCESS_KEY go together: set both or neither"))
	}
	if strings.HasPrefix(s.S3Prefix, "/") || strings.Contains(s.S3Prefix, "..") {
		errs = append(errs, fmt.Errorf("DUBAN_S3_PREFIX %q must be relative, like duban/", s.S3Prefix))
	}
	switch s.S3Download {
	case S3DownloadStream, S3DownloadRedirect:
	default:
		errs = append(errs, fmt.Errorf("DUBAN_S3_DOWNLOAD %q must be stream or redirect", s.S3Download))
	}
	if s.S3PresignTTL < 10*time.Second || s.S3PresignTTL > time.Hour {
		errs = append(errs, errors.New("DUBAN_S3_PRESIGN_TTL must be between 10s and 1h"))
	}
	return errs
}
