import type { operations } from '../../api/schema'

/** The list query of GET /items, as generated from the OpenAPI document. */
type ListQuery = NonNullable<operations['listItems']['parameters']['query']>
type ItemState = NonNullable<ListQuery['state']>[number]
/**
 * The list filters as the page keeps them: the query, with the states comma
 * separated as in the page URL (toApiQuery makes them the API's array).
 */
export type ItemQuery = Omit<ListQuery, 'state'> & { state?: string }
type Light = NonNullable<ItemQuery['light']>
type Category = NonNullable<ItemQuery['category']>

const LIGHTS: readonly Light[] = ['red', 'yellow', 'blue', 'green', 'none']
const CATEGORIES: readonly Category[] = ['important_matter', 'document']
const DATE = /^\d{4}-\d{2}-\d{2}$/
const STRING_KEYS = [
  'q',
  'source',
  'lead_unit_id',
  'unit_id',
  'leader_id',
  'supervising_leader_id',
  'cooperating_unit_id',
  'doc_number',
  'parent_id',
  'tag',
  'scope_id',
  'sort',
] as const

export const DEFAULT_PAGE_SIZE = 20

/**
 * Reads the list filters from the page URL. Unknown or malformed values are dropped,
 * so a hand-edited URL never sends a request the API would refuse.
 */
export function filtersFromSearch(params: URLSearchParams): ItemQuery {
  const f: ItemQuery = {}
  for (const k of STRING_KEYS) {
    const v = params.get(k)?.trim()
    if (v) f[k] = v
  }
  const states = (params.get('state') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (states.length > 0) f.state = [...new Set(states)].join(',')
  const category = params.get('category')
  if (category && (CATEGORIES as readonly string[]).includes(category)) f.category = category as Category
  const light = params.get('light')
  if (light && (LIGHTS as readonly string[]).includes(light)) f.light = light as Light
  const overdue = params.get('overdue')
  if (overdue === 'true') f.overdue = true
  else if (overdue === 'false') f.overdue = false
  const wasOverdue = params.get('was_overdue')
  if (wasOverdue === 'true') f.was_overdue = true
  else if (wasOverdue === 'false') f.was_overdue = false
  // the date ranges; issued_* and closed_* come from the statistics' drill-downs
  for (const k of ['deadline_from', 'deadline_to', 'issued_from', 'issued_to', 'closed_from', 'closed_to'] as const) {
    const v = params.get(k)
    if (v && DATE.test(v)) f[k] = v
  }
  const onTime = params.get('on_time')
  if (onTime === 'true') f.on_time = true
  else if (onTime === 'false') f.on_time = false
  const page = Number(params.get('page'))
  if (Number.isInteger(page) && page > 1) f.page = page
  const size = Number(params.get('page_size'))
  if (Number.isInteger(size) && size >= 1 && size <= 100 && size !== DEFAULT_PAGE_SIZE) f.page_size = size
  return f
}

/** Writes the filters into URL search parameters, in a stable order, defaults left out. */
export function filtersToSearch(f: ItemQuery): URLSearchParams {
  const out = new URLSearchParams()
  const put = (k: string, v: string | number | boolean | undefined) => {
    if (v === undefined || v === '') return
    out.set(k, String(v))
  }
  put('q', f.q?.trim())
  put('state', f.state)
  put('category', f.category)
  put('source', f.source)
  put('light', f.light)
  put('overdue', f.overdue)
  put('was_overdue', f.was_overdue)
  put('lead_unit_id', f.lead_unit_id)
  put('unit_id', f.unit_id)
  put('leader_id', f.leader_id)
  put('supervising_leader_id', f.supervising_leader_id)
  put('cooperating_unit_id', f.cooperating_unit_id)
  put('doc_number', f.doc_number?.trim())
  put('deadline_from', f.deadline_from)
  put('deadline_to', f.deadline_to)
  put('issued_from', f.issued_from)
  put('issued_to', f.issued_to)
  put('closed_from', f.closed_from)
  put('closed_to', f.closed_to)
  put('on_time', f.on_time)
  put('scope_id', f.scope_id)
  put('parent_id', f.parent_id)
  put('tag', f.tag)
  put('sort', f.sort)
  if (f.page && f.page > 1) put('page', f.page)
  if (f.page_size && f.page_size !== DEFAULT_PAGE_SIZE) put('page_size', f.page_size)
  return out
}

/** A filter change: the page goes back to 1 unless the change is the page itself. */
export function withFilter(f: ItemQuery, patch: Partial<ItemQuery>): ItemQuery {
  const next: ItemQuery = { ...f, ...patch }
  if (!('page' in patch)) delete next.page
  for (const k of Object.keys(next) as (keyof ItemQuery)[]) {
    if (next[k] === undefined || next[k] === '') delete next[k]
  }
  return next
}

/** The query sent to the API: the filters plus the page size. */
export function toApiQuery(f: ItemQuery): ListQuery {
  const { state, ...rest } = f
  const q: ListQuery = { ...rest, page: f.page ?? 1, page_size: f.page_size ?? DEFAULT_PAGE_SIZE }
  if (state) q.state = state.split(',') as ItemState[]
  return q
}

export function activeFilterCount(f: ItemQuery): number {
  return Object.keys(f).filter((k) => k !== 'page' && k !== 'page_size' && k !== 'sort').length
}
