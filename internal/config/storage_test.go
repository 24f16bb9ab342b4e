package config

import (
	"strings"
	"testing"
	"time"
)

func TestStorageAndKeySettings(t *testing.T) {
	t.Parallel()
	s3 := map[string]string{"DUBAN_STORAGE": "s3", "DUBAN_S3_ENDPOINT": "https://s3.example.com", "DUBAN_S3_BUCKET": "files",
		"DUBAN_S3_ACCESS_KEY_ID": "k", "DUBAN_S3_SECRET_ACCESS_KEY": "s"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	c, err := LoadFrom(map[string]string{})
	if err != nil || c.Storage.Kind != StorageLocal || c.Storage.S3Download != S3DownloadStream || c.Storage.S3PresignTTL != 5*time.Minute || !c.Storage.S3PathStyle {
		t.Fatalf("defaults: %+v %v", c.Storage, err)
	}
	c, err = LoadFrom(with(s3, "DUBAN_JWT_PREVIOUS_SECRETS", strings.Repeat("a", 32)+","+strings.Repeat("b", 40)))
	if err != nil || len(c.JWTPreviousSecrets) != 2 || !c.Storage.S3Configured() {
		t.Fatalf("valid: %+v %v", c, err)
	}
	bad := map[string]map[string]string{
		"DUBAN_STORAGE":              {"DUBAN_STORAGE": "ftp"},
		"DUBAN_S3_ENDPOINT and":      with(s3, "DUBAN_S3_BUCKET", ""),
		"DUBAN_S3_ENDPOINT \"s3.":    with(s3, "DUBAN_S3_ENDPOINT", "s3.example.com"),
		"DUBAN_S3_ENDPOINT \"https:": with(s3, "DUBAN_S3_ENDPOINT", "https://s3.example.com/bucket"),
		"go together":                with(s3, "DUBAN_S3_SECRET_ACCESS_KEY", ""),
		"DUBAN_S3_PREFIX":            with(s3, "DUBAN_S3_PREFIX", "/abs"),
		"DUBAN_S3_DOWNLOAD":          with(s3, "DUBAN_S3_DOWNLOAD", "teleport"),
		"DUBAN_S3_PRESIGN_TTL":       with(s3, "DUBAN_S3_PRESIGN_TTL", "24h"),
		"DUBAN_JWT_PREVIOUS_SECRETS": {"DUBAN_JWT_PREVIOUS_SECRETS": "short"},
	}
	for want, env := range bad {
		if _, err := LoadFrom(env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want one naming %s", env, err, want)
		}
	}
}
