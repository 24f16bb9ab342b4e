package items

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// Codes (督办编号) are given at issue, one gapless sequence per scope and year:
//
//	group scope:       DB-2026-0001
//	enterprise scope:  DB-<short>-2026-0001
//
// <short> is the enterprise unit's short_name (e.g. "华东", spaces and hyphens
// removed, at most 20 characters), or "E" and the first six hex digits of its id
// when it has none. The year is the issue date's year in the company time zone.
//
// The number comes from item_code_sequences in the issuing transaction: a single
// upsert that increments and returns the counter. On PostgreSQL the row lock it takes
// queues concurrent issues of the same scope until the first commits; on SQLite the
// transaction already holds the database's write lock. A rolled-back issue rolls the
// counter back with it, so numbers have no gaps and never repeat.

// CodePrefix is the fixed start of every code.
const CodePrefix = "DB"

// nextNumber increments and returns the counter of the scope and year.
func (s *Service) nextNumber(ctx context.Context, scopeID uuid.UUID, year int) (int, error) {
	var n int
	err := s.db.Conn(ctx).Raw(`INSERT INTO item_code_sequences (scope_id, year, last_number) VALUES (?, ?, 1)
		ON CONFLICT (scope_id, year) DO UPDATE SET last_number = item_code_sequences.last_number + 1
		RETURNING last_number`, scopeID, year).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("next code number: %w", err)
	}
	if n < 1 {
		return 0, fmt.Errorf("next code number: got %d", n)
	}
	return n, nil
}

// scopePrefix is the code prefix of a scope: "DB" for the group, "DB-<short>" for an
// enterprise.
func (s *Service) scopePrefix(ctx context.Context, scopeID uuid.UUID) (string, error) {
	var u struct {
		Kind      string
		ShortName string
	}
	if err := s.db.Conn(ctx).Table("org_units").Select("kind, short_name").Where("id = ?", scopeID).Take(&u).Error; err != nil {
		return "", fmt.Errorf("read scope unit: %w", err)
	}
	if u.Kind == "group" {
		return CodePrefix, nil
	}
	return CodePrefix + "-" + shortCode(u.ShortName, scopeID), nil
}

func shortCode(short string, id uuid.UUID) string {
	var b strings.Builder
	n := 0
	for _, r := range short {
		if unicode.IsSpace(r) || r == '-' || !unicode.IsPrint(r) {
			continue
		}
		if n == 20 {
			break
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "E" + strings.ToUpper(strings.ReplaceAll(id.String(), "-", "")[:6])
	}
	return b.String()
}

// nextCode gives out the next code of the scope for the year.
func (s *Service) nextCode(ctx context.Context, scopeID uuid.UUID, year int) (string, error) {
	prefix, err := s.scopePrefix(ctx, scopeID)
	if err != nil {
		return "", err
	}
	n, err := s.nextNumber(ctx, scopeID, year)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%04d-%04d", prefix, year, n), nil
}
