import { useQuery } from '@tanstack/react-query'
import { api, type Schemas } from './client'
import { call } from './problem'

export type OrgUnit = Schemas['OrgUnit']

export const ORG_TREE_KEY = ['org-units', 'tree'] as const

/** The whole unit tree (GET /org-units?tree=true): data holds the root(s). */
export function useOrgTree(enabled = true) {
  return useQuery({
    queryKey: ORG_TREE_KEY,
    queryFn: () => call(api.GET('/org-units', { params: { query: { tree: true } } })),
    enabled,
    staleTime: 30_000,
  })
}

/** Every unit of a tree, depth first, with its depth. */
export function flattenUnits(roots: readonly OrgUnit[] | undefined): { unit: OrgUnit; depth: number }[] {
  const out: { unit: OrgUnit; depth: number }[] = []
  const walk = (units: readonly OrgUnit[], depth: number) => {
    for (const u of units) {
      out.push({ unit: u, depth })
      if (u.children) walk(u.children, depth + 1)
    }
  }
  walk(roots ?? [], 0)
  return out
}

export function unitNameMap(roots: readonly OrgUnit[] | undefined): Map<string, string> {
  const m = new Map<string, string>()
  for (const { unit } of flattenUnits(roots)) if (unit.id) m.set(unit.id, unit.name)
  return m
}
