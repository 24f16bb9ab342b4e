import { AppstoreOutlined, CalendarOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons'
import { useQueries, useQuery } from '@tanstack/react-query'
import { Badge, Card, Col, Row, Space, Statistic, Typography } from 'antd'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api, type Schemas } from '../api/client'
import { call } from '../api/problem'
import { hasRole, useMe } from '../auth/auth'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { SimpleList } from '../components/SimpleList'
import { EmptyState, ErrorState, Loading } from '../components/States'
import { companyToday, formatDate } from '../lib/time'
import { LIGHT_COLORS, Light } from './items/ui'

// ECharts is big: the chart loads after the page, in a chunk of its own
const LightChart = lazy(() => import('./workbench/LightChart'))

type Group = Schemas['TodoGroup']

/** Where a to-do entry leads on its item page: the tab of the work (and for reports
 * to write, the report form already open and prefilled, issue 11 §14). */
const TODO_TARGET: Partial<Record<Group['key'], string>> = {
  feedback_to_write: '?tab=feedback&write=1',
  feedback_to_submit: '?tab=feedback',
  feedback_returned: '?tab=feedback&write=1',
  feedback_to_review: '?tab=feedback',
  urges_to_acknowledge: '?tab=urges',
  extension_decisions: '?tab=extensions',
  completion_decisions: '?tab=completion',
  verifications_due: '?tab=verifications',
  assignments_to_accept: '?tab=assignments',
  returned_assignments: '?tab=assignments',
  my_assignments: '?tab=assignments',
  instructions: '?tab=comments',
}

function TodoGroupCard({ group }: { group: Group }) {
  const { t } = useTranslation()
  const entries = group.items
  const count = group.count ?? entries.length
  return (
    <Card
      size="small"
      title={
        <Space>
          {t(`workbench.groups.${group.key}`, { defaultValue: group.key })}
          <Badge count={count} color={group.key === 'overdue' ? '#f5222d' : '#b7202e'} />
        </Space>
      }
      data-testid={`todo-${group.key}`}
    >
      <SimpleList
        size="small"
        items={entries}
        keyOf={(e, i) => `${e.item_id}-${e.ref_id ?? ''}-${i}`}
        render={(e) => (
          <>
            <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
              <Link to={`/items/${e.item_id}${TODO_TARGET[group.key] ?? ''}`}>
                {e.code ? `${e.code} · ` : ''}
                {e.title}
              </Link>
              <Space size={12} wrap>
                <Light light={e.light} />
                {e.deadline && (
                  <Typography.Text type={e.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                    {t('items.deadline')} {formatDate(e.deadline)}
                  </Typography.Text>
                )}
                {e.due_date && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('workbench.due', { date: formatDate(e.due_date) })}
                  </Typography.Text>
                )}
              </Space>
            </Space>
          </>
        )}
      />
      {count > entries.length && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('workbench.more', { count: count - entries.length })}
        </Typography.Text>
      )}
    </Card>
  )
}

const LIGHTS = ['red', 'yellow', 'blue', 'green'] as const
type Counts = ReturnType<typeof useLightCounts>
// the counts in the light's colour, dark enough to read (3:1 for their large text, 4.5:1 here)
const COUNT_COLORS = { red: '#cf1322', yellow: '#874d00', blue: '#0958d9', green: '#237804' }

/** Open items by warning light: one counted list query per light (page_size 1). */
function useLightCounts() {
  return useQueries({
    queries: LIGHTS.map((light) => ({
      queryKey: ['items', 'list', { light, page_size: 1 }],
      queryFn: () => call(api.GET('/items', { params: { query: { light, page_size: 1 } } })),
      staleTime: 60_000,
    })),
  })
}

