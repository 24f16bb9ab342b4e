import { useQuery } from '@tanstack/react-query'
import { Card, Col, Row, Space, Statistic, TreeSelect, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api } from '../../api/client'
import { useOrgTree } from '../../api/org'
import { call } from '../../api/problem'
import { hasRole, useMe } from '../../auth/auth'
import { PageHeader } from '../../components/PageHeader'
import { SimpleList } from '../../components/SimpleList'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { unitTreeSelectData } from '../org/UnitsPanel'
import { Deadline, Light } from '../items/ui'
import { ChartCard } from './ChartCard'
import { drill, monthRange } from './period'
import { PeriodPicker } from './PeriodPicker'
import { itemsURL, pct, useOverview, useStatsParams, useTrend, useUnits } from './stats'

/** A unit's own page: its figures, its on-time rate against the scope's, what is late. */
export default function UnitStatsPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const me = useMe()
  const { period, filter, update } = useStatsParams('year')
  const privileged = ['admin', 'supervisor', 'leader', 'auditor'].some((r) => hasRole(me.data, r))
  const unit = filter.unit_id ?? me.data?.org_unit_id
  const f = { ...filter, unit_id: unit }
  const tree = useOrgTree()
  const units = useUnits(period, f)
  const trend = useTrend(period, f)
  // the scope's rate: the scope's figures for those who see the scope; for a unit,
  // the rate the office published in its latest bulletin (no figure built from
  // items the unit may not see)
  const scope = useOverview(period, {})
  const bulletin = useQuery({
    queryKey: ['bulletins', 'latest'],
    queryFn: () => call(api.GET('/bulletins', { params: { query: { state: 'published', page_size: 1 } } })),
    enabled: !privileged,
  })
  const latest = bulletin.data?.data?.[0]
  const latestFull = useQuery({
    queryKey: ['bulletins', latest?.id],
    queryFn: () => call(api.GET('/bulletins/{id}', { params: { path: { id: latest?.id ?? '' } } })),
    enabled: !privileged && !!latest?.id,
  })
  const late = useQuery({
    queryKey: ['items', 'list', { unit_id: unit, overdue: true, sort: 'deadline' }],
    queryFn: () => call(api.GET('/items', { params: { query: { unit_id: unit, overdue: true, sort: 'deadline', page_size: 20 } } })),
    enabled: !!unit,
  })
  if (me.isPending) return <Loading />
  if (!unit) return <EmptyState description={t('reports.unitPage.noUnit')} />
  const row = units.data?.data?.find((u) => u.unit_id === unit)
  const scopeRate = privileged ? pct(scope.data?.figures?.on_time_rate) : pct(latestFull.data?.data?.overview?.on_time_rate)
  const scopeNote = privileged ? '' : latest ? t('reports.unitPage.scopeFrom', { docNo: latest.doc_no }) : t('reports.unitPage.scopeNone')
  const go = (figure: string) => void navigate(itemsURL(drill(figure, period, f)))
  const months = trend.data?.data ?? []
  const figures = ['assigned', 'in_progress', 'closed', 'closed_on_time', 'overdue_now'] as const
  return (
    <>
      <PageHeader
        title={row?.unit_name ? `${t('reports.unitPage.title')} · ${row.unit_name}` : t('reports.unitPage.title')}
        extra={<PeriodPicker value={period} onChange={(p) => update({ period: p.key })} />}
      />
      {privileged && (
        <Space style={{ marginBottom: 12 }}>
          <TreeSelect
            aria-label={t('reports.unitPage.pick')}
            placeholder={t('reports.unitPage.pick')}
            value={unit}
            onChange={(v?: string) => update({ unit_id: v })}
            treeData={unitTreeSelectData(tree.data?.data)}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: 240 }}
            data-testid="unit-pick"
          />
        </Space>
      )}
      {units.isError ? (
        <ErrorState error={units.error} onRetry={() => void units.refetch()} />
      ) : (
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="unit-figures">
          {figures.map((k) => (
            <Col key={k} xs={12} sm={8} lg={4}>
              <Card size="small" hoverable onClick={() => go(k)} data-testid={`unit-figure-${k}`}>
                <Statistic title={t(`reports.figures.${k}`)} value={row?.[k] ?? 0} loading={units.isPending} />
              </Card>
            </Col>
          ))}
          <Col xs={12} sm={8} lg={4}>
            <Card size="small" data-testid="unit-rate">
              <Statistic title={t('reports.unitPage.ours')} value={pct(row?.on_time_rate)} loading={units.isPending} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="scope-rate">
                {t('reports.unitPage.scope')} {scopeRate} {scopeNote}
              </Typography.Text>
            </Card>
          </Col>
          <Col span={24}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('reports.figures.urges')} {row?.urges ?? 0} · {t('reports.figures.extensions_requested')} {row?.extensions_requested ?? 0} ·{' '}
              {t('reports.figures.feedback_late')} {row?.feedback_late ?? 0} · {t('reports.figures.verification_failures')}{' '}
              {row?.verification_failures ?? 0} · {t('reports.figures.avg_workdays_to_close')} {row?.avg_workdays_to_close ?? '—'}
            </Typography.Text>
          </Col>
        </Row>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('reports.unitPage.late')} data-testid="unit-late" extra={<Link to={itemsURL({ unit_id: unit })}>{t('reports.unitPage.allItems')}</Link>}>
            {late.isPending ? (
              <Loading />
            ) : (
              <SimpleList
                size="small"
                items={late.data?.data ?? []}
                keyOf={(i) => i.id}
                empty={<EmptyState description={t('reports.none')} />}
                render={(i) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={`/items/${i.id}`}>
                      {i.code ? `${i.code} · ` : ''}
                      {i.title}
                    </Link>
                    <Space size={12}>
                      <Light light={i.light} />
                      <Deadline item={i} />
                    </Space>
                  </Space>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            testId="unit-trend"
            title={t('reports.cockpit.trend')}
            summary={t('reports.cockpit.trendSummary', {
              n: months.length,
              list: months.map((m) => `${m.month} ${m.assigned}/${m.closed}`).join(t('reports.cockpit.sep')),
            })}
            categories={months.map((m) => m.month)}
            series={[
              { name: t('reports.figures.assigned'), values: months.map((m) => m.assigned), color: '#1677ff' },
              { name: t('reports.figures.closed'), values: months.map((m) => m.closed), color: '#52c41a' },
            ]}
            onSelect={(i, s) => {
              const m = months[i]?.month
              if (m) void navigate(itemsURL(drill(s === 0 ? 'assigned' : 'closed', monthRange(m), f)))
            }}
          />
        </Col>
      </Row>
    </>
  )
}
