import { useQueries } from '@tanstack/react-query'
import { Card, Col, Row, Select, Space, Statistic, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api } from '../../api/client'
import { call } from '../../api/problem'
import { PageHeader } from '../../components/PageHeader'
import { ErrorState, Loading } from '../../components/States'
import { LIGHT_COLORS } from '../items/ui'
import { ChartCard } from './ChartCard'
import { drill, monthRange } from './period'
import { PeriodPicker } from './PeriodPicker'
import { itemsURL, pct, useOverview, useStatsParams, useTrend, useUnits } from './stats'

const LIGHTS = ['red', 'yellow', 'blue', 'green'] as const
const SOURCES = ['board', 'party_group', 'leader_activity', 'group_meeting', 'special_meeting', 'other', 'superior_instruction', 'subsidiary_request', 'emergency']
const TOP = 15

/** The leaders' cockpit: lights, overdue by unit, on-time ranking, trend, by source. */
export default function CockpitPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { period, filter, update } = useStatsParams('year')
  const overview = useOverview(period, filter)
  const units = useUnits(period, filter)
  const trend = useTrend(period, filter)
  const lights = useQueries({
    queries: LIGHTS.map((light) => ({
      queryKey: ['items', 'list', { light, page_size: 1, ...filter }],
      queryFn: () => call(api.GET('/items', { params: { query: { light, page_size: 1, ...filter } } })),
      staleTime: 60_000,
    })),
  })
  const go = (figure: string, extra: Parameters<typeof drill>[2] = {}, range = period as { from: string; to: string }) =>
    void navigate(itemsURL(drill(figure, range, { ...filter, ...extra })))
  const list = (pairs: [string, string | number][]) =>
    pairs.map(([name, value]) => t('reports.cockpit.entry', { name, value })).join(t('reports.cockpit.sep'))

  const f = overview.data?.figures
  const cards = [
    ['assigned', f?.assigned],
    ['in_progress', f?.in_progress],
    ['closed', f?.closed],
    ['closed_on_time', f?.closed_on_time],
    ['overdue_now', f?.overdue_now],
  ] as const
  const rows = units.data?.data ?? []
  const overdue = [...rows].filter((u) => u.overdue_now > 0).sort((a, b) => b.overdue_now - a.overdue_now).slice(0, TOP)
  const ranking = [...rows].filter((u) => u.closed > 0).sort((a, b) => (b.on_time_rate ?? 0) - (a.on_time_rate ?? 0)).slice(0, TOP)
  const months = trend.data?.data ?? []
  const sources = overview.data?.by_source ?? []
  const lightValues = LIGHTS.map((_, i) => lights[i].data?.total ?? 0)

  return (
    <>
      <PageHeader title={t('reports.cockpit.title')} extra={<PeriodPicker value={period} onChange={(p) => update({ period: p.key })} />} />
      <Space wrap style={{ marginBottom: 12 }} data-testid="cockpit-filters">
        <Select
          allowClear
          placeholder={t('reports.allSources')}
          aria-label={t('items.source')}
          value={filter.source}
          onChange={(v?: string) => update({ source: v })}
          options={SOURCES.map((s) => ({ value: s, label: t(`items.sources.${s}`) }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t('reports.allCategories')}
          aria-label={t('items.category')}
          value={filter.category}
          onChange={(v?: string) => update({ category: v })}
          options={(['important_matter', 'document'] as const).map((c) => ({ value: c, label: t(`items.categories.${c}`) }))}
          style={{ width: 140 }}
        />
        <Typography.Text type="secondary">
          {t('reports.period.range', { from: period.from, to: period.to })} · {t('reports.drill')}
        </Typography.Text>
      </Space>
      {overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="cockpit-figures">
          {cards.map(([key, value]) => (
            <Col key={key} xs={12} sm={8} lg={4}>
              <Card size="small" hoverable onClick={() => go(key)} data-testid={`figure-${key}`}>
                <Statistic title={t(`reports.figures.${key}`)} value={value ?? ' '} loading={overview.isPending} />
              </Card>
            </Col>
          ))}
          <Col xs={12} sm={8} lg={4}>
            <Card size="small" data-testid="figure-on_time_rate">
              <Statistic title={t('reports.figures.on_time_rate')} value={pct(f?.on_time_rate)} loading={overview.isPending} />
            </Card>
          </Col>
          <Col span={24}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('reports.figureHelp.period')} {t('reports.figures.urges')} {f?.urges ?? 0}（{t('reports.figures.urges_auto')} {f?.urges_auto ?? 0}）·{' '}
              {t('reports.figures.extensions_requested')} {f?.extensions_requested ?? 0} · {t('reports.figures.verification_failures')}{' '}
              {f?.verification_failures ?? 0} · {t('reports.figures.avg_workdays_to_close')} {f?.avg_workdays_to_close ?? '—'}
            </Typography.Text>
          </Col>
        </Row>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <ChartCard
            testId="chart-lights"
            title={t('reports.cockpit.lights')}
            summary={t('reports.cockpit.lightsSummary', { list: list(LIGHTS.map((l, i) => [t(`items.lights.${l}`), lightValues[i]])) })}
            categories={LIGHTS.map((l) => t(`items.lights.${l}`))}
            series={[{ name: t('reports.count'), values: lightValues, color: '#999', colors: LIGHTS.map((l) => LIGHT_COLORS[l]) }]}
            onSelect={(i) => void navigate(itemsURL({ ...filter, light: LIGHTS[i] }))}
          />
        </Col>
        <Col xs={24} lg={14}>
          {units.isPending ? (
            <Loading />
          ) : (
            <ChartCard
              testId="chart-overdue"
              title={t('reports.cockpit.overdueByUnit')}
              summary={t('reports.cockpit.overdueSummary', { list: list(overdue.map((u) => [u.unit_name, u.overdue_now])) })}
              categories={overdue.map((u) => u.unit_name)}
              series={[{ name: t('reports.figures.overdue_now'), values: overdue.map((u) => u.overdue_now), color: '#cf1322' }]}
              horizontal
              onSelect={(i) => go('overdue_now', { unit_id: overdue[i]?.unit_id })}
            />
          )}
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            testId="chart-ontime"
            title={t('reports.cockpit.onTimeRanking')}
            summary={t('reports.cockpit.onTimeSummary', { list: list(ranking.map((u) => [u.unit_name, pct(u.on_time_rate)])) })}
            categories={ranking.map((u) => u.unit_name)}
            series={[
              {
                name: t('reports.figures.on_time_rate'),
                values: ranking.map((u) => Math.round((u.on_time_rate ?? 0) * 1000) / 10),
                color: '#237804',
                percent: true,
              },
            ]}
            horizontal
            format={(v) => (v === null ? '—' : `${v}%`)}
            onSelect={(i) => go('closed', { unit_id: ranking[i]?.unit_id })}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            testId="chart-trend"
            title={t('reports.cockpit.trend')}
            summary={t('reports.cockpit.trendSummary', {
              n: months.length,
              list: list(months.map((m) => [m.month, `${m.assigned}/${m.closed}`])),
            })}
            categories={months.map((m) => m.month)}
            series={[
              { name: t('reports.figures.assigned'), values: months.map((m) => m.assigned), color: '#1677ff' },
              { name: t('reports.figures.closed'), values: months.map((m) => m.closed), color: '#52c41a' },
            ]}
            onSelect={(i, s) => {
              const m = months[i]?.month
              if (m) go(s === 0 ? 'assigned' : 'closed', {}, monthRange(m))
            }}
          />
        </Col>
        <Col xs={24}>
          <ChartCard
            testId="chart-source"
            title={t('reports.cockpit.bySource')}
            summary={t('reports.cockpit.bySourceSummary', { list: list(sources.map((s) => [t(`items.sources.${s.key}`), s.assigned])) })}
            categories={sources.map((s) => t(`items.sources.${s.key}`))}
            series={[
              { name: t('reports.figures.assigned'), values: sources.map((s) => s.assigned), color: '#b7202e' },
              { name: t('reports.figures.overdue_now'), values: sources.map((s) => s.overdue_now), color: '#fa8c16' },
            ]}
            onSelect={(i, s) => go(s === 0 ? 'assigned' : 'overdue_now', { source: sources[i]?.key })}
          />
        </Col>
      </Row>
    </>
  )
}
