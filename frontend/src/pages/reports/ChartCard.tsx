import { BarChartOutlined, TableOutlined } from '@ant-design/icons'
import { Button, Card, Segmented, Table, Typography } from 'antd'
import { lazy, Suspense, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorBoundary } from '../../components/ErrorBoundary'
import { EmptyState, Loading } from '../../components/States'
import type { Series } from './BarChart'

const BarChart = lazy(() => import('./BarChart'))

/**
 * A chart with its table view: the same numbers as a table (for screen readers,
 * for copying, for a phone), an accessible name that reads the numbers out, and a
 * click on a bar or on a number of the table drills down.
 */
export function ChartCard({
  title,
  summary,
  categories,
  series,
  horizontal,
  height,
  onSelect,
  testId,
  extra,
  format = (v) => (v === null ? '—' : String(v)),
}: {
  title: string
  /** the chart's accessible name: the figures in words */
  summary: string
  categories: string[]
  series: Series[]
  horizontal?: boolean
  height?: number
  onSelect?: (index: number, series: number) => void
  testId: string
  extra?: ReactNode
  format?: (v: number | null, series: Series) => string
}) {
  const { t } = useTranslation()
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const empty = categories.length === 0 || series.every((s) => s.values.every((v) => !v))
  const toggle = (
    <Segmented
      size="small"
      value={view}
      onChange={(v) => setView(v as 'chart' | 'table')}
      options={[
        { value: 'chart', icon: <BarChartOutlined />, label: t('reports.chart') },
        { value: 'table', icon: <TableOutlined />, label: t('reports.table') },
      ]}
      data-testid={`${testId}-view`}
    />
  )
  let body: ReactNode
  if (empty) body = <EmptyState description={t('reports.none')} />
  else if (view === 'table')
    body = (
      <Table
        size="small"
        pagination={false}
        scroll={{ x: true }}
        rowKey="key"
        data-testid={`${testId}-table`}
        dataSource={categories.map((c, i) => ({ key: String(i), name: c, i }))}
        columns={[
          { key: 'name', title: '', dataIndex: 'name' },
          ...series.map((s, si) => ({
            key: s.name,
            title: s.name,
            align: 'right' as const,
            render: (_: unknown, r: { i: number }) =>
              onSelect ? (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onSelect(r.i, si)}>
                  {format(s.values[r.i] ?? null, s)}
                </Button>
              ) : (
                format(s.values[r.i] ?? null, s)
              ),
          })),
        ]}
      />
    )
  else
    body = (
      <ErrorBoundary>
        <Suspense fallback={<Loading />}>
          <BarChart categories={categories} series={series} label={summary} horizontal={horizontal} height={height} onSelect={onSelect} testId={`${testId}-chart`} />
        </Suspense>
      </ErrorBoundary>
    )
  return (
    <Card
      title={<Typography.Text strong>{title}</Typography.Text>}
      extra={
        <>
          {extra}
          {toggle}
        </>
      }
      data-testid={testId}
      styles={{ header: { flexWrap: 'wrap', gap: 8 }, body: { paddingTop: 8 } }}
    >
      {body}
    </Card>
  )
}
