import { queryOptions, useQuery } from '@tanstack/react-query'
import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client'
import { unitNameMap, useOrgTree } from '../../api/org'
import { call } from '../../api/problem'
import type { SourceRoute } from './types'

export type { SourceRoute }

/** GET /item-sources: the same for everyone signed in, and rarely changes. */
export const sourceRoutesQuery = queryOptions({
  queryKey: ['item-sources'],
  queryFn: () => call(api.GET('/item-sources')),
  staleTime: 5 * 60_000,
})

export function findRoute(routes: readonly SourceRoute[] | undefined, category?: string, source?: string): SourceRoute | undefined {
  return routes?.find((r) => r.category === category && r.source === source)
}

/** The route of the chosen category and source, as the API states it (GET /item-sources). */
export function useSourceRoute(category: string | undefined, source: string | undefined): SourceRoute | undefined {
  const routes = useQuery(sourceRoutesQuery)
  return findRoute(routes.data?.data, category, source)
}

/** Who issues the task notice and whether the leader approves, under the source picker. */
export function SourceRouteHint({ route }: { route: SourceRoute | undefined }) {
  const { t } = useTranslation()
  const tree = useOrgTree()
  if (!route) return null
  const names = unitNameMap(tree.data?.data)
  const issuer = route.issuer_is_lead_unit
    ? t('notice.issuerLead')
    : t('notice.issuerUnit', { unit: (route.issuer_unit_id && names.get(route.issuer_unit_id)) || '…' })
  const lines = [issuer, t(route.needs_approval ? 'notice.needsApproval' : 'notice.skipsApproval')]
  if (route.office_submits) lines.push(t('notice.officeSubmits'))
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('notice.routeTitle')}
      description={lines.join('；')}
      data-testid="source-route"
    />
  )
}
