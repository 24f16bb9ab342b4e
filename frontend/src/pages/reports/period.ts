import type { ItemQuery } from '../items/filters'

export type PeriodKind = 'month' | 'quarter' | 'year'

/** A statistics period: its key for the API (2026-11, 2026-Q4, 2026) and its days. */
export interface Period {
  kind: PeriodKind
  key: string
  from: string
  to: string
}

const pad = (n: number) => String(n).padStart(2, '0')

function lastDay(year: number, month: number): string {
  // day 0 of the next month is the month's last day
  const d = new Date(Date.UTC(year, month, 0))
  return `${year}-${pad(month)}-${pad(d.getUTCDate())}`
}

/** The period of the kind that contains the day (YYYY-MM-DD). */
export function periodOf(kind: PeriodKind, day: string): Period {
  const year = Number(day.slice(0, 4))
  const month = Number(day.slice(5, 7))
  if (kind === 'month') return { kind, key: `${year}-${pad(month)}`, from: `${year}-${pad(month)}-01`, to: lastDay(year, month) }
  if (kind === 'quarter') {
    const q = Math.floor((month - 1) / 3) + 1
    return { kind, key: `${year}-Q${q}`, from: `${year}-${pad(3 * q - 2)}-01`, to: lastDay(year, 3 * q) }
  }
  return { kind, key: String(year), from: `${year}-01-01`, to: `${year}-12-31` }
}

/** Reads a period key back (2026-11, 2026-Q4, 2026); undefined when malformed. */
export function parsePeriod(key: string | null | undefined): Period | undefined {
  if (!key) return undefined
  let m = /^(\d{4})-(\d{2})$/.exec(key)
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return periodOf('month', `${m[1]}-${m[2]}-01`)
  m = /^(\d{4})-Q([1-4])$/.exec(key)
  if (m) return periodOf('quarter', `${m[1]}-${pad(3 * Number(m[2]))}-01`)
  m = /^(\d{4})$/.exec(key)
  if (m) return periodOf('year', `${m[1]}-01-01`)
  return undefined
}

/** The first and last day of a month key (2026-11). */
export function monthRange(month: string): { from: string; to: string } {
  const p = periodOf('month', `${month}-01`)
  return { from: p.from, to: p.to }
}

/** The statistics' filters that the item list shares (unit, source, category, scope). */
export interface StatsFilter {
  unit_id?: string
  source?: string
  category?: ItemQuery['category']
  scope_id?: string
}

/**
 * The item list that a figure counts, as GET /items filters (the statistics API
 * documents each figure as one of these): a chart drills down to exactly its items.
 */
export function drill(figure: string, period: { from: string; to: string }, f: StatsFilter): ItemQuery {
  const base: ItemQuery = { ...f }
  switch (figure) {
    case 'assigned':
      return { ...base, issued_from: period.from, issued_to: period.to }
    case 'in_progress':
      return { ...base, state: 'issued,in_progress,suspended,completion_requested' }
    case 'closed':
      return { ...base, state: 'closed,archived', closed_from: period.from, closed_to: period.to }
    case 'closed_on_time':
      return { ...base, state: 'closed,archived', closed_from: period.from, closed_to: period.to, on_time: true }
    case 'overdue_now':
      return { ...base, overdue: true }
    default:
      return base
  }
}
