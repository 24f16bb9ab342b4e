import { describe, expect, it } from 'vitest'
import { filtersFromSearch, filtersToSearch } from '../items/filters'
import { drill, monthRange, parsePeriod, periodOf } from './period'

describe('periods', () => {
  it('finds the month, quarter and year of a day', () => {
    expect(periodOf('month', '2026-02-14')).toEqual({ kind: 'month', key: '2026-02', from: '2026-02-01', to: '2026-02-28' })
    expect(periodOf('quarter', '2026-11-03')).toEqual({ kind: 'quarter', key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' })
    expect(periodOf('year', '2024-06-30')).toEqual({ kind: 'year', key: '2024', from: '2024-01-01', to: '2024-12-31' })
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
  })
  it('reads keys back and refuses malformed ones', () => {
    expect(parsePeriod('2026-Q1')?.to).toBe('2026-03-31')
    expect(parsePeriod('2026-12')?.from).toBe('2026-12-01')
    expect(parsePeriod('2026')?.kind).toBe('year')
    for (const bad of ['2026-13', '2026-Q5', '26', '', null]) expect(parsePeriod(bad)).toBeUndefined()
  })
})

describe('drill-down', () => {
  const p = { from: '2026-10-01', to: '2026-12-31' }
  it('turns each figure into the list filters that count it', () => {
    expect(drill('closed_on_time', p, { unit_id: 'u1' })).toEqual({
      unit_id: 'u1',
      state: 'closed,archived',
      closed_from: '2026-10-01',
      closed_to: '2026-12-31',
      on_time: true,
    })
    expect(drill('overdue_now', p, { source: 'board' })).toEqual({ source: 'board', overdue: true })
    expect(drill('assigned', p, {})).toEqual({ issued_from: '2026-10-01', issued_to: '2026-12-31' })
  })
  it('survives the trip through the item list URL', () => {
    const q = drill('closed_on_time', p, { unit_id: 'u1', scope_id: 's1', category: 'document' })
    expect(filtersFromSearch(filtersToSearch(q))).toEqual(q)
  })
})