function LightSummary({ counts }: { counts: Counts }) {
  const { t } = useTranslation()
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="light-summary">
      {LIGHTS.map((light, i) => (
        <Col key={light} xs={12} md={6}>
          <Link to={`/items?light=${light}`}>
            <Card size="small" hoverable>
              <Statistic
                title={
                  <Space size={6}>
                    <Badge color={LIGHT_COLORS[light]} />
                    {t(`workbench.lights.${light}`)}
                  </Space>
                }
                value={counts[i].data?.total ?? (counts[i].isError ? '—' : ' ')}
                loading={counts[i].isPending}
                styles={{ content: { color: COUNT_COLORS[light] } }}
              />
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  )
}

/** The same counts as a donut; a slice opens the ledger filtered by its light. */
function LightChartCard({ counts }: { counts: Counts }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const slices = LIGHTS.map((light, i) => ({ key: light, name: t(`items.lights.${light}`), value: counts[i].data?.total ?? 0, color: LIGHT_COLORS[light] }))
  const summary = t('settings.lightChart.summary', {
    list: slices.map((s) => t('settings.lightChart.entry', { light: s.name, count: s.value })).join(t('settings.lightChart.separator')),
  })
  let body
  if (counts.some((c) => c.isError)) body = <ErrorState error={counts.find((c) => c.isError)?.error} onRetry={() => counts.forEach((c) => void c.refetch())} />
  else if (counts.some((c) => c.isPending)) body = <Loading />
  else if (slices.every((s) => s.value === 0)) body = <EmptyState description={t('settings.lightChart.empty')} />
  else
    body = (
      <ErrorBoundary>
        <Suspense fallback={<Loading />}>
          <LightChart data={slices} label={summary} onSelect={(light) => void navigate(`/items?light=${light}`)} />
        </Suspense>
      </ErrorBoundary>
    )
  return (
    <Card title={t('settings.lightChart.title')} style={{ marginBottom: 16 }} data-testid="light-chart-card">
      {body}
    </Card>
  )
}

function Todo() {
  const { t } = useTranslation()
  const todo = useQuery({
    queryKey: ['me', 'todo'],
    queryFn: () => call(api.GET('/me/todo')),
    refetchInterval: 60_000,
  })
  if (todo.isPending) return <Loading />
  if (todo.isError) return <ErrorState error={todo.error} onRetry={() => void todo.refetch()} />
  const groups = todo.data.groups.filter((g) => g.count > 0)
  if (groups.length === 0) return <EmptyState description={t('workbench.noTodo')} />
  return (
    <Row gutter={[12, 12]}>
      {groups.map((g) => (
        <Col key={g.key} xs={24} xl={12}>
          <TodoGroupCard group={g} />
        </Col>
      ))}
    </Row>
  )
}

export default function WorkbenchPage() {
  const { t } = useTranslation()
  const me = useMe()
  const admin = hasRole(me.data, 'admin')
  const counts = useLightCounts()
  const links = [
    { to: '/items', icon: <AppstoreOutlined />, label: t('nav.items') },
    ...(admin
      ? [
          { to: '/org', icon: <TeamOutlined />, label: t('nav.org') },
          { to: '/calendar', icon: <CalendarOutlined />, label: t('nav.calendar') },
        ]
      : []),
    { to: '/me', icon: <UserOutlined />, label: t('nav.me') },
  ]
  return (
    <>
      <Typography.Title level={1} style={{ marginTop: 0, fontSize: 24, lineHeight: 1.33 }} data-testid="page-title">
        {t('workbench.welcome', { name: me.data?.display_name || me.data?.username || '' })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('workbench.today', { date: companyToday() })}
        {me.data?.org_unit_name ? ` · ${me.data.org_unit_name}` : ''}
      </Typography.Paragraph>
      <LightSummary counts={counts} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t('workbench.todo')} data-testid="todo">
            <Todo />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <LightChartCard counts={counts} />
          <Card title={t('workbench.quickLinks')}>
            <Row gutter={[8, 8]}>
              {links.map((l) => (
                <Col span={12} key={l.to}>
                  <Link to={l.to}>
                    <Card size="small" hoverable styles={{ body: { textAlign: 'center' } }}>
                      <div style={{ fontSize: 22 }}>{l.icon}</div>
                      <div>{l.label}</div>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </>
  )
}
