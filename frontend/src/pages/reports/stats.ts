import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router'
import { api, type Schemas } from '../../api/client'
import { call } from '../../api/problem'
import { filtersToSearch, type ItemQuery } from '../items/filters'
import { companyToday } from '../../lib/time'
import { parsePeriod, periodOf, type Period, type StatsFilter } from './period'

export type Figures = Schemas['StatsUnitFigures']
export type Overview = Schemas['StatsOverview']
export type UnitFigures = Figures

const CATEGORIES = ['important_matter', 'document'] as const

/** The page's period and filters, kept in the URL (so a view can be shared). */
export function useStatsParams(defaultKind: 'month' | 'quarter' | 'year' = 'year') {
  const [params, setParams] = useSearchParams()
  const period: Period = parsePeriod(params.get('period')) ?? periodOf(defaultKind, companyToday())
  const category = params.get('category')
  const filter: StatsFilter = {
    unit_id: params.get('unit_id') || undefined,
    source: params.get('source') || undefined,
    category: category && (CATEGORIES as readonly string[]).includes(category) ? (category as ItemQuery['category']) : undefined,
    scope_id: params.get('scope_id') || undefined,
  }
  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params)
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v)
      else next.delete(k)
    }
    setParams(next, { replace: true })
  }
  return { period, filter, update }
}

function query(period: Period, f: StatsFilter) {
  return { period: period.key, unit_id: f.unit_id, source: f.source, category: f.category, scope_id: f.scope_id }
}

export function useOverview(period: Period, f: StatsFilter) {
  return useQuery({
    queryKey: ['stats', 'overview', period.key, f],
    queryFn: () => call(api.GET('/stats/overview', { params: { query: query(period, f) } })),
    staleTime: 60_000,
  })
}

export function useUnits(period: Period, f: StatsFilter) {
  return useQuery({
    queryKey: ['stats', 'units', period.key, f],
    queryFn: () => call(api.GET('/stats/units', { params: { query: query(period, f) } })),
    staleTime: 60_000,
  })
}

export function useTrend(period: Period, f: StatsFilter) {
  return useQuery({
    queryKey: ['stats', 'trend', period.key, f],
    queryFn: () => call(api.GET('/stats/trend', { params: { query: query(period, f) } })),
    staleTime: 60_000,
  })
}

/** The item list's URL for filters. */
export function itemsURL(q: ItemQuery): string {
  const s = filtersToSearch(q).toString()
  return s ? `/items?${s}` : '/items'
}

/** A rate as a percentage with one decimal, or — . */
export function pct(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`
}
