package database

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestUUIDEncodesInBinary: with the wrapper a uuid.UUID (and a pointer to one)
// encodes straight to the 16 bytes of PostgreSQL's binary uuid; without it pgx
// goes through driver.Valuer: the text form, a failed binary encoding of that
// string (an error built with fmt.Errorf), a text scan, and only then the bytes.
func TestUUIDEncodesInBinary(t *testing.T) {
	t.Parallel()
	id := uuid.New()
	plain := pgtype.NewMap()
	if p := plain.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id); fmt.Sprintf("%T", p) != "*pgtype.encodePlanDriverValuer" {
		t.Logf("pgx plans uuid.UUID as %T by itself now; the wrapper may no longer be needed", p)
	}
	m := pgtype.NewMap()
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapUUID}, m.TryWrapEncodePlanFuncs...)
	if p := m.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id); fmt.Sprintf("%T", p) != "*database.wrapUUIDPlan" {
		t.Errorf("plan %T", p)
	}
	for _, v := range []any{id, &id} {
		buf, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, v, nil)
		if err != nil || string(buf) != string(id[:]) {
			t.Errorf("%T: %x, %v", v, buf, err)
		}
	}
	var none *uuid.UUID
	if buf, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, none, nil); err != nil || buf != nil {
		t.Errorf("nil: %x, %v", buf, err)
	}
}
