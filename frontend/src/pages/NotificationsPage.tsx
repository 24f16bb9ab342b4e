import { CheckOutlined, SettingOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Badge, Button, List, Pagination, Segmented, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api, type Schemas } from '../api/client'
import { call, errorMessage } from '../api/problem'
import { PageHeader } from '../components/PageHeader'
import { EmptyState, ErrorState, Loading } from '../components/States'
import { formatDateTime } from '../lib/time'
import { NOTIFICATIONS_KEY } from '../notifications/NotificationBell'

type Notification = Schemas['Notification']
const PAGE_SIZE = 20

/** The caller's notifications: newest first, mark one or all read, open the object. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [unread, setUnread] = useState(false)
  const [page, setPage] = useState(1)
  const en = i18n.language === 'en'
  const list = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, { unread, page }],
    queryFn: () => call(api.GET('/notifications', { params: { query: { unread, page, page_size: PAGE_SIZE } } })),
  })
  const read = useMutation({
    mutationFn: (id: string) => call(api.POST('/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const readAll = useMutation({
    mutationFn: () => call(api.POST('/notifications/read-all')),
    onSuccess: (r) => {
      void message.success(t('notifications.markedAll', { count: r.marked }))
      void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  const open = (n: Notification) => {
    if (!n.read_at && n.id) read.mutate(n.id)
    void navigate(n.link ?? '/notifications')
  }
  const data = list.data
  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        extra={
          <Space wrap>
            <Segmented
              value={unread ? 'unread' : 'all'}
              onChange={(v) => {
                setUnread(v === 'unread')
                setPage(1)
              }}
              options={[
                { label: t('notifications.all'), value: 'all' },
                { label: t('notifications.unread'), value: 'unread' },
              ]}
              data-testid="notifications-filter"
            />
            <Button
              icon={<CheckOutlined />}
              onClick={() => readAll.mutate()}
              loading={readAll.isPending}
              disabled={!data || data.unread === 0}
              data-testid="notifications-read-all"
            >
              {t('notifications.markAllRead')}
            </Button>
            <Link to="/me/notifications">
              <Button icon={<SettingOutlined />}>{t('notifications.settingsLink')}</Button>
            </Link>
          </Space>
        }
      />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (data?.data ?? []).length === 0 ? (
        <EmptyState description={t(unread ? 'notifications.emptyUnread' : 'notifications.empty')} />
      ) : (
        <>
          <List
            data-testid="notifications-list"
            dataSource={data?.data ?? []}
            renderItem={(n) => (
              <List.Item
                key={n.id}
                data-testid="notification"
                data-read={n.read_at ? 'true' : 'false'}
                actions={[
                  <Button key="open" type="link" onClick={() => open(n)}>
                    {t('notifications.open')}
                  </Button>,
                  !n.read_at && (
                    <Button key="read" type="link" onClick={() => n.id && read.mutate(n.id)} data-testid="notification-read">
                      {t('notifications.markRead')}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      {!n.read_at && <Badge status="processing" />}
                      <Typography.Link onClick={() => open(n)} strong={!n.read_at}>
                        {en ? n.title?.en : n.title?.zh}
                      </Typography.Link>
                      <Tag>{t(`notifications.kinds.${n.kind}`, { defaultValue: n.kind })}</Tag>
                    </Space>
                  }
                  description={
                    <>
                      <Typography.Paragraph style={{ marginBottom: 4 }}>{en ? n.body?.en : n.body?.zh}</Typography.Paragraph>
                      <Typography.Text type="secondary">{formatDateTime(n.created_at)}</Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
          {(data?.total ?? 0) > PAGE_SIZE && (
            <Pagination
              style={{ marginTop: 16, textAlign: 'right' }}
              current={page}
              pageSize={PAGE_SIZE}
              total={data?.total ?? 0}
              onChange={setPage}
              showSizeChanger={false}
            />
          )}
        </>
      )}
    </>
  )
}
