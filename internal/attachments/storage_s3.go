package attachments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configure an S3Storage (config.StorageConfig, resolved).
type S3Options struct {
	// Endpoint is the store's URL; https selects TLS.
	Endpoint string
	Bucket   string
	Region   string
	// AccessKeyID and SecretAccessKey; both empty reads AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) from the process environment.
	AccessKeyID, SecretAccessKey string
	// Prefix goes before every key.
	Prefix    string
	PathStyle bool
	// Redirect makes downloads a redirect to a presigned URL valid for PresignTTL.
	Redirect   bool
	PresignTTL time.Duration
	// Transport, when set, carries the requests (tests; nil is Go's default).
	Transport http.RoundTripper
}

// S3Storage keeps files as objects of a bucket in an S3-compatible store.
type S3Storage struct {
	client *minio.Client
	opts   S3Options
}

// s3PartSize is the part of an upload held in memory at a time: files up to it go
// up in one PUT, larger ones as a multipart upload of parts this size, so that an
// upload of unknown length never needs more memory than one part (S3's minimum).
const s3PartSize = 5 << 20

// NewS3Storage connects to the store and checks that the bucket exists, so that a
// wrong endpoint, bucket or credential stops the start rather than the first upload.
func NewS3Storage(ctx context.Context, o S3Options) (*S3Storage, error) {
	u, err := url.Parse(o.Endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("S3 endpoint %q is not a URL", o.Endpoint)
	}
	creds := credentials.NewStaticV4(o.AccessKeyID, o.SecretAccessKey, "")
	if o.AccessKeyID == "" {
		creds = credentials.NewEnvAWS()
	}
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds: creds, Secure: u.Scheme == "https", Region: o.Region, BucketLookup: lookup, Transport: o.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 client: %w", err)
	}
	if o.PresignTTL <= 0 {
		o.PresignTTL = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, o.Bucket)
	if err != nil {
		return nil, fmt.Errorf("S3 bucket %q at %s: %w", o.Bucket, o.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("S3 bucket %q does not exist at %s: create it first", o.Bucket, o.Endpoint)
	}
	return &S3Storage{client: client, opts: o}, nil
}

func (s *S3Storage) object(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") {
		return "", fmt.Errorf("invalid storage key %q", key)
	}
	return path.Join(s.opts.Prefix, key), nil
}

// Put streams r into the object. A failed read (the upload limit, a client gone)
// aborts the upload, so no partial object is left under the key.
func (s *S3Storage) Put(ctx context.Context, key string, r io.Reader) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	_, err = s.client.PutObject(ctx, s.opts.Bucket, name, s3Reader{r}, -1, minio.PutObjectOptions{
		PartSize: s3PartSize, ContentType: "application/octet-stream",
	})
	if err != nil {
		// The reader's own error (errTooLarge) must reach the service unchanged.
		var re readError
		if errors.As(err, &re) {
			return re.err
		}
		return fmt.Errorf("put object %s: %w", name, err)
	}
	return nil
}

// Open streams the object; a missing one is ErrNotStored.
func (s *S3Storage) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.opts.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.notFound(err, name)
	}
	// GetObject is lazy: Stat makes the request and tells a missing object.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, s.notFound(err, name)
	}
	return obj, nil
}

// Delete removes the object; a missing one is not an error (S3 answers 204 too).
func (s *S3Storage) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.opts.Bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s.notFound(err, name)
	}
	return nil
}

// Redirects reports whether downloads go to presigned URLs (DUBAN_S3_DOWNLOAD).
func (s *S3Storage) Redirects() bool { return s.opts.Redirect }

// PresignDownload returns a URL of the object valid for PresignTTL whose response
// carries the given headers (S3's response-* overrides).
func (s *S3Storage) PresignDownload(ctx context.Context, key string, h DownloadHeaders) (string, error) {
	name, err := s.object(key)
	if err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("response-content-type", h.ContentType)
	q.Set("response-content-disposition", h.ContentDisposition)
	q.Set("response-cache-control", h.CacheControl)
	u, err := s.client.PresignedGetObject(ctx, s.opts.Bucket, name, s.opts.PresignTTL, q)
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", name, err)
	}
	return u.String(), nil
}

func (s *S3Storage) notFound(err error, name string) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return ErrNotStored
	}
	return fmt.Errorf("object %s: %w", name, err)
}

// s3Reader tags the errors of the reader being uploaded, so that Put can tell them
// from the store's.
type s3Reader struct{ r io.Reader }

func (t s3Reader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}

// readError marks an error of the reader being uploaded (see s3Reader).
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }
