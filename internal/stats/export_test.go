package stats

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// RebuildInBatches makes the rebuilds of s recount n items per transaction and
// run between(ctx) after each batch.
func (s *Service) RebuildInBatches(n int, between func(context.Context)) {
	s.batch, s.afterBatch = n, between
}

// RollupBasis is the basis the rollup was last built with, "" when unbuilt.
func (s *Service) RollupBasis(ctx context.Context) (stored, current string, err error) {
	conn := s.db.Conn(ctx)
	if current, err = s.basis(conn); err != nil {
		return "", "", err
	}
	stored, err = storedBasis(conn)
	return stored, current, err
}

// RollupRows is the rollup as stored, its rows with something in them, by key.
func (s *Service) RollupRows(ctx context.Context) (map[string][nVals]int64, error) {
	var rows []map[string]any
	if err := s.db.Conn(ctx).Table("stats_rollup").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string][nVals]int64{}
	for _, r := range rows {
		var v rvals
		for i, c := range rollupCols {
			v[i] = toInt(r[c])
		}
		if !v.zero() {
			out[fmt.Sprintf("%v|%v|%v|%v|%v|%v", r["scope_id"], r["month"], r["role"], r["unit_id"], r["source"], r["category"])] = v
		}
	}
	return out, nil
}

// Recount is the rollup counted afresh from the items, as Rebuild would write it.
func (s *Service) Recount(ctx context.Context) (map[string][nVals]int64, error) {
	cal, err := s.cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	conn := s.db.Conn(ctx)
	var ids []uuid.UUID
	if err := conn.Raw(`SELECT id FROM items WHERE issued_at IS NOT NULL`).Scan(&ids).Error; err != nil {
		return nil, err
	}
	fs, err := s.loadFacts(conn, cal, ids)
	if err != nil {
		return nil, err
	}
	total := map[rkey]rvals{}
	for _, f := range fs {
		for k, v := range f.rows() {
			t := total[k]
			for i := range v {
				t[i] += v[i]
			}
			total[k] = t
		}
	}
	out := map[string][nVals]int64{}
	for k, v := range total {
		if !v.zero() {
			out[fmt.Sprintf("%v|%v|%v|%v|%v|%v", k.Scope, k.Month, k.Role, k.Unit, k.Source, k.Category)] = v
		}
	}
	return out, nil
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}

// NVals is how many counters a row of the rollup holds.
const NVals = nVals
