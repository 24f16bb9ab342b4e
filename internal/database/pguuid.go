package database

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// Every uuid.UUID parameter used to fail pgx's binary encoding first (uuid.UUID
// is neither pgx's UUIDValuer nor, being a driver.Valuer, unwrapped to its
// [16]byte), building an error with fmt.Errorf before falling back to the text
// format: about 15 % of the CPU of a write in profiles (issue 16). This teaches
// each connection's type map to send uuid.UUID as the 16 bytes it is.

// registerUUID is run on every new PostgreSQL connection.
var registerUUID = stdlib.OptionAfterConnect(func(_ context.Context, conn *pgx.Conn) error {
	m := conn.TypeMap()
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapUUID}, m.TryWrapEncodePlanFuncs...)
	return nil
})

// pgUUID is a uuid.UUID as pgx's UUIDValuer.
type pgUUID uuid.UUID

func (u pgUUID) UUIDValue() (pgtype.UUID, error) { return pgtype.UUID{Bytes: u, Valid: true}, nil }

type wrapUUIDPlan struct{ next pgtype.EncodePlan }

func (p *wrapUUIDPlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *wrapUUIDPlan) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(pgUUID(value.(uuid.UUID)), buf)
}

func tryWrapUUID(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	if u, ok := value.(uuid.UUID); ok {
		return &wrapUUIDPlan{}, pgUUID(u), true
	}
	return nil, nil, false
}
