import { useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query'
import { api, type Schemas } from '../../../api/client'
import { flattenUnits, useOrgTree } from '../../../api/org'
import { officeContactQuery, type OfficeContact } from '../../../api/officeContact'
import { ApiError, call } from '../../../api/problem'
import { findRoute, sourceRoutesQuery } from '../SourceRoute'
import { itemKey } from '../ui'
import type {
  Assignment,
  Comment,
  Completion,
  DeadlineChange,
  Extension,
  Feedback,
  Item,
  ItemEvent,
  Milestone,
  Names,
  OrgUnit,
  SourceRoute,
  Urge,
  Verification,
} from './rows'

export type PrintKind = 'notice' | 'sheet' | 'urge'

export interface PrintData {
  item: Item
  assignments: Assignment[]
  milestones: Milestone[]
  units: OrgUnit[]
  names: Names
  /** the §14 route of the item's source (who issues, whether the leader approves) */
  route: SourceRoute | undefined
  /** the initiator's phone when the caller may see it (themself, admins); '' otherwise */
  initiatorPhone: string
  /** the supervision office's contact (the notice prints its phone); absent when not loaded */
  office?: OfficeContact
  // the rest is loaded for the sheet only (empty for the notice)
  feedback: Feedback[]
  urges: Urge[]
  extensions: Extension[]
  deadlineChanges: DeadlineChange[]
  completions: Completion[]
  verifications: Verification[]
  /** the joint supervision team, visits and coordination meetings (§13) */
  methods?: Schemas['SupervisionMethods']
  comments: Comment[]
  events: ItemEvent[]
}

export type PrintState =
  | { status: 'loading' }
  | { status: 'notfound' }
  | { status: 'error'; error: unknown; retry: () => void }
  | { status: 'ready'; data: PrintData }

/** A paper record must be complete: every page of a paged list (100 a page, the API's maximum). */
async function allPages<T>(get: (page: number) => Promise<{ data?: T[]; total?: number }>): Promise<T[]> {
  const out: T[] = []
  for (let page = 1; page <= 50; page++) {
    const r = await get(page)
    const rows = r.data ?? []
    out.push(...rows)
    if (rows.length === 0 || out.length >= (r.total ?? 0)) break
  }
  return out
}

const PAGE = 100

/** Every user an id of the forms points at, so the page renders only once all names are known. */
function userIds(d: Omit<PrintData, 'names' | 'units' | 'initiatorPhone' | 'route' | 'office'>): string[] {
  const ids = new Set<string | null | undefined>([
    d.item.initiator_user_id,
    d.item.supervising_leader_id,
    ...(d.item.assisting_leader_ids),
  ])
  for (const a of d.assignments) [a.responsible_user_id, a.accepted_by].forEach((x) => ids.add(x))
  for (const f of d.feedback) [f.submitted_by, f.created_by, f.reviewed_by].forEach((x) => ids.add(x))
  for (const u of d.urges) [u.created_by, u.acknowledged_by].forEach((x) => ids.add(x))
  for (const r of [...d.extensions, ...d.completions]) [r.requested_by, r.reviewed_by, r.decided_by].forEach((x) => ids.add(x))
  for (const c of d.deadlineChanges) ids.add(c.leader_id)
  for (const v of d.verifications) ids.add(v.verified_by)
  for (const v of d.methods?.visits ?? []) [v.authorised_by, ...v.visitor_ids].forEach((x) => ids.add(x))
  for (const c of d.methods?.coordinations ?? []) c.attendee_user_ids.forEach((x) => ids.add(x))
  for (const c of d.comments) ids.add(c.author_id)
  for (const e of d.events) if (e.action === 'issue' || e.action === 'approve') ids.add(e.actor_id)
  return [...ids].filter((x): x is string => !!x).sort()
}

export function usePrintData(id: string, kind: PrintKind): PrintState {
  const path = { params: { path: { id } } }
  const item = useQuery({ queryKey: itemKey(id), queryFn: () => call(api.GET('/items/{id}', path)) })
  const base = item.isSuccess
  const sheet = base && kind === 'sheet'
  const key = (what: string) => ['print', id, what]
  const assignments = useQuery({
    queryKey: key('assignments'),
    queryFn: async () => (await call(api.GET('/items/{id}/assignments', path))).data,
    enabled: base,
  })
  const milestones = useQuery({
    queryKey: key('milestones'),
    queryFn: async () => (await call(api.GET('/items/{id}/milestones', path))).data,
    enabled: base,
  })
  const tree = useOrgTree(base)
  const sources = useQuery({ ...sourceRoutesQuery, enabled: base })
  // the notice prints the office's phone; a failure only leaves it out
  const office = useQuery({ ...officeContactQuery, enabled: base && kind === 'notice', retry: false })
  const feedback = useQuery({
    queryKey: key('feedback'),
    queryFn: () => allPages((page) => call(api.GET('/items/{id}/feedback', { params: { path: { id }, query: { page, page_size: PAGE } } }))),
    enabled: sheet,
  })
  const urges = useQuery({
    queryKey: key('urges'),
    queryFn: () => allPages((page) => call(api.GET('/items/{id}/urges', { params: { path: { id }, query: { page, page_size: PAGE } } }))),
    enabled: sheet || (base && kind === 'urge'),
  })
  const events = useQuery({
    queryKey: key('events'),
    queryFn: () => allPages((page) => call(api.GET('/items/{id}/events', { params: { path: { id }, query: { page, page_size: PAGE } } }))),
    enabled: sheet,
  })
  const comments = useQuery({
    queryKey: key('comments'),
    queryFn: () => allPages((page) => call(api.GET('/items/{id}/comments', { params: { path: { id }, query: { page, page_size: PAGE } } }))),
    enabled: sheet,
  })
  const extensions = useQuery({
    queryKey: key('extensions'),
    queryFn: async () => (await call(api.GET('/items/{id}/extensions', path))).data,
    enabled: sheet,
  })
  const deadlineChanges = useQuery({
    queryKey: key('deadline-changes'),
    queryFn: async () => (await call(api.GET('/items/{id}/deadline-changes', path))).data,
    enabled: sheet,
  })
  const completions = useQuery({
    queryKey: key('completions'),
    queryFn: async () => (await call(api.GET('/items/{id}/completion-requests', path))).data,
    enabled: sheet,
  })
  const verifications = useQuery({
    queryKey: key('verifications'),
    queryFn: async () => (await call(api.GET('/items/{id}/verifications', path))).data,
    enabled: sheet,
  })

  const methods = useQuery({
    queryKey: key('methods'),
    queryFn: () => call(api.GET('/items/{id}/methods', path)),
    enabled: sheet,
  })

  const always: UseQueryResult<unknown>[] = [item, assignments, milestones, tree, sources]
  const sheetOnly: UseQueryResult<unknown>[] = [feedback, urges, events, comments, extensions, deadlineChanges, completions, verifications, methods]
  const needed = kind === 'sheet' ? [...always, ...sheetOnly] : kind === 'urge' ? [...always, urges] : always
  const loaded = needed.every((q) => q.isSuccess)

  const partial =
    loaded && item.data
      ? {
          item: item.data,
          assignments: assignments.data ?? [],
          milestones: milestones.data ?? [],
          feedback: feedback.data ?? [],
          urges: urges.data ?? [],
          extensions: extensions.data ?? [],
          deadlineChanges: deadlineChanges.data ?? [],
          completions: completions.data ?? [],
          verifications: verifications.data ?? [],
          methods: methods.data,
          comments: comments.data ?? [],
          events: events.data ?? [],
        }
      : null
  const ids = partial ? userIds(partial) : []
  // same key and answer as UserName (api/users.tsx), so names loaded elsewhere are reused
  const users = useQueries({
    queries: ids.map((uid) => ({
      queryKey: ['users', 'one', uid],
      queryFn: () => call(api.GET('/users/{id}', { params: { path: { id: uid } } })),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  })

  if (item.isError) {
    if (item.error instanceof ApiError && item.error.status === 404) return { status: 'notfound' }
    return { status: 'error', error: item.error, retry: () => void item.refetch() }
  }
  const failed = needed.find((q) => q.isError)
  if (failed) return { status: 'error', error: failed.error, retry: () => needed.forEach((q) => q.isError && void q.refetch()) }
  // a user we may not look up (inactive, another scope) is not worth failing the form for
  if (!partial || users.some((u) => u.isPending) || (kind === 'notice' && office.isPending)) return { status: 'loading' }

  const byId = new Map(ids.map((uid, i) => [uid, users[i]?.data]))
  const units = flattenUnits(tree.data?.data).map((x) => x.unit)
  const unitNames = new Map(units.map((u) => [u.id, u.name]))
  const names: Names = {
    user: (uid) => (uid ? (byId.get(uid)?.display_name ?? byId.get(uid)?.username ?? uid.slice(0, 8)) : ''),
    unit: (uid) => (uid ? (unitNames.get(uid) ?? '') : ''),
  }
  const initiator = partial.item.initiator_user_id ? byId.get(partial.item.initiator_user_id) : undefined
  const route = findRoute(sources.data?.data, partial.item.category, partial.item.source)
  return { status: 'ready', data: { ...partial, units, names, route, initiatorPhone: initiator?.phone ?? '', office: office.data } }
}
