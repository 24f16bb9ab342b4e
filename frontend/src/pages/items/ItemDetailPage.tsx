import { ArrowLeftOutlined, DownOutlined, PrinterOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Button, Card, Dropdown, Flex, Space, Tag, Typography } from 'antd'
import { Tabs } from '../../components/Tabs'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { api } from '../../api/client'
import { ApiError, call } from '../../api/problem'
import { ErrorState, Loading } from '../../components/States'
import { NotFoundState } from '../../components/ResultStates'
import { ItemFlags, itemKey, Light, StateTag } from './ui'
import { ActionBar } from './detail/ActionBar'
import { Assignments } from './detail/Assignments'
import { Milestones } from './detail/Milestones'
import { Events } from './detail/Events'
import { Details } from './detail/Details'
import { SubItems } from './detail/SubItems'
import { followUpTabs } from './followup'


export default function ItemDetailPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const tab = params.get('tab') ?? 'detail'
  const item = useQuery({
    queryKey: itemKey(id),
    queryFn: () => call(api.GET('/items/{id}', { params: { path: { id } } })),
  })
  const assignments = useQuery({
    queryKey: ['assignments', id],
    queryFn: () => call(api.GET('/items/{id}/assignments', { params: { path: { id } } })),
    enabled: item.isSuccess,
  })
  if (item.isPending) return <Loading />
  if (item.isError) {
    if (item.error instanceof ApiError && item.error.status === 404) return <NotFoundState title={t('notice.itemNotFound')} hint={t('notice.itemNotFoundHint')} />
    return <ErrorState error={item.error} onRetry={() => void item.refetch()} />
  }
  const it = item.data
  const asgs = assignments.data?.data ?? []
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/items">
          <ArrowLeftOutlined /> {t('items.title')}
        </Link>
      </Space>
      <Card style={{ marginBottom: 16 }}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap size={8}>
            {it.code && <Typography.Text code>{it.code}</Typography.Text>}
            <StateTag state={it.state} />
            {it.light && it.light !== 'none' && <Light light={it.light} />}
            {it.overdue && <Tag color="red">{t('items.overdue')}</Tag>}
            {it.verified && <Tag color="green">{t('items.verified')}</Tag>}
            {it.reopened_count > 0 && <Tag color="orange">{t('items.reopened', { count: it.reopened_count })}</Tag>}
            <ItemFlags item={it} />
          </Space>
          <Flex justify="space-between" align="start" gap={8} wrap>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 24, lineHeight: 1.33 }} data-testid="page-title">
              {it.title}
            </Typography.Title>
            {/* same tab on purpose: a new tab would share the sessionStorage refresh token
                and the first rotation there would end this tab's session (see session.ts) */}
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'notice', label: <span data-testid="print-notice">{t('print.menu.notice')}</span> },
                  { key: 'sheet', label: <span data-testid="print-sheet">{t('print.menu.sheet')}</span> },
                ],
                onClick: ({ key }) => void navigate(`/items/${id}/print/${key}`),
              }}
            >
              <Button icon={<PrinterOutlined />} data-testid="print-menu">
                {t('print.menu.button')} <DownOutlined />
              </Button>
            </Dropdown>
          </Flex>
          <ActionBar item={it} assignments={asgs} />
        </Space>
      </Card>
      <Card>
        <Tabs
          // a narrower gutter keeps the eleven tabs in one row at desktop widths
          tabBarGutter={20}
          activeKey={tab}
          onChange={(k) => setParams(k === 'detail' ? {} : { tab: k }, { replace: true })}
          items={[
            { key: 'detail', label: t('items.detail'), children: <Details item={it} /> },
            {
              key: 'assignments',
              label: `${t('items.assignments')}${asgs.length ? ` (${asgs.length})` : ''}`,
              children: assignments.isError ? (
                <ErrorState error={assignments.error} onRetry={() => void assignments.refetch()} />
              ) : (
                <Assignments itemId={id} assignments={asgs} loading={assignments.isPending} />
              ),
            },
            {
              key: 'milestones',
              label: t('notice.milestonesTab'),
              children: (
                <>
                  <Milestones item={it} />
                  <SubItems item={it} />
                </>
              ),
            },
            ...followUpTabs(it, asgs, t),
            { key: 'timeline', label: t('items.timeline'), children: <Events id={id} /> },
          ]}
        />
      </Card>
    </>
  )
}
