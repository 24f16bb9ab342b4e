import { PrinterOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { App, Button, Form, Input, Select, Space, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, ifMatch } from '../../../api/client'
import { call, errorMessage } from '../../../api/problem'
import { SimpleList } from '../../../components/SimpleList'
import { ErrorState, Loading } from '../../../components/States'
import { formatDateTime } from '../../../lib/time'
import { FormModal } from '../FormModal'
import type { Item } from '../ui'
import type { Assignment } from './shared'
import { useRefresh, useUnitNames } from './shared'

// --- urges -------------------------------------------------------------------

export function UrgesTab({ item, assignments }: { item: Item; assignments: Assignment[] }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const id = item.id
  const unit = useUnitNames()
  const refresh = useRefresh(id)
  const [urging, setUrging] = useState(false)
  const list = useQuery({
    queryKey: ['followup', id, 'urges'],
    queryFn: () => call(api.GET('/items/{id}/urges', { params: { path: { id }, query: { page_size: 100 } } })),
  })
  if (list.isPending) return <Loading />
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />
  const live = assignments.filter((a) => a.state !== 'returned')
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {list.data.counts.map((c) => (
          <Tag key={c.unit_id} color={c.unacknowledged > 0 ? 'orange' : 'default'}>
            {unit(c.unit_id)} · {t('followup.urgeCount', { total: c.total, open: c.unacknowledged })}
          </Tag>
        ))}
        {list.data.allowed_actions.includes('create') && (
          <Button type="primary" onClick={() => setUrging(true)} data-testid="urge-create">
            {t('followup.urge')}
          </Button>
        )}
      </Space>
      <SimpleList
        items={list.data.data}
        keyOf={(u) => u.id}
        render={(u) => (
          <>
            <Space orientation="vertical" size={2}>
              <Space wrap>
                <Typography.Text strong>{unit(u.unit_id)}</Typography.Text>
                <Tag>{u.kind === 'auto' ? t('followup.auto') : t('followup.manual')}</Tag>
                <Typography.Text type="secondary">{formatDateTime(u.created_at)}</Typography.Text>
                {u.acknowledged_at && <Tag color="success">{t('followup.acknowledged')}</Tag>}
              </Space>
              <Typography.Text>{u.message}</Typography.Text>
              <Link to={`/items/${item.id}/print/urge/${u.id}`} data-testid="urge-print">
                <PrinterOutlined /> {t('print.urge.print')}
              </Link>
              {u.allowed_actions.includes('acknowledge') && (
                <Button
                  size="small"
                  onClick={() =>
                    void call(api.POST('/urges/{id}/acknowledge', { params: { path: { id: u.id }, header: { 'If-Match': ifMatch(u.version) } } }))
                      .then(() => {
                        void message.success(t('followup.acknowledged'))
                        refresh()
                      })
                      .catch((e: unknown) => void message.error(errorMessage(e, t)))
                  }
                >
                  {t('followup.acknowledge')}
                </Button>
              )}
            </Space>
          </>
        )}
      />
      {urging && (
        <FormModal<{ unit_id?: string; message: string }>
          title={t('followup.urge')}
          initialValues={{ unit_id: live.find((a) => a.role === 'lead')?.unit_id }}
          onClose={() => setUrging(false)}
          onSubmit={async (v) => {
            await call(api.POST('/items/{id}/urges', { params: { path: { id } }, body: { unit_id: v.unit_id, message: v.message } }))
            void message.success(t('items.actionDone', { action: t('followup.urge') }))
            refresh()
          }}
        >
          <Form.Item name="unit_id" label={t('followup.urgeUnit')}>
            <Select options={live.map((a) => ({ value: a.unit_id, label: unit(a.unit_id) }))} />
          </Form.Item>
          <Form.Item name="message" label={t('followup.urgeMessage')} rules={[{ required: true, whitespace: true, message: t('rules.required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </FormModal>
      )}
    </>
  )
}
