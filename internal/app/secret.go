package app

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/duban/duban/internal/config"
)

// errJWTSecretRequired stops a PostgreSQL start without DUBAN_JWT_SECRET: each
// process would otherwise generate its own key, and a token issued by one would be
// refused by the others (and by the same process after a restart on a new machine).
var errJWTSecretRequired = errors.New("DUBAN_JWT_SECRET is required with PostgreSQL (DUBAN_DATABASE_URL): " +
	"every process sharing the database must sign with the same key; generate one with `openssl rand -base64 48`")

// jwtKeys returns the signing secret and the previous secrets still accepted.
func jwtKeys(cfg config.Config, postgres bool) ([]byte, [][]byte, error) {
	secret, err := jwtSecret(cfg, postgres)
	if err != nil {
		return nil, nil, err
	}
	var previous [][]byte
	for _, p := range cfg.JWTPreviousSecrets {
		if p = strings.TrimSpace(p); p != "" && p != string(secret) {
			previous = append(previous, []byte(p))
		}
	}
	return secret, previous, nil
}

// jwtSecret returns DUBAN_JWT_SECRET. Only for the embedded database (one process)
// may it be left empty: the secret is then kept in the data directory, generated on
// first start so tokens survive restarts without configuration.
func jwtSecret(cfg config.Config, postgres bool) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	if postgres {
		return nil, errJWTSecretRequired
	}
	return secretFile(cfg, "jwt.secret")
}

// secretFile returns the secret kept in the data directory under name, generating
// it (48 random bytes, base64) when the file does not exist yet.
func secretFile(cfg config.Config, name string) ([]byte, error) {
	path := filepath.Join(cfg.DataDir, name)
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("generate %s: %w", name, err)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return []byte(secret), nil
}
