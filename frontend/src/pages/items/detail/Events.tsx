import { useQuery } from '@tanstack/react-query'
import { Space, Timeline, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api/client'
import { call } from '../../../api/problem'
import { UserName } from '../../../api/users'
import { EmptyState, ErrorState, Loading } from '../../../components/States'
import { formatDateTime } from '../../../lib/time'

export function Events({ id }: { id: string }) {
  const { t } = useTranslation()
  const events = useQuery({
    queryKey: ['items', 'events', id],
    queryFn: () => call(api.GET('/items/{id}/events', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (events.isPending) return <Loading />
  if (events.isError) return <ErrorState error={events.error} onRetry={() => void events.refetch()} />
  const list = events.data.data
  if (list.length === 0) return <EmptyState description={t('items.noEvents')} />
  return (
    <Timeline
      data-testid="item-timeline"
      items={list.map((e) => ({
        key: e.id,
        content: (
          <Space orientation="vertical" size={0}>
            <Space wrap>
              <Typography.Text strong>{t(`items.actions.${e.action}`, { defaultValue: e.action })}</Typography.Text>
              <Typography.Text type="secondary">
                <UserName id={e.actor_id} /> · {formatDateTime(e.at)}
              </Typography.Text>
            </Space>
            {e.state_before && e.state_after && e.state_before !== e.state_after && (
              <Typography.Text type="secondary">
                {t('items.stateChange', {
                  from: t(`items.states.${e.state_before}`, { defaultValue: e.state_before }),
                  to: t(`items.states.${e.state_after}`, { defaultValue: e.state_after }),
                })}
              </Typography.Text>
            )}
            {e.comment && <Typography.Text>{e.comment}</Typography.Text>}
          </Space>
        ),
      }))}
    />
  )
}
