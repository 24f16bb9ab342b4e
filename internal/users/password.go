package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 passes, 1 lane),
// about 30 ms on one core here. The cost is a setting (DUBAN_PASSWORD_HASH_MEMORY,
// DUBAN_PASSWORD_HASH_TIME) that may be raised but never lowered below this outside
// tests; SetHashCost applies it.
const (
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// HashCost is the argon2id cost of new hashes. Verifying reads the cost from the
// stored hash, so changing it leaves existing passwords working.
type HashCost struct {
	Time      uint32
	MemoryKiB uint32
}

// DefaultHashCost is the production cost and the minimum outside tests.
var DefaultHashCost = HashCost{Time: 2, MemoryKiB: 19 * 1024}

// TestHashCost is the cheap cost tests run with (argon2's smallest memory), so that
// the suite does not spend its time hashing.
var TestHashCost = HashCost{Time: 1, MemoryKiB: 64}

// hashState is the process-wide cost and the dummy hash made with it.
type hashState struct {
	cost  HashCost
	dummy string
}

var current atomic.Pointer[hashState]

func init() { SetHashCost(DefaultHashCost) }

// SetHashCost sets the cost of new hashes (and of the dummy check that makes an
// unknown username cost as much as a wrong password). The application sets it once
// from the configuration at start; config refuses a cost below DefaultHashCost.
func SetHashCost(c HashCost) {
	if c.Time == 0 || c.MemoryKiB < 8*argonThreads {
		c = DefaultHashCost
	}
	if st := current.Load(); st != nil && st.cost == c {
		return
	}
	dummy, _ := HashPasswordWith("duban-timing-equaliser", c)
	current.Store(&hashState{cost: c, dummy: dummy})
}

// CurrentHashCost is the cost of new hashes.
func CurrentHashCost() HashCost { return current.Load().cost }

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// HashPassword returns an encoded argon2id hash ($argon2id$v=19$m=..,t=..,p=..$salt$key)
// at the configured cost.
func HashPassword(password string) (string, error) {
	return HashPasswordWith(password, current.Load().cost)
}

// HashPasswordWith hashes at the given cost.
func HashPasswordWith(password string, c HashCost) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, c.Time, c.MemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB, c.Time, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash. An empty hash
// is an account without a local password (imported, or made by single sign-on): no
// password matches it, at the cost of a real check so that timing tells nothing.
func VerifyPassword(encoded, password string) (bool, error) {
	if encoded == "" {
		BurnPasswordCheck(password)
		return false, nil
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	var mem uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, fmt.Errorf("argon2 parameters: %w", err)
	}
	// A stored hash is trusted data, but a corrupt one must not make a login
	// allocate gigabytes.
	if mem > 4<<20 || t > 100 || p == 0 || p > 16 {
		return false, errors.New("argon2 parameters out of range")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("argon2 key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// BurnPasswordCheck spends the time (and memory) of one password verification at
// the current cost.
func BurnPasswordCheck(password string) { _, _ = VerifyPassword(current.Load().dummy, password) }
