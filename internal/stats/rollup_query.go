package stats

import "strings"

// rollupSums are the rollup's counters summed, in rollupCols' order.
func rollupSums() string {
	out := make([]string, len(rollupCols))
	for i, c := range rollupCols {
		out[i] = "SUM(items." + c + ")"
	}
	return strings.Join(out, ", ")
}

// monthRange selects the rollup's months of the period (whole months: wholeMonths).
func (c *qctx) monthRange() cond {
	return cond{"items.month >= ? AND items.month <= ?", []any{c.q.Period.From.String()[:7], c.q.Period.To.String()[:7]}}
}

// rollupFigures reads the figures of a period of the whole scope from the rollup
// (the table is aliased items so that the scope branch and the source, category
// and scope filters apply as they are). For a unit grouping, the item figures come
// from the lead and cooperating rows and the follow-ups from the unit rows; for the
// overview, everything from the item rows, the follow-ups under "" as the live
// queries put them (the split by source and category counts items only).
func (c *qctx) rollupFigures(g grouping, out map[string]*Figures) query {
	roles := []string{roleItem}
	sel := keyOf(g, plain) + ", items.role"
	if g == groupUnit {
		roles = []string{roleLead, roleCoop, roleUnit}
		sel = "CAST(items.unit_id AS TEXT), items.role"
	}
	return query{sel: sel + ", " + rollupSums(), from: "stats_rollup items", scopeOnly: true,
		where: and(cond{"items.role IN ?", []any{roles}}, c.monthRange()), group: "1, 2",
		scan: func(r scanner) error {
			var (
				k    *string
				role string
				v    rvals
			)
			dst := []any{&k, &role}
			for i := range v {
				dst = append(dst, &v[i])
			}
			if err := r.Scan(dst...); err != nil {
				return err
			}
			key := deref(k)
			if v[vAssigned] != 0 || v[vClosed] != 0 {
				f := get(out, key)
				f.Assigned += v[vAssigned]
				f.Closed += v[vClosed]
				f.ClosedOnTime += v[vOnTime]
				f.closeDays += v[vWorkdays]
				switch role {
				case roleLead:
					c.leadAssigned[key] += v[vAssigned]
				case roleCoop:
					c.coopAssigned[key] += v[vAssigned]
				}
			}
			if v[vExtRequested] != 0 || v[vUrgesManual] != 0 || v[vUrgesAuto] != 0 || v[vVerifyFailed] != 0 {
				if g != groupUnit {
					key = ""
				}
				f := get(out, key)
				f.ExtensionsRequested += v[vExtRequested]
				f.ExtensionsGranted += v[vExtGranted]
				f.UrgesManual += v[vUrgesManual]
				f.UrgesAuto += v[vUrgesAuto]
				f.VerificationFailures += v[vVerifyFailed]
			}
			return nil
		}}
}

// rollupMonths reads the trend of the whole scope from the rollup's item rows.
func (c *qctx) rollupMonths(at func(string) *Month) query {
	return query{sel: "items.month, SUM(items.assigned), SUM(items.closed), SUM(items.closed_on_time)", from: "stats_rollup items",
		scopeOnly: true, where: and(cond{"items.role = ?", []any{roleItem}}, c.monthRange()), group: "1",
		scan: func(r scanner) error {
			var (
				k         string
				n, cl, ot int64
			)
			if err := r.Scan(&k, &n, &cl, &ot); err != nil {
				return err
			}
			if n != 0 || cl != 0 {
				m := at(k)
				m.Assigned += n
				m.Closed += cl
				m.ClosedOnTime += ot
			}
			return nil
		}}
}
