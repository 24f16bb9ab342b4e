import { RedoOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Drawer, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { call, errorMessage } from '../../api/problem'
import { ErrorState } from '../../components/States'
import { formatDateTime } from '../../lib/time'

type Delivery = Schemas['WebhookDelivery']

const STATE_COLORS: Record<string, string> = { pending: 'orange', succeeded: 'green', failed: 'red' }

/** A subscription's delivery log, with redelivery. */
export function WebhookDeliveries({ hook, onClose }: { hook: Schemas['Webhook']; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const id = hook.id
  const key = ['webhooks', id, 'deliveries', page] as const
  const log = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET('/webhooks/{id}/deliveries', { params: { path: { id }, query: { page, page_size: 20 } } })),
  })
  const redeliver = useMutation({
    mutationFn: (d: string) =>
      call(api.POST('/webhooks/{id}/deliveries/{delivery_id}/redeliver', { params: { path: { id, delivery_id: d } } })),
    onSuccess: () => {
      void message.success(t('delivery.webhooks.redelivered'))
      void qc.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] })
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Drawer open onClose={onClose} size="large" title={t('delivery.webhooks.logTitle', { url: hook.url })} data-testid="webhook-deliveries">
      {log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <Table<Delivery>
          rowKey="id"
          size="small"
          loading={log.isPending}
          dataSource={log.data?.data ?? []}
          pagination={{ current: page, pageSize: 20, total: log.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          expandable={{
            expandedRowRender: (d) => (
              <>
                <Typography.Paragraph type="secondary">webhook-id: {d.message_id}</Typography.Paragraph>
                <Typography.Paragraph code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {d.payload}
                </Typography.Paragraph>
              </>
            ),
          }}
          columns={[
            { title: t('delivery.webhooks.time'), dataIndex: 'created_at', render: (v: string) => formatDateTime(v) },
            { title: t('delivery.webhooks.event'), dataIndex: 'event_type' },
            { title: t('delivery.webhooks.trigger'), dataIndex: 'trigger', render: (v: string) => t(`delivery.webhooks.triggers.${v}`, { defaultValue: v }) },
            {
              title: t('delivery.webhooks.state'),
              dataIndex: 'state',
              render: (v: string, d) => (
                <>
                  <Tag color={STATE_COLORS[v]}>{t(`delivery.webhooks.states.${v}`, { defaultValue: v })}</Tag>
                  {d.next_attempt_at && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('delivery.webhooks.nextAttempt', { time: formatDateTime(d.next_attempt_at) })}
                    </Typography.Text>
                  )}
                </>
              ),
            },
            { title: t('delivery.webhooks.attempts'), dataIndex: 'attempts' },
            { title: t('delivery.webhooks.httpStatus'), dataIndex: 'response_status', render: (v: number) => (v ? v : '—') },
            { title: t('delivery.webhooks.latency'), dataIndex: 'latency_ms' },
            {
              title: t('delivery.webhooks.response'),
              key: 'response',
              render: (_, d) => (
                <Typography.Text type={d.error ? 'danger' : undefined} ellipsis={{ tooltip: d.error || d.response_excerpt }} style={{ maxWidth: 200 }}>
                  {d.error || d.response_excerpt}
                </Typography.Text>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, d) =>
                d.trigger !== 'ping' && (
                  <Button size="small" icon={<RedoOutlined />} disabled={!hook.enabled} loading={redeliver.isPending && redeliver.variables === d.id} onClick={() => d.id && redeliver.mutate(d.id)}>
                    {t('delivery.webhooks.redeliver')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Drawer>
  )
}
