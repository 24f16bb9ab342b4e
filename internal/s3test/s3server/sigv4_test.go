package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// A presigned URL is accepted until it expires, and refused when anything in it is
// changed. (Header-signed and streaming requests are checked by the storage tests
// in internal/attachments, which talk to this server as a process.)
func TestPresignedURLExpires(t *testing.T) {
	t.Parallel()
	v := verifier{access: "k", secret: "secret-secret", region: "cn-east-1"}
	c, err := minio.New("127.0.0.1:9", &minio.Options{Creds: credentials.NewStaticV4(v.access, v.secret, ""), Region: v.region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	signedAt := time.Now().UTC()
	u, err := c.PresignedGetObject(context.Background(), "files", "2026/03/a b", 5*time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := func(raw string) *http.Request {
		r, err := http.NewRequest("GET", raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := v.check(req(u.String()), signedAt.Add(4*time.Minute)); err != nil {
		t.Fatalf("fresh URL refused: %v", err.msg)
	}
	if _, err := v.check(req(u.String()), signedAt.Add(6*time.Minute)); err == nil || err.msg != "Request has expired" {
		t.Fatalf("expired URL: %v", err)
	}
	other := *u
	other.Path = "/files/2026/03/other"
	if _, err := v.check(req(other.String()), signedAt); err == nil || err.code != "SignatureDoesNotMatch" {
		t.Fatalf("URL for another key: %v", err)
	}
	wrong := verifier{access: "k", secret: "another", region: "cn-east-1"}
	if _, err := wrong.check(req(u.String()), signedAt); err == nil {
		t.Fatal("URL signed with another secret accepted")
	}
}
